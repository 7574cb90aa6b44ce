"""A projection over a person table without an income column runs as ``compare`` does: poverty and inequality not
measured, and the note that says so, once (an analyst's review: ``project`` raised ``AttributeError: 'DataFrame'
object has no attribute 'dimension'`` from the command line, Python and a scenario's ``population:``)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from openfisca_sp.analysis.poverty import NOT_MEASURED
from openfisca_sp.cli import main
from openfisca_sp.projection import project
from openfisca_sp.synthetic import sample_path
from tests.projection.scenarios import write_scenario

NOTE = "No income column: income deciles rank households by insured wages (insured_wage.2026-09); poverty and"


@pytest.fixture(scope="module")
def without_income(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("income") / "vnm_no_income.parquet"
    pd.read_parquet(sample_path("vnm")).drop(columns=["income"]).to_parquet(path)
    return path


def test_a_projection_without_income_says_poverty_is_not_measured(tmp_path: Path, without_income: Path) -> None:
    scenario = write_scenario(tmp_path, years={"first": 2026, "last": 2027}, population=str(without_income))
    projection = project(scenario.as_posix())
    notes = [note for note in projection.meta["notes"] if note.startswith("No income column")]
    assert len(notes) == 1 and notes[0].startswith(NOTE)  # once, of the base table's column, not once a year
    years = projection.years
    assert years["poverty_headcount"].isna().all() and years["gini"].isna().all()
    assert (years["poverty_note"] == NOT_MEASURED).all() and (years["gini_note"] == NOT_MEASURED).all()
    assert years["cost"].notna().all()  # the rest of the projection stands


def test_project_without_income_writes_its_report_json_and_years(
    tmp_path: Path, without_income: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = write_scenario(tmp_path, years={"first": 2026, "last": 2026}, reform_from=2026)
    report, data = tmp_path / "p.html", tmp_path / "p.json"
    arguments = ["project", str(scenario), "--population", str(without_income), "--report", str(report)]
    assert main([*arguments, "--json", str(data)]) == 0
    printed = capsys.readouterr().out
    assert f"note: {NOTE}" in printed and "not measured" in printed and "not modelled" not in printed.split("\n")[2]
    written = json.loads(data.read_text(encoding="utf-8"))
    assert any(note.startswith(NOTE) for note in written["meta"]["notes"])
    assert {row["gini_note"] for row in written["years"]} == {NOT_MEASURED}
    page = report.read_text(encoding="utf-8")
    assert NOTE in page and ">not measured<" in page
