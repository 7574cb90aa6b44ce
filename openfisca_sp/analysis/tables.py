"""A comparison's tables, derived from its sums: per branch, per group of each breakdown, and SDG 1.3.1 coverage.

Each builder gives typed rows (:mod:`~.rows`) and a DataFrame of their flat
records. Averages and rates are taken here, from sums over the cells of a row;
a cost (or coverage) whose amount (or rule) is not modelled is ``None`` in a row, NaN in its table
(:func:`~openfisca_sp.population.figure_tables.figure_table`), as an average of no one is.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from openfisca_sp.analysis import breakdowns, coverage
from openfisca_sp.analysis.aggregates import Aggregates, BranchStatus, coverage_metric, outcome_metric, side_metric
from openfisca_sp.analysis.poverty import added_benefits_note
from openfisca_sp.analysis.rows import (
    ALL,
    ALL_LABEL,
    BOTH_SEXES,
    OUTCOMES,
    SIDES,
    BranchRow,
    BreakdownRow,
    CoverageRow,
    CoverageSide,
    SideFigures,
)
from openfisca_sp.population.figure_tables import figure_table
from openfisca_sp.population.totals import UNDECIDED, money_figures, written_money

Totals = Mapping[str, float]  # each metric summed over some cells
MONEY_OUTCOMES = {"gains": "winners", "losses": "losers"}  # the outcomes that are sums of money, and whose


def _ratio(numerator: float | None, denominator: float) -> float | None:
    return numerator / denominator if numerator is not None and denominator else None


def _difference(new: float | None, old: float | None) -> float | None:
    return new - old if new is not None and old is not None else None


def _side_figures(
    totals: Totals, code: str, side: str, counted: bool, modelled: bool, decimals: int | None
) -> SideFigures:
    """A side's beneficiaries, cost and average benefit (:func:`~openfisca_sp.population.totals.money_figures`, as
    ``simulate``'s totals give them)."""
    beneficiaries = totals[side_metric(code, side, "beneficiaries")] if counted else None
    cost = totals[side_metric(code, side, "cost")] if modelled else None
    return SideFigures(beneficiaries, *money_figures(cost, beneficiaries, decimals))


def branch_row(
    totals: Totals,
    code: str,
    label: str,
    status: BranchStatus | None,
    decimals: int | None = None,
    changes_told: bool = True,
) -> BranchRow:
    """A branch's row (all benefits if ``status`` is ``None``) from the totals of some cells; beneficiaries of a
    rule with no source are not modelled (``None``), never 0. Its costs, gains and losses are rounded to
    ``decimals`` (the currency's), and the cost change is the difference of the costs rounded so (5,311.10, not
    5,311.0999999999985); averages are the means of the amounts, from the sums as summed (``money_figures``,
    :mod:`openfisca_sp.population.totals`). With ``changes_told`` False (all benefits, leaving out a
    branch the reform changes: :func:`changes_left_out`), each side's figures stand and every change, winners and
    losers are not modelled."""
    counted = {side: status is None or status.counted(side) for side in SIDES}
    modelled = {side: status is None or status.cost_modelled(side) for side in SIDES}
    sides = {side: _side_figures(totals, code, side, counted[side], modelled[side], decimals) for side in SIDES}
    # winners and losers of amounts not modelled are not known, not zero
    compared = all(modelled.values()) and changes_told
    outcomes = {outcome: totals[outcome_metric(code, outcome)] if compared else None for outcome in OUTCOMES}
    averages = {}  # the mean gain of the winners, the mean loss of the losers, as an average benefit is taken
    for name, persons in MONEY_OUTCOMES.items():
        outcomes[name], averages[name] = money_figures(outcomes[name], outcomes[persons], decimals)
    changes = {  # reform minus baseline, per side's figure, where told
        figure: _difference(getattr(sides["reform"], figure), getattr(sides["baseline"], figure))
        if changes_told
        else None
        for figure in ("beneficiaries", "cost")
    }
    return BranchRow(
        branch=code,
        label=label,
        sides=sides,
        beneficiaries_change=changes["beneficiaries"],
        cost_change=written_money(changes["cost"], decimals),
        **outcomes,
        average_gain=averages["gains"],
        average_loss=averages["losses"],
        amount_modelled=modelled,
        provided=dict(status.provided) if status is not None else dict.fromkeys(SIDES, True),
        provisional=any(status.provisional.values()) if status is not None else None,
    )


