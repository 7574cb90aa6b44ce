"""``openfisca-sp diff``: what a change of law changes (values, references, statuses, law cases, a population)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from openfisca_sp.analysis import compare
from openfisca_sp.cli import main
from openfisca_sp.cli.law_diff import render_text
from openfisca_sp.drafting.decided_amounts import DecidedAmounts, amount_changes
from openfisca_sp.drafting.law_diff import diff_directories, in_force_changes, tree_index
from openfisca_sp.drafting.law_diff_outcomes import counted, law_case_changes, population_shifts, rules_system
from openfisca_sp.drafting.law_diff_report import LawDiff, SampleShift, later_changes
from openfisca_sp.population import simulate
from openfisca_sp.population.payments import month_amounts
from openfisca_sp.rules.paths import PARAMETERS_DIR
from openfisca_sp.synthetic import SAMPLE_PERIOD
from tests.law_repository import committed_law, git

ROOT = Path(__file__).resolve().parents[1]
LAO_CASES = ROOT / "tests" / "rules" / "lao"
CEILING = Path("insured_wage/ceiling.yaml")
MEN = Path("old_age/pensionable_age/men.yaml")


def _line_of(path: Path, text: str, after: int = 0) -> int:
    """The 1-based line of the first line equal to ``text`` after line ``after``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if number > after and line == text)


