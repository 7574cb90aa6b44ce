"""Amounts that follow the person's age in payment.

Where the law's amount depends on age (Viet Nam's disability allowance pays a higher coefficient to a child under 16
and to a person of 60 or more, Decree 20/2021/ND-CP Art 6(1)(e)), a benefit in payment changes its amount when the
person reaches an age the law names, not only on the day it was decided. The ages are the law's own: the
parameters a branch names (``Branch.amount_ages``), read with the rules that decided the claim. The amount from each
is the rules' own, computed again with the person's age then and everything else as decided (the facts, the rules'
day, the decision to pay); the law's rises of benefits in payment (:mod:`~.uprating`) apply to it as to the amount
decided.

When: from the month the law in force on the day the age is reached names (the branch's
``amount_change.from_month_after``: the month after the month the age is reached where true, that month where false;
absent, the month after, a reading). Viet Nam adjusts the allowance from the month the beneficiary's conditions change
(Decree 20/2021/ND-CP Art 8(1)(đ); Decree 335/2026/ND-CP Art 8(4) from 5 October 2026); a value that is unverified
(Decree 147/2025/ND-CP's procedure, from 1 July 2025, was not read) makes a schedule whose months it changes
provisional.
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
from openfisca_sp.rules.provenance import UNVERIFIED, provenance_of
from openfisca_sp.rules.simulations import restated, set_input

NO_MONTH = np.datetime64("NaT", "M")
FROM_MONTH_AFTER = "amount_change.from_month_after"  # under the branch's parameters: when a change is paid from
METHOD = (
    "the amount follows the person's age: from the month an age the law names is reached, or the month after, as "
    "the law in force that day says (amount_change.from_month_after)"
)


@dataclass(frozen=True)
class AgeChanges:
    """When each claim's monthly amount changes with the person's age, and to what (as decided, before rises in
    payment): a column per age the law names, NaT where it is not reached within the period."""

    months: np.ndarray  # datetime64[M], (claims, ages): the first month paid at the new amount
    amounts: np.ndarray  # float64, (claims, ages)
    unverified: np.ndarray  # bool, (claims, ages): that month rests on an unverified value (or none): provisional

    def take(self, rows: np.ndarray) -> AgeChanges:
        return AgeChanges(self.months[rows], self.amounts[rows], self.unverified[rows])

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

    def within(self, first: Any, last: Any, unverified: bool = False) -> np.ndarray:
        """Whether each claim's amount changes in a month from ``first`` to ``last`` (``datetime64[M]``: one
        month, or one a claim); with ``unverified``, only a change whose month rests on an unverified value."""
        first, last = np.asarray(first, dtype="datetime64[M]"), np.asarray(last, dtype="datetime64[M]")
        first = first[:, np.newaxis] if first.ndim else first
        last = last[:, np.newaxis] if last.ndim else last
        found = (self.months >= first) & (self.months <= last)
        return (found & self.unverified if unverified else found).any(axis=1)


def scattered(parts: list[tuple[np.ndarray, AgeChanges | None]], count: int) -> AgeChanges | None:
    """One batch's changes from its groups' (None where no group's amount follows age)."""
    known = [(rows, part) for rows, part in parts if part is not None]
    if not known:
        return None
    width = known[0][1].months.shape[1]
    months, amounts = np.full((count, width), NO_MONTH), np.full((count, width), np.nan)
    unverified = np.zeros((count, width), dtype=bool)
    for rows, part in known:
        months[rows], amounts[rows], unverified[rows] = part.months, part.amounts, part.unverified
    return AgeChanges(months, amounts, unverified)


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


def reaching_in(simulation: Any, branch: Branch, month: str, rules_day: str, rows: np.ndarray) -> np.ndarray:
    """Those of ``rows`` who complete in ``month`` an age at which the rules of ``rules_day`` change the
    branch's amount (none where the amount does not follow age): the only claims decided on that day whose amount
    may change within the month (a claim decided on 1 May for a child who is 16 on 30 May: from May, where the law
    pays a change from the month it happens)."""
    ages = _ages(simulation, branch, rules_day) if branch.amount_ages and len(rows) else []
    if not ages:
        return rows[:0]
    birth = np.asarray(simulation.calculate("birth_date", month), dtype="datetime64[D]")[rows]
    evaluated, born = np.datetime64(month, "M"), birth.astype("datetime64[M]")
    reached = np.zeros(len(rows), dtype=bool)
    for age in ages:  # one per age the law names, not per person
        # reached in the birthday's month, or the next one's 1st (:func:`_month_reached`): worked out for those alone
        near = np.flatnonzero((born + age == evaluated) | (born + (age + 1) == evaluated))
        reached[near] |= _month_reached(birth[near], age) == evaluated
    return rows[reached]


def _month_reached(birth: np.ndarray, age: int) -> np.ndarray:
    """The month in which each person completes ``age`` months (the 1st of the next month for one born on a day
    the month has not: born on 31 January, one month on 1 March)."""
    month = birth.astype("datetime64[M]") + age
    last_day = (month + 1).astype("datetime64[D]") - 1
    return month + (completed_months(birth, last_day) < age)


def _day_reached(birth: np.ndarray, age: int, month: np.ndarray) -> np.ndarray:
    """The day ``age`` months are completed, in ``month`` (:func:`_month_reached`): the birthday's day of the month,
    or the 1st where the month it falls in has no such day (born on 31 January, one month on 1 March)."""
    first = month.astype("datetime64[D]")
    on_its_day = first + (birth - birth.astype("datetime64[M]").astype("datetime64[D]"))
    return np.where(month == birth.astype("datetime64[M]") + age, on_its_day, first)


def _from_month_after(simulation: Any, branch: Branch, days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each of ``days``, the law in force that day: whether a change of amount is paid from the month after
    (``amount_change.from_month_after``), and whether that rests on an unverified value (absent: the month after,
    a reading)."""
    records = provenance_of(simulation.tax_benefit_system).history.get(f"{branch.code}.{FROM_MONTH_AFTER}", [])
    starts = np.array([record.start for record in records], dtype="datetime64[D]")
    after = np.array([True] + [bool(record.value) for record in records])  # position 0: before any value
    unverified = np.array([True] + [record.value is None or record.status == UNVERIFIED for record in records])
    at = np.searchsorted(starts, days, side="right")  # records are sorted by their first day
    return after[at], unverified[at]


def age_changes(
    simulation: Any,
    branch: Branch,
    month: str,
    rules_day: str,
    amount: np.ndarray,
    end: np.ndarray,
    persons: np.ndarray | None = None,
) -> AgeChanges | None:
    """Where the branch's amount depends on age (``Branch.amount_ages``), the changes of each claim paid
    ``amount`` (NaN: none) in ``simulation`` (decided in ``month`` with the rules of ``rules_day``), to the last
    day paid (``end``; NaT: open-ended); None where the branch's amount does not follow age. ``persons``: the
    rows of ``simulation`` that ``amount`` and ``end`` are of, in order (by default, every row): a few claims of a
    whole chunk's simulation are worked out alone."""
    if not branch.amount_ages:
        return None
    count = len(amount)
    ages = _ages(simulation, branch, rules_day)
    months = np.full((count, len(branch.amount_ages)), NO_MONTH)
    amounts = np.full(months.shape, np.nan)
    unverified = np.zeros(months.shape, dtype=bool)
    reached = np.full(months.shape, NO_MONTH)
    paid = np.flatnonzero(~np.isnan(amount))
    if not ages or not len(paid):
        return AgeChanges(months, amounts, unverified)
    period = parse_period(month)
    of = paid if persons is None else persons[paid]  # their rows in the simulation
    birth = np.asarray(simulation.calculate("birth_date", period), dtype="datetime64[D]")[of]
    decided = np.asarray(simulation.calculate("event_date", period), dtype="datetime64[D]")[of]
    last = np.asarray(end, dtype="datetime64[D]")[paid].astype("datetime64[M]")
    for column, age in enumerate(ages):  # one per age the law names, not per person
        month_reached = _month_reached(birth, age)
        after, unsure = _from_month_after(simulation, branch, _day_reached(birth, age, month_reached))
        change = month_reached + after.astype(np.int64)
        reached_after = (completed_months(birth, decided) < age) & (np.isnat(last) | (change <= last))
        months[paid[reached_after], column] = change[reached_after]
        reached[paid[reached_after], column] = month_reached[reached_after]
        unverified[paid[reached_after], column] = unsure[reached_after]
    rows, columns = np.nonzero(~np.isnat(months))
    if len(rows):
        at = rows if persons is None else persons[rows]
        amounts[rows, columns] = _amounts_at(simulation, branch, period, at, reached[rows, columns])
    return AgeChanges(months, amounts, unverified)


def _amounts_at(simulation: Any, branch: Branch, period: Any, rows: np.ndarray, months: np.ndarray) -> np.ndarray:
    """The amount the rules of ``simulation`` give each of ``rows`` with the age the person has at the end of each
    of ``months`` (the month the age is reached), still paid (its facts and rules as decided)."""
    again = restated(simulation, rows)
    birth = np.asarray(simulation.calculate("birth_date", period), dtype="datetime64[D]")[rows]
    set_input(again, "age_in_months", period, completed_months(birth, (months + 1).astype("datetime64[D]") - 1))
    set_input(again, branch.eligible, period, np.ones(len(rows), dtype=bool))
    return np.asarray(again.calculate(branch.benefit, period), dtype=np.float64)
