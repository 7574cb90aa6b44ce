"""Items prepared one ahead in a thread come back in order, each prepared once, with at most two held; an error
while preparing comes back where its item would have. A table's rows taken column by column in threads are
Arrow's own take."""

from __future__ import annotations

import datetime
import threading

import numpy as np
import pyarrow as pa
import pytest

from openfisca_sp.projection import ahead
from openfisca_sp.projection.ahead import columns_taken, prepared_ahead, rows_taken


def test_items_come_back_in_order_prepared_in_another_thread_one_ahead():
    prepared: list[int] = []
    threads: set[str] = set()
    held = []

    def prepare(item: int) -> int:
        threads.add(threading.current_thread().name)
        prepared.append(item)
        return item * item

    results = []
    for value in prepared_ahead(range(6), prepare):
        held.append(len(prepared) - len(results))  # prepared but not yet handed over, counting this one
        results.append(value)
    assert results == [item * item for item in range(6)]
    assert prepared == list(range(6))
    assert threading.current_thread().name not in threads
    assert max(held) <= 2


def test_an_error_while_preparing_comes_back_in_its_place():
    def prepare(item: int) -> int:
        if item == 3:
            raise ValueError("bad chunk 3")
        return item

    seen = []
    with pytest.raises(ValueError, match="bad chunk 3"):
        for value in prepared_ahead(range(6), prepare):
            seen.append(value)
    assert seen == [0, 1, 2]


def test_nothing_to_prepare_gives_nothing():
    assert list(prepared_ahead([], lambda item: item)) == []


def _table() -> pa.Table:
    """Columns of every kind a person table has, each in several chunks, with nulls."""
    rng = np.random.default_rng(7)
    parts = []
    for start in range(0, 900, 300):
        rows = np.arange(start, start + 300)
        parts.append(
            pa.table(
                {
                    "person_id": pa.array(rows, type=pa.int64()),
                    "insured_wage.2026-09": pa.array(rng.random(300) * 1e6, mask=rows % 7 == 0),
                    "sex": pa.array(np.where(rows % 2 == 0, "female", "male")).dictionary_encode(),
                    "birth_date": pa.array([datetime.date(1950, 1, 1) + datetime.timedelta(days=int(d)) for d in rows]),
                    "is_urban": pa.array(rows % 3 == 0, mask=rows % 11 == 0),
                    "name": pa.array([f"p{row}" for row in rows]),
                }
            )
        )
    return pa.concat_tables(parts)


@pytest.mark.parametrize("threads", [1, 2, 4])
def test_rows_taken_in_threads_are_arrows_take(monkeypatch, threads):
    monkeypatch.setattr(ahead, "cores", lambda: threads)
    table = _table()
    assert table.column("sex").num_chunks == 3
    indices = pa.array(np.random.default_rng(3).permutation(table.num_rows))
    taken = rows_taken(table, indices)
    assert taken.schema == table.schema
    assert taken.equals(table.take(indices))


def test_columns_taken_drop_each_column_once_taken(monkeypatch):
    monkeypatch.setattr(ahead, "cores", lambda: 2)
    table = _table()
    indices = pa.array(np.random.default_rng(5).permutation(table.num_rows))
    columns = table.columns
    taken = columns_taken(columns, table.schema, indices)
    assert taken.equals(table.take(indices))
    assert columns == [None] * table.num_columns  # nothing of the table read is held by the list any more
