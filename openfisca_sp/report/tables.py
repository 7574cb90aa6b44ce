"""The report's tables: from a comparison's typed rows to cells the template lays out.

A missing figure reads "not modelled" when the rules do not model it, and a
dash when a ratio has no denominator (no beneficiaries, no winners): never zero.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from openfisca_sp.analysis.rows import SIDES, BranchRow, BreakdownRow, CoverageRow
from openfisca_sp.report.formatting import NONE, NOT_MODELLED, count, difference, money, points, rate, share

ALL_BENEFITS_NOTE = (
    "Beneficiaries: the persons paid at least one of the benefits whose cost is modelled on both sides, each counted "
    "once (a person paid two benefits is one beneficiary); cost: the sum of those benefits' costs."
)
PROVISIONAL_COVERAGE = (
    "provisional: a benefit that covers the group has results resting on values not verified (the rates with it)"
)
DIMENSION_TITLES = {"sex": "By sex", "age_group": "By age group", "income_decile": "By income decile"}
SEX_LABELS = {"all": "All", "male": "Male", "female": "Female"}


@dataclass(frozen=True)
class Cell:
    """One table cell: its text, an optional second line, and how it reads (number, text, not modelled)."""

    text: str
    sub: str = ""
    kind: str = "num"


@dataclass
class Table:
    """A table for the template: caption, optional header groups, headers, rows of cells and notes."""

    id: str
    caption: str
    headers: list[str]
    rows: list[list[Cell]]
    groups: list[tuple[str, int]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def cell(text: str | None, missing: str = NOT_MODELLED, sub: str = "") -> Cell:
    """A number cell; a missing value reads ``missing`` (by default "not modelled")."""
    if text is None:
        return Cell(missing, sub, "nm" if missing == NOT_MODELLED else "num")
    return Cell(text, sub)


def label_cell(text: Any) -> Cell:
    return Cell(str(text), kind="text")


def _in_order(values: Iterable[Any]) -> list[Any]:
    return list(dict.fromkeys(values))


def total_last(rows: Sequence[BranchRow]) -> list[BranchRow]:
    """The rows of the branch table, the "all benefits" row last."""
    return [row for row in rows if not row.is_total] + [row for row in rows if row.is_total]


def branches_table(rows: Sequence[BranchRow], currency: str) -> Table:
    """Beneficiaries and monthly cost per branch, baseline and reform."""
    body = [
        [
            label_cell(row.title),
            cell(count(row.baseline.beneficiaries)),
            cell(count(row.reform.beneficiaries)),
            cell(count(row.beneficiaries_change, signed=True)),
            cell(money(row.baseline.cost, currency)),
            cell(money(row.reform.cost, currency)),
            cell(money(row.cost_change, currency, signed=True)),
        ]
        for row in rows
    ]
    headers = ["Branch", "Baseline", "Reform", "Change", "Baseline", "Reform", "Change"]
    groups = [("", 1), ("Beneficiaries", 3), ("Cost per month", 3)]
    notes = [f"{row.title}: {row.note}" for row in rows if row.note]
    return Table("table-branches", "Beneficiaries and cost by branch", headers, body, groups, notes)


def _average_cell(row: BranchRow, side: str, currency: str) -> Cell:
    figures = row.sides[side]
    return cell(money(figures.average_benefit, currency), NOT_MODELLED if figures.cost is None else NONE)


def _unknown_or_none(persons: float | None) -> str:
    """What an average over ``persons`` reads when missing: not modelled where they are (it read "–", as for an
    average over no one), else "–"."""
    return NOT_MODELLED if persons is None else NONE


def outcomes_table(rows: Sequence[BranchRow], currency: str) -> Table:
    """Average benefit, winners and losers per branch."""
    body = [
        [
            label_cell(row.title),
            _average_cell(row, "baseline", currency),
            _average_cell(row, "reform", currency),
            cell(count(row.winners)),
            cell(money(row.average_gain, currency), _unknown_or_none(row.winners)),
            cell(count(row.losers)),
            cell(money(row.average_loss, currency), _unknown_or_none(row.losers)),
        ]
        for row in rows
    ]
    headers = ["Branch", "Baseline", "Reform", "Winners", "Average gain", "Losers", "Average loss"]
    groups = [("", 1), ("Average benefit", 2), ("Winners and losers", 4)]
    return Table("table-outcomes", "Average benefit, winners and losers by branch", headers, body, groups)


def _group_label(dimension: str, group: Any) -> str:
    return SEX_LABELS.get(str(group), str(group)) if dimension == "sex" else str(group)


def _people_cell(value: float | None, population: float | None) -> Cell:
    part = rate(share(value, population))
    return cell(count(value), sub=f"{part} of the group" if part else "")


def dimension_all_table(dimension: str, rows: Sequence[BreakdownRow], currency: str) -> Table:
    """All benefits together, one row per group of a dimension."""
    body = [
        [
            label_cell(_group_label(dimension, row.group)),
            cell(count(row.population)),
            cell(count(row.figures.baseline.beneficiaries)),
            cell(count(row.figures.reform.beneficiaries)),
            cell(money(row.figures.baseline.cost, currency)),
            cell(money(row.figures.reform.cost, currency)),
            cell(money(row.figures.cost_change, currency, signed=True)),
            _people_cell(row.figures.winners, row.population),
            _people_cell(row.figures.losers, row.population),
        ]
        for row in rows
        if row.figures.is_total
    ]
    headers = ["Group", "Population", "Baseline", "Reform", "Baseline", "Reform", "Change", "Winners", "Losers"]
    groups = [("", 2), ("Beneficiaries", 2), ("Cost per month", 3), ("", 2)]
    title = DIMENSION_TITLES.get(dimension, dimension).lower()
    return Table(f"table-{dimension}", f"All benefits, {title}", headers, body, groups, [ALL_BENEFITS_NOTE])


def _branch_group_cell(row: BreakdownRow | None, currency: str) -> Cell:
    if row is None:
        return Cell(NONE)
    figures = row.figures
    beneficiaries = count(figures.reform.beneficiaries)
    change = count(figures.beneficiaries_change, signed=True)
    cost = money(figures.cost_change, currency, signed=True)
    if beneficiaries is None:  # not modelled: said once, never "None (None)"; set as every "not modelled" cell is
        return Cell(NOT_MODELLED, f"cost {cost or NOT_MODELLED}", "nm")
    return Cell(f"{beneficiaries} ({change or NOT_MODELLED})", f"cost {cost or NOT_MODELLED}")


def dimension_branch_table(dimension: str, rows: Sequence[BreakdownRow], currency: str) -> Table:
    """Per branch, compactly: beneficiaries under the reform (change) and the change in cost, per group."""
    per_branch = [row for row in rows if not row.figures.is_total]
    branches = _in_order((row.figures.branch, row.figures.title) for row in per_branch)
    groups = _in_order(row.group for row in per_branch)
    index = {(row.group, row.figures.branch): row for row in per_branch}
    body = [
        [
            label_cell(_group_label(dimension, group)),
            *(_branch_group_cell(index.get((group, code)), currency) for code, _ in branches),
        ]
        for group in groups
    ]
    title = DIMENSION_TITLES.get(dimension, dimension).lower()
    caption = f"Per branch, {title}: beneficiaries under the reform (change) and change in monthly cost"
    return Table(f"table-{dimension}-branches", caption, ["Group", *(label for _, label in branches)], body)


def _either(missing: Mapping[str, str]) -> str:
    """What a change reads when it is missing: "not modelled" if either side is."""
    return NOT_MODELLED if NOT_MODELLED in missing.values() else NONE


def _coverage_cells(row: CoverageRow) -> list[Cell]:
    missing = {side: NOT_MODELLED if row.sides[side].covered is None else NONE for side in SIDES}
    return [
        label_cell(row.title),
        label_cell(SEX_LABELS.get(str(row.sex), row.sex)),
        cell(count(row.population)),
        *(cell(rate(row.sides[side].rate), missing[side], count(row.sides[side].covered) or "") for side in SIDES),
        cell(points(difference(row.reform.rate, row.baseline.rate)), _either(missing)),
    ]


def coverage_table(rows: Sequence[CoverageRow]) -> Table:
    """SDG 1.3.1 coverage per indicator and sex, baseline and reform."""
    headers = ["Indicator", "Sex", "Population", "Baseline", "Reform", "Change"]
    groups = [("", 3), ("Share covered (persons covered)", 3)]
    definitions = _in_order(f"{row.title}: {row.definition}" for row in rows if row.definition)
    notes = _in_order(f"{row.title}: {row.note}" for row in rows if row.note)
    notes += _in_order(f"{row.title}: {PROVISIONAL_COVERAGE}" for row in rows if row.provisional)
    body = [_coverage_cells(row) for row in rows]
    return Table("table-coverage", "SDG 1.3.1 coverage by sex", headers, body, groups, [*definitions, *notes])
