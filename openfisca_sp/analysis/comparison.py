"""Compare a reform with the baseline over a population: cost, beneficiaries, winners, losers, coverage.

Per branch and for all benefits together: the weighted number of
beneficiaries, the amounts payable for the month (periodical benefits and lump
sums), the average benefit, winners and losers; the same broken down by sex, age
group and income decile; and the SDG 1.3.1 coverage of older persons, mothers
of newborns, the unemployed and persons with severe disabilities, by sex. All
sums are float64 over survey weights (:mod:`~.aggregates`), from which the
tables are derived (:mod:`~.tables`). A branch whose amount the rules do not
model reports its beneficiaries but no cost ("not modelled"), never a guess.
"""

from __future__ import annotations

import datetime
import functools
import inspect
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from openfisca_sp.analysis import breakdowns, coverage, poverty
from openfisca_sp.analysis.aggregates import (
    SIDES,
    Aggregates,
    BranchAmounts,
    aggregate,
    all_benefits,
    amounts_by_branch,
)
from openfisca_sp.analysis.in_law import in_law_notes, in_law_unmodelled
from openfisca_sp.analysis.rows import is_count
from openfisca_sp.analysis.survey import COLUMNS as SURVEY_COLUMNS
from openfisca_sp.analysis.survey import income_column, survey_arrays
from openfisca_sp.analysis.tables import (
    added_benefits,
    all_provisional,
    branch_table,
    breakdown_table,
    coverage_table,
)
from openfisca_sp.analysis.unchanged import differing_branches, unchanged_notes
from openfisca_sp.population.chunks import DEFAULT_CHUNK, Progress, iterate_chunks
from openfisca_sp.population.engine import read_population, resolve_system, system_for
from openfisca_sp.population.inputs import PopulationInputs, numbered_from_first
from openfisca_sp.population.months import Month, check_run
from openfisca_sp.population.outputs import branches_of, outputs_of
from openfisca_sp.population.reading import source_label
from openfisca_sp.reforms import load_reform
from openfisca_sp.rules import jurisdictions
from openfisca_sp.rules.parametric_reforms import earliest_change
from openfisca_sp.rules.version import rules_version
from openfisca_sp.rules.wording import count_value

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
        return analysis_columns(self.month)

    @property
    def in_law(self) -> frozenset[str]:
        """The reform's branches the law in force provides and the baseline does not model (not modelled there,
        never 0: :mod:`~openfisca_sp.analysis.in_law`)."""
        return frozenset(in_law_unmodelled(self.branches, self.systems["reform"], self.month))

    @property
    def decimals(self) -> int:
        """The decimals of the jurisdiction's currency (a reform pays in its baseline's), as payments are rounded."""
        return self.systems["baseline"].jurisdiction.amount_decimals


def analysis_columns(month: str) -> tuple[str, ...]:
    """The columns a comparison reads beside the rules' (groups, coverage, income) in ``month``."""
    return (*SURVEY_COLUMNS, income_column(month))


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
    claims_on_events: bool = True,
) -> Aggregates:
    """The comparison's sums over one population (or one partition of it), chunk by chunk (each claim on its
    event's day, or with ``claims_on_events`` False on the first day of the month, which a note then says)."""
    notes = notes if claims_on_events else [*notes, first_day_note(plan.month)]
    decile = breakdowns.decile_of(household_incomes(inputs, survey), cut_points)
    lines = poverty.poverty_lines(plan.systems["baseline"], plan.month)
    unverified_lines = bool(lines) and poverty.lines_unverified(plan.systems["baseline"], plan.month)
    reform_lines = poverty.poverty_lines(plan.systems["reform"], plan.month)
    if reform_lines != lines:  # a measure of poverty, not a benefit: one line on both sides, and said
        notes = [*notes, poverty.reform_lines_note(lines, reform_lines)]
    notes = [*notes, *in_law_notes(plan.branches, plan.systems["reform"], plan.month)]  # a benefit in law, unmodelled
    in_law = plan.in_law
    total: Aggregates | None = None
    differing: frozenset[str] = frozenset()  # branches some person's result differs in: not compared again
    outputs = [plan.outputs[side] for side in SIDES]
    systems = [plan.systems[side] for side in SIDES]
    chunks = iterate_chunks(systems, inputs, plan.month, outputs, chunk_persons, claims_on_events)
    for rows, (baseline, reform) in chunks:
        part_survey = {name: values[rows] for name, values in survey.items()}
        cells = breakdowns.cell_of(part_survey["female"], baseline["age"], decile[rows])
        groups, group_notes = coverage.memberships(part_survey, baseline)
        results = {"baseline": baseline, "reform": reform}
        amounts = amounts_by_branch(plan.branches, results, rows.stop - rows.start, plan.month, plan.decimals, in_law)
        differing = differing_branches(plan.branches, results, amounts, differing)
        together = all_benefits(amounts.values(), rows.stop - rows.start)  # the "all benefits" row's, and poverty's
        part = aggregate(
            plan.branches,
            results,
            inputs.weights[rows],
            cells,
            groups,
            plan.month,
            amounts,
            [*notes, *group_notes],
            differing | in_law,  # a benefit in law the baseline does not model: whether it changes is not known
            together,
        )
        part.changed = bool(differing)
        part.poverty, poverty_notes = poverty_partition(inputs, rows, part_survey, baseline, lines, together, cells)
        if part.poverty is not None:
            part.poverty.lines_unverified = unverified_lines
        part.notes = list(dict.fromkeys([*part.notes, *poverty_notes]))
        total = part if total is None else total.merge(part)
        if progress is not None:
            progress(rows.stop - rows.start)
    return total


