"""A projection run end to end over the vnm sample: the years add up (cost, share of GDP, population), the reform
is the baseline until its first year, indexation uprates the law's values, and the same projection comes back from
a Dask LocalCluster (one task per year) as from this process."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from distributed import Client
from openfisca_core import periods

from openfisca_sp.analysis.comparison import TABLE_NAMES, compare, comparison_tables
from openfisca_sp.distributed import project_distributed
from openfisca_sp.projection import Projection, ScenarioError, ageing, demography, project, read_scenario
from openfisca_sp.projection.economy import coverage_target, nominal_gdp, price_index, wage_index
from openfisca_sp.projection.indexation import indexed_system
from openfisca_sp.projection.run import COVERAGE_NOTE
from openfisca_sp.projection.year import compare_year, year_inputs
from openfisca_sp.report.projection import coverage_notes
from openfisca_sp.rules.formulas import round_money
from openfisca_sp.rules.parametric_reforms import resolve_parameter
from openfisca_sp.rules.system import tax_benefit_system
from tests.population.test_distributed import client  # noqa: F401 - a LocalCluster of two workers
from tests.projection.scenarios import SOURCE, scenario_text, write_data, write_scenario

BASE_SALARY = "reference_amounts.base_salary"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("projection")


@pytest.fixture(scope="module")
def scenario_file(folder: Path) -> Path:
    return write_scenario(folder)


@pytest.fixture(scope="module")
def projection(scenario_file: Path) -> Projection:
    return project(scenario_file)


def _side(years: pd.DataFrame, side: str) -> pd.DataFrame:
    return years[years.side == side].set_index("year")


def test_each_year_has_both_sides_and_the_projected_population(projection: Projection) -> None:
    years = projection.years
    assert sorted(years.year.unique()) == [2026, 2027, 2028]
    assert (years.groupby("year").side.count() == 2).all()
    people = demography("vnm")
    for year, population in _side(years, "baseline").population.items():
        assert population == pytest.approx(people.population(year).sum(), rel=1e-9)


def test_cost_is_twelve_months_and_its_share_of_gdp_is_cost_over_gdp(projection: Projection) -> None:
    scenario = projection.scenario
    for row in projection.years.itertuples():
        assert row.gdp == pytest.approx(nominal_gdp(scenario, row.year))
        assert row.cost > 0
        assert row.cost_share_of_gdp == pytest.approx(row.cost / row.gdp)
    branches = projection.branches
    modelled = branches[branches.cost.notna()].groupby(["year", "side"]).cost.sum()
    total = projection.years.set_index(["year", "side"]).cost
    assert modelled.reindex(total.index).to_numpy() == pytest.approx(total.to_numpy(), rel=1e-9)
    unemployment = branches[branches.branch == "unemployment"]
    assert unemployment.cost.isna().all()  # not modelled in Viet Nam: never a zero


def test_the_reform_is_the_baseline_before_its_first_year_and_costs_more_after(projection: Projection) -> None:
    baseline, reform = _side(projection.years, "baseline"), _side(projection.years, "reform")
    assert reform.loc[2026].cost == baseline.loc[2026].cost
    assert not reform.loc[2026].reform_in_force
    for year in (2027, 2028):
        assert reform.loc[year].cost > baseline.loc[year].cost
        assert reform.loc[year].beneficiaries > baseline.loc[year].beneficiaries
        assert reform.loc[year].older_persons_coverage > baseline.loc[year].older_persons_coverage
        assert reform.loc[year].poverty_headcount <= baseline.loc[year].poverty_headcount


def test_the_projection_is_plain_json_with_its_assumptions(projection: Projection) -> None:
    data = json.loads(json.dumps(projection.to_dict()))
    assert data["meta"]["currency"] == "VND"
    assert "World Population Prospects 2024" in data["meta"]["demography"]
    assert {row["assumption"] for row in data["assumptions"]} >= {"gdp", "real_growth", "deflator", "prices"}
    assert all(row["source"] for row in data["assumptions"])


def test_without_a_reform_both_sides_are_the_baseline(folder: Path) -> None:
    path = write_scenario(folder, "baseline.yaml", reform=None, years={"first": 2026, "last": 2027})
    years = project(path).years
    assert (_side(years, "baseline").cost == _side(years, "reform").cost).all()
    assert not years.reform_in_force.any()


def test_indexation_uprates_the_law_value_from_its_first_year(folder: Path) -> None:
    indexation = [{"parameter": BASE_SALARY, "index": "prices", "from": 2027, **SOURCE}]
    data = scenario_text()
    data["assumptions"]["indexation"] = indexation
    scenario = read_scenario(write_data(folder, "indexed.yaml", data))
    law = tax_benefit_system("vnm")
    indexed = indexed_system(scenario, law)
    parameter = resolve_parameter(indexed.parameters, BASE_SALARY)
    law_value = resolve_parameter(law.parameters, BASE_SALARY)(periods.instant("2026-12-31"))
    assert parameter(periods.instant("2026-08-01")) == law_value
    assert parameter(periods.instant("2028-03-01")) == pytest.approx(law_value * price_index(scenario, 2028))
    assert resolve_parameter(law.parameters, BASE_SALARY)(periods.instant("2028-03-01")) == law_value  # law untouched
    item = next(item for item in parameter.values_list if item.instant_str == "2028-01-01")
    assert item.metadata["status"] == "unverified"


def test_indexation_never_replaces_a_value_the_law_sets(folder: Path) -> None:
    """A second review: Decree 351/2025 sets Viet Nam's rural poverty line for 2027; indexed from 2027, the
    projection replaced it with 2026's line times the price index (poverty 12.7% against 21.3%), and said nothing."""
    data = scenario_text()
    data["assumptions"]["indexation"] = [{"parameter": "poverty_line.rural", "index": "prices", "from": 2027, **SOURCE}]
    scenario = read_scenario(write_data(folder, "poverty_indexed.yaml", data))
    law = tax_benefit_system("vnm")
    indexed = resolve_parameter(indexed_system(scenario, law).parameters, "poverty_line.rural")
    by_law = resolve_parameter(law.parameters, "poverty_line.rural")
    assert indexed(periods.instant("2027-06-01")) == by_law(periods.instant("2027-06-01"))  # the decree's
    last = max(item.instant_str for item in by_law.values_list)
    assert last.startswith("2027")  # so indexed from 2028, on the decree's line
    expected = by_law(periods.instant("2027-12-31")) * price_index(scenario, 2028) / price_index(scenario, 2027)
    assert indexed(periods.instant("2028-03-01")) == pytest.approx(expected)
    notes = project(scenario).meta["notes"]
    assert (
        "poverty_line.rural is indexed from 2028, not 2027: the law sets its value until then (a value the law "
        "sets is not replaced)" in notes
    )


