"""The README's analyst tour runs end to end, command by command, as a new analyst would type it."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd

README = Path(__file__).parents[2] / "README.md"
MARKER = "<!-- analyst-tour:"


def tour_commands() -> list[list[str]]:
    """The shell lines of the code block that follows the analyst-tour marker."""
    text = README.read_text(encoding="utf-8")
    block = re.search(r"```sh\n(.*?)```", text[text.index(MARKER) :], re.DOTALL)
    bin_dir = Path(sys.executable).parent
    return [
        [str(bin_dir / Path(words[0]).name), *words[1:]]
        for line in block.group(1).splitlines()
        if (words := shlex.split(line))
    ]


def test_the_analyst_tour_runs_end_to_end(tmp_path):
    commands = tour_commands()
    assert [command[1] for command in commands] == [
        "reforms",
        "simulate",
        "compare",
        "synthesize",
        "compare",
        "project",
    ]
    for command in commands:
        done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)
        assert done.returncode == 0, (command, done.stderr[-2000:])
    totals = pd.read_csv(tmp_path / "totals.csv").set_index("branch")
    assert totals.loc["maternity", "beneficiaries"] > 0
    assert pd.read_parquet(tmp_path / "results.parquet").shape[0] == 20_000
    comparison = json.loads((tmp_path / "r202.json").read_text())
    social_pension = next(row for row in comparison["branches"] if row["branch"] == "social_pension")
    assert social_pension["winners"] > 0 and social_pension["reform_cost"] > 0
    for report in ("r202.html", "maternity.html"):
        html = (tmp_path / report).read_text(encoding="utf-8")
        assert html.count("<svg") >= 4
    assert pd.read_parquet(tmp_path / "lao.parquet").shape[0] == 300_000
    projection = json.loads((tmp_path / "lao-projection.json").read_text(encoding="utf-8"))
    assert [row["year"] for row in projection["years"]][::2] == list(range(2026, 2056))
    assert (tmp_path / "lao-projection.html").read_text(encoding="utf-8").count("<svg") >= 4


def test_an_analysis_error_is_one_clear_line_and_exit_code_2(tmp_path):
    table = tmp_path / "broken.csv"
    table.write_text("person_id,household_id,sex\n1,1,female\n")
    binary = Path(sys.executable).parent / "openfisca-sp"
    done = subprocess.run(
        [str(binary), "simulate", str(table), "--month", "2026-10", "--jurisdiction", "lao", "--no-progress"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "missing columns 'birth_date'" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_table_that_names_no_jurisdiction_needs_one(tmp_path):
    """A CSV file, or a synthesized table re-saved without its metadata, was read with Lao PDR's rules and its
    amounts as kip, silently (found by an outside review): the jurisdiction must be given."""
    table = tmp_path / "persons.csv"
    table.write_text("person_id,household_id,sex\n1,1,female\n")
    binary = Path(sys.executable).parent / "openfisca-sp"
    for command in ("simulate", "compare"):
        extra = ["--reform", "r202_social_pension"] if command == "compare" else []
        done = subprocess.run(
            [str(binary), command, str(table), "--month", "2026-10", *extra, "--no-progress"],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
        assert (
            "does not name its jurisdiction" in done.stderr
            and "--jurisdiction (ilo_c102, lao, tjk, vnm)" in done.stderr
        )


def test_simulate_under_a_reform_writes_the_columns_asked_for(tmp_path):
    binary = Path(sys.executable).parent / "openfisca-sp"
    command = [str(binary), "simulate", "sample:lao", "--month", "2026-10", "--reform", "r202_social_pension"]
    command += ["--output", "sp.parquet", "--columns", "social_pension,social_pension_eligible", "--no-progress"]
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "social_pension" in done.stdout
    results = pd.read_parquet(tmp_path / "sp.parquet")
    assert list(results.columns) == ["person_id", "household_id", "weight", "social_pension", "social_pension_eligible"]
    assert set(results.loc[results["social_pension_eligible"], "social_pension"]) == {192_000}


def test_simulate_gives_the_cost_over_a_year(tmp_path):
    """`simulate --year`: the 12 months ending with --month, the same figures as PopulationResults.cost_over_year."""
    from openfisca_sp.population import simulate
    from openfisca_sp.rules.formulas import round_money

    binary = Path(sys.executable).parent / "openfisca-sp"
    command = [str(binary), "simulate", "sample:vnm", "--month", "2026-10", "--jurisdiction", "vnm", "--year"]
    done = subprocess.run(
        [*command, "--totals", "year.csv", "--no-progress"], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "over the 12 months ending with the month" in done.stdout
    year = pd.read_csv(tmp_path / "year.csv").set_index("branch")
    expected = simulate("sample:vnm", "2026-10", "vnm").cost_over_year().set_index("branch")
    # the file's money is the float64 sum written to the dong, as the law rounds money
    assert year.loc["maternity", "cost"] == round_money(expected.loc["maternity", "cost"], 0) > 0
    assert year.loc["old_age", "lump_sums"] == round_money(expected.loc["old_age", "lump_sums"], 0) > 0  # once each


def test_a_folder_that_cannot_be_made_to_write_in_is_refused_before_any_work(tmp_path):
    """``--totals``, ``--output``, ``--report`` and ``--json`` where a file stands in the way of the folder: one
    line, exit code 2, before the population is read (the totals gave a pandas traceback after the whole run)."""
    binary = Path(sys.executable).parent / "openfisca-sp"
    (tmp_path / "taken").write_text("a file, not a folder")
    missing = tmp_path / "taken" / "folder" / "file"
    for command, option in (
        ("simulate", "--totals"),
        ("simulate", "--output"),
        ("compare", "--report"),
        ("compare", "--json"),
    ):
        reform = ["--reform", "lao_maternity_c183"] if command == "compare" else []
        arguments = [str(binary), command, "sample:lao", *reform, option, str(missing), "--no-progress"]
        done = subprocess.run(arguments, capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 2, done.stderr[-2000:]
        assert done.stderr == (
            f"openfisca-sp {command}: error: {option} {missing}: cannot make the folder {missing.parent} to write it "
            f"in ({tmp_path / 'taken'} is a file)\n"
        )


def test_the_folders_of_the_files_and_sites_written_are_made(tmp_path):
    """The README's ``explorer --output build/explorer`` and ``diff … --output build/diff/lao.html`` stopped on a
    fresh clone with "no folder …/build to write it in; create it first"; they are made, as ``mkdir -p`` would."""
    binary = Path(sys.executable).parent / "openfisca-sp"
    shutil.copytree(Path(__file__).parents[2] / "parameters" / "tjk", tmp_path / "parameters" / "tjk")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)  # a checkout of the rules, as a clone is
    diff = ["diff", "--jurisdiction", "tjk", "WORKTREE", "WORKTREE", "--format", "html"]
    commands = (
        ["explorer", "--output", "build/explorer", "--jurisdiction", "tjk", "--no-cases"],
        [*diff, "--output", "build/diff/tjk.html"],
        ["simulate", "sample:tjk", "--totals", "build/totals/tjk.csv", "--no-progress"],
    )
    for command in commands:
        done = subprocess.run([str(binary), *command], cwd=tmp_path, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, (command, done.stderr[-2000:])
    assert (tmp_path / "build/explorer/index.html").is_file() and (tmp_path / "build/diff/tjk.html").is_file()
    assert pd.read_csv(tmp_path / "build/totals/tjk.csv").shape[0] == 4


def test_synthesize_refuses_a_name_that_is_not_parquet(tmp_path):
    """Parquet written under a .csv name was then read as a broken CSV ("Expected 3 columns, got 1")."""
    binary = Path(sys.executable).parent / "openfisca-sp"
    command = [str(binary), "synthesize", "lao", "--persons", "100", "--month", "2026-10", "--output", "small.csv"]
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2 and "name it *.parquet" in done.stderr and not (tmp_path / "small.csv").exists()
