"""Assumptions for whole columns (``simulate(assume=...)``, ``--assume``) against the columns the engine reads: the
month evaluated's wage among them, the values a table cell takes, and what is said of a value or a month that is
none. Found by a review of ``--assume`` (the reproductions are Viet Nam tables whose wages end the month before)."""

from __future__ import annotations

import re

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from openfisca_sp.cli import main
from openfisca_sp.population import PopulationError, simulate
from tests.population.fixtures import person_table

MONTH = "2026-10"
OWN = f"insured_wage.{MONTH}"  # the month evaluated's wage: read where a birth falls on or after the 15th
AVAILABLE = "is_available_for_work"


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    """A Viet Nam table whose wages end in the month before the one evaluated, as a survey's do."""
    return person_table(600, MONTH, seed=7)


@pytest.mark.parametrize("name", [OWN, "insured_wage"])
def test_the_month_evaluated_s_wage_is_stated_by_its_column_or_its_fact_s_name(table, name):
    """A review: ``insured_wage.2026-10`` was refused as a column the rules do not read (it is read where a table
    holds it), and ``insured_wage`` as one the table has (it has some months of it, not that one)."""
    assumed = simulate(table, MONTH, "vnm", assume={name: 0})
    stated = simulate(table.assign(**{OWN: 0.0}), MONTH, "vnm")
    pd.testing.assert_frame_equal(assumed.to_frame(), stated.to_frame())
    assert f"{OWN} = 0 for every person (stated assumption)" in assumed.assumptions


def test_the_note_of_the_month_evaluated_s_wage_names_its_month(table):
    """A review: the note said ``insured_wage not given``, naming no month, where the others name theirs."""
    notes = simulate(table, MONTH, "vnm").assumptions
    assert any(note.startswith(f"{OWN} not given: no contributions that month for every person") for note in notes)


def test_an_assumption_of_a_column_the_table_has_under_another_name_says_which(table):
    wages = table.assign(insured_wage=5_000_000.0)  # the plain column holds the month evaluated's
    with pytest.raises(PopulationError, match=f"assumption '{OWN}': the table has this column \\(as 'insured_wage'\\)"):
        simulate(wages, MONTH, "vnm", assume={OWN: 0})
    with pytest.raises(
        PopulationError, match=f"the table has every month of it the rules read \\(28, insured_wage.2024-07 to {OWN}\\)"
    ):
        simulate(table.assign(**{OWN: 0.0}), MONTH, "vnm", assume={"insured_wage": 0})


def test_a_fact_s_name_stated_beside_each_month_it_lacks_is_refused(table):
    """``insured_wage`` beside ``insured_wage.2026-10``, the only month the table lacks, would state nothing."""
    with pytest.raises(PopulationError, match="assumption 'insured_wage': every column of it the table lacks is"):
        simulate(table, MONTH, "vnm", assume={"insured_wage": 0, OWN: 0})


def test_the_months_a_fact_s_name_states_are_said_once_in_order(table):
    """A review: ``insured_wage=0`` on a table without wages printed one note per month, not in date order."""
    wages = [name for name in table.columns if name.startswith("insured_wage.")]
    notes = simulate(table.drop(columns=wages), MONTH, "vnm", assume={"insured_wage": 0}).assumptions
    said = [note for note in notes if "(stated assumption)" in note]
    assert said == [
        f"insured_wage = 0 for every person in 28 months, insured_wage.2024-07 to {OWN} (stated assumption)"
    ]


@pytest.mark.parametrize(
    ("column", "said"),
    [
        ("insured_wage.2026-13", "assumption 'insured_wage.2026-13': 2026-13 is no month (the months are 01 to 12)"),
        ("insured_wage.2026-9", "a month is written with two digits: insured_wage.2026-09"),
    ],
)
def test_a_month_that_is_none_is_said_to_be_none(table, column, said):
    """A review: ``insured_wage.2026-13`` was told the closest month read (``simulate``) or to name a month
    (``project``)."""
    with pytest.raises(PopulationError, match=re.escape(said) + "$"):
        simulate(table, MONTH, "vnm", assume={column: 0})


@pytest.mark.parametrize("value", [None, "", " "])
def test_an_assumption_without_a_value_is_said_to_need_one(table, value):
    """A review: ``None`` was refused as "empty in 1 rows (first: row 0, counted from 0)"."""
    with pytest.raises(PopulationError, match=r"no value assumed \(.*\): an assumption needs a value"):
        simulate(table.drop(columns=AVAILABLE), MONTH, "vnm", assume={AVAILABLE: value})


