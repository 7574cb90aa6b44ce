"""A drafter's slips in a new dated value (a misspelt key of a reference, a status left empty or capitalised, a
date written day first) are told once, at their line, with the word meant: never a second, misleading problem."""

from __future__ import annotations

import datetime
import re
import shutil
from pathlib import Path

import pytest

from openfisca_sp.drafting.checks import check
from openfisca_sp.rules.parameter_checks import latest_plausible
from openfisca_sp.rules.parameter_loader import load_parameters
from openfisca_sp.rules.yaml_files import ParameterFileError

ROOT = Path(__file__).resolve().parents[1]
WOMEN = Path("old_age/pensionable_age/women.yaml")
LAST = "          source: S31\n"  # the end of the file: the value of 2014-01-01's reference
NEW_VALUE = """  2027-01-01:
    value: 672
    metadata:
      status: unverified
      reference:
        - instrument: A law of 2026
          article: Art 1
          source: S31
"""
WHAT = "the value of parameter 'old_age.pensionable_age.women' at 2027-01-01"


def _problem(tmp_path: Path, old: str, new: str) -> tuple[int, str]:
    """The one problem ``check`` finds in Lao PDR's women's pensionable age given a value of 2027 with ``old``
    written ``new`` (the same as loading the rules raises): its line and message."""
    root = tmp_path / "lao"
    shutil.copytree(ROOT / "parameters" / "lao", root)
    path = root / WOMEN
    text = path.read_text(encoding="utf-8")
    assert text.endswith(LAST) and old in NEW_VALUE
    path.write_text(text + NEW_VALUE.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ParameterFileError) as raised:
        load_parameters(root)
    (problem,) = check([path])
    assert (problem.line, problem.message) == (raised.value.line, raised.value.reason)
    return problem.line - text.count("\n"), problem.message


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        (
            "          source: S31",
            "          sourse: S31",
            8,
            f"unexpected key 'sourse' in a reference of {WHAT}; did you mean 'source'? (expected one of ['article', "
            "'href', 'instrument', 'note', 'source'])",
        ),
        (
            "- instrument:",
            "- instrumnet:",
            6,
            f"unexpected key 'instrumnet' in a reference of {WHAT}; did you mean 'instrument'? (expected one of "
            "['article', 'href', 'instrument', 'note', 'source'])",
        ),
        (
            "status: unverified",
            "status:",
            4,
            f"the status of {WHAT} is empty: write one of ['verified', 'verified_2nd', 'unverified']",
        ),
        (
            "status: unverified",
            "status: Verified",
            4,
            f"status 'Verified' of {WHAT} must be one of ['verified', 'verified_2nd', 'unverified']; did you mean "
            "'verified'?",
        ),
        (
            "          source: S31",
            "          href: nssf.gov.la",
            8,
            f"the 'href' of a reference of {WHAT}, 'nssf.gov.la', is not a web address: write it whole, beginning "
            "http:// or https:// and the name of its site (https://nssf.gov.la)",
        ),
        (  # docs/drafting.md's example copied as it is: its link a placeholder
            "          source: S31",
            "          href: https://…",
            8,
            f"the 'href' of a reference of {WHAT}, 'https://…', is not a web address: write it whole, beginning "
            "http:// or https:// and the name of its site",
        ),
        ("2027-01-01:", "01/01/2027:", 1, "'01/01/2027' is not a date in the form YYYY-MM-DD (write 2027-01-01)"),
        ("2027-01-01:", "31/12/2026:", 1, "'31/12/2026' is not a date in the form YYYY-MM-DD (write 2026-12-31)"),
        ("2027-01-01:", "2027-1-1:", 1, "'2027-1-1' is not a date in the form YYYY-MM-DD (write 2027-01-01)"),
        (
            "2027-01-01:",
            "01/02/2027:",
            1,
            "'01/02/2027' is not a date in the form YYYY-MM-DD (write 2027-02-01, day first, or 2027-01-02, month "
            "first)",
        ),
        (  # its metadata a level up, among the dates: once, at its line, not also "has no reference and no status"
            "    metadata:\n",
            "  metadata:\n",
            3,
            "'metadata' is written at the level of the dates of parameter 'old_age.pensionable_age.women': it belongs "
            "to the dated value above it; indent it two spaces more than that date",
        ),
        (
            "  2027-01-01:",
            "2027-01-01:",
            1,
            "'2027-01-01' of parameter 'old_age.pensionable_age.women' is a date, indented as a key of the parameter: "
            "a dated value goes under 'values:', indented below it (two spaces more)",
        ),
        (
            "value: 672",
            "value: 1 000",
            2,
            "value '1 000' is text: YAML reads no space in a number; write 1000; expected a number of months (0 or "
            "more)",
        ),
        (
            "value: 672",
            "value: 12.5 %",
            2,
            "value '12.5 %' is a percentage: write a rate as a fraction, 0.125 for 12.5 %; expected a number of "
            "months (0 or more)",
        ),
        (
            "article: Art 1",
            "article: 50",
            7,
            f"the 'article' of a reference of {WHAT} is 50, a number: write it as text, with its word (article: Art 50)",
        ),
        (
            "    metadata:\n      status: unverified",
            "    status: unverified\n    metadata:",
            3,
            f"'status' of {WHAT} goes under its 'metadata:', indented below it, not beside 'value:'",
        ),
    ],
)
def test_a_slip_in_a_new_value_is_told_once_with_the_word_meant(
    tmp_path: Path, old: str, new: str, line: int, message: str
) -> None:
    assert _problem(tmp_path, old, new) == (line, message)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("", 1, "the file is empty (or holds comments only): a parameter file holds 'description:', 'metadata:'"),
        ("# to do\n", 1, "the file is empty (or holds comments only): a parameter file holds"),
        ("Women retire at 55\nunder the law\n", 1, "the file holds a line of text, not keys: a parameter file holds"),
        ("- 660\n", 1, "the file holds a list ('- ' items), not keys: a parameter file holds"),
        ("description: x\nunit: month\n", 2, "'old_age.pensionable_age.women.unit' must be a mapping"),
    ],
)
def test_a_file_with_no_parameter_in_it_is_told_at_its_line_what_a_parameter_file_holds(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    root = tmp_path / "lao"
    shutil.copytree(ROOT / "parameters" / "lao", root)
    (root / WOMEN).write_text(text, encoding="utf-8")
    with pytest.raises(ParameterFileError) as raised:
        load_parameters(root)
    assert (raised.value.path, raised.value.line) == (str(root / WOMEN), line)
    assert raised.value.reason.startswith(message), raised.value.reason
    assert (check([root / WOMEN])[0].line, check([root / WOMEN])[0].message) == (line, raised.value.reason)


def test_a_date_written_twice_is_told_at_both_lines(tmp_path: Path) -> None:
    text = (ROOT / "parameters" / "lao" / WOMEN).read_text(encoding="utf-8")
    first = text.splitlines().index("  2014-01-01:") + 1
    line, message = _problem(tmp_path, "2027-01-01:", "2014-01-01:")
    assert (line, message) == (
        1,
        f"duplicate key '2014-01-01': written at line {first} and again here; keep one of the two",
    )


CASE = "- name: Art 50 - a woman of 55\n  period: 2024-06\n  input:\n    sex: female\n  output:\n    age: 55\n"


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        (
            "  output:\n    age: 55\n",
            "  output:\n",
            5,
            "'output' of case 1 ('Art 50 - a woman of 55') is empty: write under it, indented, each value the rules "
            "must compute (old_age_pension_eligible: true)",
        ),
        (
            "  output:\n    age: 55\n",
            "",
            1,
            "case 1 ('Art 50 - a woman of 55') needs 'output': write under it, indented, each value the rules must "
            "compute (old_age_pension_eligible: true)",
        ),
        (
            "  period: 2024-06\n",
            "  period:\n",
            2,
            "'period' of case 1 ('Art 50 - a woman of 55') is empty: write the month the case is asked in (period: "
            "2024-06)",
        ),
        (
            "  period: 2024-06\n",
            "  period: 06/2024\n",
            2,
            "'06/2024' is not a period: write 2024-06 (the rules' variables are defined per month; sex and birth_date "
            "for ever)",
        ),
        (
            "  period: 2024-06\n",
            "  period: 2024-6\n",
            2,
            "'2024-6' is not a period: write 2024-06 (the rules' variables are defined per month; sex and birth_date "
            "for ever)",
        ),
        (  # a second expected value a level up, beside 'output:': was "unexpected key 'age'"
            "    age: 55\n",
            "    age: 55\n  age: 56\n",
            7,
            "'age' of case 1 ('Art 50 - a woman of 55') is a variable, written at the level of the case's keys: indent "
            "it under 'output:' (a value the rules compute) or 'input:' (a fact the case states)",
        ),
    ],
)
def test_a_law_case_without_its_output_or_period_or_with_them_mistyped_says_what_to_write(
    tmp_path: Path, old: str, new: str, line: int, message: str
) -> None:
    cases = tmp_path / "lao" / "cases.yaml"
    cases.parent.mkdir()
    cases.write_text(CASE.replace(old, new), encoding="utf-8")
    assert [(problem.line, problem.message) for problem in check([cases])] == [(line, message)]


