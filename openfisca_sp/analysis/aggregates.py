"""Weighted sums of a baseline and a reform, per cell of the population: what a comparison is built from.

Every figure of a comparison (cost, beneficiaries, winners, losers, coverage,
by sex, age group and decile) is a sum of weighted per-person values, so it is
computed per cell (``breakdowns.cell_of``) in float64 and *added* across chunks
or Dask partitions. Averages and rates are derived only at the end
(:mod:`~.tables`).

Each metric is named (``metric_names``: ``population``, ``persons``,
``old_age.baseline.cost``, ``old_age.winners``, ``coverage.older_persons.reform``…);
:func:`aggregate` computes each metric's per-person values under its name (a
branch's on the rows where either side pays or is eligible: :class:`~.group_sums.OnRows`)
and places its sums in the table's column of that name.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from openfisca_sp.analysis.branch_amounts import (
    PARTLY_PRICED_NOTE,
    UNPRICED_PARTS,
    BranchAmounts,
    Sides,
    amounts_by_branch,
    branch_amounts,
)
from openfisca_sp.analysis.breakdowns import CELLS
from openfisca_sp.analysis.coverage import GROUP_CODES, GROUPS
from openfisca_sp.analysis.group_sums import OnRows, rows_of, sums_on_rows
from openfisca_sp.analysis.rows import ALL, OUTCOMES, SIDES
from openfisca_sp.population.claims_notes import CASES, claims_note
from openfisca_sp.population.totals import (
    LUMP_SUMS_UNTOLD,
    PARTLY_PRICED,
    UNDECIDED,
)
from openfisca_sp.population.weight_sums import exact_weight, weight_count
from openfisca_sp.rules.branches import Branch

__all__ = [
    "ALL",
    "PARTLY_PRICED_NOTE",
    "SIDES",
    "Aggregates",
    "BranchAmounts",
    "BranchStatus",
    "Sides",
    "aggregate",
    "amounts_by_branch",
    "branch_amounts",
    "metric_names",
]

SIDE_FIGURES = ("beneficiaries", "cost")  # summed per side: eligible persons, amounts for the month
COUNTS = ("population", "persons")  # weighted and unweighted number of persons per cell


def side_metric(code: str, side: str, figure: str) -> str:
    """The metric of a branch's figure under one side: ``old_age.baseline.cost``."""
    return f"{code}.{side}.{figure}"


def outcome_metric(code: str, outcome: str) -> str:
    """The metric of a branch's winners, losers, gains or losses: ``old_age.winners``."""
    return f"{code}.{outcome}"


def coverage_metric(group: str, part: str) -> str:
    """The metric of a coverage group's members (``population``) or those covered under a side."""
    return f"coverage.{group}.{part}"


def _branch_metric_names(code: str) -> list[str]:
    return [
        *(side_metric(code, side, figure) for figure in SIDE_FIGURES for side in SIDES),
        *(outcome_metric(code, outcome) for outcome in OUTCOMES),
    ]


