"""Facts checked against each other before any claim is decided: a contradiction is refused, never decided.

A mother born after her child (any date, or wage, before the person's birth), a
live birth with no child or a pregnancy loss with children born, a contract
ended of a person not separated, an event after the date asked when the law
allows no claim before it, wages earned after the date asked, more months
contributed before 2014 than in all, more months of arduous work than months
lived (or of arduous work and of work in a place of hardship together, which the
rules add): each is a :class:`Contradiction` naming the person's field, what it
contradicts and what was expected, so that a delivery system can correct the
record. The checks run on whole columns (:class:`~.records.RecordColumns`).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from openfisca_sp.decisions.attached_records import one_person_twice
from openfisca_sp.decisions.before_birth import WAGE, before_birth
from openfisca_sp.decisions.confinement_outcome import CONFINEMENT, confined_with_no_outcome
from openfisca_sp.decisions.confinement_outcome import EXPECTED as CONFINEMENT_EXPECTED
from openfisca_sp.decisions.disability_assessed import EXPECTED as DISABILITY_EXPECTED
from openfisca_sp.decisions.disability_assessed import assessed_not_disabled
from openfisca_sp.decisions.ended_after_claim import CLAIM, SEPARATIONS, ended_after_claim
from openfisca_sp.decisions.ended_after_claim import EXPECTED as ENDED_EXPECTED
from openfisca_sp.decisions.insured_months import insured_months_counter, most_wage_months
from openfisca_sp.decisions.months_lived import months_lived, over_lives
from openfisca_sp.decisions.recorded_parts import ADDED_FIELD, ADDED_PARTS, RECORDED_PARTS, added_expected, added_parts
from openfisca_sp.decisions.records import RecordColumns
from openfisca_sp.decisions.since_2014 import expected as since_2014_expected
from openfisca_sp.decisions.since_2014 import months_since_2014, more_since_2014
from openfisca_sp.rules.branches import BRANCHES
from openfisca_sp.rules.small_arrays import anyone, as_day
from openfisca_sp.rules.wording import counted, noun_for


@dataclass(frozen=True)
class Contradiction:
    """A person's fact that contradicts another fact or the date asked."""

    row: int
    field: str
    message: str
    expected: str


class ContradictoryFactsError(ValueError):
    """Facts of a batch contradict each other; ``contradictions`` names each one."""

    def __init__(self, contradictions: Sequence[Contradiction]) -> None:
        self.contradictions = tuple(contradictions)
        first = self.contradictions[0]
        super().__init__(f"person {first.row}, {first.field}: {first.message}")


def _stated(columns: RecordColumns, name: str) -> tuple[np.ndarray, np.ndarray] | None:
    """A fact stated as one value, and who stated it (None if no one did: no check on it can fail)."""
    return columns.values.get(name)


def _each(mask: np.ndarray, field: str, message: Callable[[int], str], expected: str) -> Iterator[Contradiction]:
    if anyone(mask):
        for row in np.flatnonzero(mask).tolist():
            yield Contradiction(row, field, message(row), expected)


def _dates(columns: RecordColumns, as_of: datetime.date, branch_codes: Sequence[str]) -> Iterator[Contradiction]:
    asked = as_day(as_of)
    birth_stated = _stated(columns, "birth_date")
    if birth_stated is not None:
        birth, born = birth_stated
        yield from _each(
            born & (birth > asked),
            "birth_date",
            lambda row: f"born on {birth[row]}, after the date asked",
            f"on or before {as_of}",
        )
    for code in branch_codes:  # a claim asked for: the law allows none before its event
        event = BRANCHES[code].event
        found = _stated(columns, event.date_fact) if event is not None else None
        if found is not None:
            day, stated = found
            yield from _each(
                stated & (day > asked),
                event.date_fact,
                lambda row, day=day, event=event: (
                    f"the {event.kind} on {day[row]} is after the date asked: the law allows no claim before it"
                ),
                f"on or before {as_of}",
            )
    claim = _stated(columns, CLAIM)
    for name, what in SEPARATIONS:
        found = _stated(columns, name)
        if found is None:
            continue
        day, stated = found
        yield from _each(
            stated & (day > asked),
            name,
            lambda row, day=day, what=what: f"{what} on {day[row]}, after the date asked",
            f"on or before {as_of}",
        )
        if claim is not None:
            filed = claim[0]
            yield from _each(
                ended_after_claim(day, stated, *claim),
                name,
                lambda row, day=day, what=what, filed=filed: (
                    f"{what} on {day[row]}, after the claim filed on {filed[row]}"
                ),
                ENDED_EXPECTED,
            )
    if birth_stated is not None:
        yield from _before_birth(columns, birth_stated)
    last_month = as_of.isoformat()[:7]
    for (name, period), (_, stated) in columns.histories.items():
        if name == WAGE and period > last_month:
            yield from _each(
                stated,
                f"{WAGE}.{period}",
                lambda row: "a wage of a month after the date asked",
                f"{as_of:%Y-%m} or before",
            )