def test_a_coverage_path_says_whom_it_weights_down(folder: Path) -> None:
    """A second review: raising coverage cut unemployment beneficiaries and poverty by reweighting alone, unsaid."""
    data = scenario_text(reform=None, years={"first": 2026, "last": 2027})
    data["assumptions"]["coverage"] = [{"year": 2027, "value": 0.5, **SOURCE}]
    notes = project(read_scenario(write_data(folder, "coverage.yaml", data))).meta["notes"]
    assert COVERAGE_NOTE in notes


def test_a_reform_in_force_in_no_month_projected_says_so(folder: Path) -> None:
    reform = folder / "later.yaml"
    reform.write_text(
        "label: Later\njurisdiction: vnm\nreference: [{instrument: A test, article: Art 1}]\n"
        "parameters:\n  maternity.benefit_rate:\n    2035-01-01: 0.9\n",
        encoding="utf-8",
    )
    scenario = read_scenario(write_scenario(folder, "late_reform.yaml", reform=str(reform)))
    notes = project(scenario).meta["notes"]
    assert any(note.startswith("none of the reform's values is in force in the months projected") for note in notes)


def test_a_dask_cluster_gives_the_same_projection(
    client: Client,  # noqa: F811 - the fixture imported above
    scenario_file: Path,
    projection: Projection,
) -> None:
    done = []
    distributed = project_distributed(client, scenario_file, progress=lambda count, total: done.append(count))
    assert done[-1] == 3
    columns = ["year", "side", "cost", "beneficiaries", "population", "contributors", "poverty_headcount"]
    pd.testing.assert_frame_equal(distributed.years[columns], projection.years[columns], rtol=1e-12)
    assert distributed.meta["persons"] == projection.meta["persons"] == 20_000