def poverty_partition(
    inputs: PopulationInputs,
    rows: slice,
    survey: Mapping[str, np.ndarray],
    baseline: Mapping[str, np.ndarray],
    lines: Mapping[str, float],
    together: Mapping[str, BranchAmounts],
    cells: np.ndarray | None = None,
) -> tuple[poverty.PovertySums | None, list[str]]:
    """The poverty and inequality sums of one chunk of whole households (:mod:`~.poverty`); ``together``, every
    benefit of the chunk whose cost is modelled on both sides, per side (:func:`~.aggregates.all_benefits`); ``cells``:
    each person's :func:`~.breakdowns.cell_of`, where the caller has them (their sex and age group, found once). None
    where the table has no income column (the survey's note says so)."""
    if not survey["income_stated"].all():  # a wage is no welfare measure: not measured rather than guessed
        return None, []
    household_of = numbered_from_first(inputs.household_of[rows])
    benefits = {side: chosen.amounts for side, chosen in together.items()}
    incomes, bins = poverty.welfare_bins(survey["income"], benefits, household_of)
    groups = poverty.group_of(survey["female"], baseline["age"]) if cells is None else breakdowns.sex_age_of(cells)
    return poverty.poverty_sums(incomes, inputs.weights[rows], groups, lines, survey.get("is_urban"), bins)


@dataclass
class Comparison:
    """A reform compared with the baseline: tables, figures and what they rest on."""

    aggregates: Aggregates
    meta: dict[str, Any]
    _built: dict[str, pd.DataFrame] = field(default_factory=dict, init=False, repr=False, compare=False)

    def _table(self, name: str) -> pd.DataFrame:
        """The table ``name``, built when first read: a projection's year reads three of seven, and the breakdowns
        took half the time of building them all, every year."""
        if name not in self._built:
            self._built.update(comparison_tables(self.aggregates, self.meta["jurisdiction"], (name,)))
        return self._built[name]

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table, in the comparison's order."""
        return {name: self._table(name) for name in TABLE_NAMES}

    @property
    def branches(self) -> pd.DataFrame:
        return self._table("branches")

    @property
    def coverage(self) -> pd.DataFrame:
        return self._table("coverage")

    @property
    def poverty(self) -> pd.DataFrame:
        """Headcount, poverty gap and Gini before and after benefits, overall, by sex and by age group."""
        return self._table("poverty")

    def breakdown(self, dimension: str) -> pd.DataFrame:
        """The comparison by the groups of ``dimension``: ``sex``, ``age_group`` or ``income_decile`` (another
        is refused naming them; it was a bare ``KeyError: 'region'``)."""
        names = [item.name for item in breakdowns.DIMENSIONS]
        if dimension not in names:
            raise ValueError(f"unknown breakdown {dimension!r}: expected one of {', '.join(names)}")
        return self._table(dimension)

    def to_dict(self) -> dict[str, Any]:
        """Everything as plain JSON-ready data (``None`` where a figure is not modelled)."""
        return {
            "meta": self.meta,
            "branches": json_records(self.branches),
            "breakdowns": {
                dimension.name: json_records(self._table(dimension.name)) for dimension in breakdowns.DIMENSIONS
            },
            "coverage": json_records(self.coverage),
            "poverty": json_records(self.poverty),
        }


TABLE_NAMES = ("branches", *(dimension.name for dimension in breakdowns.DIMENSIONS), "coverage", "poverty")


