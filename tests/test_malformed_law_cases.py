"""A malformed law case (a line out of indentation, a misspelt variable, a value not of its kind) is told as
``file:line: cause`` by ``legal-index``, ``explorer`` and ``diff``, never as a YAML or openfisca-core
traceback."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from openfisca_sp.cli import main
from tests.law_repository import committed_law

ROOT = Path(__file__).resolve().parents[1]
CASE = """- name: my case
  period: 2024-06
  input:
    birth_date: 1960-01-01
{line}
  output:
    old_age_pension_eligible: true
"""
MISTAKES = [
    ("     contribution_months: 200", 5, "bad indentation"),
    ("    contributions_months: 200", 5, "unknown variable 'contributions_months'"),
    ("    contribution_months: sixty", 5, "'sixty' of 'contribution_months' is not a whole number"),
    # an outside review: a month that does not exist was taken for a mapping not keyed by periods, and passed
    ("    contribution_months: {2024-13: 200}", 5, "'2024-13' of 'contribution_months' is not a period: a month"),
]


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A checkout with Lao PDR's parameters committed, and one law case file of its own."""
    repository = committed_law(tmp_path_factory.mktemp("checkout"))
    cases = repository / "tests" / "rules" / "lao"
    cases.mkdir(parents=True)
    shutil.copy(ROOT / "tests" / "rules" / "lao" / "old_age" / "decree_207_old_age_pension.yaml", cases)
    return repository


def _write_case(repository: Path, line: str) -> Path:
    path = repository / "tests" / "rules" / "lao" / "my_case.yaml"
    path.write_text(CASE.format(line=line), encoding="utf-8")
    return path