def test_a_year_in_chunks_is_the_comparison_of_the_whole_moved_table(scenario_file: Path) -> None:
    """Chunks of whole households, moved one at a time, add up to ``compare`` over the whole table moved."""
    scenario = read_scenario(scenario_file)
    inputs = year_inputs(scenario, chunk_persons=3_000)
    assert len(inputs.chunks) >= 6
    target = coverage_target(scenario, inputs.base_share, 2028)
    weights = ageing.year_weights(inputs.ageing, inputs.people, 2028, target)
    chunked = compare_year(inputs, 2028, inputs.reform, weights)
    aged = ageing.age_table(
        inputs.base, "2026-10", 2028, inputs.people, wage_index(scenario, 2028), inputs.money, target
    )
    whole = compare(aged.table, "2028-10", inputs.reform, inputs.baseline)
    for name in ("branches", "coverage", "poverty", "income_decile"):
        pd.testing.assert_frame_equal(chunked.tables[name], whole.tables[name], rtol=1e-9)


def test_a_year_s_figures_are_the_tables_its_comparison_holds(scenario_file: Path) -> None:
    """A year's rows read three of its comparison's tables, each built when first read: the same frames as a
    comparison of the same sums building every table."""
    scenario = read_scenario(scenario_file)
    inputs = year_inputs(scenario)
    weights = ageing.year_weights(
        inputs.ageing, inputs.people, 2027, coverage_target(scenario, inputs.base_share, 2027)
    )
    figures = compare_year(inputs, 2027, inputs.reform, weights)
    read = {name: getattr(figures, name) for name in ("branches", "coverage", "poverty")}
    assert set(figures._built) == set(read)  # the breakdowns not built
    whole = comparison_tables(figures.aggregates, "vnm")
    for name, frame in read.items():
        pd.testing.assert_frame_equal(frame, whole[name], check_exact=True)
    assert list(comparison_tables(figures.aggregates, "vnm", ("poverty", "branches"))) == ["branches", "poverty"]
    assert list(figures.tables) == list(whole) == list(TABLE_NAMES)
    for name, frame in figures.tables.items():
        pd.testing.assert_frame_equal(frame, whole[name], check_exact=True)


def test_only_an_amount_of_money_is_indexed(folder: Path) -> None:
    """An outside review: indexing Viet Nam's maternity rate (100% of the wage) by prices pushed it to 103.8%."""
    data = scenario_text()
    data["assumptions"]["indexation"] = [
        {"parameter": "maternity.benefit_rate", "index": "prices", "from": 2027, **SOURCE}
    ]
    scenario = read_scenario(write_data(folder, "rate.yaml", data))
    with pytest.raises(ScenarioError, match=r"'maternity.benefit_rate' is in '/1', not in money"):
        indexed_system(scenario, tax_benefit_system("vnm"))


def test_a_year_s_costs_are_to_the_currency_s_smallest_unit(folder: Path) -> None:
    """An analyst: costs were float sums (TJS 1,633,449,665.7989264 for a year); a comparison's costs are now to
    the diram, and a year's twelve months too (12 × 136,120,805.48 gave 1,633,449,665.7599998)."""
    data = scenario_text(
        title="tjk", jurisdiction="tjk", population="sample:tjk", years={"first": 2026, "last": 2027}, reform_from=2026
    )
    data["assumptions"].pop("gdp")
    tajik = project(write_data(folder, "tjk.yaml", data))
    for costs in (tajik.years.cost, tajik.branches.cost):  # the years' totals cover no branch: not modelled
        figures = costs.dropna().to_numpy(dtype=float)
        assert np.array_equal(figures, round_money(figures, 2)), figures
    assert (tajik.branches.cost.dropna().to_numpy(dtype=float) > 0).any()  # the reform's social pension


def test_a_year_s_coverage_and_poverty_say_when_they_rest_on_unverified_law(projection: Projection) -> None:
    """The years' coverage of older persons and poverty carry the comparison's flags (its coverage and poverty rows'
    ``provisional``), as their totals carry the branches': Viet Nam's old-age pension rests on unverified values, and
    pays older persons, and poverty adds it after benefits. They said nothing of it."""
    years = projection.years
    branches = projection.branches
    for year, rows in years.groupby("year"):
        old_age = branches[(branches.year == year) & (branches.branch == "old_age")]
        assert old_age["provisional"].all()
        assert rows["older_persons_coverage_provisional"].all() and rows["poverty_provisional"].all()
    notes = coverage_notes(projection.to_dict())
    span = f"{years.year.min()} to {years.year.max()}"
    assert (
        f"provisional: the coverage of older persons of 3 years ({span}) rests on rule values not verified"
        in " ".join(notes)
    )
    assert any(note.startswith("provisional: the poverty and inequality figures of 3 years") for note in notes)
