"""Weighted sums of a baseline and a reform, per cell of the population: what a comparison is built from.

Every figure of a comparison (cost, beneficiaries, winners, losers, coverage,
by sex, age group and decile) is a sum of weighted per-person values, so it is
computed per cell (``breakdowns.cell_of``) in float64 and *added* across chunks
or Dask partitions. Averages and rates are derived only at the end.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from openfisca_sp.analysis.breakdowns import CELLS
from openfisca_sp.analysis.coverage import GROUP_CODES
from openfisca_sp.population.totals import amounts_modelled, is_provisional, month_amounts, rule_decided
from openfisca_sp.rules.branches import Branch

ALL = "all"  # the pseudo-branch of every benefit together
SIDES = ("baseline", "reform")
BRANCH_METRICS = ("beneficiaries", "cost", "winners", "losers", "gains", "losses")


def metric_names(branch_codes: Sequence[str]) -> tuple[str, ...]:
    """The columns of a sums table, in order."""
    names = ["population", "persons"]
    for code in (*branch_codes, ALL):
        names += [f"{code}.{side}.beneficiaries" for side in SIDES]
        names += [f"{code}.{side}.cost" for side in SIDES]
        names += [f"{code}.{metric}" for metric in ("winners", "losers", "gains", "losses")]
    for group in GROUP_CODES:
        names += [f"coverage.{group}.population", *(f"coverage.{group}.{side}" for side in SIDES)]
    return tuple(names)


@dataclass
class BranchStatus:
    """Whether a branch's amounts are modelled, and whether its results are provisional, on each side."""

    label: str
    coverage_group: str | None = None
    provided: dict[str, bool] = field(default_factory=lambda: dict.fromkeys(SIDES, False))
    decided: dict[str, bool] = field(default_factory=lambda: dict.fromkeys(SIDES, False))  # rule modelled
    modelled: dict[str, bool] = field(default_factory=lambda: dict.fromkeys(SIDES, True))
    provisional: dict[str, bool] = field(default_factory=lambda: dict.fromkeys(SIDES, False))

    def cost_modelled(self, side: str) -> bool:
        """Whether a cost can be given: the amount is modelled, and the rule has a source or the law lacks it."""
        return self.modelled[side] and (self.decided[side] or not self.provided[side])

    def merge(self, other: BranchStatus) -> BranchStatus:
        return BranchStatus(
            self.label,
            self.coverage_group,
            {side: self.provided[side] or other.provided[side] for side in SIDES},
            {side: self.decided[side] or other.decided[side] for side in SIDES},
            {side: self.modelled[side] and other.modelled[side] for side in SIDES},
            {side: self.provisional[side] or other.provisional[side] for side in SIDES},
        )


@dataclass
class Aggregates:
    """Sums per cell (rows) and metric (columns), plus each branch's status; added across partitions."""

    branch_codes: tuple[str, ...]
    sums: np.ndarray  # (CELLS, len(metric_names(branch_codes))) float64
    status: dict[str, BranchStatus]
    notes: list[str] = field(default_factory=list)

    @property
    def metrics(self) -> tuple[str, ...]:
        return metric_names(self.branch_codes)

    def column(self, name: str) -> np.ndarray:
        """One metric per cell."""
        return self.sums[:, self.metrics.index(name)]

    def merge(self, other: Aggregates) -> Aggregates:
        """The sums of two disjoint parts of a population."""
        if other.branch_codes != self.branch_codes:
            raise ValueError("cannot merge aggregates of different branches")
        return Aggregates(
            self.branch_codes,
            self.sums + other.sums,
            {code: self.status[code].merge(other.status[code]) for code in self.status},
            list(dict.fromkeys([*self.notes, *other.notes])),
        )


def branch_amounts(columns: Mapping[str, np.ndarray], branch: Branch | None, count: int) -> tuple[Any, ...]:
    """(eligible, amounts for the month in float64, amount modelled, provisional, rule modelled) of a branch."""
    if branch is None:
        return np.zeros(count, dtype=bool), np.zeros(count), True, False, False
    return (
        columns[branch.eligible].astype(bool),
        month_amounts(columns, branch),
        amounts_modelled(columns, branch),
        is_provisional(columns, branch),
        rule_decided(columns, branch),
    )


def aggregate(
    branches: Mapping[str, Sequence[Branch]],
    results: Mapping[str, Mapping[str, np.ndarray]],
    weights: np.ndarray,
    cells: np.ndarray,
    groups: Mapping[str, np.ndarray],
    notes: Sequence[str] = (),
) -> Aggregates:
    """Sums per cell of one part of a population, from each side's per-person results.

    ``branches`` and ``results`` are keyed by side (``baseline``, ``reform``);
    ``groups`` gives each coverage group's members.
    """
    by_code = {side: {branch.code: branch for branch in branches[side]} for side in SIDES}
    codes = tuple(dict.fromkeys([*by_code["baseline"], *by_code["reform"]]))
    count = len(weights)
    values: list[np.ndarray] = []  # per person, summed with weights after "population" and "persons"
    status = {}
    eligible_any = {side: np.zeros(count, dtype=bool) for side in SIDES}
    total = {side: np.zeros(count) for side in SIDES}
    covered = {side: {group: np.zeros(count, dtype=bool) for group in GROUP_CODES} for side in SIDES}
    for code in codes:
        sides = {side: branch_amounts(results[side], by_code[side].get(code), count) for side in SIDES}
        branch = by_code["reform"].get(code) or by_code["baseline"][code]
        status[code] = BranchStatus(
            branch.label,
            branch.coverage_group,
            {side: code in by_code[side] for side in SIDES},
            {side: sides[side][4] for side in SIDES},
            {side: sides[side][2] for side in SIDES},
            {side: sides[side][3] for side in SIDES},
        )
        for side in SIDES:
            eligible_any[side] |= sides[side][0]
            total[side] += sides[side][1]
            group = by_code[side][code].coverage_group if code in by_code[side] else None
            if group:
                covered[side][group] |= sides[side][0]
        values += _branch_values({side: sides[side][0] for side in SIDES}, {side: sides[side][1] for side in SIDES})
    values += _branch_values(eligible_any, total)
    for group in GROUP_CODES:
        members = groups[group]
        values += [members, members & covered["baseline"][group], members & covered["reform"][group]]
    sums = np.empty((CELLS, 2 + len(values)))
    sums[:, 0] = np.bincount(cells, weights=weights, minlength=CELLS)  # population, weighted
    sums[:, 1] = np.bincount(cells, minlength=CELLS)  # persons
    for index, value in enumerate(values, start=2):
        sums[:, index] = np.bincount(cells, weights=weights * value, minlength=CELLS)
    return Aggregates(codes, sums, status, list(notes))


def _branch_values(eligible: Mapping[str, np.ndarray], amount: Mapping[str, np.ndarray]) -> list[np.ndarray]:
    change = amount["reform"] - amount["baseline"]
    return [
        eligible["baseline"],
        eligible["reform"],
        amount["baseline"],
        amount["reform"],
        change > 0,
        change < 0,
        np.maximum(change, 0),
        np.maximum(-change, 0),
    ]
