"""``openfisca-sp check`` runs the law cases, every jurisdiction's on its own rules: an outside review changed every
expected social pension of Viet Nam to 400000, and ``check`` said "0 problems", while ``openfisca test tests/rules``
sent the drafter to ``check``, "which runs every jurisdiction's cases on its own rules"."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from openfisca_sp.cli import main
from openfisca_sp.drafting.checks import check
from openfisca_sp.rules import jurisdictions

ROOT = Path(__file__).resolve().parents[1]
SOCIAL_PENSION = ROOT / "tests" / "rules" / "vnm" / "social_pension"


def _lines(path: Path, text: str) -> list[int]:
    return [number for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line == text]


@pytest.fixture
def wrong_amounts(tmp_path: Path) -> Path:
    """Viet Nam's social pension cases, every expected VND 500,000 written 400,000."""
    folder = tmp_path / "rules" / "vnm" / "social_pension"
    shutil.copytree(SOCIAL_PENSION, folder)
    for path in folder.glob("*.yaml"):
        path.write_text(path.read_text(encoding="utf-8").replace("social_pension: 500000", "social_pension: 400000"))
    return folder


def test_each_output_the_rules_compute_otherwise_is_a_problem_at_its_line(wrong_amounts: Path) -> None:
    (path,) = wrong_amounts.glob("*.yaml")
    found = check([wrong_amounts])
    assert [problem.line for problem in found] == _lines(path, "    social_pension: 400000"), found
    assert len(found) == 3 and all(problem.path == str(path) for problem in found)
    assert found[0].message.startswith("case 'Art 21(1), Decree 176/2025 — a woman of 75 without a pension gets")
    assert found[0].message.endswith("expects social_pension = 400000 in 2026-10; the rules compute 500000")


def test_the_command_fails_on_them(wrong_amounts: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(wrong_amounts)]) == 1
    captured = capsys.readouterr()
    assert captured.out.count("the rules compute 500000") == 3 and "3 problems" in captured.err


def test_outputs_per_period_and_per_person_are_told_at_their_own_lines(tmp_path: Path) -> None:
    folder = tmp_path / "lao"
    folder.mkdir()
    path = folder / "cases.yaml"
    path.write_text(
        "- name: two months and a person\n"
        "  period: 2024-06\n"
        "  input:\n"
        "    persons:\n"
        "      ana: {birth_date: 1960-01-01, sex: female, contribution_months: 200}\n"
        "  output:\n"
        "    persons:\n"
        "      ana:\n"
        "        old_age_pension_eligible:\n"
        "          2024-06: false\n"
        "          2024-07: false\n",  # no contributions stated for July
        encoding="utf-8",
    )
    (problem,) = check([path])
    assert problem.line == 10, problem
    assert "expects ana.old_age_pension_eligible = false in 2024-06; the rules compute true" in problem.message


def test_every_jurisdictions_cases_run_on_its_own_rules_and_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    """What ``openfisca test tests/rules`` refuses to run in one go, and sends the drafter to ``check`` for."""
    monkeypatch.delenv(jurisdictions.ENVIRONMENT_VARIABLE, raising=False)
    refused = jurisdictions.MixedJurisdictionsError
    with pytest.raises(refused, match="openfisca-sp check, which runs every jurisdiction's cases"):
        jurisdictions.tested_here(["openfisca", "test", str(ROOT / "tests" / "rules"), "-c", "openfisca_sp"])
    assert check([ROOT / "tests" / "rules"]) == []
