"""Facts checked against each other before any claim is decided: a contradiction is refused, never decided.

A mother born after her child, a live birth with no child, an event after the
date asked when the law allows no claim before it, wages earned after the date
asked: each is a :class:`Contradiction` naming the person's field, what it
contradicts and what was expected, so that a delivery system can correct the
record. The checks run on whole columns (:class:`~.records.RecordColumns`).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from openfisca_sp.decisions.records import RecordColumns
from openfisca_sp.rules.branches import BRANCHES


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


def _stated(columns: RecordColumns, name: str, kind: str = "O") -> tuple[np.ndarray, np.ndarray]:
    """A fact stated as one value, and who stated it (nobody, over an array of ``kind``, if no one did)."""
    found = columns.values.get(name)
    if found is None:
        return np.zeros(columns.count, dtype=kind), np.zeros(columns.count, dtype=bool)
    return found


def _each(mask: np.ndarray, field: str, message: Callable[[int], str], expected: str) -> Iterator[Contradiction]:
    for row in np.flatnonzero(mask).tolist():
        yield Contradiction(row, field, message(row), expected)


def _dates(columns: RecordColumns, as_of: datetime.date, branch_codes: Sequence[str]) -> Iterator[Contradiction]:
    asked = np.datetime64(as_of, "D")
    birth, born = _stated(columns, "birth_date", "datetime64[D]")
    yield from _each(
        born & (birth > asked),
        "birth_date",
        lambda row: f"born on {birth[row]}, after the date asked",
        f"on or before {as_of}",
    )
    for code in branch_codes:
        event = BRANCHES[code].event
        if event is None:
            continue
        day, stated = _stated(columns, event.date_fact, "datetime64[D]")
        yield from _each(
            stated & (day > asked),
            event.date_fact,
            lambda row, day=day, event=event: (
                f"the {event.kind} on {day[row]} is after the date asked: the law allows no claim before it"
            ),
            f"on or before {as_of}",
        )
        yield from _each(
            stated & born & (day < birth),
            event.date_fact,
            lambda row, day=day, event=event: (
                f"the {event.kind} on {day[row]} is before the person's birth on {birth[row]}"
            ),
            "on or after the person's birth_date",
        )
    filed, claimed = _stated(columns, "unemployment_registration_date", "datetime64[D]")
    for name, what in (
        ("employment_end_date", "the labour contract ended"),
        ("previous_unemployment_separation_date", "the separation that opened the last unemployment benefit"),
    ):
        day, stated = _stated(columns, name, "datetime64[D]")
        yield from _each(
            stated & (day > asked),
            name,
            lambda row, day=day, what=what: f"{what} on {day[row]}, after the date asked",
            f"on or before {as_of}",
        )
        yield from _each(
            stated & claimed & (day > filed),
            name,
            lambda row, day=day, what=what: f"{what} on {day[row]}, after the claim filed on {filed[row]}",
            "on or before unemployment_registration_date",
        )
    for (name, period), (_, stated) in columns.histories.items():
        if name == "insured_wage" and period > as_of.isoformat()[:7]:
            yield from _each(
                stated,
                f"insured_wage.{period}",
                lambda row: "a wage of a month after the date asked",
                f"{as_of:%Y-%m} or before",
            )


def _confinement(columns: RecordColumns) -> Iterator[Contradiction]:
    outcome, outcome_stated = _stated(columns, "pregnancy_outcome", "U16")
    children, children_stated = _stated(columns, "number_of_children_born", "i8")
    _, dated = _stated(columns, "child_birth_date")
    live = outcome_stated & (outcome == "live_birth")
    yield from _each(
        live & children_stated & (children == 0),
        "number_of_children_born",
        lambda row: "a live birth with no child born",
        "1 or more",
    )
    yield from _each(
        dated & outcome_stated & (outcome == "none"),
        "pregnancy_outcome",
        lambda row: "a confinement date is stated with no pregnancy outcome",
        "live_birth or pregnancy_loss",
    )


def contradictions(
    columns: RecordColumns, as_of: datetime.date, branch_codes: Sequence[str] = tuple(BRANCHES)
) -> list[Contradiction]:
    """Every contradiction between a batch's facts, and with the date asked (events of ``branch_codes``)."""
    found = [*_dates(columns, as_of, branch_codes), *_confinement(columns)]
    return sorted(found, key=lambda item: item.row)


def check_facts(columns: RecordColumns, as_of: datetime.date, branch_codes: Sequence[str] = tuple(BRANCHES)) -> None:
    """Raise :class:`ContradictoryFactsError` if the batch's facts contradict each other or the date asked."""
    found = contradictions(columns, as_of, branch_codes)
    if found:
        raise ContradictoryFactsError(found)