def covered_branches(aggregates: Aggregates) -> list[str]:
    """The branches the "all benefits" row covers: those whose cost is modelled on both sides."""
    return [code for code, status in aggregates.status.items() if all(status.cost_modelled(side) for side in SIDES)]


def all_provisional(aggregates: Aggregates) -> bool | None:
    """Whether the "all benefits" row rests on unverified law: some branch it covers does, on either side (None
    where it covers none)."""
    covered = covered_branches(aggregates)
    return any(any(aggregates.status[code].provisional.values()) for code in covered) if covered else None


def added_benefits(aggregates: Aggregates) -> str | None:
    """What poverty's series after benefits add, and why one adds none (:func:`~.poverty.added_benefits_note`):
    the branches "all benefits" covers, those it leaves out, and the sides that pay none of those covered."""
    covered = covered_branches(aggregates)
    totals = aggregates.totals()
    unpaid = [side for side in SIDES if covered and not totals[side_metric(ALL, side, "cost")]]
    return added_benefits_note(covered, [code for code in aggregates.status if code not in covered], unpaid)


def _all_status(aggregates: Aggregates) -> BranchStatus | None:
    """The "all benefits" row's status: None (its sums stand) when it covers a branch, else not modelled on
    either side (a sum over no branch is not a cost of 0)."""
    if covered_branches(aggregates):
        return None
    nothing = dict.fromkeys(SIDES, False)
    return BranchStatus(ALL_LABEL, None, dict.fromkeys(SIDES, True), dict(nothing), dict(nothing), dict(nothing))


def changes_left_out(aggregates: Aggregates) -> list[str]:
    """The branches "all benefits" leaves out (cost not modelled on a side) in which some person's result differs
    between the sides or cannot be told on one: the change of all benefits, its winners and losers cannot be told
    (a sum over the branches covered would read 0 for a reform that changes only those left out). Empty where no
    branch is covered: the row is not modelled anyway."""
    covered = covered_branches(aggregates)
    if not covered:
        return []
    return [code for code, status in aggregates.status.items() if code not in covered and status.differs]


def _branches_and_all(aggregates: Aggregates) -> list[tuple[str, str, BranchStatus | None, bool]]:
    """(code, label, status, whether its changes are told) of each branch, then of all benefits together."""
    every = (ALL, ALL_LABEL, _all_status(aggregates), not changes_left_out(aggregates))
    return [*((code, status.label, status, True) for code, status in aggregates.status.items()), every]


def all_benefits_note(covered: Sequence[str], unmodelled: Sequence[str], changed: Sequence[str] = ()) -> str:
    """What the "all benefits" row counts, said in its note: the persons paid at least one of the branches whose
    cost is modelled on both sides, each once (a person paid an old-age pension and a disability allowance is one
    beneficiary, where the branch rows count them in both), and the sum of those branches' costs; the branches
    left out; and, where the reform changes some of those (``changed``), that its changes are not modelled."""
    if not covered:
        return f"not modelled: no branch's cost is modelled on both sides ({', '.join(unmodelled)})"
    note = (
        f"beneficiaries: the persons paid at least one of {', '.join(covered)} (cost modelled on both sides), each "
        "counted once, so fewer than the branch rows add up to where a person is paid by two; cost: the sum of "
        "their costs"
    )
    note += f"; left out, not modelled: {', '.join(unmodelled)}" if unmodelled else ""
    if changed:
        note += (
            f"; change, winners and losers not modelled: the results of {', '.join(changed)}, left out, differ "
            "between the sides (or cannot be told on one), so the change of all benefits cannot be told, never 0"
        )
    return note


def branch_rows(aggregates: Aggregates, decimals: int | None = None) -> list[BranchRow]:
    """One row per branch and one for all benefits, last: the persons paid at least one of the branches whose cost
    is modelled on both sides and the sum of their costs, said so in its note (not modelled when there is none);
    money to ``decimals``."""
    totals = aggregates.totals()
    rows = [
        dataclasses.replace(branch_row(totals, code, status.label, status, decimals), note=status.unpriced_note())
        for code, status in aggregates.status.items()
    ]
    covered = covered_branches(aggregates)
    changed = changes_left_out(aggregates)
    note = all_benefits_note(covered, [row.branch for row in rows if row.branch not in covered], changed)
    every = dataclasses.replace(
        branch_row(totals, ALL, ALL_LABEL, _all_status(aggregates), decimals, not changed),
        provisional=all_provisional(aggregates),
        note=note,
    )
    return [*rows, every]


