"""A law case that gives a variable the rules compute as an input overrides the law and passes whatever the law
says (an outside review: 2 months of contributions, ``maternity_benefit_eligible: true`` and ``maternity_benefit:
2400000`` under ``input`` passed ``check`` and ``openfisca test``). It is refused, but where the case says it
overrides the variable on purpose."""

from __future__ import annotations

from pathlib import Path

import pytest

from openfisca_sp.drafting.checks import check
from openfisca_sp.rules.law_case_runs import run_problems

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "tests" / "rules" / "lao" / "maternity" / "nssf_maternity_benefit.yaml"
OVERRIDDEN = "    contribution_months: 2\n    maternity_benefit_eligible: true\n    maternity_benefit: 2400000\n"


def _case_file(tmp_path: Path, old: str, new: str) -> Path:
    folder = tmp_path / "lao"
    folder.mkdir()
    path = folder / SOURCE.name
    text = SOURCE.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _lines(path: Path, *texts: str) -> list[int]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [lines.index(text) + 1 for text in texts]


def test_a_computed_variable_given_as_an_input_is_refused_by_check_and_the_test_run(tmp_path: Path) -> None:
    path = _case_file(tmp_path, "    contribution_months: 9\n", OVERRIDDEN)
    found = {problem.line: problem.message for problem in check([path])}
    eligible, amount = _lines(path, "    maternity_benefit_eligible: true", "    maternity_benefit: 2400000")
    assert set(found) == {eligible, amount}, found
    assert found[amount].startswith(
        "'maternity_benefit' is computed by the rules (it has a formula): as an input it replaces what the law "
        "computes, and the case tests nothing of it; move it to output to check it, or, if the case overrides it on "
        "purpose, say so: keywords: [overrides maternity_benefit]"
    ), found
    told = {problem.line for problem in run_problems(["openfisca", "test", str(path), "-c", "openfisca_sp"], "lao")}
    assert told == {eligible, amount}  # openfisca test stops on them too, none run


def test_an_override_the_case_declares_is_kept(tmp_path: Path) -> None:
    path = _case_file(
        tmp_path,
        "  period: 2024-03\n  input:\n    sex: female\n    contribution_months: 9\n",
        "  period: 2024-03\n  keywords: [overrides maternity_benefit_eligible, overrides maternity_benefit]\n"
        "  input:\n    sex: female\n" + OVERRIDDEN,
    )
    assert check([path]) == []


def test_an_override_of_a_variable_the_input_does_not_give_is_told(tmp_path: Path) -> None:
    path = _case_file(
        tmp_path, "  period: 2024-03\n", "  period: 2024-03\n  keywords: [overrides maternity_benefitt]\n"
    )
    (problem,) = check([path])
    assert problem.line == _lines(path, "  keywords: [overrides maternity_benefitt]")[0]
    assert "'overrides maternity_benefitt' of case 1" in problem.message
    assert problem.message.endswith("its input gives no 'maternity_benefitt'")


def test_a_fact_expected_as_an_output_is_refused_by_check_and_the_test_run(tmp_path: Path) -> None:
    """The mirror of an input the rules compute: ``contribution_months: 9`` under ``output`` compared the input with
    itself, and passed whatever the law said."""
    path = _case_file(tmp_path, "    maternity_benefit: 2400000\n", "    contribution_months: 9\n")
    (problem,) = check([path])
    lines = path.read_text(encoding="utf-8").splitlines()
    assert problem.line == [number for number, line in enumerate(lines, 1) if line == "    contribution_months: 9"][1]
    assert problem.message.startswith(
        "'contribution_months' is a fact the case states, not computed by the rules (it has no formula): as an "
        "output it checks only the input given or its default, and cannot fail whatever the law says; move it to "
        "input, and expect what the rules compute from it (the output of case 1"
    ), problem.message
    told = [problem.line for problem in run_problems(["openfisca", "test", str(path), "-c", "openfisca_sp"], "lao")]
    assert told == [problem.line]


@pytest.mark.parametrize(
    ("margin", "told"),
    [
        (
            "relative_error_margin: 1",
            "relative_error_margin 1 is 100%: it passes any amount from 0 to 2 times the one expected; a relative "
            "margin is a fraction, 0.01 for 1%",
        ),
        (
            "relative_error_margin: {default: 0, maternity_benefit: 5}",
            "relative_error_margin 5 of 'maternity_benefit' is 500%: it passes any amount from 0 to 6 times the one "
            "expected; a relative margin is a fraction, 0.01 for 1%",
        ),
        (
            "absolute_error_margin: 2500000",
            "absolute_error_margin 2500000 is as large as the 2400000 expected of 'maternity_benefit': the case passes "
            "where the rules compute 0; a margin is what the law's rounding allows (0.01)",
        ),
    ],
)
def test_a_margin_the_case_cannot_fail_within_is_refused(tmp_path: Path, margin: str, told: str) -> None:
    """``relative_error_margin: 1`` (meant as 1%) is 100% to openfisca-core: the case passed on an amount of 0."""
    path = _case_file(tmp_path, "  period: 2024-03\n", f"  period: 2024-03\n  {margin}\n")
    (problem,) = check([path])
    assert (problem.line, problem.message) == (_lines(path, f"  {margin}")[0], f"{told} (case 1 ('Live birth after "
        "exactly 9 months of contributions — 80% of the 6-month average, 105 days, grant 60%'))")  # fmt: skip
    path.write_text(path.read_text(encoding="utf-8").replace(margin, "absolute_error_margin: 0.01"), encoding="utf-8")
    assert check([path]) == []


def test_a_case_named_with_the_word_output_has_its_inputs_read_as_inputs(tmp_path: Path) -> None:
    """The checker told an input from an output by the word 'output' in its own wording, which names the case: every
    input of a case called '… no output reads it' was refused as a fact expected as an output."""
    first = SOURCE.read_text(encoding="utf-8").split("\n- name: ", 2)[1].split("\n", 1)[0]
    path = _case_file(tmp_path, first, "The birth grant is an output computed from the inputs")
    assert check([path]) == []
    assert run_problems(["openfisca", "test", str(path), "-c", "openfisca_sp"], "lao") == []
