"""Compare a reform with the baseline over a population: cost, beneficiaries, winners, losers, coverage.

Per branch and for all benefits together: the weighted number of
beneficiaries, the amounts payable for the month (periodical benefits and lump
sums), the average benefit, winners and losers; the same broken down by sex, age
group and income decile; and the SDG 1.3.1 coverage of older persons, mothers
of newborns, the unemployed and persons with severe disabilities, by sex. All
sums are float64 over survey weights. A branch whose amount the rules do not
model reports its beneficiaries but no cost ("not modelled"), never a guess.
"""

from __future__ import annotations

import datetime
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from openfisca_sp.analysis import breakdowns, coverage
from openfisca_sp.analysis.aggregates import ALL, SIDES, Aggregates, aggregate
from openfisca_sp.analysis.survey import COLUMNS as SURVEY_COLUMNS
from openfisca_sp.analysis.survey import income_column, survey_arrays
from openfisca_sp.population.chunks import DEFAULT_CHUNK, Progress, iterate_chunks
from openfisca_sp.population.engine import read_population, resolve_system
from openfisca_sp.population.inputs import PopulationInputs
from openfisca_sp.population.reading import source_label
from openfisca_sp.population.results import branches_of, outputs_of
from openfisca_sp.reforms import load_reform
from openfisca_sp.rules.version import rules_version

ANALYSIS_OUTPUTS = ("age", "old_age_pensionable_age_reached")  # read from the baseline for groups


@dataclass
class ComparisonPlan:
    """What a comparison runs: both systems, their branches and outputs, and the columns it reads."""

    month: str
    systems: dict[str, Any]
    branches: dict[str, tuple]
    outputs: dict[str, tuple[str, ...]]

    @property
    def extra_columns(self) -> tuple[str, ...]:
        return (*SURVEY_COLUMNS, income_column(self.month))


def plan_comparison(month: str, reform: Any, baseline: Any = None) -> ComparisonPlan:
    """Build the baseline and reform systems and list what each must compute."""
    baseline_system = resolve_system(baseline)
    reform_system = load_reform(reform, baseline_system)
    systems = {"baseline": baseline_system, "reform": reform_system}
    branches = {side: branches_of(system) for side, system in systems.items()}
    outputs = {side: outputs_of(systems[side], branches[side]) for side in SIDES}
    outputs["baseline"] = (*outputs["baseline"], *ANALYSIS_OUTPUTS)
    return ComparisonPlan(month, systems, branches, outputs)


def household_incomes(inputs: PopulationInputs, survey: Mapping[str, np.ndarray]) -> np.ndarray:
    """Each person's household income per person (what deciles rank)."""
    return breakdowns.household_income_per_person(survey["income"], inputs.household_of)


def aggregate_partition(
    plan: ComparisonPlan,
    inputs: PopulationInputs,
    survey: Mapping[str, np.ndarray],
    cut_points: np.ndarray,
    notes: list[str],
    chunk_persons: int = DEFAULT_CHUNK,
    progress: Callable[[int], None] | None = None,
) -> Aggregates:
    """The comparison's sums over one population (or one partition of it), chunk by chunk."""
    decile = breakdowns.decile_of(household_incomes(inputs, survey), cut_points)
    total: Aggregates | None = None
    outputs = [plan.outputs[side] for side in SIDES]
    systems = [plan.systems[side] for side in SIDES]
    for rows, (baseline, reform) in iterate_chunks(systems, inputs, plan.month, outputs, chunk_persons):
        part_survey = {name: values[rows] for name, values in survey.items()}
        cells = breakdowns.cell_of(part_survey["female"], baseline["age"], decile[rows])
        groups, group_notes = coverage.memberships(part_survey, baseline)
        part = aggregate(
            plan.branches,
            {"baseline": baseline, "reform": reform},
            inputs.weights[rows],
            cells,
            groups,
            [*notes, *group_notes],
        )
        total = part if total is None else total.merge(part)
        if progress is not None:
            progress(rows.stop - rows.start)
    return total