def metric_names(branch_codes: Sequence[str]) -> tuple[str, ...]:
    """The columns of a sums table, in order."""
    names = list(COUNTS)
    for code in (*branch_codes, ALL):
        names += _branch_metric_names(code)
    for group in GROUP_CODES:
        names += [coverage_metric(group, part) for part in ("population", *SIDES)]
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
    # per side, the parts of the cost not modelled and why (:data:`~.branch_amounts.UNPRICED_PARTS`)
    unpriced: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict.fromkeys(SIDES, ()))
    # whether some person's result differs between the sides, or cannot be told on one (a benefit in law the
    # baseline does not model): the change of all benefits cannot be told where it is left out of them
    differs: bool = False
    # per side, the cases some claims were decided not modelled for (:data:`~.claims_notes.CASES`' words)
    claims: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict.fromkeys(SIDES, ()))

    def counted(self, side: str) -> bool:
        """Whether beneficiaries can be counted: the rule has a source, or the law lacks the branch (none)."""
        return self.decided[side] or not self.provided[side]

    def cost_modelled(self, side: str) -> bool:
        """Whether a cost can be given: the amount is modelled, and the rule has a source or the law lacks it."""
        return self.modelled[side] and self.counted(side)

    def merge(self, other: BranchStatus) -> BranchStatus:
        return BranchStatus(
            self.label,
            self.coverage_group,
            {side: self.provided[side] or other.provided[side] for side in SIDES},
            {side: self.decided[side] or other.decided[side] for side in SIDES},
            {side: self.modelled[side] and other.modelled[side] for side in SIDES},
            {side: self.provisional[side] or other.provisional[side] for side in SIDES},
            {  # in one order, whichever part of a population says each
                side: tuple(part for part in UNPRICED_PARTS if part in {*self.unpriced[side], *other.unpriced[side]})
                for side in SIDES
            },
            self.differs or other.differs,
            {
                side: tuple(case for case in CASES.values() if case in {*self.claims[side], *other.claims[side]})
                for side in SIDES
            },
        )

    def unpriced_note(self) -> str | None:
        """What its row says of what is not modelled and why, on the sides it is not modelled on, as ``simulate``'s
        row says it: the claims decided not modelled (:func:`~openfisca_sp.population.claims_notes.claims_note`),
        the rule itself (no source at this date: :data:`~openfisca_sp.population.totals.UNDECIDED`), else the parts
        of its cost (``cost not modelled (baseline and reform): …``)."""
        undecided = tuple(side for side in SIDES if self.provided[side] and not self.decided[side])
        said = [UNDECIDED if len(undecided) == len(SIDES) else f"{UNDECIDED} ({' and '.join(undecided)})"]
        said = said if undecided else []
        by_cases: dict[tuple[str, ...], list[str]] = {}  # the claims not modelled, as simulate's row says them
        for side in SIDES:
            if self.claims[side]:
                by_cases.setdefault(self.claims[side], []).append(side)
        said = [
            claims_note(cases, () if len(sides) == len(SIDES) else sides) for cases, sides in by_cases.items()
        ] + said
        by_sides: dict[tuple[str, ...], list[str]] = {}
        for part in dict.fromkeys(part for side in SIDES for part in self.unpriced[side] if side not in undecided):
            by_sides.setdefault(tuple(side for side in SIDES if part in self.unpriced[side]), []).append(part)
        said += [f"{PARTLY_PRICED} ({' and '.join(sides)}): {'; '.join(parts)}" for sides, parts in by_sides.items()]
        return "; ".join(said) or None


@dataclass
class Aggregates:
    """Sums per cell (rows) and metric (columns), plus each branch's status; added across partitions."""

    branch_codes: tuple[str, ...]
    sums: np.ndarray  # (CELLS, len(metric_names(branch_codes))) float64
    status: dict[str, BranchStatus]
    notes: list[str] = field(default_factory=list)
    poverty: Any = None  # poverty and inequality sums (``poverty.PovertySums``; it imports this module)
    changed: bool = False  # whether any person's result differs between the sides (:mod:`~.unchanged`)
    # each side's beneficiaries of each branch (and of all) over every cell, exactly (:mod:`~openfisca_sp.population.
    # weight_sums`): the counts of the branch rows, as ``simulate``'s totals give them, to the last bit
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def metrics(self) -> tuple[str, ...]:
        return metric_names(self.branch_codes)

    def column(self, name: str) -> np.ndarray:
        """One metric per cell."""
        return self.sums[:, self.metrics.index(name)]

    def totals(self, cells: np.ndarray | None = None) -> dict[str, float]:
        """Each metric summed over the cells selected (a boolean mask; all cells by default, where the beneficiaries
        are the weights summed exactly: :attr:`counts`)."""
        sums = self.sums if cells is None else self.sums[cells]
        totals = dict(zip(self.metrics, sums.sum(axis=0).tolist(), strict=True))
        return totals if cells is not None else {**totals, **{name: weight_count(n) for name, n in self.counts.items()}}

    def merge(self, other: Aggregates) -> Aggregates:
        """The sums of two disjoint parts of a population. Each part carries its exact counts of beneficiaries
        (:attr:`counts`, as :func:`aggregate` makes them); a part without them is refused, since its cells hold
        float64 sums only, from which the exact sums cannot be made (the merged counts fell back to float sums,
        which differ from ``simulate``'s in the last bit, and nothing said so)."""
        if other.branch_codes != self.branch_codes:
            raise ValueError("cannot merge aggregates of different branches")
        expected = set(exact_count_names(self.branch_codes))
        for name, part in (("first", self), ("second", other)):
            if set(part.counts) != expected:
                lacking = sorted(expected - set(part.counts)) or sorted(set(part.counts) - expected)
                raise ValueError(
                    f"cannot merge aggregates: the {name} part does not carry the exact counts of beneficiaries "
                    f"({', '.join(lacking[:3])}{', …' if len(lacking) > 3 else ''}); make each part with aggregate()"
                )
        return Aggregates(
            self.branch_codes,
            self.sums + other.sums,
            {code: self.status[code].merge(other.status[code]) for code in self.status},
            list(dict.fromkeys([*self.notes, *other.notes])),
            self.poverty.merge(other.poverty) if self.poverty and other.poverty else self.poverty or other.poverty,
            self.changed or other.changed,
            {name: count + other.counts[name] for name, count in self.counts.items()},
        )


