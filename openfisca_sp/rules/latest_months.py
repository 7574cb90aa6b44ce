"""The latest months with contributions a reference wage averages, a month without them skipped, not counted as zero,
and the months before it added up, as far back as it takes to find them (Viet Nam's maternity benefit, Circular
59/2015 Art 12(1)(a): "Nếu thời gian đóng bảo hiểm xã hội không liên tục thì được cộng dồn").

The law sets no bound to how far back they are looked for. The engine looks :data:`MONTHS_BACK` months before the
month of the claim at most: the longest window Viet Nam's rules read elsewhere (the 24 months before a labour
contract ends, Employment Law 2013 Art 49(2)), which a population's table for them holds already. A claimant whose
latest months reach further back is averaged over those found (SI Law 2014 Art 39(1)(a), second sentence: fewer than
6, the average of those), her decision provisional where her career counts more
(``maternity_reference_wage_short_history``).

Months are read newest first, for the persons whose months are looked for only (the claimants), and only while one
of them lacks some: a population of millions reads them for its few mothers of the month, most of them found in the
first 6. A simulation that records what the rules read reads every month, so that every fact a claim may need is
found (:mod:`~openfisca_sp.decisions.tracing`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from openfisca_core.periods import Period

from openfisca_sp.rules.conditions import computes_every_condition
from openfisca_sp.rules.small_arrays import anyone, everyone
from openfisca_sp.rules.windows import months_back, months_of

MONTHS_BACK = 24  # how many months before the claim's the latest months are looked for: an engine bound, not law's


@dataclass(frozen=True)
class LatestMonths:
    """What the latest months with contributions of some persons come to, a value a person."""

    total: np.ndarray  # the sum of the wages of the months found, each capped at its month's ceiling (float64)
    found: np.ndarray  # how many months were found (at most the number looked for)
    first: np.ndarray  # the oldest month read (datetime64[M]): the last one found, or the furthest looked at

    def average(self) -> np.ndarray:
        """The average wage of the months found (0 where none is)."""
        return np.divide(self.total, self.found, out=np.zeros(len(self.total)), where=self.found > 0)


def contributed_back(person: Any, period: Period, months: int, rows: np.ndarray | None, own: np.ndarray) -> np.ndarray:
    """How many months with contributions :func:`latest_contributed` finds before ``period`` for the persons at
    ``rows`` (None: everyone), whose month of ``period`` counts where ``own`` says so: the same months read, without
    their wages."""
    found = own.astype(np.int32)
    every = computes_every_condition(person)
    for month in reversed(months_of(months_back(period, MONTHS_BACK))):
        lacking = found < months
        if not every and not anyone(lacking):
            break
        flags = np.asarray(person("contributed_in_month", month), dtype=bool)
        found += (flags if rows is None else flags[rows]) & lacking
    return found - own


def latest_contributed(
    person: Any,
    period: Period,
    months: int,
    ceiling: Callable[[Period], Any],
    rows: np.ndarray | None,
    own: np.ndarray | None = None,
) -> LatestMonths:
    """The ``months`` latest months with contributions (``contributed_in_month``) of the persons at ``rows`` (None:
    everyone): the month of ``period`` itself first where ``own`` says it counts (a bool for each of them), then
    the months before it, newest first, :data:`MONTHS_BACK` back at most; each wage capped at ``ceiling`` of its
    month (a number, each person's, or None). Each month is read for the persons still lacking some only."""
    count = person.count if rows is None else len(rows)
    total = np.zeros(count)
    found = np.zeros(count, dtype=np.int32)
    first = np.full(count, np.datetime64(period.start.date, "M") - MONTHS_BACK)
    every = computes_every_condition(person)  # what the rules may read is being recorded: read it all
    active: np.ndarray | None = None  # the positions still lacking months (None: all of them)
    read: Any = rows  # their rows in the population (None: everyone)

    def add(month: Period, counted: np.ndarray) -> None:
        highest = ceiling(month)
        if np.ndim(highest):
            highest = np.asarray(highest) if read is None else np.asarray(highest)[read]
        wages = np.asarray(person("insured_wage", month))
        wage = np.clip(
            (wages if read is None else wages[read]).astype(np.float64), 0, np.inf if highest is None else highest
        )
        where = slice(None) if active is None else active
        total[where] += np.where(counted, wage, 0.0)
        found[where] += counted
        reached = counted & (found[where] == months)
        first[reached.nonzero()[0] if active is None else active[reached]] = np.datetime64(month.start.date, "M")

    if own is not None and anyone(own):
        add(period.first_month, own)
    for month in reversed(months_of(months_back(period, MONTHS_BACK))):
        lacking = found < months if active is None else found[active] < months
        if not everyone(lacking):  # look further for those still lacking only
            active = np.flatnonzero(lacking) if active is None else active[lacking]
            read = active if rows is None else rows[active]
        if not every and not len(active if active is not None else found):
            break
        flags = np.asarray(person("contributed_in_month", month), dtype=bool)
        counted = flags if read is None else flags[read]
        if every or anyone(counted):
            add(month, counted)
    return LatestMonths(total, found, first)