@pytest.mark.parametrize("value", ["TRUE", "True", "true", "tRuE", "1"])
def test_a_true_or_false_assumption_takes_what_a_cell_takes(table, value):
    """A review: ``--assume is_available_for_work=TRUE`` (and ``"true"`` in Python) was refused with "expected
    true or false", as a CSV cell ``TRUE`` is read."""
    assumed = simulate(table.drop(columns=AVAILABLE), MONTH, "vnm", assume={AVAILABLE: value})
    stated = simulate(table.assign(**{AVAILABLE: True}), MONTH, "vnm")
    pd.testing.assert_frame_equal(assumed.to_frame(), stated.to_frame())


def test_true_or_false_cells_are_read_in_any_case_from_csv_and_parquet(table, tmp_path):
    """``true`` / ``false`` in any case, as docs/population.md says: a CSV column mixing ``TRUE`` and ``tRuE`` was
    read as text and refused, as was a Parquet column of text, each cell a true or false."""
    flags = table[AVAILABLE].to_numpy()
    reference = simulate(table, MONTH, "vnm").to_frame()
    mixed = table.assign(
        **{AVAILABLE: [("tRuE" if row % 2 else "TRUE") if flag else "False" for row, flag in enumerate(flags)]}
    )
    csv = tmp_path / "mixed.csv"
    mixed.to_csv(csv, index=False)
    parquet = tmp_path / "text.parquet"
    pq.write_table(pa.Table.from_pandas(mixed, preserve_index=False), parquet)
    for source in (csv, parquet):
        results = simulate(source, MONTH, "vnm").to_frame()
        ids = ["person_id", "household_id"]
        results[ids] = results[ids].astype(reference[ids].dtypes)  # read from CSV as text
        pd.testing.assert_frame_equal(results, reference, check_dtype=False)
    with pytest.raises(PopulationError, match=r"expected true or false \(or 1 or 0\), found text in 1 row .*'yes'"):
        simulate(mixed.assign(**{AVAILABLE: ["yes", *mixed[AVAILABLE][1:]]}), MONTH, "vnm")


def test_the_command_line_states_the_month_evaluated_s_wage(table, tmp_path, capsys):
    path = tmp_path / "survey.parquet"
    table.drop(columns=AVAILABLE).to_parquet(path, index=False)
    given = ["simulate", str(path), "--month", MONTH, "--jurisdiction", "vnm", "--no-progress"]
    assert main([*given, "--assume", f"{OWN}=0", "--assume", f"{AVAILABLE}=TRUE"]) == 0
    assert f"note: {OWN} = 0 for every person (stated assumption)" in capsys.readouterr().err


@pytest.mark.parametrize(("text", "value"), [("0", 0), ("0.0", 0.0), ("1e0", 1.0)])
def test_python_reads_a_text_as_the_command_line_does(table, text, value):
    """A review: ``assume={"contribution_months": "240"}`` was refused ("expected a number") where ``--assume
    contribution_months=240`` took 240. A text is read by the command line's reader, in Python too."""
    given = simulate(table, MONTH, "vnm", assume={OWN: text})
    typed = simulate(table, MONTH, "vnm", assume={OWN: value})
    pd.testing.assert_frame_equal(given.to_frame(), typed.to_frame())
    assert given.assumptions == typed.assumptions
    career = table.drop(columns="contribution_months")
    with pytest.raises(PopulationError) as as_text:
        simulate(career, MONTH, "vnm", assume={"contribution_months": "240"})
    with pytest.raises(PopulationError) as as_number:
        simulate(career, MONTH, "vnm", assume={"contribution_months": 240})
    assert str(as_text.value) == str(as_number.value) and "expected a number" not in str(as_text.value)


@pytest.mark.parametrize("text", ["abc", "2O", "[240]"])
def test_python_refuses_the_texts_the_command_line_refuses_with_its_message(table, tmp_path, capsys, text):
    career = table.drop(columns="contribution_months")
    with pytest.raises(PopulationError) as refused:
        simulate(career, MONTH, "vnm", assume={"contribution_months": text})
    path = tmp_path / "survey.parquet"
    career.to_parquet(path, index=False)
    given = ["simulate", str(path), "--month", MONTH, "--jurisdiction", "vnm", "--no-progress"]
    assert main([*given, "--assume", f"contribution_months={text}"]) != 0
    assert str(refused.value) in capsys.readouterr().err
    assert "is not valid: expected a number" in str(refused.value)