@pytest.mark.parametrize(("line", "at", "cause"), MISTAKES)
def test_legal_index_names_the_case_file_line_and_cause(
    repository: Path, line: str, at: int, cause: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write_case(repository, line)
    assert main(["legal-index", "--tests", str(repository / "tests" / "rules")]) == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith(f"openfisca-sp legal-index: error: {path}:{at}: ") and cause in error, error
    assert "\n" not in error and "Traceback" not in error


@pytest.mark.parametrize(("line", "at", "cause"), MISTAKES)
def test_the_explorer_lists_the_case_it_could_not_run_and_builds_the_rest(
    repository: Path, tmp_path: Path, line: str, at: int, cause: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write_case(repository, line)
    tests = repository / "tests" / "rules"
    arguments = ["explorer", "--output", str(tmp_path / "site"), "--jurisdiction", "lao", "--tests", str(tests)]
    assert main(arguments) == 0
    error = capsys.readouterr().err
    told = next(text for text in error.splitlines() if text.startswith("law case not run"))
    assert f"{path}:{at}: " in told and cause in told, error
    page = (tmp_path / "site" / "lao" / "index.html").read_text(encoding="utf-8")
    assert f"my_case.yaml:{at}:" in page


@pytest.mark.parametrize(("line", "at", "cause"), MISTAKES)
def test_diff_reports_a_case_it_cannot_compute_as_failing_not_unchanged(
    repository: Path, line: str, at: int, cause: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A case that fails under both sides was counted as computed and unchanged ("0 output(s) change")."""
    path = _write_case(repository, line)
    arguments = ["diff", "--jurisdiction", "lao", "HEAD", "WORKTREE", "--repository", str(repository)]
    assert main([*arguments, "--format", "json"]) == 0
    cases = json.loads(capsys.readouterr().out)["law_cases"]
    (failure,) = cases["failing"]
    assert failure["file"] == "tests/rules/lao/my_case.yaml" and failure["line"] == at and failure["sides"] == "both"
    assert cause in failure["cause"] and failure["case"] == (None if "indentation" in cause else "my case")
    computed = len(yaml.safe_load((repository / "tests/rules/lao/decree_207_old_age_pension.yaml").read_text()))
    assert cases["computed"] == computed and cases["changes"] == []
    assert main(arguments) == 0
    printed = capsys.readouterr().out
    assert f"of {computed} cases computed\n1 could not be computed (neither changed nor unchanged):" in printed
    assert f"    tests/rules/lao/my_case.yaml:{at}: " in printed and "fails under both: " in printed
    page = repository / "lao.html"
    assert main([*arguments, "--format", "html", "--output", str(page)]) == 0
    html = page.read_text(encoding="utf-8")
    assert "Law cases that could not be computed" in html and f"tests/rules/lao/my_case.yaml:{at}</code>" in html
    path.unlink()


def test_a_mistake_in_a_month_by_month_input_is_told_at_its_month(tmp_path: Path) -> None:
    """An outside review: ``2023-09: 3 000 000`` on line 13 was told at line 12, ``insured_wage:``; and a second
    mistake of the same history went unsaid."""
    from openfisca_sp.drafting.checks import check

    source = ROOT / "tests" / "rules" / "lao" / "maternity" / "nssf_maternity_benefit.yaml"
    folder = tmp_path / "lao"
    folder.mkdir()
    path = folder / source.name
    text = source.read_text(encoding="utf-8")
    text = text.replace("      2023-09: 3000000", "      2023-09: 3 000 000", 1)
    path.write_text(text.replace("      2023-10: 3000000", "      2023-13: 3000000", 1), encoding="utf-8")
    lines = text.splitlines()
    month = lines.index("      2023-09: 3 000 000") + 1
    assert lines[month - 2].strip() == "insured_wage:"
    found = {(problem.line, problem.message.split(" in the input")[0]) for problem in check([path])}
    assert found == {
        (month, "'3 000 000' of 'insured_wage' is not a number (written without quotes, in digits)"),
        (month + 1, "'2023-13' of 'insured_wage' is not a period: a month written YYYY-MM"),
    }, found


@pytest.mark.parametrize(
    ("written", "said"),
    [
        (".inf", "inf of 'insured_wage' is not a finite number"),
        (
            "1.0e+39",
            "1e+39 of 'insured_wage' is beyond what the rules hold for it (held as float32: -3.4e+38 to 3.4e+38)",
        ),
        ("1" + "0" * 400, "a whole number of 401 digits of 'insured_wage' is beyond what the rules hold for it"),
        ("1" + "0" * 5000, "a whole number of 5,001 digits: beyond any number the rules hold"),
    ],
)
def test_a_number_the_rules_cannot_hold_is_told_at_its_line(tmp_path: Path, written: str, said: str) -> None:
    """A hunt (stop 77): ``.inf`` was run (cast to an int32 or a float32 inf, a result computed from it), 10**23
    failed the case at its name's line with "Python int too large to convert to C long", and a number of 5,000
    digits stopped the reader with Python's own words and no line."""
    from openfisca_sp.drafting.checks import check

    source = ROOT / "tests" / "rules" / "lao" / "maternity" / "nssf_maternity_benefit.yaml"
    folder = tmp_path / "lao"
    folder.mkdir()
    path = folder / source.name
    text = source.read_text(encoding="utf-8").replace("      2023-09: 3000000", f"      2023-09: {written}", 1)
    path.write_text(text, encoding="utf-8")
    month = text.splitlines().index(f"      2023-09: {written}") + 1
    found = [(problem.line, problem.message) for problem in check([path])]
    assert [line for line, _ in found] == [month] and found[0][1].startswith(said), found


def test_a_whole_number_beyond_int32_is_told_at_its_line(tmp_path: Path) -> None:
    from openfisca_sp.drafting.checks import check

    source = ROOT / "tests" / "rules" / "lao" / "old_age" / "decree_207_old_age_pension.yaml"
    folder = tmp_path / "lao"
    folder.mkdir()
    path = folder / source.name
    text = source.read_text(encoding="utf-8").replace("contribution_months: 60", "contribution_months: 10000000000", 1)
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index("    contribution_months: 10000000000") + 1
    found = [(problem.line, problem.message.split(" in the input")[0]) for problem in check([path])]
    held = "is beyond what the rules hold for it (held as int32: -2,147,483,648 to 2,147,483,647)"
    assert found == [(line, f"10000000000 of 'contribution_months' {held}")], found


def _case_file(tmp_path: Path, change: str, into: str) -> Path:
    """Decree 207's first case with ``change`` written ``into``, alone in a Lao law case file."""
    source = ROOT / "tests" / "rules" / "lao" / "old_age" / "decree_207_old_age_pension.yaml"
    first = "\n\n- name:".join(source.read_text(encoding="utf-8").split("\n\n- name:")[:2])  # its comments, case 1
    assert change in first
    folder = tmp_path / "lao"
    folder.mkdir()
    path = folder / source.name
    path.write_text(first.replace(change, into, 1) + "\n", encoding="utf-8")
    return path


def test_an_input_written_as_empty_text_is_checked_as_no_input(tmp_path: Path) -> None:
    """A hunt (stop 77): ``input: ''`` ran the case on no facts, then failed reading its facts for the inputs no
    output reads: "AttributeError: 'str' object has no attribute 'items'"."""
    from openfisca_sp.drafting.checks import check

    text = (ROOT / "tests/rules/lao/old_age/decree_207_old_age_pension.yaml").read_text(encoding="utf-8")
    given = text.split("  input:\n")[1].split("  output:\n")[0]  # the first case's
    path = _case_file(tmp_path, "  input:\n" + given, "  input: ''\n")
    found = [problem.message for problem in check([path])]
    assert found and all("the rules compute" in message for message in found), found


def test_a_case_of_period_eternity_is_told_not_raised(tmp_path: Path) -> None:
    """A fuzz run (stop 78): ``period: ETERNITY`` raised pendulum's "ValueError: year -1 is out of range" inside
    ``check`` (the check of the inputs the rules compute looked for a formula on no day)."""
    from openfisca_sp.drafting.checks import check

    text = (ROOT / "tests/rules/lao/old_age/decree_207_old_age_pension.yaml").read_text(encoding="utf-8")
    period = "  period: " + text.split("  period: ")[1].split("\n")[0]
    path = _case_file(tmp_path, period, "  period: ETERNITY")
    found = check([path])
    assert found and all(problem.path == str(path) and problem.line for problem in found), found


def test_a_margin_of_hundreds_of_digits_is_told_by_its_count_of_digits(tmp_path: Path) -> None:
    """A hunt (stop 77): ``absolute_error_margin: {default: <400 digits>}`` raised OverflowError."""
    from openfisca_sp.drafting.checks import check

    path = _case_file(tmp_path, "{default: 0,", "{default: 1" + "0" * 400 + ",")
    found = [problem.message for problem in check([path])]
    assert any(message.startswith("absolute_error_margin inf is as large as the") for message in found), found


def test_a_margin_of_hundreds_of_digits_for_every_output_is_told_at_its_case(tmp_path: Path) -> None:
    """A hunt (stop 77): ``absolute_error_margin: -<400 digits>`` (one margin for every output) raised
    openfisca-core's OverflowError while the case was read."""
    from openfisca_sp.drafting.checks import check

    path = _case_file(tmp_path, "{default: 0, old_age_replacement_rate: 0.000001}", "-1" + "0" * 400)
    found = [(problem.line, problem.message) for problem in check([path])]
    assert found == [(5, "case 1 cannot be read: int too large to convert to float")], found