@dataclass
class Comparison:
    """A reform compared with the baseline: tables, figures and what they rest on."""

    aggregates: Aggregates
    meta: dict[str, Any]
    tables: dict[str, pd.DataFrame] = field(init=False)

    def __post_init__(self) -> None:
        self.tables = {
            "branches": branch_table(self.aggregates),
            **{dimension.name: breakdown_table(self.aggregates, dimension) for dimension in breakdowns.DIMENSIONS},
            "coverage": coverage_table(self.aggregates),
        }

    @property
    def branches(self) -> pd.DataFrame:
        return self.tables["branches"]

    @property
    def coverage(self) -> pd.DataFrame:
        return self.tables["coverage"]

    def breakdown(self, dimension: str) -> pd.DataFrame:
        return self.tables[dimension]

    def to_dict(self) -> dict[str, Any]:
        """Everything as plain JSON-ready data (``None`` where a figure is not modelled)."""
        return {
            "meta": self.meta,
            "branches": _records(self.branches),
            "breakdowns": {
                dimension.name: _records(self.tables[dimension.name]) for dimension in breakdowns.DIMENSIONS
            },
            "coverage": _records(self.coverage),
        }


def _records(table: pd.DataFrame) -> list[dict[str, Any]]:
    records = table.astype(object).where(table.notna(), None).to_dict(orient="records")
    return [
        {key: (value.item() if isinstance(value, np.generic) else value) for key, value in row.items()}
        for row in records
    ]


def _ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


def _branch_row(sums: Mapping[str, float], code: str, label: str, status: Any | None) -> dict[str, Any]:
    modelled = {side: status is None or status.cost_modelled(side) for side in SIDES}
    row: dict[str, Any] = {"branch": code, "label": label}
    for side in SIDES:
        beneficiaries = sums[f"{code}.{side}.beneficiaries"]
        cost = sums[f"{code}.{side}.cost"] if modelled[side] else None
        row[f"{side}_beneficiaries"] = beneficiaries
        row[f"{side}_cost"] = cost
        row[f"{side}_average_benefit"] = _ratio(cost, beneficiaries) if cost is not None else None
    row["beneficiaries_change"] = row["reform_beneficiaries"] - row["baseline_beneficiaries"]
    both = row["baseline_cost"] is not None and row["reform_cost"] is not None
    row["cost_change"] = row["reform_cost"] - row["baseline_cost"] if both else None
    for metric in ("winners", "losers", "gains", "losses"):
        row[metric] = sums[f"{code}.{metric}"]
    row["average_gain"] = _ratio(row["gains"], row["winners"])
    row["average_loss"] = _ratio(row["losses"], row["losers"])
    row["amount_modelled_baseline"], row["amount_modelled_reform"] = modelled["baseline"], modelled["reform"]
    if status is not None:
        row["provided_baseline"], row["provided_reform"] = status.provided["baseline"], status.provided["reform"]
        row["provisional"] = status.provisional["baseline"] or status.provisional["reform"]
    else:
        row["provided_baseline"] = row["provided_reform"] = True
        row["provisional"] = None
    return row


def _sums(aggregates: Aggregates, rows: np.ndarray | None = None) -> dict[str, float]:
    totals = aggregates.sums.sum(axis=0) if rows is None else aggregates.sums[rows].sum(axis=0)
    return dict(zip(aggregates.metrics, totals.tolist(), strict=True))


def branch_table(aggregates: Aggregates) -> pd.DataFrame:
    """One row per branch and one for all benefits: beneficiaries, cost, average, winners, losers."""
    sums = _sums(aggregates)
    rows = [_branch_row(sums, code, status.label, status) for code, status in aggregates.status.items()]
    every = _branch_row(sums, ALL, "All benefits", None)
    unmodelled = [row["branch"] for row in rows if row["baseline_cost"] is None or row["reform_cost"] is None]
    every["provisional"] = any(row["provisional"] for row in rows)
    if unmodelled:  # the total leaves out amounts the rules do not model
        every["note"] = f"costs exclude branches whose amount is not modelled: {', '.join(unmodelled)}"
    rows.append(every)
    return pd.DataFrame(rows)


def breakdown_table(aggregates: Aggregates, dimension: breakdowns.Dimension) -> pd.DataFrame:
    """Per group of a dimension and branch (and all benefits): population, costs, beneficiaries, winners, losers."""
    group_of = breakdowns.group_of_cells(dimension)
    rows = []
    for index, group in enumerate(dimension.groups):
        sums = _sums(aggregates, group_of == index)
        for code, label, status in [
            *((code, status.label, status) for code, status in aggregates.status.items()),
            (ALL, "All benefits", None),
        ]:
            row = {"group": group, "population": sums["population"], "persons": int(sums["persons"])}
            row.update(_branch_row(sums, code, label, status))
            rows.append(row)
    return pd.DataFrame(rows)


