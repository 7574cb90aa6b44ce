"""Tajikistan's synthetic population and reforms: the pension capital, the sourced wage, the shipped sample and
what simulate and compare make of it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from openfisca_sp import tax_benefit_system
from openfisca_sp.analysis import compare
from openfisca_sp.cli import main
from openfisca_sp.population import simulate
from openfisca_sp.population.columns import needed_columns
from openfisca_sp.population.errors import PopulationError
from openfisca_sp.synthetic import generate, shape, wage_columns, write_parquet

MONTH = "2026-10"


def column(table: pa.Table, name: str) -> np.ndarray:
    return table.column(name).to_numpy(zero_copy_only=False)


@pytest.fixture(scope="module")
def tjk() -> pa.Table:
    return generate("tjk", 30_000, MONTH, seed=7)


@pytest.mark.parametrize("code", ["lao", "vnm", "ilo_c102"])
def test_no_pension_capital_where_the_rules_do_not_read_one(code: str) -> None:
    assert shape(code)["pension_capital"]["credited_rate"] == 0
    assert not column(generate(code, 2_000, MONTH, seed=1), "pension_capital").any()


def test_the_pension_capital_credits_the_insured_wages(tjk: pa.Table) -> None:
    spec = shape("tjk")["pension_capital"]
    assert 0 < spec["credited_rate"] <= spec["employer_contribution_rate"]
    assert spec["credited_from"] < wage_columns(MONTH)[0].split(".", 1)[1] and spec["revaluation_rate"] == 0
    capital, months = column(tjk, "pension_capital"), column(tjk, "contribution_months")
    assert np.all(capital[months == 0] == 0)
    wages = np.stack([column(tjk, name) for name in wage_columns(MONTH)]).sum(axis=0)
    assert np.all(capital >= np.round(spec["credited_rate"] * wages) - 0.5), "fewer credits than the history's wages"
    insured_now = column(tjk, wage_columns(MONTH)[-1]) > 0
    assert (capital[insured_now] > 0).all()
    # Before the history, at most the credited rate of a month's wage now for each month contributed.
    ceiling = spec["credited_rate"] * (wages + months * column(tjk, "career_average_insured_wage") * 3)
    assert np.all(capital <= ceiling + 0.5)


def test_the_insured_wages_average_the_sourced_average_wage(tjk: pa.Table) -> None:
    wages = shape("tjk")["wages"]
    month = column(tjk, f"insured_wage.{wages['as_of']}")
    assert month[month > 0].mean() == pytest.approx(wages["average"], rel=0.1)


def test_the_engine_reads_the_pension_capital_where_the_amount_is_modelled() -> None:
    """From 7 February to 30 June 2024 the base pension is known: a pension decided then reads the capital.
    (Claims dated before 7 February 2024 are decided by the rules of their day: amount not modelled.)"""
    table = generate("tjk", 4_000, "2024-03", seed=3)
    system = tax_benefit_system("tjk")
    assert "pension_capital" in [need.column for need in needed_columns(system, "2024-03", ["old_age_pension"])]
    columns = simulate(table, "2024-03", system).columns
    paid = np.asarray(columns["old_age_pension_eligible"]) & np.asarray(columns["old_age_pension_amount_modelled"])
    pension = np.asarray(columns["old_age_pension"])[paid]
    assert paid.sum() > 50 and np.all(pension >= 250)  # the base pension, the whole pension's floor
    capital = column(table, "pension_capital")[paid]
    assert np.allclose(pension, np.maximum(250 + capital / 180, 250), atol=0.006)
    assert (pension > 500).any() and (pension < 500).any()  # capitals below and above 45,000 (250 months' part)
    with pytest.raises(PopulationError, match="pension_capital"):
        simulate(table.drop(["pension_capital"]), "2024-03", system)


def test_the_r202_social_pension_on_the_tjk_sample_has_a_cost_and_beneficiaries() -> None:
    rows = compare("sample:tjk", MONTH, "r202_social_pension", "tjk").branches.set_index("branch")
    assert pd.isna(rows.loc["social_pension", "baseline_cost"])  # the law's state social pensions: not modelled
    assert rows.loc["social_pension", "reform_cost"] > 0 and rows.loc["social_pension", "reform_beneficiaries"] > 0
    assert rows.loc["social_pension", "reform_average_benefit"] == pytest.approx(362)
    assert rows.loc["old_age", "reform_beneficiaries"] == rows.loc["old_age", "baseline_beneficiaries"] > 0


def test_the_c183_maternity_reform_on_the_tjk_sample_pays_mothers_the_baseline_does_not() -> None:
    rows = compare("sample:tjk", MONTH, "tjk_maternity_c183", "tjk").branches.set_index("branch")
    assert rows.loc["maternity", "reform_beneficiaries"] > 0 and rows.loc["maternity", "reform_cost"] > 0
    # the baseline's maternity is provided by law but not modelled: neither whom it pays nor who loses under the
    # reform is known (not modelled, never 0)
    assert pd.isna(rows.loc["maternity", "baseline_beneficiaries"]) and pd.isna(rows.loc["maternity", "losers"])
    assert pd.isna(rows.loc["maternity", "baseline_cost"]) and pd.isna(rows.loc["maternity", "beneficiaries_change"])


def test_a_branch_with_no_sourced_rule_has_no_count_of_beneficiaries() -> None:
    """Tajikistan's maternity, unemployment and disability rules have no source: whom they pay is not modelled
    (None), never 0; the old-age pension's count stands, its amount not modelled."""
    totals = simulate("sample:tjk", MONTH, "tjk").totals().set_index("branch")
    for code in ("maternity", "unemployment", "disability"):
        assert pd.isna(totals.loc[code, "beneficiaries"]) and pd.isna(totals.loc[code, "cost"])
    assert totals.loc["old_age", "beneficiaries"] > 0 and pd.isna(totals.loc["old_age", "cost"])