def _replace_at(path: Path, line: int, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` on the first line from ``line`` on that holds it."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(index for index in range(line - 1, len(lines)) if old in lines[index])
    lines[number] = lines[number].replace(old, new)
    path.write_text("".join(lines), encoding="utf-8")


def _edit(tree: Path) -> None:
    """A change of law: a higher ceiling from 2017, men's pensionable age 65 from 2014, a status raised."""
    _replace_at(tree / CEILING, _line_of(tree / CEILING, "  2017-01-01:"), "value: 4500000", "value: 5000000")
    _replace_at(tree / MEN, _line_of(tree / MEN, "  2014-01-01:"), "value: 720", "value: 780")
    _replace_at(tree / MEN, _line_of(tree / MEN, "  2001-07-01:"), "status: verified_2nd", "status: verified")


@pytest.fixture(scope="module")
def trees(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("trees")
    old, new = root / "old" / "lao", root / "new" / "lao"
    shutil.copytree(PARAMETERS_DIR / "lao", old)
    shutil.copytree(PARAMETERS_DIR / "lao", new)
    _edit(new)
    return old, new


@pytest.fixture(scope="module")
def systems(trees: tuple[Path, Path]) -> tuple[object, object]:
    return rules_system("lao", trees[0]), rules_system("lao", trees[1])


def _by_key(changes: list) -> dict[tuple[str, str], object]:
    return {(change.parameter, change.start): change for change in changes}


def test_a_changed_value_is_reported_with_its_file_and_line(trees: tuple[Path, Path]) -> None:
    old, new = trees
    changes = _by_key(diff_directories(old, new, old, new))
    change = changes["insured_wage.ceiling", "2017-01-01"]
    assert change.changes == ("value",)
    assert (change.old.value, change.new.value) == (4500000, 5000000)
    assert change.new.file == str(CEILING)
    assert change.new.line == _line_of(new / CEILING, "  2017-01-01:")
    age = changes["old_age.pensionable_age.men", "2014-01-01"]
    assert (age.changes, age.old.value, age.new.value) == (("value",), 720, 780)
    assert len(changes) == 3  # nothing else differs


def test_a_status_change_is_reported(trees: tuple[Path, Path]) -> None:
    old, new = trees
    change = _by_key(diff_directories(old, new, old, new))["old_age.pensionable_age.men", "2001-07-01"]
    assert change.changes == ("status",)
    assert (change.old.status, change.new.status) == ("verified_2nd", "verified")
    assert change.to_dict()["line"] == _line_of(new / MEN, "  2001-07-01:")


def test_the_same_tree_has_no_change(trees: tuple[Path, Path]) -> None:
    assert diff_directories(trees[0], trees[0]) == []


def test_values_in_force_at_two_dates() -> None:
    index = tree_index(PARAMETERS_DIR / "lao")
    changes = _by_key(in_force_changes(index, "2010-01-01", "2020-01-01"))
    later = index.at("insured_wage.ceiling", "2020-01-01")
    change = changes["insured_wage.ceiling", later.start]
    assert change.old.value == index.at("insured_wage.ceiling", "2010-01-01").value
    assert change.new.value == later.value and change.new.line == later.line
    unchanged = [name for name in index.history if index.at(name, "2010-01-01") is index.at(name, "2020-01-01")]
    assert unchanged and not any(name == parameter for name in unchanged for parameter, _ in changes)


def test_law_cases_whose_outcome_changes_are_listed(systems: tuple[object, object]) -> None:
    count, changes, failing = law_case_changes(LAO_CASES, *systems, ROOT)
    assert count > 0 and failing == []  # every shipped case computes under both
    ceiling = [item for item in changes if item.output.startswith("maternity_reference_wage@")]
    assert ceiling, changes
    assert {(item.old, item.new) for item in ceiling} == {(4500000.0, 5000000.0)}
    assert all(item.file.startswith("tests/rules/lao/") for item in changes)
    assert all(item.old != item.new for item in changes)
    assert law_case_changes(LAO_CASES, systems[0], systems[0])[1] == []


def test_sample_shifts_equal_a_direct_count(systems: tuple[object, object]) -> None:
    old_system, new_system = systems
    persons, shifts, _ = population_shifts("sample:lao", SAMPLE_PERIOD, old_system, new_system)
    old = simulate("sample:lao", SAMPLE_PERIOD, old_system)
    new = simulate("sample:lao", SAMPLE_PERIOD, new_system)
    assert persons == old.count
    by_code = {shift.branch: shift for shift in shifts}
    assert by_code["old_age"].lost > 0  # men of 60 to 64 are no longer of pensionable age
    for branch in old.branches:
        shift = by_code[branch.code]
        if shift.gained is None:  # no rule with a source (Lao PDR's disability benefit): checked below
            continue
        before, after = old.columns[branch.eligible].astype(bool), new.columns[branch.eligible].astype(bool)
        assert shift.gained == int((after & ~before).sum())
        assert shift.lost == int((before & ~after).sum())
        assert shift.lost_weighted == pytest.approx(float(old.weights[before & ~after].sum()))
        change = np.nan_to_num(month_amounts(new.columns, branch, SAMPLE_PERIOD, new.decimals)) - np.nan_to_num(
            month_amounts(old.columns, branch, SAMPLE_PERIOD, old.decimals)
        )
        if shift.total_change is not None:
            assert shift.total_change == pytest.approx(float((old.weights * change).sum()))
            assert shift.paid_changed_weighted == pytest.approx(float(old.weights[change != 0].sum()))
    # a higher ceiling raises the monthly allowance of those above the old one: counted, as the rules decide it;
    # what it pays in the month cannot be told (no Lao source says what a day of it pays; a pregnancy loss's leave
    # is set by a physician), so the change of the month's payments is not modelled, never 0
    raised = new.columns["maternity_benefit"] > old.columns["maternity_benefit"]
    grants = new.columns["birth_grant"] != old.columns["birth_grant"]
    assert raised.any() and by_code["maternity"].amount_changed == int((raised | grants).sum())
    assert by_code["maternity"].increased == by_code["maternity"].amount_changed
    assert by_code["maternity"].total_change is None
    # the Lao old-age pension has no formula: whose amount changes is not modelled, never 0; whose claim, is told
    assert by_code["old_age"].amount_changed is None and by_code["old_age"].increased is None
    # Lao PDR's disability benefit has no source: its change is not modelled, as compare's row says, never 0
    assert by_code["disability"].total_change is None and by_code["disability"].mean_change is None
    assert by_code["disability"].gained is None and by_code["disability"].amount_changed is None


def test_the_text_shows_amounts_to_the_currency_unit_and_not_modelled_as_such(systems: tuple[object, object]) -> None:
    persons, shifts, _ = population_shifts("sample:lao", SAMPLE_PERIOD, *systems)
    sample = SampleShift("sample:lao", SAMPLE_PERIOD, persons, shifts)
    text = render_text(LawDiff("lao", "old", "new", "revisions", [], sample=sample).to_dict())
    rows = {line.split()[0]: line for line in text.splitlines() if line.split()[:1] in (["maternity"], ["disability"])}
    assert rows["maternity"].endswith("not modelled    not modelled"), rows["maternity"]  # Lao days: no rule
    assert rows["disability"].split()[1:] == ["not", "modelled"] * 7, rows["disability"]  # no count of 0
    assert counted(SAMPLE_PERIOD) in text  # what is counted, said with the counts


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny git repository: a copy of parameters/lao, then a commit that changes the law."""
    repository = committed_law(tmp_path_factory.mktemp("repository"))
    _edit(repository / "parameters" / "lao")
    git(repository, "commit", "-q", "-am", "a change of law")
    return repository


def _run(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str, str]:
    code = main(["diff", *arguments])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_diff_of_two_git_revisions(repository: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(
        capsys, "--jurisdiction", "lao", "HEAD~1", "HEAD", "--repository", str(repository), "--format", "json"
    )
    assert code == 0
    diff = json.loads(out)
    found = {(item["parameter"], item["start"]): item for item in diff["values"]}
    ceiling = found["insured_wage.ceiling", "2017-01-01"]
    path = repository / "parameters" / "lao" / CEILING
    assert ceiling["file"] == f"parameters/lao/{CEILING}"
    assert ceiling["line"] == _line_of(path, "  2017-01-01:")
    assert (ceiling["old"]["value"], ceiling["new"]["value"]) == (4500000, 5000000)
    assert diff["law_cases"] is None  # the repository has no tests/rules/lao
    code, out, _ = _run(capsys, "--jurisdiction", "lao", "HEAD~1", "HEAD", "--repository", str(repository))
    assert code == 0
    assert f"parameters/lao/{CEILING}:{ceiling['line']}: insured_wage.ceiling from 2017-01-01: value" in out
    assert "status: verified_2nd -> verified" in out


def test_worktree_and_errors(repository: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--jurisdiction", "lao", "HEAD", "WORKTREE", "--repository", str(repository))
    assert code == 0 and "0 values changed" in out
    code, _, err = _run(capsys, "--jurisdiction", "lao", "HEAD~7", "HEAD", "--repository", str(repository))
    assert code == 2 and "unknown revision 'HEAD~7'" in err and "Traceback" not in err
    code, _, err = _run(capsys, "--jurisdiction", "xyz", "HEAD~1", "HEAD", "--repository", str(repository))
    assert code == 2 and "unknown jurisdiction 'xyz'" in err
    code, out, _ = _run(
        capsys, "--jurisdiction", "lao", "--dates", "2010-01-01", "2020-01-01", "--repository", str(repository)
    )
    assert code == 0 and "insured_wage.ceiling" in out


def test_a_diff_of_dates_outside_a_checkout_of_the_rules_reads_the_installed_rules(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A hunt (stop 78): from a folder that is no git checkout, or the checkout of another project, ``diff --dates``
    said "a diff of revisions needs one" (or "no folder parameters/lao"); it reads the rules installed with the
    package, and says so. A diff of revisions still needs a checkout."""
    other = tmp_path / "analysis"
    other.mkdir()
    monkeypatch.chdir(other)
    dates = ("--jurisdiction", "lao", "--dates", "2010-01-01", "2020-01-01")
    code, out, err = _run(capsys, *dates)
    assert code == 0, err
    assert "insured_wage.ceiling" in out and "note: rules: the rules installed with openfisca-sp " in out
    code, _, err = _run(capsys, "--jurisdiction", "lao", "HEAD~1", "HEAD")
    assert code == 2 and err.strip().endswith("is not in a git checkout: a diff of revisions needs one"), err
    code, _, err = _run(capsys, *dates, "HEAD")  # dates at a revision: of the current folder's checkout
    assert code == 2 and err.strip().endswith("is not in a git checkout: a diff of revisions needs one"), err
    git(other, "init", "-q")
    code, installed, err = _run(capsys, *dates)
    assert (code, installed) == (0, out), err


def test_a_diff_of_dates_at_a_revision_reads_the_current_folder_s_checkout(
    repository: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The review of stop 78: with ``--repository`` left out, ``--dates D1 D2 HEAD`` raised ``TypeError`` (the
    checkout looked for at no folder)."""
    monkeypatch.chdir(repository)
    code, out, err = _run(capsys, "--jurisdiction", "lao", "--dates", "2010-01-01", "2020-01-01", "HEAD")
    assert code == 0, err
    assert "insured_wage.ceiling" in out and "note: rules: HEAD (" in out


def test_a_sample_of_another_jurisdiction_is_refused(repository: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Viet Nam's sample decided under Lao PDR's rules would report changes computed from VND wages."""
    code, out, err = _run(
        capsys, "--jurisdiction", "lao", "HEAD~1", "HEAD", "--repository", str(repository), "--sample", "sample:vnm"
    )
    assert code == 2 and not out and "Traceback" not in err
    assert "sample:vnm is the synthetic population of 'vnm', not of 'lao': the diff is for 'lao'" in err


RATE = Path("maternity/benefit_rate.yaml")
NINETY = """  2026-01-01:
    value: 0.9
    metadata:
      status: unverified
      reference:
        - instrument: Hypothetical decree 2026
          article: "Art 5: 90%"
          href: http://example.org
"""


def test_a_rate_change_counts_whom_it_changes_where_the_month_s_payment_is_not_modelled(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A user review: a drafter's Lao maternity rate of 90% from 2026, diffed on sample:lao, printed "changed 0,
    up 0" for maternity, though 29 persons get a higher monthly allowance: their month's payment is not modelled
    (no days_a_month), so a 0 was read into it. The allowance the rules decide on each birth's date is counted."""
    repository = committed_law(tmp_path)
    with (repository / "parameters" / "lao" / RATE).open("a", encoding="utf-8") as file:
        file.write(NINETY)  # the drafter's edit, in a copy: WORKTREE against HEAD
    arguments = ("--jurisdiction", "lao", "HEAD", "WORKTREE", "--repository", str(repository), "--no-cases")
    code, out, _ = _run(capsys, *arguments, "--sample", "sample:lao", "--format", "json")
    assert code == 0
    row = {item["branch"]: item for item in json.loads(out)["sample"]["branches"]}["maternity"]
    old = simulate("sample:lao", SAMPLE_PERIOD, rules_system("lao", PARAMETERS_DIR / "lao"))
    new = simulate("sample:lao", SAMPLE_PERIOD, rules_system("lao", repository / "parameters" / "lao"))
    raised = new.columns["maternity_benefit"] > old.columns["maternity_benefit"]
    assert int(raised.sum()) == 29 and float(old.weights[raised].sum()) == pytest.approx(10_792.35)
    assert np.array_equal(new.columns["birth_grant"], old.columns["birth_grant"])  # 60% of the wage, unchanged
    assert (row["amount_changed"], row["increased"], row["decreased"]) == (29, 29, 0)
    assert row["changed_weighted"] == pytest.approx(10_792.35)
    assert (row["gained"], row["lost"], row["untold"]) == (0, 0, 0)
    assert row["total_change"] is None and row["mean_change"] is None  # payable in the month: not modelled
    code, out, _ = _run(capsys, *arguments, "--sample", "sample:lao")
    line = next(line for line in out.splitlines() if line.startswith("maternity "))
    assert line.split()[1:6] == ["0", "0", "29", "29", "0"] and line.endswith("not modelled    not modelled")
    # compare's winners and losers are over amounts payable in the month: not modelled here, never 0
    reform = tmp_path / "ninety.yaml"
    reform.write_text(
        "label: ninety\njurisdiction: lao\nreference: [{instrument: A test, article: Art 1}]\n"
        "parameters:\n  maternity.benefit_rate:\n    2026-01-01: 0.9\n",
        encoding="utf-8",
    )
    branches = compare("sample:lao", SAMPLE_PERIOD, str(reform), "lao").branches.set_index("branch")
    for column in ("winners", "losers", "gains", "cost_change"):
        assert pd.isna(branches.loc["maternity", column]), column


def _decided(amount: list[float], grant: list[float]) -> DecidedAmounts:
    granted = np.array([value != 0 for value in amount])
    amounts = {"maternity_benefit": np.array(amount), "birth_grant": np.array(grant)}
    return DecidedAmounts(granted, np.zeros(len(amount), dtype=bool), amounts, counted=True, modelled=True)


def test_amounts_that_move_both_ways_or_cannot_be_told_are_neither_up_nor_down() -> None:
    old = _decided([100.0, 100.0, 100.0, 100.0, 0.0], [50.0, 50.0, 50.0, np.nan, 0.0])
    new = _decided([120.0, 90.0, 120.0, 120.0, 0.0], [50.0, 50.0, 40.0, 50.0, 0.0])
    changes = amount_changes(old, new)
    assert changes.changed.tolist() == [True, True, True, True, False]  # the 4th: its amount told on both sides
    assert changes.up.tolist() == [True, False, False, True, False]
    assert changes.down.tolist() == [False, True, False, False, False]
    assert changes.untold.tolist() == [False, False, False, True, False]  # its grant is left out, and said


def test_a_sample_decided_before_every_change_says_so() -> None:
    """An outside review: a 2027 amendment diffed on sample:lao (2026-10) showed no change, with nothing said."""
    changes = [SimpleNamespace(start="2027-01-01"), SimpleNamespace(start="2028-07-01")]
    assert later_changes(changes, "2026-10") == (
        "every value that changes starts after 2026-10 (the first on 2027-01-01): no decision of the sample in "
        "2026-10 can differ; decide it in 2027-01 with --month (a table stating that month's facts, or --assume for "
        "those it lacks)"
    )
    assert later_changes([*changes, SimpleNamespace(start="2026-10-15")], "2026-10") is None  # in force by then
    assert later_changes([], "2026-10") is None


def test_a_synthesized_table_is_decided_in_the_month_it_states(
    repository: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``diff --sample`` asked for ``--month`` for a table written by ``synthesize``, which states its month in its
    metadata (simulate, compare and calibration read it): it is read through the same helper; a CSV states none."""
    from openfisca_sp.synthetic import write_parquet

    table = write_parquet(tmp_path / "lao.parquet", "lao", 300, "2025-06", seed=2)
    arguments = ("--jurisdiction", "lao", "HEAD~1", "HEAD", "--repository", str(repository), "--no-cases")
    code, out, err = _run(capsys, *arguments, "--sample", str(table), "--format", "json")
    assert code == 0, err
    assert json.loads(out)["sample"]["month"] == "2025-06"
    pd.read_parquet(table).to_csv(tmp_path / "lao.csv", index=False)
    code, _, err = _run(capsys, *arguments, "--sample", str(tmp_path / "lao.csv"))
    assert code == 2 and "--month is required (YYYY-MM), except for a table that names its month" in err
