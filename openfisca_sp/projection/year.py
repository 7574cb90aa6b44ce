"""One year of a projection: the base table moved and reweighted to the year, chunk by chunk of households, and
the reform compared with the baseline in the base month of that year.

The comparison is :mod:`openfisca_sp.analysis.comparison`'s (the same costs, beneficiaries, coverage and
poverty figures as ``openfisca-sp compare``), run over chunks of whole households of the base table, each moved
to the year as it is needed (:mod:`~.ageing`), their sums added: memory holds the base table and one chunk,
never a moved copy of the whole table. The income deciles' cut points are the whole population's: household
incomes move with the wage index, weights with the year. A year's cost is the month's amounts payable times 12;
before the reform's first year, the reform side is the baseline (its rules run once).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from openfisca_sp.analysis import breakdowns
from openfisca_sp.analysis.aggregates import Aggregates
from openfisca_sp.analysis.comparison import (
    Comparison,
    aggregate_partition,
    analysis_columns,
    comparison_meta,
    plan_comparison,
)
from openfisca_sp.analysis.poverty import NOT_MEASURED
from openfisca_sp.analysis.rows import UNDEFINED
from openfisca_sp.analysis.survey import survey_arrays
from openfisca_sp.analysis.tables import changes_left_out
from openfisca_sp.decisions.facts import facts_of
from openfisca_sp.population.engine import claim_months, columns_to_read, read_population, resolve_system
from openfisca_sp.population.inputs import PopulationInputs
from openfisca_sp.population.reading import source_label
from openfisca_sp.population.ring import chunk_bounds
from openfisca_sp.population.text_columns import with_dictionaries
from openfisca_sp.projection import ageing, economy
from openfisca_sp.projection.age_groups import check_groups
from openfisca_sp.projection.ahead import prepared_ahead
from openfisca_sp.projection.assumed_columns import base_with_assumptions, check_ageing_values
from openfisca_sp.projection.base_notes import base_year_note, one_off_note
from openfisca_sp.projection.base_table import household_index, read_base
from openfisca_sp.projection.base_wages import WageFindings, check_base_wages, wage_findings
from openfisca_sp.projection.converted import ConvertedBase, convert_base, moved_chunk, sharing_money
from openfisca_sp.projection.demography import Demography, demography
from openfisca_sp.projection.indexation import check_indexation, indexed_system
from openfisca_sp.projection.reform_years import unchanged_year_notes
from openfisca_sp.projection.scenario import Scenario, ScenarioError, population_of
from openfisca_sp.reforms import load_reform
from openfisca_sp.rules import jurisdictions
from openfisca_sp.rules.formulas import round_money
from openfisca_sp.rules.yaml_files import ParameterFileError

MONTHS_PER_YEAR = 12
SIDES = ("baseline", "reform")
CHUNK_PERSONS = 500_000  # persons moved and compared at a time
YearResult = tuple[list[dict], list[dict], list[str]]  # rows by side, rows by branch and side, notes


def money_facts(system: Any) -> frozenset[str]:
    """The facts the rules read in the jurisdiction's currency (moved with the wage index)."""
    return frozenset(name for name, fact in facts_of(system).items() if fact.unit == "currency")


