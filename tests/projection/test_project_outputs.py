"""``openfisca-sp project``'s printed years hold the Gini and the notes of the report and JSON, and ``--output``
is written in the format its name ends with, or refused (an actuary's review: the text and Markdown dropped both,
and ``--output tjk.csv`` held the fixed-width text table)."""

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


@pytest.mark.parametrize(
    ("name", "options", "said"),
    [
        ("tjk.csv", [], "--output {path}: written as text (.txt), markdown (.md), json (.json), chosen by its name's"),
        ("years", [], "chosen by its name's ending, not no ending"),
        ("years.md", ["--format", "text"], "--output {path}: its ending names the markdown format, but --format is"),
    ],
)
def test_an_output_written_in_another_format_than_its_name_says_is_refused(
    tmp_path: Path, name: str, options: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / name
    assert main(["project", "scenario:tjk", "--output", str(path), *options]) == 2
    error = capsys.readouterr().err
    assert error.startswith("openfisca-sp project: error: ") and said.format(path=path) in error
    assert len(error.strip().splitlines()) == 1 and not path.exists()


def test_an_output_s_ending_chooses_its_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scenario = write_data(tmp_path, "one.yaml", scenario_text(years={"first": 2026, "last": 2026}, reform=None))
    output = tmp_path / "years.json"
    assert main(["project", str(scenario), "--output", str(output)]) == 0
    capsys.readouterr()
    assert [row["year"] for row in json.loads(output.read_text(encoding="utf-8"))["years"]] == [2026, 2026]