def test_the_cli_reads_a_sample_with_its_own_rules_in_its_own_month(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", "sample:tjk", "--reform", "r202_social_pension", "--no-progress"]) == 0
    printed = capsys.readouterr().out
    assert "(amounts in TJS" in printed and "social_pension" in printed
    assert main(["simulate", "sample:tjk", "--month", MONTH, "--jurisdiction", "lao", "--no-progress"]) == 2
    assert "synthetic population of 'tjk'" in capsys.readouterr().err
    assert main(["simulate", "population.parquet", "--no-progress"]) == 2
    assert "--month is required" in capsys.readouterr().err


def test_an_empty_cell_of_the_mothers_facts_is_the_law_s_default() -> None:
    """A review: a table's children_raised column with an empty cell was refused ("the law gives no default for
    it"), though a table without the column applies the law's default: not stated, the general age and period."""
    table = pd.DataFrame(
        {
            "person_id": [1, 2],
            "household_id": [1, 2],
            "is_household_head": [True, True],
            "sex": ["female", "female"],
            "birth_date": pd.to_datetime(["1970-01-10", "1970-01-10"]),
            "contribution_months": [250, 250],
            "pension_capital": [10_000.0, 10_000.0],
            "children_raised": pd.array([5, None], dtype="Int64"),
            "raised_disabled_child": pd.array([None, False], dtype="boolean"),
        }
    )
    results = simulate(table, "2024-03", "tjk")  # women of 54 with 20 years: five children give the age of 53
    assert results.columns["old_age_pension_eligible"].tolist() == [True, False]


def test_the_cli_reads_a_synthesized_table_in_the_month_it_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A review as an analyst: a table written by ``synthesize`` names its jurisdiction and its month, and the
    commands took its jurisdiction but asked for --month ("except for a shipped sample")."""
    path = tmp_path / "tjk.parquet"
    write_parquet(path, "tjk", 40, MONTH, seed=1)
    assert main(["simulate", str(path), "--no-progress"]) == 0
    assert "(amounts in TJS, payable in the month" in capsys.readouterr().out
    assert main(["compare", str(path), "--reform", "r202_social_pension", "--no-progress"]) == 0
    assert "(amounts in TJS" in capsys.readouterr().out
    assert main(["calibration", str(path)]) == 0
    assert f"(tjk, {MONTH}) against official figures" in capsys.readouterr().out