def _year_rows(
    year: int, comparison: Comparison, weights: ageing.YearWeights, gdp: float | None, in_force: bool
) -> list[dict]:
    """One row per side: cost, share of GDP, beneficiaries, contributors, coverage of older persons, poverty."""
    branches = comparison.branches.set_index("branch")
    coverage = comparison.coverage
    older = coverage[(coverage.indicator == "older_persons") & (coverage.sex == "all")]
    poverty = comparison.poverty  # no rows where the table has no income column: not measured
    overall = poverty if poverty.empty else poverty[poverty["dimension"] == "all"].head(1)
    each = branches.drop(index="all")
    # the totals (the comparison's "all") cover the branches whose amount is modelled on both sides
    covered = each[each["baseline_cost"].notna() & each["reform_cost"].notna()]
    # left out, yet changed by the reform: the difference of the sides' totals is not the reform's cost
    changed = changes_left_out(comparison.aggregates) if in_force else []
    rows = []
    for side in SIDES:
        shown = side if in_force else "baseline"
        monthly = branches.loc["all", f"{shown}_cost"]
        modelled = bool(branches.drop(index="all")[f"amount_modelled_{shown}"].fillna(False).astype(bool).any())
        cost = None if pd.isna(monthly) or not modelled else _yearly(monthly, comparison)
        rows.append(
            {
                "year": year,
                "side": side,
                "cost": cost,
                "cost_share_of_gdp": None if cost is None or gdp is None else cost / gdp,
                "gdp": gdp,
                "beneficiaries": float(branches.loc["all", f"{shown}_beneficiaries"]) if modelled else None,
                "population": float(weights.weights.sum()),
                "working_age": weights.working_age,
                "contributors": weights.contributors,
                "contributor_share": weights.contributors / weights.working_age if weights.working_age else None,
                "older_persons_coverage": None if older.empty else _number(older.iloc[0][f"{shown}_rate"]),
                # as the comparison's coverage and poverty rows say: resting on unverified law
                "older_persons_coverage_provisional": not older.empty and bool(older.iloc[0]["provisional"]),
                "poverty_line": None if overall.empty else overall.iloc[0]["line"],
                "poverty_line_value": None if overall.empty else _number(overall.iloc[0]["line_value"]),
                "poverty_headcount": None if overall.empty else _number(overall.iloc[0][f"headcount_{shown}"]),
                "gini": None if overall.empty else _number(overall.iloc[0][f"gini_{shown}"]),
                "poverty_provisional": not overall.empty and bool(overall.iloc[0]["provisional"]),
                **_missing_notes(overall, shown),
                "reform_in_force": in_force,
                "covers": list(covered.index),
                "changes_left_out": changed,
                "provisional": bool(covered["provisional"].fillna(False).astype(bool).any()),
            }
        )
    return rows


def _missing_notes(overall: pd.DataFrame, side: str) -> dict[str, str | None]:
    """Why a side's poverty headcount and Gini are missing, where they are: not measured (the table has no income
    column), no poverty line (not modelled), or a Gini undefined (incomes of mean 0)."""
    if overall.empty:
        return {"poverty_note": NOT_MEASURED, "gini_note": NOT_MEASURED}
    record = overall.iloc[0]
    return {
        "poverty_note": None if pd.notna(record[f"headcount_{side}"]) else _text(record["note"]),
        "gini_note": None if pd.notna(record[f"gini_{side}"]) else _side_note(_text(record["gini_note"])),
    }


def _side_note(note: str | None) -> str | None:
    """A record's Gini note (``undefined before benefits, after the baseline's: …``) as a side's (``undefined: …``)."""
    return None if note is None else f"{UNDEFINED}:{note.partition(':')[2]}"


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _yearly(monthly: float, comparison: Comparison) -> float:
    """A year's cost: the month's times 12, to the currency's smallest unit (TJS 1,024.10 a month is 12,289.20 a
    year, not 12,289.199999999999)."""
    decimals = jurisdictions.get(comparison.meta["jurisdiction"]).amount_decimals
    return float(round_money(float(monthly) * MONTHS_PER_YEAR, decimals))


def _number(value: Any) -> float | None:
    return None if pd.isna(value) else float(value)


def _branch_rows(year: int, comparison: Comparison, in_force: bool) -> list[dict]:
    rows = []
    for record in comparison.branches.to_dict(orient="records"):
        if record["branch"] == "all":
            continue
        for side in SIDES:
            shown = side if in_force else "baseline"
            monthly = record[f"{shown}_cost"]
            rows.append(
                {
                    "year": year,
                    "side": side,
                    "branch": record["branch"],
                    "label": record["label"],
                    "beneficiaries": _number(record[f"{shown}_beneficiaries"]),
                    "cost": None if pd.isna(monthly) else _yearly(monthly, comparison),
                    "provisional": bool(record["provisional"]),
                }
            )
    return rows


@dataclass(frozen=True)
class YearInputs:
    """What every year of a scenario uses, built once: the systems, the base table and what reweighting and
    deciles read of it, the projected population."""

    scenario: Scenario
    plain: Any  # the jurisdiction's system, as the law stands
    baseline: Any  # with the scenario's indexation
    reform: Any
    base: pa.Table
    people: Demography
    money: frozenset[str]
    ageing: ageing.AgeingBase
    base_share: float  # of persons aged 15-64 contributing, in the base year
    incomes: np.ndarray  # each person's income (the survey's), in the base year
    household_of: np.ndarray
    income_order: np.ndarray  # the households by income per member in the base year (deciles' sort)
    chunks: list[slice]  # of whole households (those with claims' events first: :func:`~.base_table.events_first`)
    converted: ConvertedBase | None = None  # the table as the rules' arrays (:mod:`~.converted`), if it can be
    notes: tuple[str, ...] = ()  # of the base table, found once (:mod:`~.base_notes`)
    reform_law: Any = None  # the scenario's reform without its indexation (what it changes of the law), or None
    assumed: frozenset[str] = frozenset()  # the facts the scenario's assumptions state for everyone (:mod:`~.assumed`)


