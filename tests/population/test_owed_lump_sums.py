"""A person owed a lump sum whose amount the law does not give (no formula at the claim's date) is a beneficiary:
counted in simulate's totals, in compare's beneficiaries, and in a projection's years, while the
cost says that their part is not modelled (it never counts it as 0). A review found them left out: Lao PDR's
Decree 207/PM owes a lump sum at pensionable age below the qualifying period, whose formula was not found, and
its old-age beneficiaries were those paid a pension alone."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from openfisca_sp.analysis import compare
from openfisca_sp.population import resolve_system, simulate
from openfisca_sp.population.totals import NO_FORMULA, PARTLY_PRICED
from openfisca_sp.projection import ageing, project, read_scenario
from openfisca_sp.projection.economy import coverage_target
from openfisca_sp.projection.year import year_inputs
from openfisca_sp.reforms import load_reform
from openfisca_sp.rules.wording import count_text
from openfisca_sp.synthetic import write_parquet
from tests.population.test_claims_not_modelled import _lao_2011
from tests.projection.scenarios import write_scenario

PENSIONS = 180_000 + 562_500  # the two pensions in payment of _lao_2011 (10 and 25 points)
# Lao PDR from Law No. 34/NA: whether a lump sum is owed below the qualifying period was NOT FOUND. This test reform
# says one is owed, without a formula: the persons refused for too short a career are then owed one not told
PROVIDED = """\
label: Lao old-age lump sum owed below the qualifying period, its amount not given (test)
jurisdiction: lao
description: A test reform; the lump sum's formula is not given, so what it pays is not modelled.
reference:
  - instrument: test reform
    article: a lump sum owed, no formula
parameters:
  old_age.lump_sum.provided:
    2026-01-01: true
"""


def _old_age(totals: pd.DataFrame) -> dict:
    return totals.set_index("branch").loc["old_age"].to_dict()


def test_a_lump_sum_owed_whose_amount_is_not_known_counts_its_person_as_a_beneficiary():
    """Two pensions in payment and a man refused the pension (59 months), owed a lump sum of Decree 207/PM whose
    formula was not found, his claim dated in the month evaluated: three beneficiaries, the cost not modelled."""
    results = simulate(_lao_2011("2012-01-15"), "2012-01", "lao")
    assert results.columns["old_age_lump_sum_entitled"][2] and not results.columns["old_age_lump_sum_modelled"][2]
    old_age = _old_age(results.totals())
    assert old_age["beneficiaries"] == 3 and pd.isna(old_age["cost"]) and pd.isna(old_age["lump_sums"])
    assert old_age["note"] == (
        f"{PARTLY_PRICED}: the lump sums owed to 1 person {NO_FORMULA}; what the others are paid is 742,500"
    )
    by_month = results.costs_by_month(3).set_index(["branch", "month"]).loc["old_age"]
    assert by_month["beneficiaries"].to_dict() == {"2011-11": 2.0, "2011-12": 2.0, "2012-01": 3.0}  # due once
    assert _old_age(results.cost_over_year())["average_beneficiaries"] == pytest.approx((11 * 2 + 3) / 12)
    # a refusal the table does not date owes no lump sum in the month: the two pensions alone
    undated = _old_age(simulate(_lao_2011(None), "2012-01", "lao").totals())
    assert undated["beneficiaries"] == 2 and undated["cost"] == PENSIONS
    comparison = compare(_lao_2011("2012-01-15"), "2012-01", "r202_social_pension", "lao")
    rows = comparison.branches.set_index("branch")
    assert rows.loc["old_age", "baseline_beneficiaries"] == rows.loc["old_age", "reform_beneficiaries"] == 3
    assert pd.isna(rows.loc["old_age", "winners"]) and pd.isna(rows.loc["old_age", "baseline_cost"])  # not modelled
    coverage = comparison.coverage.set_index(["indicator", "sex"]).loc[("older_persons", "all")]
    # a lump sum alone is no pension received (SDG 1.3.1): the older persons covered are the two pensioners
    assert coverage["population"] == 3 and coverage["baseline_covered"] == coverage["reform_covered"] == 2


@pytest.fixture(scope="module")
def lao_owed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, np.ndarray]:
    """A Lao table of 2026-10 whose persons refused the pension for too short a career have their claims dated
    in the month, the test reform that owes them a lump sum not told, and their ids."""
    folder = tmp_path_factory.mktemp("owed")
    path = write_parquet(folder / "lao.parquet", "lao", 400, "2026-10", seed=5)
    table = pq.read_table(path)
    short = simulate(table, "2026-10", "lao").columns["old_age_lump_sum_owed_unknown"]
    assert short.sum() >= 10
    dates = table.column("old_age_claim_date").to_numpy(zero_copy_only=False).astype("datetime64[D]")
    dated = np.where(short, np.datetime64("2026-10-15"), dates)
    index = table.column_names.index("old_age_claim_date")
    pq.write_table(table.set_column(index, "old_age_claim_date", pa.array(dated, pa.date32())), path)
    reform = folder / "lump_sum_provided.yaml"
    reform.write_text(PROVIDED, encoding="utf-8")
    ids = table.column("person_id").to_numpy(zero_copy_only=False)[short]
    return path, reform, ids


def test_the_lump_sums_owed_and_not_told_are_beneficiaries_in_a_simulation_and_a_comparison(lao_owed):
    path, reform, ids = lao_owed
    weights = pq.read_table(path, columns=["person_id", "weight"]).to_pandas().set_index("person_id")["weight"]
    owed = float(weights.loc[ids].sum())
    baseline = simulate(path, "2026-10", "lao")
    owing = simulate(path, "2026-10", load_reform(reform, resolve_system("lao")))
    assert owing.columns["old_age_lump_sum_entitled"].sum() == len(ids)
    assert _old_age(owing.totals())["beneficiaries"] == pytest.approx(
        _old_age(baseline.totals())["beneficiaries"] + owed
    )
    assert f"the lump sums owed to {count_text(owed)} persons {NO_FORMULA}" in _old_age(owing.totals())["note"]
    rows = compare(path, "2026-10", str(reform), "lao").branches.set_index("branch")
    change = rows.loc["old_age", "reform_beneficiaries"] - rows.loc["old_age", "baseline_beneficiaries"]
    assert change == pytest.approx(owed)


def test_the_lump_sums_owed_and_not_told_are_beneficiaries_in_every_year_projected(tmp_path: Path, lao_owed):
    """Each year moves the claims by whole years: the lump sums fall due in each year's month, owed by the reform,
    not told by the baseline (whether the law owes one was not found); the reform's old-age beneficiaries are the
    baseline's and the persons owed one, at their weights of that year."""
    path, reform, ids = lao_owed
    scenario = read_scenario(
        write_scenario(
            tmp_path,
            jurisdiction="lao",
            population=str(path),
            reform=str(reform),
            reform_from=2026,
            years={"first": 2026, "last": 2027},
        )
    )
    branches = project(scenario).branches
    old_age = branches[branches.branch == "old_age"].set_index(["year", "side"])["beneficiaries"]
    inputs = year_inputs(scenario)
    owed = np.isin(inputs.base.column("person_id").to_numpy(zero_copy_only=False), ids)
    for year in (2026, 2027):
        target = coverage_target(scenario, inputs.base_share, year)
        weights = ageing.year_weights(inputs.ageing, inputs.people, year, target).weights
        expected = old_age[(year, "baseline")] + float(weights[owed].sum())
        assert old_age[(year, "reform")] == pytest.approx(expected, rel=1e-12)
