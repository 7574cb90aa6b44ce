"""``openfisca test`` (and pytest over ``tests/rules``) tells a failing law case at the line of the value it
expects, as ``openfisca-sp check`` does: a drafter's review found ``practice.yaml:`` / ``Test '…'`` and no line,
in files of twenty cases, several expecting the same variable."""

from __future__ import annotations

from pathlib import Path

from openfisca_sp.rules.law_case_lines import failure_line
from tests.openfisca_runs import law_case_file, openfisca_test

CASES = """- name: first
  period: 2024-03
  input: {sex: female, contribution_months: 9, pregnancy_outcome: live_birth}
  output:
    maternity_benefit_eligible: true
- name: second
  period: 2024-03
  input:
    persons:
      ana: {sex: female, contribution_months: 8, pregnancy_outcome: live_birth}
  output:
    persons:
      ana:
        maternity_benefit_eligible:
          2024-02: false
          2024-03: true
"""


def test_the_line_of_the_value_a_failure_is_about(tmp_path: Path) -> None:
    path = tmp_path / "cases.yaml"
    path.write_text(CASES, encoding="utf-8")
    assert failure_line(path, "first", "maternity_benefit_eligible@2024-03: [False] differs from True") == 5
    assert failure_line(path, "second", "maternity_benefit_eligible@2024-03: [False] differs from True") == 16
    assert failure_line(path, "second", "maternity_benefit_eligible@2024-02: [True] differs from False") == 15
    assert failure_line(path, "third", "maternity_benefit_eligible@2024-03: …") is None  # no such case: no line


def test_openfisca_test_tells_the_failing_value_at_its_line(tmp_path: Path) -> None:
    path = law_case_file(tmp_path, CASES)
    result = openfisca_test(path)
    assert result.returncode == 1, result.stdout[-2000:] + result.stderr[-2000:]
    assert f"{path}:16:\n  Test 'second':\n    maternity_benefit_eligible@2024-03: " in result.stdout, result.stdout