def base_columns(scenario: Scenario, baseline: Any, reform: Any, source: Any) -> list[str]:
    """The columns of the person table a year's comparison reads (those of the base month: a later year reads
    the same ones, moved), and those the ageing reads."""
    plan = plan_comparison(scenario.base_month, reform, baseline)
    systems = [plan.systems[side] for side in SIDES]
    outputs = [plan.outputs[side] for side in SIDES]
    months = claim_months(source, systems, scenario.base_month)
    _, columns = columns_to_read(systems, scenario.base_month, outputs, plan.extra_columns, months)
    previous = str(np.datetime64(scenario.base_month, "M") - np.timedelta64(1, "M"))
    return list(dict.fromkeys([*columns, "birth_date", "sex", f"insured_wage.{previous}"]))


def scenario_reform(scenario: Scenario, plain: Any) -> Any:
    """The scenario's reform of ``plain`` (or ``plain``); a reform that cannot be had (an unknown name, one for
    another jurisdiction) is a :class:`ScenarioError` at the line of the file that names it."""
    if not scenario.reform:
        return plain
    try:
        return load_reform(scenario.reform, plain)
    except ParameterFileError:
        raise  # a YAML reform's own file and line
    except (ValueError, OSError) as error:
        if scenario.path is None:
            raise
        named = str(scenario.reform)
        if isinstance(error, OSError) or (named.endswith((".yaml", ".yml")) and not Path(named).is_file()):
            message = (
                f"no reform file {scenario.reform} (a reform is a shipped name, or a file looked for beside the "
                f"scenario, in {Path(scenario.path).resolve().parent}, then in the current folder)"
            )
        else:
            message = str(error)
        raise ScenarioError(scenario.path, scenario.reform_line, message) from None


def refuse_missing_groups(scenario: Scenario, cells: np.ndarray, weights: np.ndarray, source: Any) -> None:
    """Refuse a base table (its persons' cells of sex and age group, and weights) lacking a group of the projected
    population that no younger group of the same sex can stand in for, in any year reweighted, before any year is
    computed (:mod:`~.age_groups`)."""
    years = [scenario.base_year, *scenario.years]
    check_groups(cells, weights, demography(scenario.jurisdiction), years, source_label(source))


def year_inputs(scenario: Scenario, population: Any = None, chunk_persons: int = CHUNK_PERSONS) -> YearInputs:
    """Read the base table (the columns the comparison and the ageing read) and build the systems, once for all
    the years of ``scenario``."""
    plain = resolve_system(scenario.jurisdiction)
    reformed = scenario_reform(scenario, plain)
    check_indexation(scenario, [plain, reformed])
    baseline = indexed_system(scenario, plain)
    reform = indexed_system(scenario, reformed) if scenario.reform else baseline
    source, month = population_of(scenario, population), scenario.base_month
    wages: list[WageFindings] = []  # the months of wages checked on the columns read, in the source's order
    columns, label = base_columns(scenario, baseline, reform, source), source_label(source)

    def as_read(read: pa.Table) -> None:  # checked in the source's order: a refusal's rows are the file's
        check_ageing_values(read, label, plain, month)
        wages.append(wage_findings(source, month, plain, read))

    base = read_base(source, columns, [baseline, reform], as_read)
    plan = plan_comparison(scenario.base_month, reform, baseline)
    systems, outputs = [plan.systems[side] for side in SIDES], [plan.outputs[side] for side in SIDES]
    base, assumed = base_with_assumptions(base, scenario, systems, outputs, label)
    check_base_wages(source, month, plain, {item.column: item.value for item in scenario.assume}, label, wages[0])
    base = with_dictionaries(base, [name for name, fact in facts_of(plain).items() if fact.enum_names])
    pa.default_memory_pool().release_unused()  # the table as read
    people = demography(scenario.jurisdiction)
    reweighting = ageing.ageing_base(base, scenario.base_month)
    refuse_missing_groups(scenario, reweighting.cells, reweighting.weights, source)
    first = ageing.year_weights(reweighting, people, scenario.base_year)
    share = first.contributors / first.working_age if first.working_age else 0.0
    household_of = household_index(base)
    analysis = [name for name in analysis_columns(scenario.base_month) if name in base.column_names]
    survey, survey_notes = survey_arrays(base.select(analysis), scenario.base_month, label)
    notes = (
        *(item.note() for item in scenario.assume),
        one_off_note(base, scenario.base_month, [baseline, reform], reweighting.weights),
        base_year_note(scenario.base_year, float(reweighting.weights.sum()), float(first.weights.sum())),
        *survey_notes,  # said once, of the base table's columns (each year's would name its own month)
    )
    chunks = chunk_bounds(household_of, chunk_persons)
    per_member = breakdowns.income_per_member(survey["income"], household_of)
    converted = convert_base(
        base, scenario.base_month, systems, outputs, plan.extra_columns, chunks, money_facts(plain), survey
    )
    if converted is not None:
        base = sharing_money(base, converted)
        pa.default_memory_pool().release_unused()  # the amounts' first copies
    return YearInputs(
        scenario,
        plain,
        baseline,
        reform,
        base,
        people,
        money_facts(plain),
        reweighting,
        share,
        survey["income"],
        household_of,
        np.argsort(per_member, kind="stable"),
        chunks,
        converted,
        notes,
        reformed if scenario.reform else None,
        assumed,
    )


