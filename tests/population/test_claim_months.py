"""The months of a table's claims (whose columns of wages and facts are read), from a Parquet file's statistics
where it keeps them, else from its rows; either way the results are those of the table read row by row."""

from __future__ import annotations

import datetime

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from openfisca_sp import tax_benefit_system
from openfisca_sp.population import claim_months as claim_months_module
from openfisca_sp.population import simulate
from openfisca_sp.population.engine import claim_months
from tests.population.fixtures import person_table

MONTH = "2026-10"
BIRTHS = {0: "2026-03-10", 7: "2026-06-02", 8: "2026-06-30"}  # no birth in April or May
REGISTRATIONS = {3: "2026-08-04"}


def _table(births: dict[int, str] = BIRTHS) -> pa.Table:
    frame = person_table(30, MONTH, seed=5)
    for name, days in (("child_birth_date", births), ("unemployment_registration_date", REGISTRATIONS)):
        column = [None] * len(frame)
        for row, day in days.items():
            column[row] = datetime.date.fromisoformat(day)
        frame[name] = column
    table = pa.Table.from_pandas(frame, preserve_index=False)
    for name in ("child_birth_date", "unemployment_registration_date"):
        at = table.schema.get_field_index(name)
        table = table.set_column(at, name, table.column(name).cast(pa.date32()))
    return table


def _written(table: pa.Table, directory, **options) -> str:
    path = directory / "persons.parquet"
    pq.write_table(table, path, row_group_size=10, **options)
    return str(path)


@pytest.fixture
def rows_never_read(monkeypatch):
    """Fails a test whose claim months are read from the rows."""

    def refuse(*arguments, **options):
        raise AssertionError("the event dates were read row by row")

    monkeypatch.setattr(claim_months_module, "distinct_fact_values", refuse)


def test_a_parquet_file_gives_its_claim_months_from_its_statistics(tmp_path, rows_never_read):
    """Every month from a column's earliest day to its latest, from the statistics of each row group: the months
    the rows give, and April and May, which hold no birth (they add only the columns their claims would
    read)."""
    system = tax_benefit_system("vnm")
    table = _table()
    months = claim_months(_written(table, tmp_path), [system], MONTH)
    assert months == {
        "2026-03": ("child_birth_date",),
        "2026-04": ("child_birth_date",),
        "2026-05": ("child_birth_date",),
        "2026-06": ("child_birth_date",),
        "2026-08": ("unemployment_registration_date",),
    }


def test_the_results_are_those_of_the_rows(tmp_path):
    """The same results from the Parquet file (months from its statistics) as from the table in memory (months
    from its rows)."""
    system = tax_benefit_system("vnm")
    table = _table()
    from_file = simulate(_written(table, tmp_path), MONTH, system)
    in_memory = simulate(table, MONTH, system)
    for name, values in in_memory.columns.items():
        np.testing.assert_array_equal(from_file.columns[name], values, err_msg=name)


@pytest.mark.parametrize(
    "case",
    ["no statistics", "a day that says not stated", "a range of more than five years"],
)
def test_the_rows_are_read_where_the_statistics_cannot_say(tmp_path, case):
    """A file written without statistics, a column holding 1970-01-01 (the default date: no event), or a range
    too wide to trust (a mistyped year): the months are those of the rows."""
    system = tax_benefit_system("vnm")
    births = dict(BIRTHS)
    options = {}
    if case == "no statistics":
        options["write_statistics"] = False
    elif case == "a day that says not stated":
        births[12] = "1970-01-01"
    else:
        births[12] = "2019-01-31"
    table = _table(births)
    months = claim_months(_written(table, tmp_path, **options), [system], MONTH)
    assert months == claim_months(table, [system], MONTH)
    assert "2026-04" not in months
