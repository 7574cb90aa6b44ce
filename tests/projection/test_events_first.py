"""The base table of a projection, households with a claim's event first: whole households, each part in its
order, and a table it cannot read as dates left as it is (reading it names the column)."""

from __future__ import annotations

import datetime

import pyarrow as pa
import pyarrow.parquet as pq

from openfisca_sp.population.claims import event_facts
from openfisca_sp.population.outputs import branches_of
from openfisca_sp.projection.base_table import events_first, read_base
from openfisca_sp.rules.system import tax_benefit_system

SYSTEM = tax_benefit_system("vnm")
EVENT = sorted(event_facts(branches_of(SYSTEM)).values())[0]
NO_EVENT = datetime.date(1970, 1, 1)  # the default of an event date: no event


def _table(events: list) -> pa.Table:
    return pa.table(
        {
            "person_id": list(range(10, 16)),
            "household_id": [0, 0, 1, 2, 2, 3],
            EVENT: events,
        }
    )


def test_households_with_an_event_come_first_whole_and_in_order():
    day = datetime.date(2026, 9, 14)
    table = _table([None, None, NO_EVENT, None, day, day])
    moved = events_first(table, [SYSTEM])
    assert moved.column("person_id").to_pylist() == [13, 14, 15, 10, 11, 12]
    assert moved.column("household_id").to_pylist() == [2, 2, 3, 0, 0, 1]


def test_a_table_without_events_or_without_dates_is_left_as_it_is():
    assert events_first(_table([None] * 6), [SYSTEM]).column("person_id").to_pylist() == list(range(10, 16))
    words = _table(["not a date"] * 6)
    assert events_first(words, [SYSTEM]).equals(words)


def test_the_base_read_is_the_table_read_with_events_first(tmp_path):
    day = datetime.date(2026, 9, 14)
    table = _table([None, None, NO_EVENT, None, day, day])
    path = tmp_path / "base.parquet"
    pq.write_table(table, path)
    assert read_base(path, table.column_names, [SYSTEM]).equals(events_first(table, [SYSTEM]))
    unmoved = _table([None] * 6)
    pq.write_table(unmoved, path)
    assert read_base(path, unmoved.column_names, [SYSTEM]).equals(unmoved)


def test_the_table_as_read_is_seen_in_the_files_order_before_it_is_reordered(tmp_path):
    day = datetime.date(2026, 9, 14)
    table = _table([None, None, NO_EVENT, None, day, day])
    path = tmp_path / "base.parquet"
    pq.write_table(table, path)
    seen: list[pa.Table] = []
    moved = read_base(path, table.column_names, [SYSTEM], seen.append)
    assert len(seen) == 1 and seen[0].equals(table)
    assert moved.equals(events_first(table, [SYSTEM]))