def coverage_table(aggregates: Aggregates) -> pd.DataFrame:
    """SDG 1.3.1 coverage per group, for everyone and by sex, under baseline and reform."""
    sex = breakdowns.group_of_cells(breakdowns.DIMENSIONS[0])
    rows = []
    for group in coverage.GROUPS:
        decided = {
            side: any(s.decided[side] for s in aggregates.status.values() if s.coverage_group == group.code)
            for side in SIDES
        }
        sexes = [("all", None), *((name, sex == index) for index, name in enumerate(breakdowns.SEXES))]
        if group.code == "mothers_of_newborns":
            sexes = [item for item in sexes if item[0] != "male"]
        for sex_label, cells in sexes:
            sums = _sums(aggregates, cells)
            population = sums[f"coverage.{group.code}.population"]
            row = {"indicator": group.code, "label": group.label, "sex": sex_label, "population": population}
            for side in SIDES:
                covered = sums[f"coverage.{group.code}.{side}"] if decided[side] else None
                row[f"{side}_covered"] = covered
                row[f"{side}_rate"] = _ratio(covered, population) if covered is not None else None
            row["definition"] = group.definition
            if not all(decided.values()):
                row["note"] = "not modelled: no rule of this branch has a source at this date"
            rows.append(row)
    return pd.DataFrame(rows)


def describe_reform(reform: Any) -> dict[str, Any]:
    """A reform's name, label, description and references, for the report."""
    definition = getattr(reform, "definition", None)
    references = getattr(definition, "reference", None) or getattr(type(reform), "references", ())
    return {
        "name": type(reform).__name__,
        "label": getattr(reform, "name", None) or type(reform).__name__,
        "description": getattr(definition, "description", None) or inspect.cleandoc(type(reform).__doc__ or ""),
        "references": [dict(item) for item in references],
    }


def comparison_meta(
    plan: ComparisonPlan, persons: int, households: int, notes: list[str], source: str | None
) -> dict[str, Any]:
    """What a comparison rests on: rules version, jurisdiction, month, reform, population, assumptions."""
    return {
        "rules": rules_version(plan.systems["baseline"], plan.month),
        "jurisdiction": plan.systems["baseline"].jurisdiction.code,
        "jurisdiction_label": plan.systems["baseline"].jurisdiction.label,
        "currency": plan.systems["baseline"].jurisdiction.currency,
        "month": plan.month,
        "reform": describe_reform(plan.systems["reform"]),
        "persons": persons,
        "households": households,
        "source": source,
        "notes": notes,
        "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    }


def compare(
    population: Any,
    month: str,
    reform: Any,
    baseline: Any = None,
    *,
    assume: Mapping[str, Any] | None = None,
    chunk_persons: int = DEFAULT_CHUNK,
    progress: Progress | None = None,
) -> Comparison:
    """Compare ``reform`` (a shipped name, a YAML file, a Reform class) with ``baseline`` over ``population``.

    ``baseline`` is a jurisdiction code or a tax-benefit system (default: the
    default jurisdiction). ``population`` is read as by :func:`openfisca_sp.population.simulate`.
    """
    comparison_plan = plan_comparison(month, reform, baseline)
    systems = [comparison_plan.systems[side] for side in SIDES]
    outputs = [comparison_plan.outputs[side] for side in SIDES]
    inputs, analysis = read_population(population, systems, month, outputs, assume, comparison_plan.extra_columns)
    survey, notes = survey_arrays(analysis, month)
    notes = [*inputs.assumptions, *notes]
    cut_points = breakdowns.decile_cut_points(household_incomes(inputs, survey), inputs.weights)
    done = [0]

    def advance(persons: int) -> None:
        done[0] += persons
        if progress is not None:
            progress(done[0], inputs.count)

    aggregates = aggregate_partition(comparison_plan, inputs, survey, cut_points, notes, chunk_persons, advance)
    meta = comparison_meta(
        comparison_plan, inputs.count, len(inputs.household_ids), aggregates.notes, source_label(population)
    )
    return Comparison(aggregates, meta)
