"""Run a scenario year by year: the base table aged to each year, the reform compared with the baseline.

Each year is a comparison (:func:`openfisca_sp.analysis.comparison.compare`) in the base month of that year
(October 2040 for a table of October 2026): the same costs, beneficiaries, coverage and poverty figures as
``openfisca-sp compare``, over the table moved and reweighted to the year (:mod:`~.ageing`), with the
rules in force then (dated parameters) and the scenario's indexation. A year's cost is the month's
amounts payable times 12. Before the reform's first year, the reform side is the baseline.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pyarrow as pa

from openfisca_sp.analysis.comparison import Comparison, compare, json_records
from openfisca_sp.decisions.facts import facts_of
from openfisca_sp.population.engine import resolve_system
from openfisca_sp.population.reading import read_table
from openfisca_sp.projection import ageing, economy
from openfisca_sp.projection.demography import demography
from openfisca_sp.projection.indexation import check_indexation, indexed_system
from openfisca_sp.projection.scenario import Scenario, read_scenario
from openfisca_sp.reforms import load_reform
from openfisca_sp.rules.version import rules_version

MONTHS_PER_YEAR = 12
SIDES = ("baseline", "reform")
Progress = Callable[[int, int], None]  # (years done, years)


@dataclass
class Projection:
    """A scenario's years: one row per year and side, with what they rest on."""

    scenario: Scenario
    years: pd.DataFrame
    branches: pd.DataFrame
    meta: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """Everything as plain JSON-ready data (``None`` where a figure is not modelled)."""
        return {
            "meta": self.meta,
            "assumptions": self.scenario.assumptions(),
            "years": json_records(self.years),
            "branches": json_records(self.branches),
        }


def money_facts(system: Any) -> frozenset[str]:
    """The facts the rules read in the jurisdiction's currency (moved with the wage index)."""
    return frozenset(name for name, fact in facts_of(system).items() if fact.unit == "currency")


def _year_rows(
    year: int, comparison: Comparison, aged: ageing.AgedTable, gdp: float | None, in_force: bool
) -> list[dict]:
    """One row per side: cost, share of GDP, beneficiaries, contributors, coverage of older persons, poverty."""
    branches = comparison.branches.set_index("branch")
    coverage = comparison.coverage
    older = coverage[(coverage.indicator == "older_persons") & (coverage.sex == "all")]
    poverty = comparison.poverty
    overall = poverty[(poverty.dimension == "all")].head(1)
    rows = []
    for side in SIDES:
        shown = side if in_force else "baseline"
        monthly = branches.loc["all", f"{shown}_cost"]
        modelled = bool(branches.drop(index="all")[f"amount_modelled_{shown}"].fillna(False).astype(bool).any())
        cost = None if pd.isna(monthly) or not modelled else float(monthly) * MONTHS_PER_YEAR
        rows.append(
            {
                "year": year,
                "side": side,
                "cost": cost,
                "cost_share_of_gdp": None if cost is None or gdp is None else cost / gdp,
                "gdp": gdp,
                "beneficiaries": float(branches.loc["all", f"{shown}_beneficiaries"]) if modelled else None,
                "population": float(aged.weights.sum()),
                "working_age": aged.working_age,
                "contributors": aged.contributors,
                "contributor_share": aged.contributors / aged.working_age if aged.working_age else None,
                "older_persons_coverage": None if older.empty else _number(older.iloc[0][f"{shown}_rate"]),
                "poverty_line": None if overall.empty else overall.iloc[0]["line"],
                "poverty_headcount": None if overall.empty else _number(overall.iloc[0][f"headcount_{shown}"]),
                "gini": None if overall.empty else _number(overall.iloc[0][f"gini_{shown}"]),
                "reform_in_force": in_force,
            }
        )
    return rows


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
                    "beneficiaries": float(record[f"{shown}_beneficiaries"]),
                    "cost": None if pd.isna(monthly) else float(monthly) * MONTHS_PER_YEAR,
                    "provisional": bool(record["provisional"]),
                }
            )
    return rows


@dataclass(frozen=True)
class YearInputs:
    """What every year of a scenario uses: the systems, the base table, the projected population."""

    scenario: Scenario
    plain: Any  # the jurisdiction's system, as the law stands
    baseline: Any  # with the scenario's indexation
    reform: Any
    base: pa.Table
    people: Any
    money: frozenset[str]
    base_share: float  # of persons aged 15-64 contributing, in the base year


