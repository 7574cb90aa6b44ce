"""``openfisca-sp project``'s printed years hold the Gini and the notes of the report and JSON (an actuary's
review: the text and Markdown dropped both)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from openfisca_sp.cli import main
from tests.projection.scenarios import SOURCE, scenario_text, write_data


def _scenario(tmp_path: Path) -> Path:
    """Two years with a coverage path: the projection has notes (the path's own, at least)."""
    data = scenario_text(years={"first": 2026, "last": 2027})
    data["assumptions"]["coverage"] = [{"year": 2027, "value": 0.9, **SOURCE}]
    return write_data(tmp_path, "notes.yaml", data)


def test_the_printed_years_hold_the_gini_and_every_note(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scenario, data = _scenario(tmp_path), tmp_path / "all.json"
    assert main(["project", str(scenario), "--json", str(data)]) == 0
    text = capsys.readouterr().out
    projection = json.loads(data.read_text(encoding="utf-8"))
    notes = projection["meta"]["notes"]
    assert len(notes) >= 2 and any("the coverage path asks" in note for note in notes)
    header = text.splitlines()[1]
    assert header.split()[-1] == "Gini"
    for row in projection["years"]:
        assert f"{row['gini']:.3f}" in text
    for note in notes:
        assert f"note: {note}" in text.splitlines()
    output = tmp_path / "years.md"
    assert main(["project", str(scenario), "--format", "markdown", "--output", str(output)]) == 0
    assert capsys.readouterr().out == f"written: {output}\n"
    written = output.read_text(encoding="utf-8").splitlines()
    assert written[2].endswith("| poverty headcount | Gini |")
    for note in notes:
        assert f"- note: {note}" in written