def aggregate(
    branches: Mapping[str, Sequence[Branch]],
    results: Mapping[str, Mapping[str, np.ndarray]],
    weights: np.ndarray,
    cells: np.ndarray,
    groups: Mapping[str, np.ndarray],
    month: str,
    amounts: Mapping[str, Sides],
    notes: Sequence[str] = (),
    differing: Collection[str] = (),
    together: Mapping[str, BranchAmounts] | None = None,
) -> Aggregates:
    """Sums per cell of one part of a population, from each side's per-person results: what is paid in
    ``month``.

    ``branches`` and ``results`` are keyed by side (``baseline``, ``reform``);
    ``groups`` gives each coverage group's members; ``amounts``, the branches' amounts
    (:func:`amounts_by_branch`, rounded to the currency's unit); ``differing``, the branches whose results
    differ between the sides or cannot be told on one (:attr:`BranchStatus.differs`); ``together``, the
    :func:`all_benefits` of ``amounts``, where already found.
    """
    by_code = {side: {branch.code: branch for branch in branches[side]} for side in SIDES}
    codes = tuple(dict.fromkeys([*by_code["baseline"], *by_code["reform"]]))
    together = all_benefits(amounts.values(), len(weights)) if together is None else together
    parts = [  # per person, by metric name: each branch's on the rows it pays
        *(branch_metrics(code, sides) for code, sides in amounts.items()),
        branch_metrics(ALL, together),
        OnRows(None, coverage_metrics(groups, _covered(by_code, amounts, len(weights)))),
    ]
    status = {code: _status(code, by_code, sides, code in differing) for code, sides in amounts.items()}
    notes = [
        *notes,
        *(
            f"{code} ({side}): {PARTLY_PRICED_NOTE}"
            for code, sides in amounts.items()
            for side in SIDES
            if sides[side].partly_priced
        ),
        *(
            f"{code} ({side}): {LUMP_SUMS_UNTOLD}"
            for code, sides in amounts.items()
            for side in SIDES
            if sides[side].lump_sums_untold
        ),
    ]
    counts = _exact_counts(codes, parts, weights)
    return Aggregates(codes, _cell_sums(metric_names(codes), parts, weights, cells), status, notes, counts=counts)


def exact_count_names(codes: Sequence[str]) -> list[str]:
    """The metrics :attr:`Aggregates.counts` holds exactly: each side's beneficiaries of each branch and of all."""
    return [side_metric(code, side, "beneficiaries") for code in (*codes, ALL) for side in SIDES]


def _exact_counts(codes: Sequence[str], parts: Sequence[OnRows], weights: np.ndarray) -> dict[str, int]:
    """Each side's beneficiaries of each branch and of all, their weights summed exactly (:func:`exact_weight`,
    over the rows the branch pays, once per array: a branch the reform leaves alone gives the baseline's)."""
    wanted = set(exact_count_names(codes))
    exact: dict[int, int] = {}
    counts = {}
    for part in parts:
        for name, eligible in part.values.items():
            if name in wanted:
                if id(eligible) not in exact:
                    exact[id(eligible)] = exact_weight(part.of(weights), eligible)
                counts[name] = exact[id(eligible)]
    return {name: counts[name] for name in exact_count_names(codes)}