def year_inputs(scenario: Scenario, population: Any = None) -> YearInputs:
    """Read the base table and build the systems once for all the years of ``scenario``."""
    plain = resolve_system(scenario.jurisdiction)
    reformed = load_reform(scenario.reform, plain) if scenario.reform else plain
    check_indexation(scenario, [plain, reformed])
    baseline = indexed_system(scenario, plain)
    reform = indexed_system(scenario, reformed) if scenario.reform else baseline
    base = read_table(population if population is not None else scenario.population)
    people = demography(scenario.jurisdiction)
    money = money_facts(plain)
    first = ageing.age_table(base, scenario.base_month, scenario.base_year, people, 1.0, money)
    share = first.contributors / first.working_age if first.working_age else 0.0
    return YearInputs(scenario, plain, baseline, reform, base, people, money, share)


def run_year(inputs: YearInputs, year: int) -> tuple[list[dict], list[dict], list[str]]:
    """One year: the table aged to it, the reform compared with the baseline; its rows and notes."""
    scenario = inputs.scenario
    target = economy.coverage_target(scenario, inputs.base_share, year)
    wages = economy.wage_index(scenario, year)
    aged = ageing.age_table(inputs.base, scenario.base_month, year, inputs.people, wages, inputs.money, target)
    in_force = scenario.reform is not None and year >= scenario.reform_from
    reform = inputs.reform if in_force else inputs.baseline  # the baseline with itself: its rules run once
    comparison = compare(aged.table, f"{year}-{scenario.base_month[5:]}", reform, inputs.baseline)
    rows = _year_rows(year, comparison, aged, economy.nominal_gdp(scenario, year), in_force)
    result = rows, _branch_rows(year, comparison, in_force), [*aged.notes, *comparison.meta["notes"]]
    del aged, comparison
    pa.default_memory_pool().release_unused()
    return result


def projection_of(
    scenario: Scenario, persons: int, results: list[tuple[list[dict], list[dict], list[str]]]
) -> Projection:
    """The projection of ``scenario`` over a table of ``persons`` from the results of its years, in order."""
    plain = resolve_system(scenario.jurisdiction)
    meta = {
        "title": scenario.title,
        "scenario": str(scenario.path) if scenario.path else None,
        "jurisdiction": plain.jurisdiction.code,
        "jurisdiction_label": plain.jurisdiction.label,
        "currency": plain.jurisdiction.currency,
        "rules": rules_version(plain, scenario.base_month),
        "base_month": scenario.base_month,
        "years": [scenario.first_year, scenario.last_year],
        "reform": str(scenario.reform) if scenario.reform else None,
        "reform_from": scenario.reform_from if scenario.reform else None,
        "persons": persons,
        "demography": demography(scenario.jurisdiction).source.get("citation", "").strip(),
        "method": (
            "Static ageing: each year, the base person table moved forward by whole years (dates, history months) "
            "with money grown by the wage index, reweighted by sex and five-year age group to the projected "
            "population; a year's cost is the month's amounts payable times 12. Totals cover the benefits whose "
            "amounts are modelled on both sides."
        ),
        "notes": list(dict.fromkeys(note for _, _, notes in results for note in notes)),
        "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    }
    years = pd.DataFrame([row for rows, _, _ in results for row in rows])
    branches = pd.DataFrame([row for _, rows, _ in results for row in rows])
    return Projection(scenario, years, branches, meta)


def project(scenario: Scenario | str, *, progress: Progress | None = None, population: Any = None) -> Projection:
    """Run ``scenario`` (a :class:`Scenario` or the path of its YAML file) over its years, in this process.

    ``population`` replaces the scenario's person table (a larger one, say); it must describe the same
    base month. :func:`openfisca_sp.distributed.project_distributed` runs the years on a Dask cluster.
    """
    if not isinstance(scenario, Scenario):
        scenario = read_scenario(scenario)
    inputs = year_inputs(scenario, population)
    results = []
    for done, year in enumerate(scenario.years):
        results.append(run_year(inputs, year))
        if progress is not None:
            progress(done + 1, len(scenario.years))
    return projection_of(scenario, inputs.base.num_rows, results)
