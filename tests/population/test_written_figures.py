"""Totals are summed in float64 and written as the law rounds money and as counts of persons are meant: an average
of beneficiaries over months is printed with the decimals it has (never a false 0), and no file holds the noise of
a float64 sum (10420.199999999997)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from openfisca_sp.cli import main
from openfisca_sp.cli.result_files import written_totals
from openfisca_sp.rules.wording import count_text, count_value
from tests.population.fixtures import mothers_table

ASSUME = ["--assume", "is_available_for_work=false", "--assume", "separation_reason=not_separated"]


@pytest.fixture
def mothers(tmp_path: Path) -> Path:
    """Two Lao mothers of weights 0.1 and 0.2 (their sum in float64: 0.30000000000000004), a birth each."""
    table = mothers_table(
        {"a": 3_000_000, "b": 2_500_000}, {"a": "2026-07-10", "b": "2026-09-03"}, {"a": 0.1, "b": 0.2}
    )
    path = tmp_path / "mothers.csv"
    table.to_csv(path, index=False)
    return path


def _row(printed: str, branch: str) -> list[str]:
    return next(line.split() for line in printed.splitlines() if line.split()[:1] == [branch])


def test_an_average_of_beneficiaries_over_months_is_printed_with_its_decimals_not_as_0(
    mothers: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``simulate --year`` printed an average of 0.15 beneficiaries (0.3 in 6 of the 12 months) as "0"."""
    arguments = ["simulate", str(mothers), "--jurisdiction", "lao", "--month", "2026-10", "--no-progress", *ASSUME]
    assert main([*arguments, "--year", "--totals", str(tmp_path / "year.json")]) == 0
    average = json.loads((tmp_path / "year.json").read_text(encoding="utf-8"))[1]["average_beneficiaries"]
    assert 0 < average < 0.5
    assert _row(capsys.readouterr().out, "maternity")[4] == count_text(average) != "0"
    assert main(arguments) == 0  # the month's 0.30000000000000004 beneficiaries: 0.3, and its note says 0.3
    printed = capsys.readouterr().out
    assert _row(printed, "maternity")[3] == "0.3"
    assert "the claims granted to 0.3 persons" in printed


def test_totals_files_hold_no_float_noise(mothers: Path, tmp_path: Path) -> None:
    """The ``--totals`` CSV and JSON held 0.30000000000000004 beneficiaries and money summed in float64 to more
    decimals than the currency has; both now hold what is printed: money to the kip, counts without noise."""
    arguments = ["simulate", str(mothers), "--jurisdiction", "lao", "--month", "2026-10", "--no-progress", *ASSUME]
    for name in ("month.csv", "month.json", "year.csv", "year.json"):
        year = ["--year"] if name.startswith("year") else []
        assert main([*arguments, *year, "--totals", str(tmp_path / name)]) == 0
    month_csv = pd.read_csv(tmp_path / "month.csv").set_index("branch")
    month_json = pd.DataFrame(json.loads((tmp_path / "month.json").read_text(encoding="utf-8"))).set_index("branch")
    assert (tmp_path / "month.csv").read_text(encoding="utf-8").count("0.3,") == 1  # beneficiaries, not 0.3000…04
    assert month_csv.loc["maternity", "beneficiaries"] == month_json.loc["maternity", "beneficiaries"] == 0.3
    for path in (tmp_path / "year.csv", tmp_path / "year.json", tmp_path / "month.csv", tmp_path / "month.json"):
        text = path.read_text(encoding="utf-8")
        assert "00000000" not in text and "99999999" not in text, path.name
    year = pd.read_csv(tmp_path / "year.csv").set_index("branch")
    assert year.loc["maternity", "lump_sums"] == round(year.loc["maternity", "lump_sums"])  # LAK: no decimals


def test_written_totals_round_money_to_the_currency_and_counts_without_noise() -> None:
    """TJS to the diram (10420.199999999997 is 10420.2), a count to a hundredth, not modelled left empty."""
    totals = pd.DataFrame(
        {
            "branch": ["old_age", "maternity"],
            "beneficiaries": [0.30000000000000004, None],
            "cost": [10420.199999999997, None],
            "average_benefit": [34735.33333333333, None],
            "amount_modelled": [True, False],
        }
    )
    written = written_totals(totals, 2)
    assert written.loc[0, ["beneficiaries", "cost", "average_benefit"]].tolist() == [0.3, 10420.2, 34735.33]
    assert written.loc[1, ["beneficiaries", "cost", "average_benefit"]].isna().all()
    assert written["amount_modelled"].tolist() == [True, False]


@given(st.floats(min_value=0, max_value=1e10, allow_nan=False))
def test_a_count_is_never_written_0_unless_it_is_and_stays_within_a_hundredth(number: float) -> None:
    value = count_value(number)
    assert (value == 0) == (number == 0)
    assert math.isclose(value, number, abs_tol=0.005, rel_tol=0.05)
    assert float(count_text(number).replace(",", "")) == value


def test_compare_json_holds_its_counts_without_float_noise(mothers: Path, tmp_path: Path) -> None:
    """``compare --json`` held 0.30000000000000004 beneficiaries, members and persons covered (25 figures here);
    counts of persons are written as ``simulate`` writes them."""
    arguments = ["compare", str(mothers), "--jurisdiction", "lao", "--month", "2026-10", "--no-progress", *ASSUME]
    assert main([*arguments, "--reform", "lao_maternity_c183", "--json", str(tmp_path / "c.json")]) == 0
    data = json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))
    maternity = next(row for row in data["branches"] if row["branch"] == "maternity")
    assert maternity["baseline_beneficiaries"] == maternity["reform_beneficiaries"] == 0.3
    text = (tmp_path / "c.json").read_text(encoding="utf-8")
    assert "0000000" not in text and "9999999" not in text