def _before_birth(columns: RecordColumns, birth: tuple[np.ndarray, np.ndarray]) -> Iterator[Contradiction]:
    """A date stated before the person's birth, or a wage above 0 of a month before its month (:mod:`.before_birth`)."""
    wages = {period: found for (name, period), found in columns.histories.items() if name == WAGE}
    for found in before_birth(lambda name: _stated(columns, name), wages, *birth):
        yield from _each(
            found.mask,
            found.field,
            lambda row, found=found: (
                f"{found.said.format(found.values[row])} before the person's birth on {birth[0][row]}"
            ),
            found.expected,
        )


def _confinement(columns: RecordColumns) -> Iterator[Contradiction]:
    outcome_stated = _stated(columns, "pregnancy_outcome")
    if outcome_stated is None:
        return
    outcome, stated = outcome_stated
    children = _stated(columns, "number_of_children_born")
    if children is not None:
        count, count_stated = children
        yield from _each(
            stated & (outcome == "live_birth") & count_stated & (count == 0),
            "number_of_children_born",
            lambda row: "a live birth with no child born",
            "1 or more",
        )
        yield from _each(  # no child is born: the grant, where the law pays one, is as for one child
            stated & (outcome == "pregnancy_loss") & count_stated & (count > 0),
            "number_of_children_born",
            lambda row: f"a pregnancy loss with children born ({count[row]})",
            "0 or not stated after a pregnancy loss",
        )
    dated = _stated(columns, CONFINEMENT)
    if dated is not None:
        yield from _each(
            confined_with_no_outcome(dated[1], outcome == "none", stated),
            "pregnancy_outcome",
            lambda row: "a confinement date is stated with no pregnancy outcome",
            CONFINEMENT_EXPECTED,
        )


def _disability(columns: RecordColumns) -> Iterator[Contradiction]:
    """A disability category or group assessed (1 = most severe; 0 = none) of a person stated not disabled."""
    flag, category = _stated(columns, "is_disabled"), _stated(columns, "disability_category")
    if flag is not None and category is not None:
        group = category[0]
        yield from _each(
            assessed_not_disabled(*flag, *category),
            "is_disabled",
            lambda row: f"not disabled, though assessed in disability category {group[row]} (disability_category)",
            DISABILITY_EXPECTED,
        )


def _separation(columns: RecordColumns, as_of: datetime.date) -> Iterator[Contradiction]:
    """A labour contract ended on or before the date asked, of a person stated not separated from it: both facts
    are of the separation a claim rests on (an end after the date asked is refused as such, :func:`_dates`; a
    separation before an earlier benefit is ``previous_unemployment_separation_date``)."""
    reason, ended = _stated(columns, "separation_reason"), _stated(columns, "employment_end_date")
    if reason is None or ended is None:
        return
    (why, said), (day, dated) = reason, ended
    yield from _each(
        said & (why == "not_separated") & dated & (day <= as_day(as_of)),
        "separation_reason",
        lambda row: f"not separated, though the labour contract ended on {day[row]} (employment_end_date)",
        "the reason the contract of employment_end_date ended (dismissal, end_of_contract …), or no "
        "employment_end_date",
    )


