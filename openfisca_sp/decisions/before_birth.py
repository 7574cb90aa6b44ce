"""Facts of a person's life that cannot be before its birth.

One definition of each check, on whole columns, for both readers of facts: ``/eligibility`` and the Python API
(:mod:`.consistency`, each fact with the mask of the persons who stated it) and the population engine
(:mod:`openfisca_sp.population.contradictions`, a table's column stating it for every row, an empty date none). A
fact dated before the person's birth (a claim, a registration, an assessment, a confinement, a labour contract's end
or an earlier benefit's separation), or a wage above 0 of a month before the month of birth, is a contradiction of
the record, never decided.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

import numpy as np

from openfisca_sp.rules.branches import BRANCHES
from openfisca_sp.rules.small_arrays import anyone


@dataclass(frozen=True)
class DatedFact:
    """A date fact of a person's life: ``said``, the words before the person's birth ``{}`` its day (a request's
    answer names the day), and ``named``, what a table's error says of its rows (no day: it names the rows)."""

    field: str
    said: str
    named: str


# The dates that are none before the person's birth: each branch's event (the claim, the confinement, the
# registration, the assessment), then the separations a claim rests on.
DATED_FACTS: tuple[DatedFact, ...] = (
    *(
        DatedFact(
            branch.event.date_fact,
            f"the {branch.event.kind} on {{}} is",
            "a child born before its mother"
            if branch.event.kind == "confinement"
            else f"the {branch.event.kind} before the person's birth",
        )
        for branch in BRANCHES.values()
        if branch.event is not None
    ),
    DatedFact(
        "employment_end_date",
        "the labour contract ended on {},",
        "the labour contract ended before the person's birth",
    ),
    DatedFact(
        "previous_unemployment_separation_date",
        "the separation that opened the last unemployment benefit on {},",
        "the separation that opened the last unemployment benefit before the person's birth",
    ),
)
DATE_EXPECTED = "on or after the person's birth_date"
WAGE = "insured_wage"
WAGE_EXPECTED = "0, or no wage, before the month of birth_date"


Stated = tuple[np.ndarray, np.ndarray]  # a fact's values, and who stated it


@dataclass(frozen=True)
class BeforeBirth:
    """The persons (``mask``) whose ``field`` (``values``) is before their birth: ``said`` and ``named`` as a
    :class:`DatedFact`'s (``{}`` the value; a wage's words have none), and what was expected."""

    field: str
    mask: np.ndarray
    values: np.ndarray
    said: str
    named: str
    expected: str


def before_birth(
    stated: Callable[[str], Stated | None], wages: Mapping[str, Stated], birth: np.ndarray, born: np.ndarray
) -> Iterator[BeforeBirth]:
    """Each fact of :data:`DATED_FACTS` (``stated``: its values and who stated it, None where no one did), then each
    month of ``wages`` (``YYYY-MM``: the wages and who stated them), against the births (``born``: who stated one):
    each yielded whether or not anyone contradicts it (its ``mask``), dates first, months in order."""
    for fact in DATED_FACTS:
        found = stated(fact.field)
        if found is not None:
            day, dated = found
            before = day < birth  # who stated no date or birth only where someone may be before its birth
            mask = before & dated & born if anyone(before) else before
            yield BeforeBirth(fact.field, mask, day, fact.said, fact.named, DATE_EXPECTED)
    if not wages or not anyone(born):
        return
    latest = str(birth[born].max().astype("datetime64[M]"))  # only before the latest birth can a wage be before one
    for month in sorted(month for month in wages if month < latest):
        wage, paid = wages[month]
        next_month = (np.datetime64(month, "M") + 1).astype("datetime64[D]")  # days compared: no cast of each birth
        yield BeforeBirth(
            f"{WAGE}.{month}",
            paid & born & (wage > 0) & (birth >= next_month),  # a month of 0 is no wage: zeros before a birth pass
            wage,
            f"a wage of {month},",
            "a wage above 0 before the month of the person's birth",
            WAGE_EXPECTED,
        )
