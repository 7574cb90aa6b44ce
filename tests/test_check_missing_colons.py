"""A key written without its colon is told at its own line, as a missing ':' (an outside review: ``value 0.8`` on
line 6 was told as "bad indentation" on line 7, and ``pregnancy_outcome live_birth`` as "could not find expected
':'" on the line after it)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from openfisca_sp.drafting.checks import check
from openfisca_sp.rules.yaml_files import ParameterFileError, read_yaml

ROOT = Path(__file__).resolve().parents[1]
RATE = ROOT / "parameters" / "lao" / "maternity" / "benefit_rate.yaml"
CASES = ROOT / "tests" / "rules" / "lao" / "maternity" / "nssf_maternity_benefit.yaml"


def _line_number(text: str, line: str) -> int:
    return next(number for number, written in enumerate(text.splitlines(), 1) if written == line)


@pytest.mark.parametrize(
    ("source", "old", "new", "message"),
    [
        (RATE, "    value: 0.8", "    value 0.8", "missing ':' after 'value' (write value: 0.8)"),
        (RATE, "      status: unverified\n", "      status unverified\n", "missing ':' after 'status'"),
        (RATE, "          source: S26", "          source S26", "missing ':' after 'source' (write source: S26)"),
        (RATE, "  2014-01-01:", "  2014-01-01", "missing ':' after '2014-01-01' (write 2014-01-01:)"),
        (RATE, "    metadata:", "    metadata", "missing ':' after 'metadata'"),
        (CASES, "    pregnancy_outcome: live_birth", "    pregnancy_outcome live_birth", "after 'pregnancy_outcome'"),
    ],
)
def test_a_key_without_its_colon_is_told_at_its_line(
    tmp_path: Path, source: Path, old: str, new: str, message: str
) -> None:
    text = source.read_text(encoding="utf-8")
    assert old in text
    broken = text.replace(old, new, 1)
    path = tmp_path / source.name
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(ParameterFileError) as raised:
        read_yaml(path)
    assert raised.value.line == _line_number(broken, new.rstrip()) and message in raised.value.reason, raised.value


def test_check_tells_it_in_a_parameter_tree(tmp_path: Path) -> None:
    root = tmp_path / "lao"
    shutil.copytree(ROOT / "parameters" / "lao", root)
    path = root / "maternity" / "benefit_rate.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    value: 0.8", "    value 0.8", 1), encoding="utf-8")
    (problem,) = check([path])
    assert (problem.line, problem.message) == (6, "missing ':' after 'value' (write value: 0.8)")


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("a:\n     b: 1\n  c: 2\n", 3, "bad indentation"),  # a line out of indentation is not a missing colon
        ("a: >-\n  some words here\n  more words\nb: 1\n", None, None),  # a folded text is no key
    ],
)
def test_other_mistakes_are_not_taken_for_a_missing_colon(
    tmp_path: Path, text: str, line: int | None, words: str | None
) -> None:
    path = tmp_path / "file.yaml"
    path.write_text(text, encoding="utf-8")
    if words is None:
        read_yaml(path)
        return
    with pytest.raises(ParameterFileError) as raised:
        read_yaml(path)
    assert raised.value.line == line and words in raised.value.reason and "missing ':'" not in raised.value.reason


def test_a_value_alone_under_its_date_without_its_colon_is_told_too(tmp_path: Path) -> None:
    """``value 0.8`` as the only line under its date is no YAML error: it is the text "value 0.8"."""
    root = tmp_path / "lao"
    shutil.copytree(ROOT / "parameters" / "lao", root)
    path = root / "maternity" / "benefit_rate.yaml"
    text = path.read_text(encoding="utf-8")
    start, end = text.index("  2014-01-01:\n"), text.index("  2023-01-11:")
    path.write_text(text[:start] + "  2014-01-01:\n    value 0.8\n" + text[end:], encoding="utf-8")
    (problem,) = check([path])
    assert (problem.line, problem.message) == (5, "missing ':' after 'value' (write value: 0.8)")