@pytest.mark.parametrize(
    ("source", "saved_as", "message"),
    [
        (
            "old_age/qualifying_period/minimum_months.yaml",
            "maternity/minimum_months.yaml",
            "no branch reads a parameter 'maternity.minimum_months' here: a 'minimum_months' is read at "
            "maternity/qualifying_period/minimum_months.yaml or maternity/qualifying_period/prescribed_rest/"
            "minimum_months.yaml; move the file there",
        ),
        (
            "old_age/pensionable_age/women.yaml",
            "old_age/women.yaml",
            "no branch reads a parameter 'old_age.women' here: a 'women' is read at old_age/pensionable_age/women.yaml "
            "or ",
        ),
    ],
)
def test_a_parameter_file_in_the_wrong_folder_is_told_where_it_is_read(
    tmp_path: Path, source: str, saved_as: str, message: str
) -> None:
    root = tmp_path / "lao"
    shutil.copytree(ROOT / "parameters" / "lao", root)
    shutil.copy(root / source, root / saved_as)
    with pytest.raises(ParameterFileError) as raised:
        load_parameters(root)
    assert (raised.value.path, raised.value.line) == (str(root / saved_as), 1)
    assert raised.value.reason.startswith(message), raised.value.reason
    assert [problem.message for problem in check([root])] == [raised.value.reason]


