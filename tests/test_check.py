"""``openfisca-sp check``: every drafter's mistake found at once, each with its file and line; and the JSON Schemas
editors validate with."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema_rs
import pytest
import yaml

from openfisca_sp.drafting.checks import check
from openfisca_sp.drafting.schemas import NAMES, build, schema_path, schema_text
from openfisca_sp.rules.parameter_loader import load_parameters
from openfisca_sp.rules.yaml_files import ParameterFileError

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
AGE = "old_age/pensionable_age/men.yaml"
MONTHS = "old_age/qualifying_period/minimum_months.yaml"
RATE = "maternity/benefit_rate.yaml"


def _edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text, (name, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _lao_cases(tmp_path: Path, text: str) -> Path:
    """Law cases ``text`` written as a file of Lao PDR's folder (``lao/cases.yaml``), as a drafter writes one."""
    folder = tmp_path / "lao"
    folder.mkdir()
    cases = folder / "cases.yaml"
    cases.write_text(text, encoding="utf-8")
    return cases


def _line(root: Path, name: str, text: str) -> int:
    lines = (root / name).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


@pytest.fixture(scope="module")
def broken(tmp_path_factory) -> Path:
    """A copy of Lao PDR's parameters with one mistake of each kind, each in a file of its own."""
    root = tmp_path_factory.mktemp("rules") / "lao"
    shutil.copytree(ROOT / "parameters" / "lao", root)
    _edit(root, AGE, "value: 720", "value: sixty")
    _edit(root, MONTHS, "value: 60", "value: -5")
    _edit(root, RATE, "metadata:\n  unit: /1", "metadata:\n\tunit: /1")
    _edit(root, "maternity/provided.yaml", "description:", "description: x\n   stray: 1\ndescription2:")
    _edit(root, "old_age/pensionable_age/women.yaml", "- instrument: Decree No. 207/PM (1999)", "- note: Decree")
    shutil.copy(root / MONTHS, root / "old_age" / "qualifying_period" / "minimum_mnths.yaml")
    return root


