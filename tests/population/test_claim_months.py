"""The months of a table's claims (whose columns of wages and facts are read) are those of its stated days,
from a Parquet file as from the same table in memory; nothing is read where the table has no date column."""

from __future__ import annotations

import datetime

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from openfisca_sp import tax_benefit_system
from openfisca_sp.population import claim_months as claim_months_module
from openfisca_sp.population import simulate
from openfisca_sp.population.engine import claim_months
from tests.population.fixtures import person_table

MONTH = "2026-10"
BIRTHS = {0: "2026-03-10", 7: "2026-06-02", 8: "2026-06-30"}  # no birth in April or May
REGISTRATIONS = {3: "2026-08-04", 4: "2022-01-15"}  # one registered years ago: its window reads 2020 and 2021


def _table() -> pa.Table:
    frame = person_table(30, MONTH, seed=5)
    for month in np.arange(np.datetime64("2020-01"), np.datetime64("2022-01")):
        frame[f"insured_wage.{month}"] = 5_000_000.0  # the old claim's window
    # a career of at least its insured months (28 drawn, and these 24): fewer contradicts them, refused
    frame["contribution_months"] = np.maximum(frame["contribution_months"], 52)
    for name, days in (("child_birth_date", BIRTHS), ("unemployment_registration_date", REGISTRATIONS)):
        column = [None] * len(frame)
        for row, day in days.items():
            column[row] = datetime.date.fromisoformat(day)
        frame[name] = column
    mothers = list(BIRTHS)  # a confinement of a mother of a live birth (with none, a contradiction: refused)
    frame.loc[mothers, ["sex", "pregnancy_outcome"]] = ["female", "live_birth"]
    frame.loc[mothers, "number_of_children_born"] = frame.loc[mothers, "number_of_children_born"].clip(lower=1)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    for name in ("child_birth_date", "unemployment_registration_date"):
        table = table.set_column(table.schema.get_field_index(name), name, table.column(name).cast(pa.date32()))
    return table


def test_the_months_are_those_of_the_stated_days():
    """April and May hold no birth, and the years between 2022 and 2026 no registration: no claim reads their
    columns (a file's statistics, earliest and latest day, would have traced every month between)."""
    assert claim_months(_table(), [tax_benefit_system("vnm")], MONTH) == {
        "2022-01": ("unemployment_registration_date",),
        "2026-03": ("child_birth_date",),
        "2026-06": ("child_birth_date",),
        "2026-08": ("unemployment_registration_date",),
    }


def test_a_parquet_file_gives_the_results_of_the_same_table_in_memory(tmp_path):
    """Read from a Parquet file of several row groups, the same columns and results as in memory; the months
    between the old registration and the recent ones ask for no column the table lacks."""
    system = tax_benefit_system("vnm")
    table = _table()
    path = tmp_path / "persons.parquet"
    pq.write_table(table, path, row_group_size=10)
    assert claim_months(str(path), [system], MONTH) == claim_months(table, [system], MONTH)
    from_file, in_memory = simulate(str(path), MONTH, system), simulate(table, MONTH, system)
    for name, values in in_memory.columns.items():
        np.testing.assert_array_equal(from_file.columns[name], values, err_msg=name)


def test_a_table_without_a_date_column_is_not_read_for_its_months(tmp_path, monkeypatch):
    """A CSV file without any event or contract-end date column: nothing is read (Arrow reads every column of a
    CSV file asked for none), and there is no month."""
    table = _table().drop_columns(["child_birth_date", "unemployment_registration_date"])
    path = tmp_path / "persons.csv"
    pa_csv.write_csv(table, path)

    def refuse(*arguments, **options):
        raise AssertionError("the table was read for dates it does not have")

    monkeypatch.setattr(claim_months_module, "read_table", refuse)
    for claims_on_events in (True, False):
        assert claim_months(str(path), [tax_benefit_system("vnm")], MONTH, claims_on_events=claims_on_events) == {}