def comparison_tables(
    aggregates: Aggregates, jurisdiction: str, names: Collection[str] | None = None
) -> dict[str, pd.DataFrame]:
    """A :class:`Comparison`'s tables of ``aggregates`` (money to the currency's unit of ``jurisdiction``): those
    ``names`` (None: every one, :data:`TABLE_NAMES`), in that order."""
    decimals = jurisdictions.get(jurisdiction).amount_decimals
    builders: dict[str, Callable[[], pd.DataFrame]] = {
        "branches": lambda: branch_table(aggregates, decimals),
        **{
            dimension.name: functools.partial(breakdown_table, aggregates, dimension, decimals)
            for dimension in breakdowns.DIMENSIONS
        },
        "coverage": lambda: coverage_table(aggregates),
        "poverty": lambda: poverty.poverty_table(
            aggregates.poverty, bool(all_provisional(aggregates)), added_benefits(aggregates)
        ),
    }
    return {name: build() for name, build in builders.items() if names is None or name in names}


def json_records(table: pd.DataFrame) -> list[dict[str, Any]]:
    """A table's rows as JSON-ready records: None where a figure is not modelled, counts of persons
    (:func:`~.rows.is_count`) to :func:`~openfisca_sp.rules.wording.count_value`, without the noise of their
    float64 sums (0.3, not 0.30000000000000004)."""
    records = table.astype(object).where(table.notna(), None).to_dict(orient="records")
    return [{key: _json_value(key, value) for key, value in row.items()} for row in records]


def _json_value(key: str, value: Any) -> Any:
    value = value.item() if isinstance(value, np.generic) else value
    return count_value(value) if isinstance(value, float) and is_count(key) else value


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


def first_day_note(month: str) -> str:
    """What a comparison with every claim decided on the first day of the month says of it."""
    return (
        f"every claim decided on the first day of {month}, as openfisca-core decides it, not on the day of an event "
        "the table dates (claims_on_events=False)"
    )


def not_yet_in_force(reform: Any, month: str) -> list[str]:
    """A note where none of a parametric reform's values is in force by the end of ``month``: every change is 0
    (a drafter read it as a reform that changes nothing)."""
    first = earliest_change(reform)
    last_day = str((np.datetime64(month, "M") + 1).astype("datetime64[D]") - 1)
    if first is None or first <= last_day:
        return []
    return [f"none of the reform's values is in force in {month}: the first starts on {first}, so every change is 0"]


def compare(
    population: Any,
    month: Month,
    reform: Any,
    baseline: Any = None,
    *,
    assume: Mapping[str, Any] | None = None,
    chunk_persons: int = DEFAULT_CHUNK,
    progress: Progress | None = None,
    claims_on_events: bool = True,
) -> Comparison:
    """Compare ``reform`` (a shipped name, a YAML file, a Reform class) with ``baseline`` over ``population``.

    ``baseline`` is a jurisdiction code or a tax-benefit system (default: the jurisdiction the population names
    as its own, a shipped sample's or a synthesized table's, else the default one; another is refused on such a
    population). ``population`` is read as by :func:`openfisca_sp.population.simulate`; with ``claims_on_events``
    False every claim is decided on the first day of the month, as there (and a note says so); ``month`` is given as
    there too (``YYYY-MM``, a monthly ``pd.Period``, a ``np.datetime64`` of months). ``reform`` is required: None is
    refused (a ``TypeError``); to compare the baseline with itself, give its system.
    """
    month = check_run(month, chunk_persons, progress, claims_on_events)  # a Period or datetime64 too
    comparison_plan = plan_comparison(month, reform, system_for(population, baseline))
    systems = [comparison_plan.systems[side] for side in SIDES]
    outputs = [comparison_plan.outputs[side] for side in SIDES]
    extra = comparison_plan.extra_columns
    inputs, analysis = read_population(
        population,
        systems,
        month,
        outputs,
        assume,
        extra,
        background=True,
        chunk_persons=chunk_persons,
        claims_on_events=claims_on_events,
    )
    survey, notes = survey_arrays(analysis, month, source_label(population))
    notes = [*inputs.assumptions, *notes, *not_yet_in_force(comparison_plan.systems["reform"], month)]
    cut_points = breakdowns.decile_cut_points(household_incomes(inputs, survey), inputs.weights)
    done = [0]

    def advance(persons: int) -> None:
        done[0] += persons
        if progress is not None:
            progress(done[0], inputs.count)

    aggregates = aggregate_partition(
        comparison_plan, inputs, survey, cut_points, notes, chunk_persons, advance, claims_on_events
    )
    aggregates.notes = [
        *aggregates.notes,
        *unchanged_notes(comparison_plan.systems["reform"], month, aggregates.changed),
    ]
    meta = comparison_meta(
        comparison_plan, inputs.count, len(inputs.household_ids), aggregates.notes, source_label(population)
    )
    return Comparison(aggregates, meta)
