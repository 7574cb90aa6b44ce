"""``openfisca test`` warns of a passing law case's inputs its computation never reads, at the input's line, and
does not fail on them: a case passed with wages of months no rule read, or a fact no output reads, in silence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from openfisca_sp.cli import main
from openfisca_sp.drafting.checks import Problem, check, check_all
from tests.openfisca_runs import law_case_file, openfisca_test

CASES = """- name: all read
  period: 2024-03
  input: {sex: female, contribution_months: 9, pregnancy_outcome: live_birth}
  output:
    maternity_benefit_eligible: true
- name: a fact no output reads
  period: 2024-03
  input:
    sex: female
    contribution_months: 9
    pregnancy_outcome: live_birth
    is_disabled: true
  output:
    maternity_benefit_eligible: true
- name: wages of a year before the window
  period: 2024-03
  input:
    persons:
      ana:
        sex: female
        contribution_months: 24
        pregnancy_outcome: live_birth
        insured_wage:
          2022-01: 2000000
          2023-09: 2000000
          2023-10: 2000000
          2023-11: 2000000
          2023-12: 2000000
          2024-01: 2000000
          2024-02: 2000000
  output:
    persons:
      ana:
        maternity_benefit: 1600000
"""


def test_openfisca_test_warns_of_unread_inputs_at_their_lines_and_passes(tmp_path: Path) -> None:
    path = law_case_file(tmp_path, CASES)
    result = openfisca_test(path)
    told = result.stdout + result.stderr
    assert result.returncode == 0, told[-3000:]
    assert "3 passed, 2 warnings" in told, told[-3000:]
    assert (
        f"{path}:12: UnreadInputWarning: case 'a fact no output reads' passes, but its computation does not read "
        "the input 'is_disabled' (no output reads it): the case tests nothing of it; remove it, or, if the case "
        "states it on purpose (to show that it does not matter), say so: keywords: [context is_disabled]"
    ) in told, told[-3000:]
    assert (
        f"{path}:24: UnreadInputWarning: case 'wages of a year before the window' passes, but its computation does "
        "not read 'insured_wage' of 2022-01 (the rules read it for 2023-09 to 2024-02)"
    ) in told, told[-3000:]
    assert "'all read'" not in told


def test_openfisca_test_names_the_unread_inputs_of_a_failing_case_after_its_failure(tmp_path: Path) -> None:
    """``check`` named them beside the value computed otherwise; ``openfisca test`` said "differs" alone."""
    failing = CASES.split("- name: wages of a year before the window")[1].replace("2023-", "2022-")
    path = law_case_file(tmp_path, "- name: wages of a year before the window" + failing)
    result = openfisca_test(path)
    told = result.stdout + result.stderr
    assert result.returncode == 1, told[-3000:]
    assert f"{path}:20:\n  Test 'wages of a year before the window':\n    maternity_benefit@2024-03: " in told, told
    assert (
        "\n    the computation does not read 'insured_wage' of 2022-01, 2022-09 to 2022-12 (the rules read it for "
        "2023-09 to 2024-02)\n"
    ) in told, told[-3000:]
    assert "UnreadInputWarning" not in told


def test_check_warns_of_a_passing_case_s_unread_inputs_at_their_lines_and_passes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``check`` named a case's unread inputs only beside a value computed otherwise; ``openfisca test`` warned of
    those of a passing case. ``check`` now tells them too, as warnings: they do not fail it."""
    path = law_case_file(tmp_path, CASES)
    fact = (
        "case 'a fact no output reads' passes, but its computation does not read the input 'is_disabled' (no output "
        "reads it): the case tests nothing of it; remove it, or, if the case states it on purpose (to show that it "
        "does not matter), say so: keywords: [context is_disabled]"
    )
    wages = (
        "case 'wages of a year before the window' passes, but its computation does not read 'insured_wage' of "
        "2022-01 (the rules read it for 2023-09 to 2024-02): the case tests nothing of it; give it for the months the "
        "rules read, or, if the case gives those months on purpose (to show that they do not count), say so: "
        "keywords: [context insured_wage]"
    )
    assert check_all([path]) == [Problem(str(path), 12, fact, True), Problem(str(path), 24, wages, True)]
    assert check([path]) == []
    assert main(["check", str(path)]) == 0
    told = capsys.readouterr()
    assert told.out == f"{path}:12: warning: {fact}\n{path}:24: warning: {wages}\n"
    assert "0 problems, 2 warnings in" in told.err
    assert main(["check", "--format", "json", str(path)]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["problems"] == [] and answer["warnings"][0] == {"file": str(path), "line": 12, "warning": fact}


VIET_NAM = """- name: Art 21(1), Decree 176/2025 — a woman of 75 without a pension gets VND 500,000 a month
  period: 2026-06  # before Decree 335/2026's 540,000 (July 2026)
  input:
    birth_date: 1951-06-01
    sex: female
    contribution_months: 0
    number_of_children_born: 2
  output:
    social_pension: 500000
"""


def test_openfisca_test_in_parallel_runs_on_the_folder_s_rules_and_tells_the_workers_warnings(tmp_path: Path) -> None:
    """Under ``--in-parallel`` openfisca-core's workers built the default jurisdiction's rules (Viet Nam's cases
    failed on Lao PDR's) and hid their warnings (``--disable-warnings``; a passing worker's output is not shown)."""
    path = law_case_file(tmp_path, VIET_NAM, "vnm")
    result = openfisca_test(path, "--in-parallel", "--num-workers", "1")
    told = result.stdout + result.stderr
    assert result.returncode == 0 and "All tests passed" in told, told[-3000:]
    assert (
        f"\n{path}:7: UnreadInputWarning: case 'Art 21(1), Decree 176/2025 — a woman of 75 without a pension gets "
        "VND 500,000 a month' passes, but its computation does not read the input 'number_of_children_born' (no "
        "output reads it): the case tests nothing of it; remove it, or, if the case states it on purpose (to show that "
        "it does not matter), say so: keywords: [context number_of_children_born]\n1 warning: each case still passes"
    ) in told, told[-3000:]
