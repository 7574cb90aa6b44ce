"""``openfisca-sp diff`` loads a revision written before a check without it (the names a branch reads, each
reference's link, a verified value not dated before its source), so that an older tree is still diffed; it said
nothing of it, and a drafter read the old side as one that passes today's checks. The diff now lists the checks each
side fails, at their ``revision:file:line``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from openfisca_sp.cli import main
from tests.law_repository import committed_law, git

CEILING = Path("parameters/lao/insured_wage/ceiling.yaml")
LINK = """          href: https://ssa.gov/policy/docs/progdesc/ssptw/2004-2005/asia/laos.html
          source: S27
"""


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A checkout whose first commit cites the ceiling of 2001 without a link (as references were before the link
    was checked), and whose second gives it its link again."""
    repository = committed_law(tmp_path_factory.mktemp("repository"))
    path = repository / CEILING
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(LINK, "", 1), encoding="utf-8")
    git(repository, "commit", "-q", "-am", "the ceiling of 2001 cited without a link")
    path.write_text(text, encoding="utf-8")
    git(repository, "commit", "-q", "-am", "its link given")
    return repository


def test_a_revision_failing_today_s_checks_is_diffed_and_said_to_fail_them(
    repository: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    arguments = ["diff", "--jurisdiction", "lao", "HEAD~1", "HEAD", "--no-cases", "--repository", str(repository)]
    assert main([*arguments, "--format", "json"]) == 0
    diff = json.loads(capsys.readouterr().out)
    (change,) = diff["values"]
    assert (change["parameter"], change["start"], change["changes"]) == (
        "insured_wage.ceiling",
        "2001-07-01",
        ["reference"],
    )
    (failed,) = diff["failed_checks"]
    assert failed["side"] == "old" and failed["revision"].startswith("HEAD~1 (")
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
    assert f"\n    HEAD~1:{CEILING}:14: each reference of the value of parameter 'insured_wage.ceiling'" in out


def test_sides_that_pass_today_s_checks_fail_none(repository: Path, capsys: pytest.CaptureFixture[str]) -> None:
    arguments = ["diff", "--jurisdiction", "lao", "HEAD", "WORKTREE", "--no-cases", "--repository", str(repository)]
    assert main([*arguments, "--format", "json"]) == 0
    diff = json.loads(capsys.readouterr().out)
    assert diff["values"] == [] and diff["failed_checks"] == []
    dates = ["diff", "--jurisdiction", "lao", "--dates", "2001-07-01", "2004-01-01", "HEAD~1", "--repository"]
    assert main([*dates, str(repository), "--format", "json"]) == 0
    (failed,) = json.loads(capsys.readouterr().out)["failed_checks"]
    assert (failed["side"], failed["file"], failed["line"]) == ("rules", str(CEILING), 14)