def test_law_cases_in_a_folder_that_is_no_jurisdiction_are_refused_with_the_closest(tmp_path: Path) -> None:
    """``tests/rules/laos/``: its cases ran on the default's rules, and passed or failed for that reason."""
    misfiled = tmp_path / "tests" / "rules" / "laos" / "old_age" / "cases.yaml"
    misfiled.parent.mkdir(parents=True)
    misfiled.write_text(CASE, encoding="utf-8")
    filed = tmp_path / "tests" / "rules" / "lao" / "cases.yaml"
    filed.parent.mkdir(parents=True)
    filed.write_text(CASE, encoding="utf-8")
    assert [(problem.path, problem.line, problem.message) for problem in check([misfiled])] == [
        (
            str(misfiled),
            0,
            "'laos' is no jurisdiction: the cases of tests/rules/ go in the folder of the jurisdiction whose rules "
            "they run on (ilo_c102, lao, tjk, vnm); did you mean 'lao'?",
        )
    ]
    assert not [problem for problem in check([filed]) if "no jurisdiction" in problem.message]


@pytest.mark.parametrize(("written", "meant"), [("yes", "true"), ("no", "false"), ("On", "true"), ("off", "false")])
def test_a_boolean_other_yaml_readers_read_as_text_is_refused(tmp_path: Path, written: str, meant: str) -> None:
    """``value: yes`` loaded as true here, while the editors' schema (YAML 1.2) reads the text 'yes'."""
    root = tmp_path / "lao"
    shutil.copytree(ROOT / "parameters" / "lao", root)
    path = root / "old_age" / "provided.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    value: true", f"    value: {written}", 1), encoding="utf-8")
    line = text.splitlines().index("    value: true") + 1
    reason = (
        f"'{written}' is read by this YAML reader as {meant}, and by others (YAML 1.2, editors) as text: write {meant}"
    )
    with pytest.raises(ParameterFileError) as raised:
        load_parameters(root)
    assert (raised.value.path, raised.value.line, raised.value.reason) == (str(path), line, reason)
    cases = tmp_path / "tests" / "rules" / "lao" / "cases.yaml"
    cases.parent.mkdir(parents=True)
    cases.write_text(CASE.replace("age: 55", f"old_age_pension_eligible: {written}"), encoding="utf-8")
    assert [(problem.line, problem.message) for problem in check([cases])] == [(6, reason)]


def test_a_value_dated_far_ahead_is_a_mistyped_year_unless_its_note_says_the_law_schedules_it(tmp_path: Path) -> None:
    """A review: a value dated 2150 (2015 mistyped) passed ``check``, the calendar running to 2199. A value dated
    more than 30 years after today is refused at its line, unless its note says the law schedules it."""
    latest = latest_plausible(datetime.date.today())
    assert _problem(tmp_path, "2027-01-01:", "2150-01-01:") == (
        1,
        f"{WHAT.replace('2027-01-01', '2150-01-01')} is dated more than 30 years after today (after {latest}): a "
        "mistyped year (2150 for 2015?), or its metadata.note says why ('scheduled …' where the law sets a value "
        "that far ahead)",
    )
    root = tmp_path / "scheduled"
    shutil.copytree(ROOT / "parameters" / "lao", root)
    path = root / WOMEN
    far = NEW_VALUE.replace("2027-01-01:", "2150-01-01:").replace(
        "      status: unverified\n", "      status: unverified\n      note: scheduled by Art 1 from 2150\n"
    )
    path.write_text(path.read_text(encoding="utf-8") + far, encoding="utf-8")
    load_parameters(root)
    assert check([path]) == []


