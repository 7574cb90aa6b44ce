"""``openfisca-sp check`` runs the law cases, every jurisdiction's on its own rules: an outside review changed every
expected social pension of Viet Nam to 400000, and ``check`` said "0 problems", while ``openfisca test tests/rules``
sent the drafter to ``check``, "which runs every jurisdiction's cases on its own rules"."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from openfisca_sp.cli import main
from openfisca_sp.drafting.checks import check, check_all
from openfisca_sp.rules import jurisdictions

ROOT = Path(__file__).resolve().parents[1]
SOCIAL_PENSION = ROOT / "tests" / "rules" / "vnm" / "social_pension"


def _lines(path: Path, text: str) -> list[int]:
    return [number for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line == text]


@pytest.fixture
def wrong_amounts(tmp_path: Path) -> Path:
    """Viet Nam's social pension cases, every expected VND 500,000 and 540,000 written 400,000."""
    folder = tmp_path / "rules" / "vnm" / "social_pension"
    shutil.copytree(SOCIAL_PENSION, folder)
    for path in folder.glob("*.yaml"):
        text = path.read_text(encoding="utf-8").replace("social_pension: 500000", "social_pension: 400000")
        path.write_text(text.replace("social_pension: 540000", "social_pension: 400000"))
    return folder


def test_each_output_the_rules_compute_otherwise_is_a_problem_at_its_line(wrong_amounts: Path) -> None:
    path = wrong_amounts / "si_law_2024_social_pension.yaml"  # the only one expecting an amount
    found = check([wrong_amounts])
    assert [problem.line for problem in found] == _lines(path, "    social_pension: 400000"), found
    assert len(found) == 4 and all(problem.path == str(path) for problem in found)
    assert found[0].message.startswith(
        "case 'Art 21(1), Decree 176/2025 as Decree 335/2026 Art 31(1) amends it — a woman"
    )
    assert found[0].message.endswith("expects social_pension = 400000 in 2026-10; the rules compute 540000")


def test_the_command_fails_on_them(wrong_amounts: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(wrong_amounts)]) == 1
    captured = capsys.readouterr()
    assert captured.out.count("the rules compute 5") == 4 and "4 problems" in captured.err


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
    assert check_all([ROOT / "tests" / "rules"]) == []  # no problem, and no warning: each input not read is context


MATERNITY = """- name: Live birth after 9 months of contributions, 80% of the 6 months before
  period: 2024-03
  input:
    sex: female
    contribution_months: 9
    pregnancy_outcome: live_birth
    insured_wage: {WAGES}
  output:
    maternity_benefit: {EXPECTED}
"""
WAGES = "{2023-09: 3000000, 2023-10: 3000000, 2023-11: 3000000, 2023-12: 3000000, 2024-01: 3000000, 2024-02: 3000000}"


@pytest.mark.parametrize(
    ("old", "new", "computed", "unread"),
    [
        (  # the wages of the year before: kept by openfisca-core, read by no formula, the case failing on 0
            WAGES,
            WAGES.replace("2023-", "2022-").replace("2024-", "2023-"),
            "0",
            "'insured_wage' of 2022-09 to 2023-02 (the rules read it for 2023-09 to 2024-02)",
        ),
        (  # a fact of another branch
            "    sex: female\n",
            "    sex: female\n    is_disabled: true\n",
            "2400000",
            "the input 'is_disabled' (no output reads it)",
        ),
    ],
)
def test_an_output_computed_otherwise_names_the_inputs_the_computation_does_not_read(
    tmp_path: Path, old: str, new: str, computed: str, unread: str
) -> None:
    """A review: wages given a year early failed with "the rules compute 0", and nothing said why. The inputs not
    read are told where a value differs only: a case passing with one is not refused."""
    path = tmp_path / "lao" / "cases.yaml"
    path.parent.mkdir()
    case = MATERNITY.replace("{WAGES}", WAGES).replace(old, new)
    path.write_text(case.replace("{EXPECTED}", "2550000"))
    (problem,) = check([path])
    assert problem.message.endswith(
        f"expects maternity_benefit = 2550000 in 2024-03; the rules compute {computed}; the computation does not "
        f"read {unread}"
    ), problem.message
    path.write_text(case.replace("{EXPECTED}", computed))
    assert check([path]) == []
