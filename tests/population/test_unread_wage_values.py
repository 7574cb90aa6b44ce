"""A month of wages no rule reads (2019-01, in October 2026) is refused for a value the rules would refuse, in the
words a month read is refused in: ``/eligibility`` refuses a negative wage or text of any month stated
(tests/api/test_http_input.py), and the engine took text or -5,000 dong of a month it did not read without a word
(each read as no wage)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from openfisca_sp.cli import main
from openfisca_sp.population import simulate
from openfisca_sp.population.errors import PopulationError
from tests.population.test_hand_checked_table import MONTH, _viet_nam

UNREAD, READ = "insured_wage.2019-01", "insured_wage.2026-09"  # 2026-09: the month before October, read
ROW = 3


def _table(column: str, value: object) -> pd.DataFrame:
    table = _viet_nam()
    values = table[column].astype(object) if column in table else pd.Series(0.0, index=table.index, dtype=object)
    values[ROW] = value
    return table.assign(**{column: values if isinstance(value, str) else values.astype(float)})


def _source(table: pd.DataFrame, form: str, folder: Path) -> object:
    if form == "frame":
        return table
    folder.mkdir()
    path = folder / f"persons.{form}"
    if form == "parquet":  # a column of text and numbers is stored as text
        mixed = [name for name in table if table[name].dtype == object and table[name].map(type).nunique() > 1]
        table.astype(dict.fromkeys(mixed, str)).to_parquet(path)
    else:
        table.to_csv(path, index=False)
    return path


def _refusal(source: object) -> PopulationError:
    with pytest.raises(PopulationError) as refused:
        simulate(source, MONTH, "vnm")
    return refused.value


@pytest.mark.parametrize("form", ["frame", "parquet", "csv"])
@pytest.mark.parametrize(
    ("value", "words"),
    [(-5000.0, "expected 0 or more"), ("abc", "expected a number, found text"), (math.inf, "expected finite numbers")],
)
def test_a_value_the_rules_refuse_is_refused_in_a_month_no_rule_reads_as_in_one_read(tmp_path, form, value, words):
    unread = _refusal(_source(_table(UNREAD, value), form, tmp_path / "unread"))
    read = _refusal(_source(_table(READ, value), form, tmp_path / "read"))
    assert (unread.column, read.column) == (UNREAD, READ)
    assert unread.detail == read.detail, (unread.detail, read.detail)
    assert unread.detail.startswith(words) or (form, value) == ("frame", "abc"), unread.detail  # a frame's: mixed kinds
    assert f"first: row {ROW}, counted from 0" in unread.detail


def test_the_same_months_of_sound_values_are_decided_as_without_them():
    """Wages of an unread month, 0 or more, change no result (paid to persons born before it whose careers count
    a month more than their months paid)."""
    table = _viet_nam()
    plain = simulate(table, MONTH, "vnm").to_frame()
    paid = (table.filter(like="insured_wage.") > 0).sum(axis=1)
    room = (pd.to_datetime(table["birth_date"]) < "2019-01-01") & (table["contribution_months"] > paid)
    assert room.sum() >= 2
    sound = table.assign(**{UNREAD: np.where(room, np.linspace(0, 9e6, len(table)), 0.0)})
    assert simulate(sound, MONTH, "vnm").to_frame().equals(plain)


def test_simulate_names_the_file_column_and_line(tmp_path, capsys):
    table = tmp_path / "persons.csv"
    _table(UNREAD, -5000.0).to_csv(table, index=False)
    assert main(["simulate", str(table), "--month", MONTH, "--jurisdiction", "vnm"]) == 2
    said = capsys.readouterr().err
    assert f"persons.csv: column '{UNREAD}': expected 0 or more; 1 row (first: row {ROW}, counted from 0; " in said
    assert f"line {ROW + 2} of a CSV file) is negative" in said
