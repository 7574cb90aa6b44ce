"""A law case says which inputs it states on purpose, knowing its computation does not read them (``keywords: [context
…]``): ``check`` printed 92 warnings of unread inputs on the shipped cases, most of them deliberate (a person's facts
under a branch not modelled), and a drafter's own slip was lost among them. Only an input not so stated is warned of,
and a context keyword whose input the computation reads is: it says the case tests less than it does."""

from __future__ import annotations

from pathlib import Path

import pytest

from openfisca_sp.drafting.checks import Problem, check, check_all
from openfisca_sp.rules import law_case_on_date
from tests.openfisca_runs import law_case_file, openfisca_test

CASES = """- name: a fact stated on purpose
  period: 2024-03
  keywords: [context is_disabled]
  input: {sex: female, contribution_months: 9, pregnancy_outcome: live_birth, is_disabled: true}
  output:
    maternity_benefit_eligible: true
- name: a fact stated on purpose and one by mistake
  period: 2024-03
  keywords: [context is_disabled]
  input:
    sex: female
    contribution_months: 9
    pregnancy_outcome: live_birth
    is_disabled: true
    disability_category: 1
  output:
    maternity_benefit_eligible: true
- name: a context keyword whose input is read
  period: 2024-03
  keywords: [context contribution_months]
  input: {sex: female, contribution_months: 9, pregnancy_outcome: live_birth}
  output:
    maternity_benefit_eligible: true
- name: wages of a year before the window, given on purpose
  period: 2024-03
  keywords: [context sex insured_wage]
  input:
    sex: female
    contribution_months: 24
    pregnancy_outcome: live_birth
    insured_wage:
      2022-01: 2000000
      month:2023-09:6: 2000000
  output:
    maternity_benefit: 1600000
"""

UNDECLARED = (
    "case 'a fact stated on purpose and one by mistake' passes, but its computation does not read the input "
    "'disability_category' (no output reads it): the case tests nothing of it; remove it, or, if the case states it on "
    "purpose (to show that it does not matter), say so: keywords: [context disability_category]"
)
STALE = (
    "case 'a context keyword whose input is read' states 'contribution_months' as context ('context "
    "contribution_months': an input its computation does not read), but its computation reads it: the case tests it; "
    "remove 'contribution_months' from the keyword"
)
SEX_STALE = (
    "case 'wages of a year before the window, given on purpose' states 'sex' as context ('context sex insured_wage': "
    "an input its computation does not read), but its computation reads it: the case tests it; remove 'sex' from the "
    "keyword"
)


def test_check_warns_of_an_undeclared_unread_input_and_of_a_stale_context_keyword_only(tmp_path: Path) -> None:
    path = law_case_file(tmp_path, CASES)
    assert check_all([path]) == [
        Problem(str(path), 15, UNDECLARED, True),
        Problem(str(path), 20, STALE, True),
        Problem(str(path), 26, SEX_STALE, True),
    ]
    assert check([path]) == []


def test_openfisca_test_warns_of_the_same_and_passes(tmp_path: Path) -> None:
    path = law_case_file(tmp_path, CASES)
    result = openfisca_test(path)
    told = result.stdout + result.stderr
    assert result.returncode == 0, told[-3000:]
    assert "4 passed, 3 warnings" in told, told[-3000:]
    for line, message in ((15, UNDECLARED), (20, STALE), (26, SEX_STALE)):
        assert f"{path}:{line}: UnreadInputWarning: {message}" in told, told[-3000:]
    assert "'is_disabled'" not in told and "'insured_wage' of" not in told


@pytest.mark.parametrize(
    ("keywords", "message"),
    [
        (
            "[context contribution_month]",
            "'context contribution_month': its input gives no 'contribution_month'; did you mean "
            "'contribution_months'?",
        ),
        ("[context]", "'context' names no input: write the inputs the case states on purpose after it"),
        (
            "[contxt is_disabled]",
            "'contxt is_disabled' is read as a label, not a declaration; did you mean 'context is_disabled'?",
        ),
        (
            "[Context is_disabled]",
            "'Context is_disabled' is read as a label, not a declaration; did you mean 'context is_disabled'?",
        ),
    ],
)
def test_a_context_keyword_that_names_no_input_of_the_case_is_a_problem(
    tmp_path: Path, keywords: str, message: str
) -> None:
    path = law_case_file(tmp_path, CASES.replace("[context is_disabled]", keywords, 1))
    assert check([path]) == [Problem(str(path), 3, f"{message} (case 1 ('a fact stated on purpose'))")]


def test_check_without_its_warnings_computes_the_cases_untraced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``check`` (problems only, as the tests ask) traced every passing case for warnings it then dropped."""
    path = law_case_file(tmp_path, CASES)
    built: list[object] = []

    class Recorded(law_case_on_date.SimulationBuilder):  # the real builder, each simulation it builds kept
        def build_from_dict(self, *arguments: object) -> object:
            built.append(super().build_from_dict(*arguments))
            return built[-1]

    monkeypatch.setattr(law_case_on_date, "SimulationBuilder", Recorded)
    assert check([path]) == []
    assert len(built) == 4 and not any(simulation.trace for simulation in built)
    built.clear()
    assert len(check_all([path])) == 3
    assert len(built) == 4 and all(simulation.trace for simulation in built)  # once each, traced
