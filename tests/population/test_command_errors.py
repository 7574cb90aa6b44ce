"""The analyst's commands say what is wrong in one line, and write files in the format their names say."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from openfisca_sp.cli import main
from openfisca_sp.synthetic import generate


def _error(capsys: pytest.CaptureFixture[str], arguments: list[str]) -> str:
    assert main(arguments) == 2
    captured = capsys.readouterr()
    assert "\n" not in captured.err.strip() and "Traceback" not in captured.err
    return captured.err.strip()


def test_an_unknown_result_column_is_named_with_the_known_ones(capsys: pytest.CaptureFixture[str]) -> None:
    """``--columns maternity_benefit,nope`` printed only ``error: nope`` (a KeyError, after the whole run)."""
    error = _error(capsys, ["simulate", "sample:lao", "--columns", "maternity_benefit,nope", "--no-progress"])
    assert error.startswith("openfisca-sp simulate: error: unknown result column 'nope'; expected some of ")
    assert "maternity_benefit_start" in error


def test_results_and_totals_are_written_in_the_format_their_names_say(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--output r.csv`` wrote Parquet into r.csv, ``--totals t.json`` wrote CSV."""
    columns = "maternity_benefit,maternity_benefit_start"
    arguments = ["simulate", "sample:tjk", "--columns", columns, "--no-progress"]
    assert main([*arguments, "--output", str(tmp_path / "r.csv"), "--totals", str(tmp_path / "t.json")]) == 0
    results = pd.read_csv(tmp_path / "r.csv")
    assert list(results.columns) == [
        "person_id",
        "household_id",
        "weight",
        "maternity_benefit",
        "maternity_benefit_start",
    ]
    assert len(results) == 20_000
    totals = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))
    maternity = next(row for row in totals if row["branch"] == "maternity")
    assert maternity["cost"] is None and maternity["amount_modelled"] is not None  # not modelled: null, never 0
    assert main([*arguments, "--output", str(tmp_path / "r.parquet"), "--totals", str(tmp_path / "t.csv")]) == 0
    assert pq.read_table(tmp_path / "r.parquet").num_rows == 20_000
    assert pd.read_csv(tmp_path / "t.csv").shape[0] == 4
    capsys.readouterr()
    error = _error(capsys, [*arguments, "--output", str(tmp_path / "r.xlsx")])
    assert error.endswith("r.xlsx: written as Parquet (.parquet or .pq), CSV (.csv), chosen by its name's "
                          "ending, not '.xlsx'")  # fmt: skip
    error = _error(capsys, [*arguments, "--totals", str(tmp_path / "t")])
    assert error.endswith("/t: written as CSV (.csv), JSON (.json), chosen by its name's ending, not no ending")
    assert not (tmp_path / "r.xlsx").exists() and not (tmp_path / "t").exists()


@pytest.mark.parametrize(
    "command", [["compare", "sample:lao", "--reform", "lao_maternity_c183"], ["project", "scenario:lao"]]
)
@pytest.mark.parametrize(
    ("option", "name", "said"),
    [
        ("--report", "out.pdf", "out.pdf: written as HTML (.html or .htm), chosen by its name's ending, not '.pdf'"),
        ("--json", "out.csv", "out.csv: written as JSON (.json), chosen by its name's ending, not '.csv'"),
        ("--report", "out", "out: written as HTML (.html or .htm), chosen by its name's ending, not no ending"),
    ],
)
def test_a_report_or_json_named_for_another_format_is_refused_before_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str], option: str, name: str, said: str
) -> None:
    """An analyst's review: ``--report out.pdf --json out.csv`` wrote HTML into a .pdf file and JSON into a .csv
    file, of compare and project, where ``--output`` and ``--totals`` refuse such names."""
    path = tmp_path / name
    error = _error(
        capsys,
        [*command, option, str(path), "--no-progress"] if command[0] == "compare" else [*command, option, str(path)],
    )
    assert error.startswith(f"openfisca-sp {command[0]}: error: {option} {path}") and error.endswith(said)
    assert not path.exists()


