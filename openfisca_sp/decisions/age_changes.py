"""Amounts that follow the person's age in payment.

Where the law's amount depends on age (Viet Nam's disability allowance pays a higher coefficient to a child under 16
and to a person of 60 or more, Decree 20/2021/ND-CP Art 6(1)(e)), a benefit in payment changes its amount when the
person reaches an age the law names, not only on the day it was decided. The ages are the law's own: the
parameters a branch names (``Branch.amount_ages``), read with the rules that decided the claim. The amount from each
is the rules' own, computed again with the person's age then and everything else as decided (the facts, the rules'
day, the decision to pay); the law's rises of benefits in payment (:mod:`~.uprating`) apply to it as to the amount
decided.

When: from the month after the month in which the age is reached (:data:`METHOD`). Viet Nam's monthly social
allowance is adjusted from the month following the month in which the beneficiary's conditions change (Decree
147/2025/ND-CP Art 5(2)(d), from 1 July 2025, as a newspaper reports it: the Vietnamese text read stops before
those words, which were read in its Japanese edition only); Decree 20/2021's own procedure, before, was not read.
The reading is unverified, so a schedule whose months it changes is provisional.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from openfisca_sp.rules.branch_nodes import branch as branch_node
from openfisca_sp.rules.branch_nodes import has
from openfisca_sp.rules.branches import Branch
from openfisca_sp.rules.calendar import completed_months
from openfisca_sp.rules.periods import parse_period
from openfisca_sp.rules.simulations import restated, set_input

NO_MONTH = np.datetime64("NaT", "M")
METHOD = (
    "the amount follows the person's age: from the month after the month an age the law names is reached "
    "(unverified reading, provisional)"
)


@dataclass(frozen=True)
class AgeChanges:
    """When each claim's monthly amount changes with the person's age, and to what (as decided, before rises in
    payment): a column per age the law names, NaT where it is not reached within the period."""

    months: np.ndarray  # datetime64[M], (claims, ages): the first month paid at the new amount
    amounts: np.ndarray  # float64, (claims, ages)

    def take(self, rows: np.ndarray) -> AgeChanges:
        return AgeChanges(self.months[rows], self.amounts[rows])

    def monthly(self, amount: np.ndarray, months: np.ndarray) -> np.ndarray:
        """Each claim's monthly amount in each of ``months`` (a row per month, ``datetime64[M]``): the amount
        decided until the first change, then each change's (NaN stays NaN: not determined)."""
        months = np.asarray(months, dtype="datetime64[M]")[:, np.newaxis]
        order = np.argsort(self.months, axis=1)  # earliest first, NaT last
        starts = np.take_along_axis(self.months, order, axis=1)
        amounts = np.take_along_axis(self.amounts, order, axis=1)
        table = np.broadcast_to(np.asarray(amount, dtype=np.float64), (len(months), len(amount)))
        for column in range(starts.shape[1]):  # one per age the law names, not per person
            table = np.where(months >= starts[:, column], amounts[:, column], table)
        return np.where(np.isnan(amount), np.nan, table)

    def within(self, first: Any, last: Any) -> np.ndarray:
        """Whether each claim's amount changes in a month from ``first`` to ``last`` (``datetime64[M]``: one
        month, or one a claim)."""
        first, last = np.asarray(first, dtype="datetime64[M]"), np.asarray(last, dtype="datetime64[M]")
        first = first[:, np.newaxis] if first.ndim else first
        last = last[:, np.newaxis] if last.ndim else last
        return ((self.months >= first) & (self.months <= last)).any(axis=1)


def scattered(parts: list[tuple[np.ndarray, AgeChanges | None]], count: int) -> AgeChanges | None:
    """One batch's changes from its groups' (None where no group's amount follows age)."""
    known = [(rows, part) for rows, part in parts if part is not None]
    if not known:
        return None
    width = known[0][1].months.shape[1]
    months, amounts = np.full((count, width), NO_MONTH), np.full((count, width), np.nan)
    for rows, part in known:
        months[rows], amounts[rows] = part.months, part.amounts
    return AgeChanges(months, amounts)


def _ages(simulation: Any, branch: Branch, rules_day: str) -> list[int]:
    """The ages (in months) at which the rules that decided the claims change the branch's amount."""
    node = branch_node(simulation.tax_benefit_system.get_parameters_at_instant, parse_period(rules_day), branch.code)
    paths = [path.split(".") for path in branch.amount_ages]
    ages = []
    for path in paths:
        if node is not None and has(node, *path):
            value = node
            for key in path:
                value = value[key]
            ages.append(int(value))
    return ages


def _month_reached(birth: np.ndarray, age: int) -> np.ndarray:
    """The month in which each person completes ``age`` months (the 1st of the next month for one born on a day
    the month has not: born on 31 January, one month on 1 March)."""
    month = birth.astype("datetime64[M]") + age
    last_day = (month + 1).astype("datetime64[D]") - 1
    return month + (completed_months(birth, last_day) < age)


def age_changes(
    simulation: Any, branch: Branch, month: str, rules_day: str, amount: np.ndarray, end: np.ndarray
) -> AgeChanges | None:
    """Where the branch's amount depends on age (``Branch.amount_ages``), the changes of each claim paid
    ``amount`` (NaN: none) in ``simulation`` (decided in ``month`` with the rules of ``rules_day``), to the last
    day paid (``end``; NaT: open-ended); None where the branch's amount does not follow age."""
    if not branch.amount_ages:
        return None
    count = len(amount)
    ages = _ages(simulation, branch, rules_day)
    months = np.full((count, len(branch.amount_ages)), NO_MONTH)
    amounts = np.full(months.shape, np.nan)
    paid = np.flatnonzero(~np.isnan(amount))
    if not ages or not len(paid):
        return AgeChanges(months, amounts)
    period = parse_period(month)
    birth = np.asarray(simulation.calculate("birth_date", period), dtype="datetime64[D]")[paid]
    decided = np.asarray(simulation.calculate("event_date", period), dtype="datetime64[D]")[paid]
    last = np.asarray(end, dtype="datetime64[D]")[paid].astype("datetime64[M]")
    for column, age in enumerate(ages):  # one per age the law names, not per person
        change = _month_reached(birth, age) + 1
        reached_after = (completed_months(birth, decided) < age) & (np.isnat(last) | (change <= last))
        months[paid[reached_after], column] = change[reached_after]
    rows, columns = np.nonzero(~np.isnat(months))
    if len(rows):
        amounts[rows, columns] = _amounts_at(simulation, branch, period, rows, months[rows, columns])
    return AgeChanges(months, amounts)


def _amounts_at(simulation: Any, branch: Branch, period: Any, rows: np.ndarray, months: np.ndarray) -> np.ndarray:
    """The amount the rules of ``simulation`` give each of ``rows`` with the age the person has at the end of the
    month before each of ``months``, still paid (its facts and rules as decided)."""
    again = restated(simulation, rows)
    birth = np.asarray(simulation.calculate("birth_date", period), dtype="datetime64[D]")[rows]
    set_input(again, "age_in_months", period, completed_months(birth, months.astype("datetime64[D]") - 1))
    set_input(again, branch.eligible, period, np.ones(len(rows), dtype=bool))
    return np.asarray(again.calculate(branch.benefit, period), dtype=np.float64)
