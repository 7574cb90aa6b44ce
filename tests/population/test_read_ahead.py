"""A Parquet file's blocks read ahead in a thread of their own: every block in order, a reading error where it
happened, and no thread left reading once the rules stop or the table is refused."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openfisca_sp.population import PopulationError, filling, simulate
from openfisca_sp.population.read_ahead import ReadAhead
from tests.population.fixtures import person_table

MONTH = "2026-10"
THREAD = "population-read-ahead"


def _reading_threads() -> set[threading.Thread]:
    return {thread for thread in threading.enumerate() if thread.name == THREAD}


def _ended(before: set[threading.Thread]) -> bool:
    for thread in _reading_threads() - before:
        thread.join(timeout=60)
        if thread.is_alive():
            return False
    return True


@settings(max_examples=40, deadline=None)
@given(items=st.lists(st.integers(), max_size=30), depth=st.integers(min_value=1, max_value=5))
def test_every_item_comes_in_order(items, depth):
    assert list(ReadAhead(iter(items), depth)) == items


def test_an_error_comes_after_the_items_read_before_it():
    def source() -> Iterator[int]:
        yield 1
        yield 2
        raise ValueError("block 3 cannot be read")

    read = ReadAhead(source(), 1)
    assert next(read) == 1
    assert next(read) == 2
    with pytest.raises(ValueError, match="block 3"):
        next(read)
    with pytest.raises(StopIteration):  # nothing more once it failed
        next(read)


def test_closing_stops_the_reading_and_closes_the_source():
    produced: list[int] = []
    closed = threading.Event()

    def endless() -> Iterator[int]:
        try:
            while True:
                produced.append(len(produced))
                yield produced[-1]
        finally:
            closed.set()

    before = _reading_threads()
    read = ReadAhead(endless(), 2)
    assert [next(read) for _ in range(3)] == [0, 1, 2]
    read.close()
    assert closed.is_set()  # the generator's own clean-up ran, in the reading thread
    assert _ended(before)
    assert len(produced) <= 3 + 2 + 1  # what was taken, what it held, the one it was handing over
    with pytest.raises(StopIteration):
        next(read)


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return person_table(1_200, MONTH, seed=5)


def _parquet(frame: pd.DataFrame, path) -> str:
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path, row_group_size=300)
    return str(path)


def _repeated_ids(frame: pd.DataFrame) -> pd.DataFrame:
    changed = frame.copy()
    changed.loc[700, "person_id"] = changed.loc[10, "person_id"]
    return changed


def _repeated_ids_and_missing_birth_dates(frame: pd.DataFrame) -> pd.DataFrame:
    return _repeated_ids(frame).drop(columns=["birth_date"])


def _repeated_ids_and_bad_event_dates(frame: pd.DataFrame) -> pd.DataFrame:
    changed = _repeated_ids(frame)
    changed["child_birth_date"] = "not a date"
    return changed


@pytest.mark.parametrize(
    ("changed", "error"),
    [
        (_repeated_ids, "person ids must be unique"),
        # as when the structure was checked after the columns: the columns missing first
        (_repeated_ids_and_missing_birth_dates, "missing column 'birth_date'"),
        # the event dates are read first, as they were: their error before the structure's
        (_repeated_ids_and_bad_event_dates, "'child_birth_date'"),
    ],
)
def test_a_refused_table_leaves_no_thread_reading_and_names_its_first_error(
    frame, tmp_path, monkeypatch, changed, error
):
    monkeypatch.setattr(filling, "BLOCK_ROWS", 100)  # more blocks than the reading thread holds ahead
    path = _parquet(changed(frame), tmp_path / "refused.parquet")
    before = _reading_threads()
    with pytest.raises(PopulationError, match=error):
        simulate(path, MONTH, "vnm", chunk_persons=300)
    assert _ended(before)