def branch_table(aggregates: Aggregates, decimals: int | None = None) -> pd.DataFrame:
    """One row per branch and one for all benefits: beneficiaries, cost, average, winners, losers (money to
    ``decimals``)."""
    return figure_table([row.to_record() for row in branch_rows(aggregates, decimals)])


def breakdown_rows(
    aggregates: Aggregates, dimension: breakdowns.Dimension, decimals: int | None = None
) -> list[BreakdownRow]:
    """Per group of a dimension, one row per branch and one for all benefits (money to ``decimals``)."""
    group_of = breakdowns.group_of_cells(dimension)
    rows = []
    for index, group in enumerate(dimension.groups):
        totals = aggregates.totals(group_of == index)
        rows += [
            BreakdownRow(
                group,
                totals["population"],
                int(totals["persons"]),
                _with_provisional(branch_row(totals, code, label, status, decimals, told), code, aggregates),
            )
            for code, label, status, told in _branches_and_all(aggregates)
        ]
    return rows


def _with_provisional(row: BranchRow, code: str, aggregates: Aggregates) -> BranchRow:
    """A group's row, its "all benefits" row provisional as the comparison's is (it said None: no status)."""
    return dataclasses.replace(row, provisional=all_provisional(aggregates)) if code == ALL else row


def breakdown_table(
    aggregates: Aggregates, dimension: breakdowns.Dimension, decimals: int | None = None
) -> pd.DataFrame:
    """Per group of a dimension and branch (and all benefits): population, costs, beneficiaries, winners, losers
    (money to ``decimals``)."""
    return figure_table([row.to_record() for row in breakdown_rows(aggregates, dimension, decimals)])


def _decided(aggregates: Aggregates, group: str) -> dict[str, bool]:
    """Per side, whether a rule of the group's branches has a source (else its coverage is not modelled)."""
    statuses = [status for status in aggregates.status.values() if status.coverage_group == group]
    return {side: any(status.decided[side] for status in statuses) for side in SIDES}


def coverage_provisional(aggregates: Aggregates, group: str) -> bool:
    """Whether a group's coverage rests on unverified law: some branch of the group (the benefits that cover it),
    on a side whose coverage is given (its rule has a source), has a result resting on an unverified value, as the
    branch's own row says (``provisional``)."""
    decided = _decided(aggregates, group)
    statuses = [status for status in aggregates.status.values() if status.coverage_group == group]
    return any(status.provisional[side] for status in statuses for side in SIDES if decided[side])


def _sexes(group: coverage.CoverageGroup) -> list[tuple[str, np.ndarray | None]]:
    """The rows of a group: both sexes (all cells), then each sex (its cells); no men among mothers."""
    sex_of = breakdowns.group_of_cells(breakdowns.DIMENSIONS[0])
    sexes = [(BOTH_SEXES, None), *((name, sex_of == index) for index, name in enumerate(breakdowns.SEXES))]
    return [item for item in sexes if not (group.code == "mothers_of_newborns" and item[0] == "male")]


def coverage_row(
    totals: Totals, group: coverage.CoverageGroup, sex: str, decided: Mapping[str, bool], provisional: bool = False
) -> CoverageRow:
    """A group's coverage under each side, from the totals of the cells of one sex (or both); ``provisional``:
    :func:`coverage_provisional`."""
    population = totals[coverage_metric(group.code, "population")]
    sides = {}
    for side in SIDES:
        covered = totals[coverage_metric(group.code, side)] if decided[side] else None
        sides[side] = CoverageSide(covered, _ratio(covered, population))
    note = None if all(decided.values()) else UNDECIDED
    return CoverageRow(group.code, group.label, sex, population, sides, group.definition, note, provisional)


def coverage_rows(aggregates: Aggregates) -> list[CoverageRow]:
    """SDG 1.3.1 coverage per group, for everyone and by sex."""
    return [
        coverage_row(
            aggregates.totals(cells),
            group,
            sex,
            _decided(aggregates, group.code),
            coverage_provisional(aggregates, group.code),
        )
        for group in coverage.GROUPS
        for sex, cells in _sexes(group)
    ]


def coverage_table(aggregates: Aggregates) -> pd.DataFrame:
    """SDG 1.3.1 coverage per group, for everyone and by sex, under baseline and reform."""
    return figure_table([row.to_record() for row in coverage_rows(aggregates)])
