"""Claim cases with mistakes (an outside review): a misspelt fact (``is_disabld``) was left out and the case passed;
a misspelt branch gave ``KeyError: 'social_pensions'``; ``as_of: 2026-13-15`` stopped the collection of the file
with "month must be in 1..12" and no line; ``birth_date: 1950-02-30`` gave "day is out of range"; and ``check``
read a claim file as law cases ("needs 'output'"). Each is now ``file:line: cause``, with the closest name; the
case fails alone and the others run; ``check`` reads claim files as claim files."""

from __future__ import annotations

from pathlib import Path

import pytest

from openfisca_sp.drafting.checks import check
from tests.claim_cases import ClaimFile, run_case

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "tests" / "claims" / "vnm" / "social_pension.yaml"
MISTAKES = [  # (what the case says, what it says with the mistake, the problem told at that line)
    ("    is_disabled: false\n", "    is_disabld: false\n", "'is_disabld' in the person of claim case 1 ("),
    (
        "    social_pension: {decision: eligible, amount: 540000}",
        "    social_pensions: {decision: eligible, amount: 540000}",
        "'social_pensions' in the expected of claim case 2 (",
    ),
    ("  as_of: 2026-10-15\n  person:\n    birth_date: 1953-03-01\n    sex: male\n    contribution_months: 0\n"
     "    is_disabled: false\n    poor_or_near_poor_household: false\n",
     "  as_of: 2026-13-15\n  person:\n    birth_date: 1953-03-01\n    sex: male\n    contribution_months: 0\n"
     "    is_disabled: false\n    poor_or_near_poor_household: false\n",
     "'2026-13-15', the date claim case 3 ("),
    ("    birth_date: 1957-03-01\n", "    birth_date: 1950-02-30\n", "'1950-02-30' of 'birth_date' is not a date that"),
]  # fmt: skip
ENDINGS = [
    "is no fact; did you mean 'is_disabled'?",
    "is no branch; did you mean 'social_pension'?",
    "is asked on, is not a date that exists",
    "exists in the person of claim case 7 (",
]


@pytest.fixture
def mistaken(tmp_path: Path) -> Path:
    """Viet Nam's social pension claim cases, with the four mistakes, in a ``claims/vnm`` folder."""
    folder = tmp_path / "claims" / "vnm"
    folder.mkdir(parents=True)
    path = folder / SOURCE.name
    text = SOURCE.read_text(encoding="utf-8")
    for old, new, _ in MISTAKES:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return path


def _line(path: Path, text: str) -> int:
    first = text.strip().splitlines()[0].strip()
    return next(number for number, line in enumerate(path.read_text().splitlines(), 1) if line.strip() == first)


def test_check_tells_each_mistake_of_a_claim_file_at_its_line(mistaken: Path) -> None:
    found = check([mistaken])
    wanted = [(_line(mistaken, new), told, ending) for (_, new, told), ending in zip(MISTAKES, ENDINGS, strict=True)]
    assert [problem.line for problem in found] == [line for line, _, _ in wanted], found
    for problem, (_, told, ending) in zip(found, wanted, strict=True):
        assert problem.message.startswith(told) and ending in problem.message, problem
    assert not any("output" in problem.message or "as_of" in problem.message.split(":")[0] for problem in found)


def test_check_reads_the_shipped_claim_files_as_claim_files() -> None:
    assert check([ROOT / "tests" / "claims"]) == []


@pytest.mark.parametrize(
    ("old", "new", "told"),
    [
        ("contribution_months: 0", "contribution_months: none", "'none' of 'contribution_months' is not a whole"),
        ("sex: female", "sex: femal", "'femal' of 'sex' is not one of its names; did you mean 'female'?"),
        ("birth_date: 1950-01-01", "old_age_pension: 0", "'old_age_pension' in the person of claim case 1 ("),
        ("  as_of: 2026-10-15\n", "  as_of: 2026-10-15\n  asked_on: 2026-10-15\n", "unexpected key 'asked_on'"),
        ("  as_of: 2026-10-15\n", "  as_of: 15/10/2026\n", "is not a date written YYYY-MM-DD (write 2026-10-15)"),
    ],
)
def test_values_of_the_wrong_kind_and_keys_no_claim_has_are_told(mistaken: Path, old: str, new: str, told: str) -> None:
    text = SOURCE.read_text(encoding="utf-8")
    mistaken.write_text(text.replace(old, new, 1), encoding="utf-8")
    (problem,) = check([mistaken])
    assert told in problem.message and problem.line == _line(mistaken, new.splitlines()[-1]), problem


def test_a_case_with_a_mistake_fails_alone_and_the_others_run(mistaken: Path, request: pytest.FixtureRequest) -> None:
    items = list(ClaimFile.from_parent(request.session, path=mistaken).collect())
    assert len(items) == SOURCE.read_text(encoding="utf-8").count("\n- name:")
    failed = {}
    for number, item in enumerate(items, 1):
        try:
            item.runtest()
        except AssertionError as error:
            failed[number] = str(error)
    assert sorted(failed) == [1, 2, 3, 7], failed
    assert failed[3].startswith(f"{mistaken}:{_line(mistaken, MISTAKES[2][1])}: '2026-13-15', the date claim case 3")


def test_a_field_the_answer_does_not_have_is_named_with_the_closest() -> None:
    case = {
        "name": "a misspelt field",
        "as_of": "2026-10-15",
        "person": {"birth_date": "1950-01-01", "sex": "female", "contribution_months": 0, "is_disabled": False},
        "expected": {"social_pension": {"decision": "eligible", "reson": None}},
    }
    assert run_case("vnm", case) == ["social_pension.reson: no such field in the answer; did you mean 'reason'?"]
