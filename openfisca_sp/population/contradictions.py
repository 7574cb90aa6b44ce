"""A person table's facts checked against each other, chunk by chunk, before the rules decide them.

``/eligibility`` refuses facts that contradict each other (:mod:`openfisca_sp.decisions.consistency`); a table read by
the population engine is held to the same, against the month evaluated instead of the date asked: a person born after
it, a date of its life (a claim, a confinement, a registration, an assessment, a contract's end, an earlier benefit's
separation) or a wage above 0 before its birth, of any month the table gives
(:mod:`~openfisca_sp.decisions.before_birth`, the checks ``/eligibility`` makes; the months no rule reads found on the
columns as stored, :mod:`~.unread_wages`), a contract's end or an earlier
benefit's separation after the registration for unemployment (:mod:`~openfisca_sp.decisions.ended_after_claim`), a
confinement date with no pregnancy outcome (:mod:`~openfisca_sp.decisions.confinement_outcome`), more months of
contributions (or of arduous work or coal mining, a part of them; or of arduous work and of work in a place of hardship
together, which the rules add) than months lived by its end, a person stated not
disabled though assessed in a disability category (:mod:`~openfisca_sp.decisions.disability_assessed`), a live birth
with no child or a pregnancy loss with children born, a labour contract ended by the month's end of a person not
separated, more months paid before 2014 than in all, or fewer than leave the months since 2014 no more than those
from January 2014 to the month evaluated (:mod:`~openfisca_sp.decisions.since_2014`), fewer months of contributions
than months of insured wages above 0 before the month evaluated (of any month the table gives, as the wages before
the birth).
Each is refused with its column, how many rows and the first (:func:`~.fact_arrays.first_rows`), never decided.
(A claim's event may fall after the month evaluated: a claim registered in November for a contract ended in October
is decided on its day.) The facts checked are read wherever the table has them, whichever rules run in the month
(:data:`CHECKED_FACTS`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from openfisca_sp.decisions.before_birth import DATED_FACTS, WAGE, BeforeBirth, before_birth
from openfisca_sp.decisions.confinement_outcome import CONFINEMENT, confined_with_no_outcome
from openfisca_sp.decisions.confinement_outcome import EXPECTED as CONFINEMENT_EXPECTED
from openfisca_sp.decisions.disability_assessed import EXPECTED as DISABILITY_EXPECTED
from openfisca_sp.decisions.disability_assessed import assessed_not_disabled
from openfisca_sp.decisions.ended_after_claim import CLAIM, SEPARATIONS, ended_after_claim
from openfisca_sp.decisions.ended_after_claim import EXPECTED as ENDED_EXPECTED
from openfisca_sp.decisions.recorded_parts import ADDED_FIELD, ADDED_PARTS, RECORDED_PARTS, added_expected, added_parts
from openfisca_sp.decisions.since_2014 import expected as since_2014_expected
from openfisca_sp.decisions.since_2014 import months_since_2014, more_since_2014
from openfisca_sp.population.errors import PopulationError
from openfisca_sp.population.fact_arrays import first_rows
from openfisca_sp.population.unread_wages import UnreadChunk
from openfisca_sp.rules.enums import PregnancyOutcome, SeparationReason
from openfisca_sp.rules.periods import FIRST_DATE
from openfisca_sp.rules.windows import NO_DATE

Inputs = Mapping[tuple[str, str], np.ndarray]
LIVE_BIRTH = PregnancyOutcome.live_birth.index
NO_OUTCOME = PregnancyOutcome.none.index
PREGNANCY_LOSS = PregnancyOutcome.pregnancy_loss.index
NOT_SEPARATED = SeparationReason.not_separated.index
FIRST_DAY = np.datetime64(FIRST_DATE, "D")
# The facts checked against each other: read wherever the table has them, whether or not the month's rules read
# them (Viet Nam's unemployment rules of 2015 read no birth date: a person born in 2020 was granted the benefit).
CHECKED_FACTS = (
    "birth_date",
    "contribution_months",
    "contribution_months_before_2014",
    "number_of_children_born",
    "pregnancy_outcome",
    "separation_reason",
    *(fact.field for fact in DATED_FACTS),
    "is_disabled",
    "disability_category",
    *RECORDED_PARTS,
)


def check_contradictions(
    inputs: Inputs,
    month: str,
    first_row: int,
    source: str | None,
    assumed: frozenset[str] = frozenset(),
    unread: UnreadChunk | None = None,
) -> None:
    """Raise :class:`PopulationError` for the first contradiction among ``inputs`` (a chunk's, whose first row is
    the table's ``first_row``), as the module says; a fact the table does not give is not checked. ``assumed``: the
    facts an assumption states for every person (a number of children born is the number at a live birth).
    ``unread``: what the months of wages the table gives that no rule reads hold of the chunk's persons
    (:meth:`~.unread_wages.UnreadWages.within`): checked with the months read, as if the rules read them."""
    _Chunk(inputs, month, first_row, source, assumed, unread).check()


def refuse_unread_wages(
    birth: np.ndarray | None, careers: np.ndarray | None, unread: UnreadChunk, month: str, source: str | None
) -> None:
    """Raise :class:`PopulationError` for a wage above 0 before the birth, then for fewer ``careers`` months than
    months with a wage above 0, among the months of ``unread`` alone (a whole table's, its rows counted from 0); a
    fact not given (None) is not checked."""
    chunk = _Chunk({}, month, 0, source, frozenset(), unread)
    if birth is not None:
        chunk.refuse_before_birth(birth.astype("datetime64[D]", copy=False))
    if careers is not None:
        chunk.refuse_fewer_months_than_wages(careers)


@dataclass(frozen=True)
class _Chunk:
    inputs: Inputs
    month: str
    first_row: int
    source: str | None
    assumed: frozenset[str]
    unread: UnreadChunk | None

    def fact(self, name: str) -> np.ndarray | None:
        """A fact stated once (eternal) or as of the month evaluated; None where the table does not give it."""
        found = self.inputs.get((name, "ETERNITY"))
        return self.inputs.get((name, self.month)) if found is None else found

    def refuse(
        self, mask: np.ndarray, name: str, what: str, expected: str, values: np.ndarray, against: tuple[str, ...] = ()
    ) -> None:
        """Raise for the rows of ``mask``: ``name``'s value contradicts ``against``'s (the other facts read), a fact
        assumed for every person among them said so (its value is not the table's)."""
        if mask.any():
            example = values[int(np.argmax(mask))]
            assumed = [fact for fact in (name, *against) if fact in self.assumed]
            said = f" ({', '.join(assumed)}: the value assumed for every person, not the table's)" if assumed else ""
            raise PopulationError(
                f"{what} in {first_rows(mask, self.first_row)}: {_shown(example)}; expected {expected}{said}",
                name,
                self.source,
            )

    def refuse_months_beyond_lives(
        self,
        months: np.ndarray,
        birth: np.ndarray,
        last_day: np.datetime64,
        name: str = "contribution_months",
        what: str = "months of contributions",
        expected: str = "at most the months from birth_date to the month evaluated, both counted",
        against: tuple[str, ...] = (),
    ) -> None:
        """More months of contributions (or of ``name``, a part of them) than months lived by the end of the month
        evaluated. A month is at most 31 days: only where the months stated pass the days lived / 31 can they pass
        the months lived, counted there alone (a cast of every birth to months took two thirds of the checks'
        time)."""
        rows = np.flatnonzero(np.multiply(months, 31, dtype=np.int64) > (last_day - birth).view(np.int64))
        if not len(rows):
            return
        lived = (np.datetime64(self.month, "M") - birth[rows].astype("datetime64[M]")).astype(np.int64) + 1
        over = np.zeros(len(months), dtype=bool)
        over[rows[(lived > 0) & (months[rows] > lived)]] = True
        self.refuse(
            over,
            name,
            f"more {what} than months lived by the end of the month evaluated",
            expected,
            months,
            ("birth_date", *against),
        )

    def refuse_fewer_months_than_wages(self, months: np.ndarray) -> None:
        """Fewer months of contributions (every month contributed before the month evaluated) than months with an
        insured wage above 0 before it, among every month of wages the table gives, read by the rules or not (those
        not read counted on the columns as stored: :attr:`unread`), as ``/eligibility`` counts every month stated
        (Viet Nam's unemployment benefit counted 12 insured months of its window and paid for 0 months on a career of
        0: Employment Law 2013 Arts 49, 50(2))."""
        insured = None if self.unread is None or self.unread.insured is None else self.unread.insured  # a chunk's own
        for (name, period), values in self.inputs.items():
            if name == WAGE and len(period) == 7 and period < self.month:
                if insured is None:  # a count of months in 16 bits: at most a working life's 600 are read
                    insured = np.zeros(len(months), dtype=np.int16)
                np.add(insured, np.asarray(values) > 0, out=insured, casting="unsafe")
        if insured is not None:
            self.refuse(
                insured > months,
                "contribution_months",
                "fewer months of contributions than months with an insured wage above 0 before the month evaluated",
                "at least the months with an insured wage above 0 (insured_wage.<YYYY-MM>) before the month evaluated",
                months,
                (WAGE,),
            )

    def check(self) -> None:
        month = np.datetime64(self.month, "M")
        last_day = (month + 1).astype("datetime64[D]") - 1
        birth = self.fact("birth_date")
        months = self.fact("contribution_months")
        if birth is not None:
            birth = birth.astype("datetime64[D]", copy=False)
            self.refuse(
                (birth > last_day) | (birth < FIRST_DAY),
                "birth_date",
                "born after the month evaluated, or before 1900 (the calendar the rules are asked in)",
                f"from {FIRST_DAY} to {last_day}",
                birth,
            )
            self.refuse_before_birth(birth)
            if months is not None:
                self.refuse_months_beyond_lives(months, birth, last_day)
            else:  # each part no larger than the whole (checked below where it is given), nor the months lived
                for name in RECORDED_PARTS:
                    part = self.fact(name)
                    if part is not None:
                        self.refuse_months_beyond_lives(part, birth, last_day, name, name.replace("_", " "))
        if months is not None:
            self.refuse_fewer_months_than_wages(months)
        for name in RECORDED_PARTS:
            recorded = self.fact(name) if months is not None else None
            if recorded is not None:
                self.refuse(
                    recorded > months,
                    name,
                    "more months than contribution_months, of which they are a part",
                    "at most contribution_months",
                    recorded,
                    ("contribution_months",),
                )
        together = added_parts(self.fact) if birth is not None else None
        if together is not None:  # the two the rules add, as months apart, each within the months lived
            self.refuse_months_beyond_lives(
                together,
                birth,
                last_day,
                ADDED_FIELD,
                "months of arduous work and of work in a place of hardship together (the rules add them)",
                added_expected("the month evaluated, both counted"),
                ADDED_PARTS[:1],
            )
        before = self.fact("contribution_months_before_2014")
        if months is not None and before is not None:
            self.refuse(
                before > months,
                "contribution_months_before_2014",
                "more months of contributions before 2014 than contribution_months, of which they are a part",
                "at most contribution_months",
                before,
                ("contribution_months",),
            )
            since = months_since_2014(int(self.month[:4]), int(self.month[5:]))
            self.refuse(
                more_since_2014(months, before, np.ones(len(months), dtype=bool), since),
                "contribution_months_before_2014",
                f"contribution_months less these more than the {since} months from January 2014 to the month evaluated",
                since_2014_expected(since),
                before,
                ("contribution_months",),
            )
        children, outcome = self.fact("number_of_children_born"), self.fact("pregnancy_outcome")
        if children is not None and outcome is not None:
            outcome = np.asarray(outcome)
            self.refuse(
                (outcome == LIVE_BIRTH) & (children == 0),
                "number_of_children_born",
                "a live birth with no child",
                "1 or more for a live birth (pregnancy_outcome live_birth)",
                children,
                ("pregnancy_outcome",),
            )
            if "number_of_children_born" not in self.assumed:  # for all: the number at a live birth, unread at a loss
                self.refuse(
                    (outcome == PREGNANCY_LOSS) & (children > 0),
                    "number_of_children_born",
                    "a pregnancy loss with children born",
                    "0 after a pregnancy loss (pregnancy_outcome pregnancy_loss)",
                    children,
                    ("pregnancy_outcome",),
                )
        self.refuse_contract_ended_unseparated(last_day)
        self.refuse_ended_after_the_claim()
        confined = self.dated(CONFINEMENT)
        if outcome is not None and confined is not None:
            self.refuse(
                confined_with_no_outcome(confined[1], np.asarray(outcome) == NO_OUTCOME, confined[1]),
                "pregnancy_outcome",
                f"none, with a confinement date ({CONFINEMENT})",
                CONFINEMENT_EXPECTED,
                confined[0],
                (CONFINEMENT,),
            )
        disabled, category = self.fact("is_disabled"), self.fact("disability_category")
        if disabled is not None and category is not None:
            everyone = np.ones(len(category), dtype=bool)
            self.refuse(
                assessed_not_disabled(disabled, everyone, category, everyone),
                "is_disabled",
                "not disabled, though assessed in a disability category (disability_category)",
                DISABILITY_EXPECTED,
                category,
                ("disability_category",),
            )

    def refuse_before_birth(self, birth: np.ndarray) -> None:
        """A date of the person's life before its birth (an empty cell: no such date), and a wage above 0 of a month
        before the month of birth (:mod:`openfisca_sp.decisions.before_birth`: the checks ``/eligibility`` makes).
        Every person states a birth (an empty cell is refused when read); the wages checked are the months read and
        those of :attr:`unread` (every month the table gives, as ``/eligibility`` checks every month stated)."""
        wages = {period: values for (name, period), values in self.inputs.items() if name == WAGE}
        for period, values in self.unread.wages.items() if self.unread is not None else ():
            wages.setdefault(period, values)
        everyone = np.ones(len(birth), dtype=bool)
        for found in [*before_birth(self.dated, {}, birth, everyone), *_wages_before_birth(wages, birth)]:
            self.refuse(
                found.mask,
                found.field,
                found.named,
                found.expected,
                found.values,
                (found.field.split(".")[0], "birth_date"),
            )

    def refuse_ended_after_the_claim(self) -> None:
        """A labour contract ended, or an earlier benefit's separation, after the registration for unemployment
        (:mod:`openfisca_sp.decisions.ended_after_claim`: the check ``/eligibility`` makes); an empty cell: no date."""
        claim = self.dated(CLAIM)
        for name, what in SEPARATIONS if claim is not None else ():
            ended = self.dated(name)
            if ended is not None:
                self.refuse(
                    ended_after_claim(*ended, *claim),
                    name,
                    f"{what} after the registration for unemployment ({CLAIM})",
                    ENDED_EXPECTED,
                    ended[0],
                    (CLAIM,),
                )

    def dated(self, name: str) -> tuple[np.ndarray, np.ndarray] | None:
        """A date fact as days, and who stated it (an empty cell: no one); None where the table does not give it."""
        day = self.fact(name)
        if day is None:
            return None
        day = day.astype("datetime64[D]", copy=False)
        return day, day != NO_DATE

    def refuse_contract_ended_unseparated(self, last_day: np.datetime64) -> None:
        """A labour contract ended by the end of the month evaluated, of a person not separated (an empty
        ``separation_reason``: not separated). A contract that ends after the month may be a person's still at
        work in it."""
        reason, ended = self.fact("separation_reason"), self.fact("employment_end_date")
        if reason is None or ended is None:
            return
        ended = ended.astype("datetime64[D]", copy=False)
        self.refuse(
            (np.asarray(reason) == NOT_SEPARATED) & (ended != NO_DATE) & (ended <= last_day),
            "separation_reason",
            "not separated, with a labour contract ended by the end of the month evaluated (employment_end_date)",
            "the reason the contract of employment_end_date ended (dismissal, end_of_contract …), or no "
            "employment_end_date",
            ended,
            ("employment_end_date",),
        )


def _shown(value: Any) -> str:
    """A cell's value as the table writes it (a day as YYYY-MM-DD, a whole number without decimals)."""
    if isinstance(value, np.datetime64):
        return str(value.astype("datetime64[D]"))
    return str(value.item() if isinstance(value, np.generic) else value)


def _wages_before_birth(wages: Mapping[str, np.ndarray], birth: np.ndarray) -> list[BeforeBirth]:
    """:func:`~openfisca_sp.decisions.before_birth.before_birth`'s wages above 0 before the month of birth (``wages``
    by month, every person stating one), found among those born after the earliest month alone: none born
    before it can be born after any, and comparing every person for each month of the history was most of a
    chunk's checks. Each month with a wage before a birth, its mask and values the whole chunk's."""
    if not wages:
        return []
    young = np.flatnonzero(birth >= (np.datetime64(min(wages), "M") + 1).astype("datetime64[D]"))
    stated = {month: (values[young], np.ones(len(young), dtype=bool)) for month, values in wages.items()}
    found = []
    for part in before_birth(lambda _: None, stated, birth[young], np.ones(len(young), dtype=bool)):
        if part.mask.any():  # a month none contradicts is refused for none
            mask = np.zeros(len(birth), dtype=bool)
            mask[young[part.mask]] = True
            found.append(replace(part, mask=mask, values=wages[part.field.split(".", 1)[1]]))
    return found
