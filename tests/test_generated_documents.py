"""The documents generated from the rules: one command regenerates them all, and ``check`` tells each stale one.

An outside review (a drafter's, finding 4): a status changed made the legal index, ``docs/compliance.md`` and README's
verification table stale; ``check`` said nothing and the guide named two of the four commands. Each test here
works in a folder of its own whose ``parameters/`` is the rules' own (a link), so that it is the checkout the rules
are loaded from, with copies of the documents: the repository's own are never written.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from openfisca_sp.cli import main
from openfisca_sp.cli.generated_documents import (
    COMPLIANCE,
    PARAMETERS_DOCUMENT,
    README,
    VERIFICATION_FIRST_LINE,
    first_difference,
    paste_verification,
)

ROOT = Path(__file__).resolve().parent.parent
# A count of README's verification table, and a verdict of the compliance report, as a status change alters them.
README_EDIT = ("| lao | `maternity` | 0 (0.0%) |", "| lao | `maternity` | 1 (3.8%) |")
COMPLIANCE_EDIT = ("; 5 of the verdicts provisional", "; 7 of the verdicts provisional")


def _line_of(path: Path, text: str) -> int:
    return next(number for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


@pytest.fixture
def checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A checkout of the rules (``parameters/`` linked to theirs) whose compliance report and README's verification
    table are stale, and whose parameter-names document is up to date; the current folder."""
    (tmp_path / "parameters").symlink_to(ROOT / "parameters", target_is_directory=True)
    (tmp_path / "docs").mkdir()
    for path, (old, new) in ((README, README_EDIT), (COMPLIANCE, COMPLIANCE_EDIT), (PARAMETERS_DOCUMENT, ("", ""))):
        text = (ROOT / path).read_text(encoding="utf-8")
        assert old in text, (path, old)
        text = text.replace(old, new, 1)
        (tmp_path / path).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _stale_lines(checkout: Path) -> list[str]:
    readme, compliance = (
        _line_of(checkout / README, README_EDIT[1]),
        _line_of(checkout / COMPLIANCE, COMPLIANCE_EDIT[1]),
    )
    return [f"{COMPLIANCE}:{compliance}: out of date from this line", f"{README}:{readme}: out of date from this line"]


def test_check_tells_each_stale_generated_document_with_its_line_and_command(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check"]) == 1
    printed = capsys.readouterr().out.splitlines()
    assert [line.split(" (", 1)[0] for line in printed] == _stale_lines(checkout)
    assert all("run openfisca-sp generated-docs --write (this one alone: " in line for line in printed)
    assert "openfisca-sp compliance --date 2026-11-30 --format markdown --output docs/compliance.md)" in printed[0]
    assert "openfisca-sp verification --date 2026-11-30 --format markdown, pasted over README's table" in printed[1]


def test_one_command_checks_and_writes_them_all(checkout: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generated-docs", "--check"]) == 1
    told = capsys.readouterr().err.splitlines()
    assert [line.split(" (", 1)[0] for line in told] == _stale_lines(checkout)
    assert main(["generated-docs", "--write"]) == 0
    told = capsys.readouterr().err.splitlines()
    assert told == ["left out docs/legal-index.md: not in this checkout", f"wrote {README}", f"wrote {COMPLIANCE}"]
    for path in (README, COMPLIANCE, PARAMETERS_DOCUMENT):
        assert (checkout / path).read_text(encoding="utf-8") == (ROOT / path).read_text(encoding="utf-8"), path
    assert main(["generated-docs", "--check"]) == 0
    assert main(["check"]) == 0


def test_the_command_lists_the_documents_and_their_commands(checkout: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generated-docs"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert "docs/legal-index.md: openfisca-sp legal-index --output docs/legal-index.md" in listed
    assert "docs/parameters.md: openfisca-sp parameter-names --write" in listed
    assert len(listed) == 5


def test_the_command_refuses_a_folder_that_is_not_the_rules_checkout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["generated-docs", "--write"]) == 2
    assert "run it at the root of the checkout the rules are loaded from" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_a_readme_without_its_verification_table_says_what_it_needs(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = checkout / README
    readme.write_text(readme.read_text(encoding="utf-8").replace(VERIFICATION_FIRST_LINE, "Counts", 1), "utf-8")
    assert main(["check"]) == 1
    told = capsys.readouterr().out.splitlines()[-1]
    assert told.startswith("README.md: not compared with what openfisca-sp verification --date 2026-11-30 ")
    assert told.endswith(
        f"from a line starting '{VERIFICATION_FIRST_LINE}' to its footnote, starting 'Values: every dated value'"
    )
    compliance = (checkout / COMPLIANCE).read_text(encoding="utf-8")
    assert main(["generated-docs", "--write"]) == 2
    assert "README.md: no verification table" in capsys.readouterr().err
    assert (checkout / COMPLIANCE).read_text(encoding="utf-8") == compliance  # nothing written, the stale one too
    with pytest.raises(ValueError, match="no verification table"):
        paste_verification("# A README\n", "table")


def test_the_first_difference_is_the_line_a_reader_looks_at() -> None:
    assert first_difference("a\nb\nc\n", "a\nb\nc\n") is None
    assert first_difference("a\nb\nc\n", "a\nB\nc\n") == 2
    assert first_difference("a\nb\n", "a\nb\nc\n") == 3