def branch_metrics(code: str, sides: Sides) -> OnRows:
    """A branch's per-person values, by metric: eligible and amounts per side, winners, losers, gains, losses; on
    the rows where a side pays or is eligible (every figure is 0 on the others)."""
    chosen = list({id(sides[side]): sides[side] for side in SIDES}.values())  # once where the sides are one
    rows = rows_of([array for amounts in chosen for array in (amounts.eligible, amounts.amounts)])
    taken = {id(amounts): (amounts.eligible[rows], amounts.amounts[rows]) for amounts in chosen}
    values = {side_metric(code, side, "beneficiaries"): taken[id(sides[side])][0] for side in SIDES}
    values.update({side_metric(code, side, "cost"): taken[id(sides[side])][1] for side in SIDES})
    if len(chosen) == 1:  # the very same amounts: nobody wins or loses
        nobody, nothing = np.zeros(len(rows), dtype=bool), np.zeros(len(rows))
        outcomes = {"winners": nobody, "losers": nobody, "gains": nothing, "losses": nothing}
    else:
        change = taken[id(sides["reform"])][1] - taken[id(sides["baseline"])][1]
        outcomes = {
            "winners": change > 0,
            "losers": change < 0,
            "gains": np.maximum(change, 0),
            "losses": np.maximum(-change, 0),
        }
    values.update({outcome_metric(code, outcome): value for outcome, value in outcomes.items()})
    return OnRows(rows, values)


def all_benefits(branches: Iterable[Sides], count: int) -> dict[str, BranchAmounts]:
    """Every benefit whose cost is modelled on both sides (as its own row says), together, per side: eligible
    for any of them, and their amounts (a branch whose cost is not modelled would count its beneficiaries
    without their cost, and its gains as nothing)."""
    eligible = {side: np.zeros(count, dtype=bool) for side in SIDES}
    total = {side: np.zeros(count) for side in SIDES}
    for sides in branches:
        if not all(sides[side].cost_modelled for side in SIDES):
            continue
        for side in SIDES:
            eligible[side] |= sides[side].eligible
            total[side] += sides[side].amounts
    return {side: BranchAmounts(eligible[side], total[side]) for side in SIDES}


def coverage_metrics(
    groups: Mapping[str, np.ndarray], covered: Mapping[str, Mapping[str, np.ndarray]]
) -> dict[str, np.ndarray]:
    """Each coverage group's members, and those covered under each side, by metric."""
    values = {}
    for group in GROUP_CODES:
        members = groups[group]
        values[coverage_metric(group, "population")] = members
        values.update({coverage_metric(group, side): members & covered[side][group] for side in SIDES})
    return values


def _covered(
    by_code: Mapping[str, Mapping[str, Branch]], amounts: Mapping[str, Sides], count: int
) -> dict[str, dict[str, np.ndarray]]:
    """Per side and coverage group: who a branch of that group pays its periodical benefit in the month (a
    pension; a lump sum alone covers nobody: :mod:`~.coverage`), or grants, for the groups counted by their
    claims."""
    granted_groups = {group.code for group in GROUPS if group.granted}
    covered = {side: {group: np.zeros(count, dtype=bool) for group in GROUP_CODES} for side in SIDES}
    for code, sides in amounts.items():
        for side in SIDES:
            branch = by_code[side].get(code)
            if branch is not None and branch.coverage_group:
                chosen = sides[side]
                by_claim = branch.coverage_group in granted_groups and chosen.granted is not None
                covered[side][branch.coverage_group] |= chosen.granted if by_claim else chosen.periodically
    return covered


def _status(code: str, by_code: Mapping[str, Mapping[str, Branch]], sides: Sides, differs: bool) -> BranchStatus:
    branch = by_code["reform"].get(code) or by_code["baseline"][code]
    return BranchStatus(
        branch.label,
        branch.coverage_group,
        provided={side: sides[side].provided for side in SIDES},  # a branch in law not modelled too
        decided={side: sides[side].rule_modelled for side in SIDES},
        modelled={side: sides[side].amount_modelled for side in SIDES},
        provisional={side: sides[side].provisional for side in SIDES},
        unpriced={side: sides[side].unpriced for side in SIDES},
        differs=differs,
        claims={side: sides[side].claims_not_modelled for side in SIDES},
    )


def _cell_sums(names: Sequence[str], parts: Sequence[OnRows], weights: np.ndarray, cells: np.ndarray) -> np.ndarray:
    """The sums table: per cell, the population (weighted), persons, and each metric's weighted sum, by name."""
    expected = [name for name in names if name not in COUNTS]
    given = [name for part in parts for name in part.values]
    if sorted(expected) != sorted(given):
        raise ValueError(f"metrics computed do not match the table's: {sorted(set(expected) ^ set(given))}")
    columns = {
        "population": np.bincount(cells, weights=weights, minlength=CELLS),
        "persons": np.bincount(cells, minlength=CELLS),
        **sums_on_rows(parts, weights, cells, CELLS),
    }
    sums = np.empty((CELLS, len(names)))
    for index, name in enumerate(names):
        sums[:, index] = columns[name]
    return sums