def _parts(columns: RecordColumns, as_of: datetime.date) -> Iterator[Contradiction]:
    """A part of a count stated as more than the whole (months paid for years before 2014, and months of arduous
    work or coal mining, are some of the ``contribution_months``), and months of contributions that the calendar
    cannot hold: more than the months from the person's birth to the date asked (a month begun counted whole), as
    months of arduous work or coal mining can be too (no larger than the whole, stated or not), or, of those since
    2014, more than the months from January 2014 (a contribution is stated as of an event on or before the date
    asked)."""
    asked = as_of.year * 12 + as_of.month - 1  # months since the year 0, as the births' below
    whole = _stated(columns, "contribution_months")
    birth = _stated(columns, "birth_date")
    lived = None if birth is None else months_lived(birth[0], asked)
    if whole is not None and lived is not None:
        yield from _beyond_lives(columns, "contribution_months", ("month", " of contributions"), birth, lived)
    for name in RECORDED_PARTS:  # months the social insurance book records among those contributed
        recorded = _stated(columns, name)
        if recorded is None:
            continue
        parts, given = recorded
        above = np.zeros(columns.count, dtype=bool)
        words = name.replace("_", " ").removesuffix("months")  # "arduous work ": a count of its months
        if whole is not None:
            months, stated = whole
            above = given & stated & (parts > months)
            yield from _each(
                above,
                name,
                lambda row, parts=parts, words=words, months=months: (
                    f"{counted(parts[row], words + 'month')}, more than the {months[row]} of contribution_months, "
                    f"of which {noun_for(parts[row], 'it is', 'they are')} a part"
                ),
                "at most contribution_months",
            )
        if lived is not None:  # a part no larger than the whole: no more than the months lived (whole stated or not)
            yield from _beyond_lives(columns, name, (words + "month", ""), birth, lived, ~above)
    yield from _added_beyond_lives(columns, birth, lived)
    if whole is None:
        return
    months, stated = whole
    part = _stated(columns, "contribution_months_before_2014")
    if part is None:
        return
    before, said = part
    yield from _each(
        said & stated & (before > months),
        "contribution_months_before_2014",
        lambda row: (
            f"{counted(before[row], 'month')} of contributions before 2014, more than the {months[row]} of "
            "contribution_months, of which they are a part"
        ),
        "at most contribution_months",
    )
    since = months_since_2014(as_of.year, as_of.month)
    yield from _each(
        more_since_2014(months, before, said & stated, since),
        "contribution_months_before_2014",
        lambda row: (
            f"{counted(months[row], 'month')} of contributions with {before[row]} before 2014 leave "
            f"{months[row] - before[row]} since, more than the {counted(since, 'month')} from January 2014 to the date "
            "asked"
        ),
        since_2014_expected(since),
    )


def _insured_months(
    columns: RecordColumns, as_of: datetime.date, branch_codes: Sequence[str]
) -> Iterator[Contradiction]:
    """Fewer ``contribution_months`` (every month contributed before the month a claim is decided in) than the
    months of ``insured_wage`` above 0 stated before that month, for a claim asked: Viet Nam's unemployment
    benefit counted 12 insured months in its window (Employment Law 2013 Art 49) and a duration of 0 months on a
    career of 0 (Art 50(2)). A claim is decided in its event's month (the date asked's where the law takes the
    claim then); one whose event is needed and not stated is not compared."""
    whole = _stated(columns, "contribution_months")
    if whole is None or not anyone(whole[1] & (whole[0] < most_wage_months(columns))):
        return  # every career stated holds every month of wages stated: nothing to count (each request passes here)
    counter = insured_months_counter(columns)
    if counter is None:
        return
    months, stated = whole
    asked = np.datetime64(as_of, "M")
    told = np.zeros(columns.count, dtype=bool)  # a person is told once, at the first claim it contradicts
    for code in branch_codes:
        event = BRANCHES[code].event
        dated = _stated(columns, event.date_fact) if event is not None else None
        on_asked = event is None or event.on_the_date_asked
        month = np.full(columns.count, asked if on_asked else np.datetime64("NaT"), dtype="datetime64[M]")
        if dated is not None:
            month = np.where(dated[1], np.minimum(dated[0].astype("datetime64[M]"), asked), month)
        insured = counter(month)
        over = stated & ~told & (insured > months)
        yield from _each(
            over,
            "contribution_months",
            lambda row, month=month, insured=insured, code=code: (
                f"{counted(months[row], 'month')} of contributions before {month[row]}, the month the {code} claim "
                f"is decided in, fewer than the {counted(insured[row], 'month')} with an insured wage above 0 stated "
                "before it "
                "(insured_wage)"
            ),
            "at least the months with an insured wage above 0 (insured_wage) before the claim's month",
        )
        told |= over