def test_the_latest_plausible_day_is_30_years_after_today_a_29_february_too() -> None:
    assert latest_plausible(datetime.date(2026, 12, 6)) == datetime.date(2056, 12, 6)
    assert latest_plausible(datetime.date(2028, 2, 29)) == datetime.date(2058, 2, 28)


def test_the_readme_s_example_of_a_malformed_file_is_what_the_loader_tells(tmp_path: Path) -> None:
    """README's drafter tour quoted the value without its status at line 6, where the loader tells its date's, 5."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quoted = re.search(
        r"`parameters/lao/(\S+\.yaml):(\d+): (the value of parameter\s+'[^']+' at \S+ has no status): …`", readme
    )
    assert quoted is not None
    root = tmp_path / "lao"
    shutil.copytree(ROOT / "parameters" / "lao", root)
    path = root / quoted[1]
    path.write_text(path.read_text(encoding="utf-8").replace("      status: verified_2nd\n", "", 1), encoding="utf-8")
    with pytest.raises(ParameterFileError) as raised:
        load_parameters(root)
    assert (raised.value.path, raised.value.line) == (str(path), int(quoted[2]))
    assert raised.value.reason.startswith(" ".join(quoted[3].split())), raised.value.reason


def test_a_law_case_copied_and_not_renamed_is_told_at_its_name(tmp_path: Path) -> None:
    """``openfisca test`` reports a failing case by its name: two of one name left the drafter to guess which."""
    cases = tmp_path / "lao" / "cases.yaml"
    cases.parent.mkdir()
    cases.write_text(CASE + CASE.replace("age: 55", "age: 56"), encoding="utf-8")
    assert [(problem.line, problem.message) for problem in check([cases])] == [
        (
            7,
            "case 2 is named as case 1 ('Art 50 - a woman of 55', line 1): a case copied and not renamed? name each "
            "case as the law does (instrument, article, the situation), so that a failure names one",
        )
    ]


@pytest.mark.parametrize(
    ("fact", "told"),
    [
        (
            "contribution_months: -300",
            "'-300' of 'contribution_months' is below 0: a fact the law counts or measures is never negative",
        ),
        (
            "disability_degree: 700",
            "'700' of 'disability_degree' is above 100, the most it can be (a percentage: 70 for 70%)",
        ),
        ("number_of_children_born: 200", "'200' of 'number_of_children_born' is above 20, the most it can be"),
    ],
)
def test_a_fact_out_of_the_law_s_bounds_is_refused_in_a_law_case_and_a_claim_case(
    tmp_path: Path, fact: str, told: str
) -> None:
    """A review: a law case with a loss of capacity of 700% (70 mistyped) passed, as /eligibility refuses it."""
    cases = tmp_path / "lao" / "cases.yaml"
    cases.parent.mkdir()
    cases.write_text(CASE.replace("    sex: female\n", f"    sex: female\n    {fact}\n"), encoding="utf-8")
    assert [(problem.line, problem.message) for problem in check([cases])] == [
        (5, f"{told} in the input of case 1 ('Art 50 - a woman of 55')")
    ]
    claims = tmp_path / "claims" / "lao" / "claims.yaml"
    claims.parent.mkdir(parents=True)
    claims.write_text(
        f"- name: a claim\n  as_of: 2024-06-15\n  person:\n    sex: female\n    {fact}\n  expected: {{}}\n",
        encoding="utf-8",
    )
    assert [(problem.line, problem.message) for problem in check([claims])] == [
        (5, f"{told} in the person of claim case 1 ('a claim')")
    ]


def test_a_fact_left_beside_the_members_of_an_input_is_told_at_its_line(tmp_path: Path) -> None:
    """The drafter's routine, tried: a case turned from flat facts to ``persons:`` with one fact left flat failed in
    openfisca-core ("variable 'persons' … not found"), at the case's line under ``check`` and no line under
    ``openfisca test``."""
    from openfisca_sp.rules.law_case_runs import run_problems

    cases = tmp_path / "lao" / "cases.yaml"
    cases.parent.mkdir()
    cases.write_text(
        "- name: Art 5 - a mother\n  period: 2024-03\n  input:\n    persons:\n      ana:\n        sex: female\n"
        "    contribution_months: 24\n  output:\n    maternity_benefit_eligible: true\n",
        encoding="utf-8",
    )
    told = (
        "'contribution_months' is written beside 'persons:' in the input of case 1 ('Art 5 - a mother'): where the "
        "input names its members, each fact goes under its member (indent it under 'ana:', with the member's other "
        "facts), or write every fact flat, without 'persons:'"
    )
    assert [(problem.line, problem.message) for problem in check([cases])] == [(7, told)]
    assert [(problem.line, problem.reason) for problem in run_problems(["openfisca", "test", str(cases)], "lao")] == [
        (7, told)
    ]