def test_the_shipped_rules_and_law_cases_have_no_problem() -> None:
    assert check([ROOT / "parameters", ROOT / "reforms", ROOT / "tests" / "rules"]) == []


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "minimum_months.live_birth:",
            "minimum_month.live_birth:",
            "maternity.qualifying_period.minimum_month.live_birth at 2026-01-01: no such parameter in the rules of "
            "'lao', nor one its branch declares; did you mean 'maternity.qualifying_period.minimum_months.live_birth'?",
        ),
        ("2026-01-01: 6", "2026-01-01: 6.5", "value 6.5 is not a whole number of months"),
        (  # an outside review: a mistyped year in a reform changed the months it applies to without a word
            "2026-01-01: 6",
            "2027-01-01: 4\n    2026-01-01: 6",
            "'2026-01-01' is out of order among the dates of parameter "
            "'maternity.qualifying_period.minimum_months.live_birth', which run oldest first in a reform "
            "('2027-01-01' comes before it): a mistyped year?",
        ),
    ],
)
def test_a_reform_is_checked_against_its_jurisdictions_rules(tmp_path: Path, old: str, new: str, message: str) -> None:
    """``check`` finds what ``compare`` would refuse: a path the rules lack, a value not of its parameter's kind."""
    reform = tmp_path / "lao_maternity.yaml"
    reform.write_text((ROOT / "reforms" / "lao_maternity_c183.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    _edit(tmp_path, reform.name, old, new)
    (problem,) = check([reform])
    assert problem.line == _line(tmp_path, reform.name, "2026-01-01:") and message in problem.message


def test_every_mistake_is_found_with_its_file_and_line(broken: Path) -> None:
    found = {(Path(problem.path).relative_to(broken).as_posix(), problem.line): problem.message
             for problem in check([broken])}  # fmt: skip
    expected = {
        (AGE, _line(broken, AGE, "value: sixty")): "'sixty' is not a number",
        (MONTHS, _line(broken, MONTHS, "value: -5")): "0 or more",
        (RATE, _line(broken, RATE, "\tunit")): "a tab character",
        ("maternity/provided.yaml", 2): "bad indentation",
        ("old_age/pensionable_age/women.yaml", None): "needs an 'instrument'",
        ("old_age/qualifying_period/minimum_mnths.yaml", 1): "minimum_months",
    }
    for (name, line), words in expected.items():
        matches = [message for (path, at), message in found.items() if path == name and (line is None or at == line)]
        assert any(words in message for message in matches), (name, line, words, found)


@pytest.mark.parametrize(
    ("name", "old", "new", "line_of", "message"),
    [
        (RATE, "unit: /1", "unit: percent", "unit: percent", "is in 'percent'; the formulas read it as a rate"),
        (
            AGE,
            "unit: month",
            "unit: months",
            "unit: months",
            "is in 'months'; the formulas read it as an age, in months (720 = 60 years)",
        ),
        (AGE, "metadata:\n  unit: month\nvalues:", "values:", "description:", "has no unit; the formulas read it"),
        (AGE, "  unit: month\n", "  note: in months\n", "metadata:", "has no unit; [...] write metadata.unit: month"),
        (
            "insured_wage/ceiling.yaml",
            "unit: LAK per month",
            "unit: kip",
            "unit: kip",
            "is in 'kip'; the formulas read it as an amount [...] write metadata.unit: its currency code, e.g. LAK",
        ),
    ],
)
def test_a_unit_the_formulas_do_not_read_is_refused(
    tmp_path: Path, name: str, old: str, new: str, line_of: str, message: str
) -> None:
    """A rate written as a percentage (``unit: percent``, ``value: 80``) paid amounts a hundred times too large;
    the unit is the one the branch declares, or the file is refused."""
    root = tmp_path / "lao"
    shutil.copytree(ROOT / "parameters" / "lao", root)
    _edit(root, name, old, new)
    problems = [problem for problem in check([root / name]) if "unit" in problem.message]
    assert [problem.line for problem in problems] == [_line(root, name, line_of)], problems
    assert all(part in problems[0].message for part in message.split(" [...] "))


@pytest.mark.parametrize(
    ("written", "told"),
    [(".nan", "is not a finite number"), ("1500.5", "is not a whole number of months"), ("-5", "is negative")],
)
def test_a_count_of_months_its_kind_refuses_is_told_once(tmp_path: Path, written: str, told: str) -> None:
    """The review of stop 78: the century's bound, extended to every count of time, told a NaN, a fraction or a
    number of 400 digits a second time ("is nan: a law counts no more than a century")."""
    root = tmp_path / "lao"
    shutil.copytree(ROOT / "parameters" / "lao", root)
    name = "old_age/qualifying_period/minimum_months.yaml"
    _edit(root, name, "value: 180", f"value: {written}")
    (problem,) = check([root])
    assert told in problem.message, problem.message


def test_a_duration_unit_of_the_wrong_kind_is_one_problem_at_its_line(tmp_path: Path) -> None:
    """A fuzz run (stop 78): ``duration.unit`` written as a list raised ``TypeError: unhashable type: 'list'``
    inside ``openfisca-sp check`` (the check of the durations' units read it as a name)."""
    root = tmp_path / "lao"
    shutil.copytree(ROOT / "parameters" / "lao", root)
    name = "maternity/duration/unit.yaml"
    _edit(root, name, "value: days", "value: []")
    (problem,) = check([root])
    assert (problem.path, problem.line) == (str(root / name), _line(root, name, "value: []")), problem
    assert "value [] is a list, not a name" in problem.message, problem.message


@pytest.mark.parametrize(
    ("code", "name", "old", "new", "message"),
    [
        # an outside review (an ILO auditor): a duration in weeks, read by the formulas in days, gave 0 problems
        (
            "tjk",
            "maternity/duration/single_birth.yaml",
            "unit: day",
            "unit: week",
            "'maternity.duration.single_birth' is in 'week' (metadata.unit), but its branch counts durations in days "
            "from 2013-01-01 ('maternity.duration.unit', [...]maternity/duration/unit.yaml): the formulas read its "
            "values as days; write metadata.unit: day and the values in days",
        ),
        (
            "vnm",
            "unemployment/duration/by_contribution_months.yaml",
            "amount_unit: month",
            "amount_unit: week",
            "is in 'week' (metadata.amount_unit), but its branch counts durations in months",
        ),
    ],
)
def test_a_duration_in_another_unit_than_its_branch_counts_in_is_refused(
    tmp_path: Path, code: str, name: str, old: str, new: str, message: str
) -> None:
    root = tmp_path / code
    shutil.copytree(ROOT / "parameters" / code, root)
    _edit(root, name, old, new)
    (problem,) = check([root])
    assert (problem.path, problem.line) == (str(root / name), _line(root, name, new)), problem
    assert all(part in problem.message for part in message.split("[...]")), problem.message
    with pytest.raises(ParameterFileError, match="but its branch counts durations in"):
        load_parameters(root)


def test_a_file_inside_a_tree_is_checked_with_its_tree_and_alone_in_the_answer(broken: Path) -> None:
    problems = check([broken / AGE])
    assert [Path(problem.path).name for problem in problems] == ["men.yaml"]
    assert "sixty" in problems[0].message


def test_law_case_mistakes_name_the_closest_variable_and_the_key(tmp_path: Path) -> None:
    cases = _lao_cases(
        tmp_path,
        "- name: a typo in an input\n"
        "  period: 2024-06\n"
        "  input:\n"
        "    contributions_months: 60\n"
        "  output:\n"
        "    old_age_pension_eligible: true\n"
        "- name: a typo in a key and a period\n"
        "  period: 2024-13\n"
        "  outputs:\n"
        "    age: 60\n",
    )
    found = [(problem.line, problem.message) for problem in check([cases])]
    assert any(line == 4 and "did you mean 'contribution_months'" in message for line, message in found), found
    assert any(line == 8 and "'2024-13' is not a period" in message for line, message in found), found
    assert any(line == 9 and "unexpected key 'outputs'" in message and "'output'" in message for line, message in found)
    assert any("needs 'output'" in message for _, message in found), found


def test_law_case_values_that_are_not_of_their_variable_are_found(tmp_path: Path) -> None:
    """A date that does not exist or is written otherwise, a reason misspelt: ``openfisca test`` failed on them
    with openfisca-core's or pandas' error and no line."""
    cases = _lao_cases(
        tmp_path,
        "- name: values of the wrong kind\n"
        "  period: 2024-06\n"
        "  input:\n"
        "    birth_date: 01/01/1952\n"
        "    child_birth_date: 1952-02-30\n"
        "    sex: femal\n"
        "  output:\n"
        "    old_age_pension_ineligibility_reason: eligble\n"
        "    old_age_pension_eligible: true\n",
    )
    found = {problem.line: problem.message for problem in check([cases])}
    assert "'01/01/1952' of 'birth_date' is not a date written YYYY-MM-DD (write 1952-01-01)" in found[4], found
    assert "'1952-02-30' of 'child_birth_date' is not a date that exists" in found[5], found
    assert "'femal' of 'sex' is not one of its names; did you mean 'female'?" in found[6], found
    assert "did you mean 'eligible'?" in found[8] and len(found) == 4, found


def test_a_law_case_reason_written_in_other_words_is_given_the_closest_and_a_number_read_otherwise(
    tmp_path: Path,
) -> None:
    """An outside review: not_enough_contributions had no suggestion (insufficient_contributions is 0.68 alike),
    and contribution_months: 060 was read as 48 by the test runner with nothing said."""
    cases = _lao_cases(
        tmp_path,
        "- name: a reason in other words\n"
        "  period: 2024-06\n"
        "  input:\n"
        "    contribution_months: 060\n"
        "  output:\n"
        "    old_age_pension_ineligibility_reason: not_enough_contributions\n",
    )
    found = {problem.line: problem.message for problem in check([cases])}
    assert found == {
        4: "'060' is read by this YAML reader as an octal number, for its leading zero, 48, and by others (YAML 1.2, "
        "editors) otherwise: write the number in plain decimal digits (60?)"
    }, found
    cases.write_text(cases.read_text(encoding="utf-8").replace("060", "60"), encoding="utf-8")
    found = {problem.line: problem.message for problem in check([cases])}
    assert "did you mean 'insufficient_contributions'?" in found[6], found


def test_law_case_text_for_numbers_and_booleans_and_a_period_of_the_wrong_length_are_found(tmp_path: Path) -> None:
    """``openfisca test`` fails on each (NumPy's dtype error, openfisca-core's period error, naming no line);
    ``check`` found none of them, and its hint called 2024-06-15 a period."""
    cases = _lao_cases(
        tmp_path,
        "- name: text where the variables take numbers and booleans\n"
        "  period: 2027-06\n"
        "  input:\n"
        "    contribution_months: sixty\n"
        "    insured_wage: lots\n"
        "  output:\n"
        "    old_age_pension_eligible: nope\n"
        "- name: a day for monthly variables\n"
        "  period: 2027-06-15\n"
        "  input:\n"
        "    contribution_months: 60\n"
        "  output:\n"
        "    old_age_pension_eligible: true\n"
        "- name: a year for a variable set per month, and a month of a history\n"
        "  period: 2027\n"
        "  input:\n"
        "    contribution_months: 60\n"
        "    insured_wage: {2027-06-15: 1000}\n"
        "  output:\n"
        "    age: {2027-01: 67}\n"
        "- name: a period that is none\n"
        "  period: 2024-13\n"
        "  output:\n"
        "    age: 60\n",
    )
    found = {problem.line: problem.message for problem in check([cases])}
    assert "'sixty' of 'contribution_months' is not a whole number" in found[4], found
    assert "'lots' of 'insured_wage' is not a number" in found[5], found
    assert "'nope' of 'old_age_pension_eligible' is not true or false" in found[7], found
    assert (
        "'contribution_months' is defined per month, and the period 2027-06-15 is a day: write a month, 2027-06"
        in (found[9])
    ), found
    assert "the period 2027 is a year: write a month, 2027-01" in found[15], found
    assert "'insured_wage' is defined per month, and the period 2027-06-15 is a day" in found[18], found
    assert "'2024-13' is not a period: write a month, 2024-06" in found[22] and "2024-06-15" not in found[22], found
    assert len(found) == 7, found


PASTED_SPACES = [  # (file, text, the same with a character pasted from Word or a PDF, its column, what it is)
    # an outside review (an ILO auditor): told as "bad indentation … mapping values are not allowed", a line late
    (
        "maternity/duration/single_birth.yaml",
        "    metadata:\n      status",
        "    metadata:\n     \u00a0status",
        6,
        "a non-breaking space (U+00A0)",
    ),
    ("maternity/duration/multiple_birth.yaml", "    value: 180", "    value:\u00a0180", 11, "(U+00A0)"),
    ("maternity/duration/unit.yaml", "      status", "     \u202fstatus", 6, "a narrow non-breaking space (U+202F)"),
    ("old_age/base_pension.yaml", "    value:", "  \u2007  value:", 3, "a figure space (U+2007)"),
    ("maternity/provided.yaml", "      status", "\ufeff      status", 1, "(U+FEFF, a byte order mark inside the file)"),
]


def test_a_space_pasted_from_word_or_a_pdf_is_named_at_its_line_and_column(tmp_path: Path) -> None:
    root = tmp_path / "tjk"
    shutil.copytree(ROOT / "parameters" / "tjk", root)
    for name, old, new, _, _ in PASTED_SPACES:
        _edit(root, name, old, new)
    found = {Path(problem.path).relative_to(root).as_posix(): problem for problem in check([root])}
    assert len(found) == len(PASTED_SPACES), found
    for name, _, new, column, what in PASTED_SPACES:
        problem = found[name]
        assert problem.line == _line(root, name, new.rsplit("\n", 1)[-1]), problem
        assert f"{what} at column {column}" in problem.message, problem
    assert "where YAML needs an ordinary space" in found[PASTED_SPACES[0][0]].message


def test_a_non_breaking_space_in_a_text_is_not_blamed_for_another_mistake(tmp_path: Path) -> None:
    """A non-breaking space inside a note is the note's own: the tab further down is the mistake."""
    cases = _lao_cases(tmp_path, "- name: Art.\u00a014 of the law\n  period: 2024-06\n  input:\n\t  sex: male\n")
    (problem,) = check([cases])
    assert (problem.line, problem.message) == (4, "a tab character: YAML indents with spaces only; replace the tab "
                                                  "with spaces")  # fmt: skip


def test_law_cases_and_reforms_name_a_pasted_space_too(tmp_path: Path) -> None:
    cases = _lao_cases(
        tmp_path, "- name: A case\n  period: 2024-06\n  input:\n    sex: male\n   \u00a0contribution_months: 3\n"
    )
    reform = tmp_path / "reform.yaml"
    text = (ROOT / "reforms" / "lao_maternity_c183.yaml").read_text(encoding="utf-8")
    reform.write_text(text.replace("\n  - instrument:", "\n \u00a0- instrument:", 1), encoding="utf-8")
    found = {Path(problem.path).name: problem for problem in check([cases, reform])}
    assert found["cases.yaml"].line == 5
    assert found["cases.yaml"].message.startswith("a non-breaking space (U+00A0) at column 4 where YAML needs")
    assert found["reform.yaml"].line == _line(tmp_path, "reform.yaml", "\u00a0- instrument:")
    assert found["reform.yaml"].message.startswith("a non-breaking space (U+00A0) at column 2 where YAML needs")


def test_the_command_prints_file_line_cause_and_fails(broken: Path) -> None:
    done = subprocess.run(
        [BIN / "openfisca-sp", "check", str(broken / AGE), str(broken / MONTHS)], capture_output=True, text=True
    )
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{broken / AGE}:{_line(broken, AGE, 'value: sixty')}: ")
    assert "2 problems" in done.stderr
    as_json = subprocess.run(
        [BIN / "openfisca-sp", "check", "--format", "json", str(broken / MONTHS)], capture_output=True, text=True
    )
    assert json.loads(as_json.stdout)["problems"][0]["line"] == _line(broken, MONTHS, "value: -5")


def test_the_command_passes_on_the_shipped_rules_outside_the_checkout(tmp_path: Path) -> None:
    done = subprocess.run([BIN / "openfisca-sp", "check"], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 problems" in done.stderr


@pytest.mark.parametrize("name", NAMES)
def test_the_shipped_schemas_are_the_ones_the_code_builds(name: str) -> None:
    assert schema_path(name).read_text(encoding="utf-8") == schema_text(name)


def _plain(value):
    """YAML as an editor's schema validator sees it (dates as text)."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value.isoformat() if hasattr(value, "isoformat") else value


def _files(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.yaml"))


def test_every_shipped_file_meets_its_schema() -> None:
    parameters = jsonschema_rs.validator_for(build("parameter-file"))
    cases = jsonschema_rs.validator_for(build("law-cases"))
    for path in _files("parameters"):
        assert parameters.is_valid(_plain(yaml.safe_load(path.read_text(encoding="utf-8")))), path
    for path in _files("tests/rules"):
        assert cases.is_valid(_plain(yaml.safe_load(path.read_text(encoding="utf-8")))), path


@pytest.mark.parametrize(
    ("value", "unit"),
    [("sixty", "month"), ("'660'", "month"), (-5, "month"), (6.5, "month"), (1.5, "/1"), (-1, "LAK per month")],
)
def test_the_parameter_schema_refuses_what_is_not_a_number_of_its_unit(value, unit: str) -> None:
    text = (
        f"description: x\nmetadata:\n  unit: {unit}\n  status: verified\n  reference: [{{instrument: A, article: Art 1, href: http://x.org}}]\n"
        f"values:\n  2020-01-01: {value}\n"
    )
    assert not jsonschema_rs.validator_for(build("parameter-file")).is_valid(_plain(yaml.safe_load(text)))


def test_the_parameter_schema_refuses_a_reference_without_instrument_or_article_and_an_unknown_status() -> None:
    validator = jsonschema_rs.validator_for(build("parameter-file"))
    linked = {"instrument": "A", "article": "1", "href": "https://example.org/law"}
    good = {"description": "x", "metadata": {"status": "verified", "reference": [linked]},
            "values": {"2020-01-01": 1}}  # fmt: skip
    assert validator.is_valid(good)
    by_id = {"instrument": "A", "article": "1", "source": "S26"}
    assert validator.is_valid({**good, "metadata": {"status": "verified", "reference": [by_id]}})
    # the link the README promises: a reference with neither href nor source is refused as the editor types
    assert not validator.is_valid(
        {**good, "metadata": {"status": "verified", "reference": [{"instrument": "A", "article": "1"}]}}
    )
    assert not validator.is_valid({**good, "metadata": {"status": "verified", "reference": [{"article": "1"}]}})
    assert not validator.is_valid({**good, "metadata": {"status": "verified", "reference": [{"instrument": "A"}]}})
    assert not validator.is_valid(
        {**good, "metadata": {"status": "sure", "reference": [{"instrument": "A", "article": "1"}]}}
    )
    assert not validator.is_valid({**good, "values": {"2020-13-01x": 1}})