def _beyond_lives(
    columns: RecordColumns,
    name: str,
    what: tuple[str, str],
    birth: tuple[np.ndarray, np.ndarray],
    lived: np.ndarray | list[int],
    among: np.ndarray | None = None,
) -> Iterator[Contradiction]:
    """A count of months ``name`` stated as more than the months from the person's birth to the date asked (a birth
    after it is its own contradiction: not said again as negative months), among ``among`` (everyone if None);
    ``what``: the noun its count takes, and the words after it ("month", " of contributions")."""
    counts, stated = columns.values[name]
    stated = stated & birth[1] if among is None else stated & birth[1] & among
    yield from _each(
        over_lives(counts, lived, stated),
        name,
        lambda row: (
            f"{counted(counts[row], what[0])}{what[1]}, more than the {counted(lived[row], 'month')} from the birth "
            f"on {birth[0][row]} to the date asked"
        ),
        "at most the months from birth_date to the date asked",
    )


def _added_beyond_lives(
    columns: RecordColumns, birth: tuple[np.ndarray, np.ndarray] | None, lived: np.ndarray | list[int] | None
) -> Iterator[Contradiction]:
    """The months of :data:`~.recorded_parts.ADDED_PARTS` stated together as more than the months lived, each alone
    within them; a part alone above them is told as such."""
    if birth is None or lived is None:
        return
    stated = {name: _stated(columns, name) for name in ADDED_PARTS}
    total = added_parts(lambda name: stated[name][0] if stated[name] is not None else None)
    if total is None:
        return
    both = stated[ADDED_PARTS[0]][1] & stated[ADDED_PARTS[1]][1] & birth[1]
    alone = [over_lives(stated[name][0], lived, both) for name in ADDED_PARTS]
    yield from _each(
        over_lives(total, lived, both) & ~alone[0] & ~alone[1],
        ADDED_FIELD,
        lambda row: (
            f"{stated[ADDED_PARTS[0]][0][row]} arduous work months and {stated[ADDED_PARTS[1]][0][row]} hardship "
            f"area months, {total[row]} together, more than the {counted(lived[row], 'month')} from the birth on "
            f"{birth[0][row]} to the date asked: the rules add the two, as months apart"
        ),
        added_expected("the date asked"),
    )


def contradictions(
    columns: RecordColumns, as_of: datetime.date, branch_codes: Sequence[str] = tuple(BRANCHES)
) -> list[Contradiction]:
    """Every contradiction between a batch's facts, and with the date asked (events of ``branch_codes``)."""
    found = [
        *_dates(columns, as_of, branch_codes),
        *_confinement(columns),
        *_separation(columns, as_of),
        *_disability(columns),
        *_parts(columns, as_of),
        *_insured_months(columns, as_of, branch_codes),
    ]
    return sorted(found, key=lambda item: item.row)


def check_facts(columns: RecordColumns, as_of: datetime.date, branch_codes: Sequence[str] = tuple(BRANCHES)) -> None:
    """Raise :class:`ContradictoryFactsError` if the batch's facts contradict each other or the date asked."""
    found = contradictions(columns, as_of, branch_codes)
    if found:
        raise ContradictoryFactsError(found)


def check_identifiers(identifiers: Sequence[Any]) -> None:
    """Raise :class:`ContradictoryFactsError` where two persons of a request could be one: a delivery system keys
    the answers by identifier, and two records of one person stating other facts were decided each on its own
    (one eligible, one not). Two persons are one when the record matching (:mod:`.attached_records`) could not
    tell them apart: the same type and value, or the same value written once with no type (``"P1"`` and a
    ``UIN`` ``P1``: a record naming either would be refused as naming both). ``UIN`` 1001 and ``BRN`` 1001 (two
    DCI schemes) are two persons. A person with no identifier is not compared. One pass over the persons."""
    found = [
        Contradiction(
            row,
            "identifier",
            f"the identifier of persons[{first}] too: one person, stated twice",
            "an identifier no other person of the request has, in any form (a text is the same value with any "
            "identifier_type; the answers are keyed by it); state each person once",
        )
        for row, first in one_person_twice(identifiers)
    ]
    if found:
        raise ContradictoryFactsError(found)
