"""The analyst's commands say what is wrong in one line, and write files in the format their names say."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from openfisca_sp.cli import main


def _error(capsys: pytest.CaptureFixture[str], arguments: list[str]) -> str:
    assert main(arguments) == 2
    captured = capsys.readouterr()
    assert "\n" not in captured.err.strip() and "Traceback" not in captured.err
    return captured.err.strip()


def test_an_unknown_result_column_is_named_with_the_known_ones(capsys: pytest.CaptureFixture[str]) -> None:
    """``--columns maternity_benefit,nope`` printed only ``error: nope`` (a KeyError, after the whole run)."""
    error = _error(capsys, ["simulate", "sample:lao", "--columns", "maternity_benefit,nope", "--no-progress"])
    assert error.startswith("openfisca-sp simulate: error: unknown result column 'nope'; expected some of ")
    assert "maternity_benefit_start" in error


def test_results_and_totals_are_written_in_the_format_their_names_say(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--output r.csv`` wrote Parquet into r.csv, ``--totals t.json`` wrote CSV."""
    columns = "maternity_benefit,maternity_benefit_start"
    arguments = ["simulate", "sample:tjk", "--columns", columns, "--no-progress"]
    assert main([*arguments, "--output", str(tmp_path / "r.csv"), "--totals", str(tmp_path / "t.json")]) == 0
    results = pd.read_csv(tmp_path / "r.csv")
    assert list(results.columns) == [
        "person_id",
        "household_id",
        "weight",
        "maternity_benefit",
        "maternity_benefit_start",
    ]
    assert len(results) == 20_000
    totals = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))
    maternity = next(row for row in totals if row["branch"] == "maternity")
    assert maternity["cost"] is None and maternity["amount_modelled"] is not None  # not modelled: null, never 0
    assert main([*arguments, "--output", str(tmp_path / "r.parquet"), "--totals", str(tmp_path / "t.csv")]) == 0
    assert pq.read_table(tmp_path / "r.parquet").num_rows == 20_000
    assert pd.read_csv(tmp_path / "t.csv").shape[0] == 4
    capsys.readouterr()
    error = _error(capsys, [*arguments, "--output", str(tmp_path / "r.xlsx")])
    assert error.endswith("r.xlsx: written as Parquet (.parquet), Parquet (.pq), CSV (.csv), chosen by its name's "
                          "ending, not '.xlsx'")  # fmt: skip
    error = _error(capsys, [*arguments, "--totals", str(tmp_path / "t")])
    assert error.endswith("/t: written as CSV (.csv), JSON (.json), chosen by its name's ending, not no ending")
    assert not (tmp_path / "r.xlsx").exists() and not (tmp_path / "t").exists()


def test_an_unknown_jurisdiction_or_sample_is_one_plain_line(capsys: pytest.CaptureFixture[str]) -> None:
    """``reforms --jurisdiction laos`` printed nothing and exited 0; ``calibration sample:laos`` quoted its
    message twice (a KeyError's repr)."""
    error = _error(capsys, ["reforms", "--jurisdiction", "laos"])
    assert (
        error
        == "openfisca-sp reforms: error: unknown jurisdiction 'laos'; known jurisdictions: ilo_c102, lao, tjk, vnm"
    )
    error = _error(capsys, ["calibration", "sample:laos"])
    assert error == "openfisca-sp calibration: error: sample:laos: no shipped sample for 'laos'; samples: lao, vnm, tjk"
