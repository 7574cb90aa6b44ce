"""Amounts of dong and kip are whole: ``600.000`` (six hundred thousand, written as in Viet Nam) was read as 600 dong,
passed ``check`` and the law cases, and ``500,000`` was answered "write 500000 for thousands, or 500.000 for a
decimal comma" (an outside review). A value a thousand times off the one before it is a separator slip too."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from openfisca_sp.drafting.checks import check

ROOT = Path(__file__).resolve().parents[1]
AMOUNT = "social_pension/amount.yaml"
NEW_VALUE = """  2027-01-01:
    value: {value}
    metadata:
      status: unverified
      reference:
        - instrument: A decree of 2026
          article: Art 1
          href: http://x.org
"""


def _copy(tmp_path: Path, code: str) -> Path:
    root = tmp_path / code
    shutil.copytree(ROOT / "parameters" / code, root)
    return root


def _problems(path: Path) -> dict[int, str]:
    return {problem.line: problem.message for problem in check([path])}


def _value_line(path: Path, value: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return lines.index(f"    value: {value}") + 1


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("600.000", "value 600.000 reads as 600: VND amounts are whole dong; write 600000"),
        ("1.200.000", "value '1.200.000' is text: YAML reads no thousands separator; write 1200000"),
        ("600000.0", "value 600000.0 has a decimal point: VND amounts are whole dong; write 600000"),
        ("600000.5", "value 600000.5 is not whole: VND amounts are whole dong; write a whole number"),
    ],
)
def test_a_dong_amount_with_a_decimal_point_is_refused_at_its_line(tmp_path: Path, value: str, message: str) -> None:
    root = _copy(tmp_path, "vnm")
    path = root / AMOUNT
    path.write_text(path.read_text(encoding="utf-8") + NEW_VALUE.format(value=value), encoding="utf-8")
    found = _problems(path)
    assert message in found[_value_line(path, value)], found


def test_a_whole_dong_amount_passes(tmp_path: Path) -> None:
    root = _copy(tmp_path, "vnm")
    path = root / AMOUNT
    path.write_text(path.read_text(encoding="utf-8") + NEW_VALUE.format(value="600000"), encoding="utf-8")
    assert check([path]) == []


def test_thousands_separators_in_dong_are_never_taken_for_a_decimal_comma(tmp_path: Path) -> None:
    root = _copy(tmp_path, "vnm")
    path = root / AMOUNT
    path.write_text(path.read_text(encoding="utf-8").replace("value: 500000", "value: 500,000"), encoding="utf-8")
    (problem,) = check([path])
    assert "YAML reads no thousands separator; write 500000;" in problem.message
    assert "500.000" not in problem.message and "decimal comma" not in problem.message


def test_somoni_have_dirams(tmp_path: Path) -> None:
    """TJS amounts are to the diram: a fraction is an amount; a comma may still be a decimal one."""
    root = _copy(tmp_path, "tjk")
    path = root / "old_age/base_pension.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("value: 250", "value: 250.5", 1), encoding="utf-8")
    assert check([path]) == []
    path.write_text(text.replace("value: 250", "value: 2,500", 1), encoding="utf-8")
    (problem,) = check([path])
    assert "write 2500 for thousands, or 2.500 for a decimal comma" in problem.message


@pytest.mark.parametrize(("value", "times", "way"), [("600", 900, "below"), ("600000000", 1111, "above")])
def test_a_value_a_thousand_times_off_the_one_before_is_a_problem(
    tmp_path: Path, value: str, times: int, way: str
) -> None:
    """600 written for 600,000 is a whole number of dong: only its distance from the value before shows it."""
    root = _copy(tmp_path, "vnm")
    path = root / AMOUNT
    path.write_text(path.read_text(encoding="utf-8") + NEW_VALUE.format(value=value), encoding="utf-8")
    found = _problems(path)
    date = next(number for number, line in enumerate(path.read_text().splitlines(), 1) if "2027-01-01:" in line)
    assert f"is {value}, {times} times {way} the 540000 in force from 2026-07-01" in found[date], found
    assert "(a problem, not a warning: correct the value)" in found[date]


def test_a_parametric_reform_of_dong_is_held_to_whole_amounts(tmp_path: Path) -> None:
    reform = tmp_path / "raise.yaml"
    reform.write_text(
        "label: A raise\njurisdiction: vnm\nreference:\n  - instrument: A proposal\n    article: Art 1\n"
        "parameters:\n  social_pension.amount:\n    2027-01-01: 600.000\n",
        encoding="utf-8",
    )
    (problem,) = check([reform])
    assert (
        problem.line == 8 and "value 600.000 reads as 600: VND amounts are whole dong; write 600000" in problem.message
    )