def test_a_month_the_table_does_not_describe_is_said_so_not_listed_as_missing_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An analyst's review: ``simulate sample:lao --month 2030-10`` listed 24 missing columns, not that the sample
    describes 2026-10; a table synthesized for 2025-10 and compared in 2026-10 likewise."""
    error = _error(capsys, ["simulate", "sample:lao", "--month", "2030-10", "--no-progress"])
    assert error == (
        "openfisca-sp simulate: error: sample:lao describes 2026-10 (its metadata), not 2030-10, the month asked: the "
        "rules of 2030-10 read columns it lacks ('insured_wage.2028-10' and 23 more); ask for 2026-10, or give a "
        "table of 2030-10"
    )
    table = tmp_path / "lao2025.parquet"
    assert main(["synthesize", "lao", "--persons", "300", "--month", "2025-10", "--output", str(table)]) == 0
    capsys.readouterr()
    error = _error(capsys, ["compare", str(table), "--month", "2026-10", "--reform", "r202_social_pension"])
    assert f"{table} describes 2025-10 (its metadata), not 2026-10, the month asked" in error
    frame = pd.read_parquet(table)  # the metadata gone: the columns are named as missing, as before
    frame.to_parquet(tmp_path / "plain.parquet")
    error = _error(capsys, ["simulate", str(tmp_path / "plain.parquet"), "--month", "2026-10", "--jurisdiction", "lao"])
    assert "missing columns 'insured_wage.2025-10'" in error and "describes" not in error


def test_reforms_for_a_jurisdiction_that_has_none_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    """An analyst's review: ``reforms --jurisdiction ilo_c102`` printed nothing and exited 0."""
    assert main(["reforms", "--jurisdiction", "ilo_c102"]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("no reform is shipped for ilo_c102 (reforms ship for lao, tjk, vnm)")
    assert main(["reforms", "--jurisdiction", "tjk"]) == 0
    assert "no reform is shipped" not in capsys.readouterr().out


def test_an_unknown_jurisdiction_or_sample_is_one_plain_line(capsys: pytest.CaptureFixture[str]) -> None:
    """``reforms --jurisdiction laos`` printed nothing and exited 0; ``calibration sample:laos`` quoted its
    message twice (a KeyError's repr)."""
    error = _error(capsys, ["reforms", "--jurisdiction", "laos"])
    assert (
        error
        == "openfisca-sp reforms: error: unknown jurisdiction 'laos'; known jurisdictions: ilo_c102, lao, tjk, vnm"
    )
    error = _error(capsys, ["calibration", "sample:laos"])
    assert error == "openfisca-sp calibration: error: sample:laos: no shipped sample for 'laos'; samples: lao, vnm, tjk"


@pytest.mark.parametrize("command", ["simulate", "compare"])
@pytest.mark.parametrize("month", ["1850-01", "1899-12", "2300-01"])
def test_a_month_outside_the_rules_calendar_is_refused(capsys: pytest.CaptureFixture[str], command, month) -> None:
    """An analyst: ``--month 1850-01`` answered "not modelled" for everyone, ``2300-01`` paid pensions at 350."""
    extra = ["--reform", "r202_social_pension"] if command == "compare" else []
    with pytest.raises(SystemExit) as refused:  # argparse's own refusal: usage, then the error, exit code 2
        main([command, "sample:tjk", "--month", month, *extra, "--no-progress"])
    assert refused.value.code == 2
    expected = f"--month: expected a month, YYYY-MM, from 1900-01 to 2199-12, not '{month}'"
    assert expected in capsys.readouterr().err


def test_options_that_would_do_nothing_or_write_nothing_usable_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    """Found by an outside review: ``synthesize --persons 0`` wrote a table every other command refused;
    ``compare --locale vi`` without ``--report`` ignored the locale."""
    with pytest.raises(SystemExit) as refused:  # argparse's own refusal: usage, then the error, exit code 2
        main(["synthesize", "lao", "--persons", "0", "--month", "2026-10", "--output", "z.parquet"])
    assert refused.value.code == 2
    assert "--persons: expected a whole number from 1 to 1,000,000,000 (ten times the people" in capsys.readouterr().err
    error = _error(capsys, ["compare", "sample:lao", "--reform", "r202_social_pension", "--locale", "vi"])
    assert error.endswith("--locale vi formats the report's numbers and dates: give --report too")


@pytest.mark.parametrize(
    ("given", "said"),
    [
        (["--persons", "1" + "0" * 23], "--persons: expected a whole number from 1 to 1,000,000,000"),
        (["--partitions", "99999999999"], "--partitions: expected a whole number from 1 to 10,000, not '99999999999'"),
        (["--partitions", "0"], "--partitions: expected a whole number from 1 to 10,000, not '0'"),
        (["--seed", "-1"], "--seed: expected a whole number of 0 or more, not '-1'"),
    ],
)
def test_a_synthetic_population_s_size_is_bounded_before_any_work(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, given: list[str], said: str
) -> None:
    """A hunt (stop 77): ``--persons 10**23`` and ``--partitions 99999999999`` ran until killed (6 GB for the
    partitions' cuts alone); ``--seed -1`` was refused in NumPy's words, naming no argument."""
    with pytest.raises(SystemExit) as refused:
        main(["synthesize", "lao", "--month", "2026-10", "--output", str(tmp_path / "z.parquet"), *given])
    assert refused.value.code == 2 and said in capsys.readouterr().err
    assert not (tmp_path / "z.parquet").exists()


def test_a_synthetic_population_s_files_are_refused_where_they_cannot_be_written(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A hunt (stop 77): ``--partitions 4 --output a.parquet`` over an existing file was told "[Errno 17] File
    exists"; 20 partitions of 10 persons wrote 20 files, most of them empty."""
    existing = tmp_path / "a.parquet"
    existing.write_bytes(b"")
    base = ["synthesize", "lao", "--month", "2026-10"]
    error = _error(capsys, [*base, "--partitions", "4", "--output", str(existing)])
    assert error.endswith(f"--output {existing}: a file; with --partitions, name a directory (new or existing)")
    error = _error(capsys, [*base, "--output", str(tmp_path)])
    assert error.endswith(f"--output {tmp_path}: a directory; name a .parquet file, or give --partitions")
    error = _error(capsys, [*base, "--persons", "10", "--partitions", "20", "--output", str(tmp_path / "d")])
    assert error.endswith(
        "--partitions 20 for 10 persons: give no more partitions than persons (each file holds whole households)"
    )
    assert not (tmp_path / "d").exists()


def test_a_weight_beyond_any_population_is_refused_and_a_float32_column_reads_without_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A weight of 1e308 gave costs of inf and a Gini of NaN, exit code 0; a float32 wage column printed numpy's
    "overflow encountered in cast" (its largest value compared with float64's)."""
    frame = generate("lao", 300, "2026-10", seed=2).to_pandas()
    frame["insured_wage.2026-09"] = frame["insured_wage.2026-09"].astype("float32")
    frame.to_parquet(tmp_path / "f32.parquet")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert main(["simulate", str(tmp_path / "f32.parquet"), "--month", "2026-10", "--jurisdiction", "lao"]) == 0
    capsys.readouterr()
    frame.loc[4, "weight"] = 1e308
    frame.to_csv(tmp_path / "heavy.csv", index=False)
    error = _error(capsys, ["simulate", str(tmp_path / "heavy.csv"), "--month", "2026-10", "--jurisdiction", "lao"])
    assert "column 'weight': a weight counts the persons a row stands for: at most 10,000,000,000" in error
    assert "1 row (first: row 4, counted from 0; line 6 of a CSV file) is above" in error


def test_an_average_of_no_beneficiary_is_a_dash_not_not_modelled(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A branch whose amount is modelled but that pays nobody showed its average as "not modelled"."""
    generate("lao", 1, "2026-10", seed=2).to_pandas().to_csv(tmp_path / "one.csv", index=False)
    assert main(["simulate", str(tmp_path / "one.csv"), "--month", "2026-10", "--jurisdiction", "lao"]) == 0
    rows = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()[2:]}
    assert "–" in rows["maternity"] and "not modelled" not in rows["maternity"]


def test_a_column_of_text_and_empty_cells_is_named_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A CSV ``weight`` column holding ``n/a`` (read as empty) and ``abc`` ended in a TypeError's traceback: the
    empty cell made the mask of cells that are no number hold nulls. Now the text is named with its row."""
    frame = generate("lao", 200, "2026-10", seed=1).to_pandas()
    frame["weight"] = frame["weight"].astype(object)
    frame.loc[[1, 2], "weight"] = ["n/a", "abc"]
    frame.to_csv(tmp_path / "persons.csv", index=False)
    error = _error(
        capsys,
        ["simulate", str(tmp_path / "persons.csv"), "--jurisdiction", "lao", "--month", "2026-10", "--no-progress"],
    )
    assert error.endswith("column 'weight': expected a number (survey weight) for every person, found text in 1 "
                          "row (first: row 2, counted from 0; line 4 of a CSV file): 'abc'")  # fmt: skip


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="a folder that takes no file: Linux's /proc")
@pytest.mark.parametrize(
    "arguments",
    [
        ["project", "scenario:tjk", "--report", "/proc/p.html"],
        ["compare", "sample:lao", "--reform", "lao_maternity_c183", "--json", "/proc/c.json"],
        ["simulate", "sample:lao", "--output", "/proc/x.parquet"],
        ["synthesize", "lao", "--month", "2026-10", "--output", "/proc/s.parquet"],
    ],
)
def test_a_folder_that_takes_no_file_is_refused_before_any_work(arguments, capsys):
    """A hunt (stop 77): a folder that exists but takes no file (read-only, /proc) was found only when the results
    were written, after the whole run ("[Errno 2] No such file or directory: '/proc/p.html'")."""
    assert main(arguments) == 2
    option, given = arguments[-2:]
    error = capsys.readouterr().err.strip()
    assert error.startswith(
        f"openfisca-sp {arguments[0]}: error: {option} {given}: cannot write a file in the folder /proc"
    )