def compare_year(
    inputs: YearInputs, year: int, reform: Any, weights: ageing.YearWeights, ahead: bool = True
) -> Comparison:
    """The reform compared with the baseline over the base table moved to ``year``, chunk by chunk (with
    ``ahead``, the next chunk moved and converted in a thread while the rules run on the current one)."""
    scenario = inputs.scenario
    month = f"{year}-{scenario.base_month[5:]}"
    wages = economy.wage_index(scenario, year)
    plan = plan_comparison(month, reform, inputs.baseline)
    systems = [plan.systems[side] for side in SIDES]
    outputs = [plan.outputs[side] for side in SIDES]
    # incomes moved as each chunk moves them; the wage index scales them alike, so the base year's order holds
    incomes = inputs.incomes * wages
    cut_points = breakdowns.household_decile_cut_points(
        incomes, weights.weights, inputs.household_of, inputs.income_order
    )

    reads: dict = {}  # what the rules read of a chunk, by its months of events (:func:`~.converted.moved_chunk`)

    def prepare(rows: slice) -> tuple[PopulationInputs, dict[str, np.ndarray], list[str]]:
        made = None
        if inputs.converted is not None:
            years = year - int(scenario.base_month[:4])
            extra = plan.extra_columns
            chunk_weights = weights.weights[rows]
            made = moved_chunk(inputs.converted, rows, years, systems, outputs, extra, chunk_weights, wages, reads)
        if made is None:
            part = inputs.base.slice(rows.start, rows.stop - rows.start)
            moved = ageing.moved_rows(part, scenario.base_month, year, weights.weights[rows], wages, inputs.money)
            population, analysis = read_population(moved, systems, month, outputs, None, plan.extra_columns)
            made = (population, *survey_arrays(analysis, month))
        if year != scenario.first_year:  # moved whole years alike, the facts contradict in every year or in none:
            made[0].checked_at = None  # they are checked against each other in the first year projected alone
        made[0].assumed = inputs.assumed  # checked as simulate checks the facts its assumptions state
        return made

    total: Aggregates | None = None
    households = 0
    prepared = prepared_ahead(inputs.chunks, prepare) if ahead else map(prepare, inputs.chunks)
    for population, survey, _ in prepared:  # the income's notes: the base table's, in the projection's notes once
        sums = aggregate_partition(plan, population, survey, cut_points, list(population.assumptions))
        households += len(population.household_ids)
        total = sums if total is None else total.merge(sums)
        del population, survey
    return Comparison(total, comparison_meta(plan, inputs.base.num_rows, households, total.notes, None))


def run_year(inputs: YearInputs, year: int, ahead: bool = True) -> YearResult:
    """One year: the base table moved and reweighted to it, the reform compared with the baseline (``ahead``:
    see :func:`compare_year`)."""
    scenario = inputs.scenario
    target = economy.coverage_target(scenario, inputs.base_share, year)
    weights = ageing.year_weights(inputs.ageing, inputs.people, year, target)
    in_force = scenario.reform is not None and year >= scenario.reform_from
    comparison = compare_year(inputs, year, inputs.reform if in_force else inputs.baseline, weights, ahead)
    rows = _year_rows(year, comparison, weights, economy.nominal_gdp(scenario, year), in_force)
    notes = [*inputs.notes, *weights.notes, *comparison.meta["notes"]]
    if in_force:
        month = f"{year}-{scenario.base_month[5:]}"
        notes += unchanged_year_notes(inputs.reform_law, month, comparison.aggregates.changed)
    return rows, _branch_rows(year, comparison, in_force), notes
