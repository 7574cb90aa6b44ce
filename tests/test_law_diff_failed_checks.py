"""``openfisca-sp diff`` loads a revision written before a check without it (the names a branch reads, each
reference's link, a verified value not dated before its source), so that an older tree is still diffed; it said
nothing of it, and a drafter read the old side as one that passes today's checks. The diff now lists the checks each
side fails, at their ``revision:file:line``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from openfisca_sp.cli import main
from tests.law_repository import committed_law, git

ROOT = Path(__file__).resolve().parents[1]
CEILING = Path("parameters/lao/insured_wage/ceiling.yaml")
LINK = """          href: https://ssa.gov/policy/docs/progdesc/ssptw/2004-2005/asia/laos.html
          source: S27
"""


STATUS = "      status: unverified\n"


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A checkout whose commits cite the ceiling of 2001 without a link (as references were before the link was
    checked: HEAD~3), then without its status (HEAD~2), then indented with a tab (HEAD~1), and as shipped (HEAD)."""
    repository = committed_law(tmp_path_factory.mktemp("repository"))
    shutil.copytree(ROOT / "tests" / "rules" / "lao", repository / "tests" / "rules" / "lao")  # its law cases
    path = repository / CEILING
    text = path.read_text(encoding="utf-8")
    for slip, message in (
        (text.replace(LINK, "", 1), "the ceiling of 2001 cited without a link"),
        (text.replace(STATUS, "", 1), "the ceiling of 2001 without its status"),
        (text.replace("    value: 1000000", "\tvalue: 1000000", 1), "the ceiling of 2001 indented with a tab"),
        (text, "the ceiling as shipped"),
    ):
        path.write_text(slip, encoding="utf-8")
        git(repository, "commit", "-q", "-am", message)
    return repository


def test_a_revision_failing_today_s_checks_is_diffed_and_said_to_fail_them(
    repository: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    arguments = ["diff", "--jurisdiction", "lao", "HEAD~3", "HEAD", "--no-cases", "--repository", str(repository)]
    assert main([*arguments, "--format", "json"]) == 0
    diff = json.loads(capsys.readouterr().out)
    (change,) = diff["values"]
    assert (change["parameter"], change["start"], change["changes"]) == (
        "insured_wage.ceiling",
        "2001-07-01",
        ["reference"],
    )
    (failed,) = diff["failed_checks"]
    assert failed["side"] == "old" and failed["revision"].startswith("HEAD~3 (")
    assert (failed["file"], failed["line"]) == (str(CEILING), 14)
    assert failed["problem"].startswith(
        "each reference of the value of parameter 'insured_wage.ceiling' at 2001-07-01 needs a link"
    )
    assert any(
        note.startswith(f"the rules at {failed['revision']} fail this version's checks in 1 place")
        for note in diff["notes"]
    )
    assert main(arguments) == 0
    out = capsys.readouterr().out
    assert (
        f"the rules at {failed['revision']} fail this version's checks in 1 place, and are diffed all the same" in out
    )
    assert f"\n    HEAD~3:{CEILING}:14: each reference of the value of parameter 'insured_wage.ceiling'" in out


def test_sides_that_pass_today_s_checks_fail_none(repository: Path, capsys: pytest.CaptureFixture[str]) -> None:
    arguments = ["diff", "--jurisdiction", "lao", "HEAD", "WORKTREE", "--no-cases", "--repository", str(repository)]
    assert main([*arguments, "--format", "json"]) == 0
    diff = json.loads(capsys.readouterr().out)
    assert diff["values"] == [] and diff["failed_checks"] == []
    dates = ["diff", "--jurisdiction", "lao", "--dates", "2001-07-01", "2004-01-01", "HEAD~3", "--repository"]
    assert main([*dates, str(repository), "--format", "json"]) == 0
    (failed,) = json.loads(capsys.readouterr().out)["failed_checks"]
    assert (failed["side"], failed["file"], failed["line"]) == ("rules", str(CEILING), 14)


def test_a_revision_failing_a_check_the_rules_ask_is_diffed_with_its_law_cases(
    repository: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A value without its status (as values were written before each had to state one) stopped the diff: "the rules
    at … do not load under this version's checks"."""
    arguments = ["diff", "--jurisdiction", "lao", "HEAD~2", "HEAD", "--repository", str(repository)]
    assert main([*arguments, "--format", "json"]) == 0
    diff = json.loads(capsys.readouterr().out)
    (change,) = diff["values"]
    assert (change["parameter"], change["start"], change["changes"]) == (
        "insured_wage.ceiling",
        "2001-07-01",
        ["status"],
    )
    assert (change["old"]["status"], change["new"]["status"]) == (None, "unverified")
    (failed,) = diff["failed_checks"]
    assert (failed["side"], failed["file"], failed["line"]) == ("old", str(CEILING), 5)
    assert failed["problem"].startswith("the value of parameter 'insured_wage.ceiling' at 2001-07-01"), failed
    cases = diff["law_cases"]  # computed under the old side's rules too
    assert cases["computed"] > 0 and cases["changes"] == [] and cases["failing"] == []


def test_a_revision_with_a_file_that_does_not_read_is_refused_at_its_line(
    repository: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The file's values cannot be compared: diffed without it, they would read as removed."""
    arguments = ["diff", "--jurisdiction", "lao", "HEAD~1", "HEAD", "--no-cases", "--repository", str(repository)]
    assert main(arguments) == 2
    err = capsys.readouterr().err
    assert f"the rules at HEAD~1 do not load under this version's checks: HEAD~1:{CEILING}:6: a tab character" in err
