"""Inputs converted in the background, block after block (from a table in memory, or read from a Parquet file as
they go), equal the inputs converted at once, and a bad value in a later block is refused naming the table's row,
as it would be otherwise."""

from __future__ import annotations

import threading

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from openfisca_sp.population import PopulationError, filling, simulate
from openfisca_sp.population.columns import STRUCTURE
from openfisca_sp.population.engine import claim_months, columns_to_read, needs_of, read_population, resolve_system
from openfisca_sp.population.filling import Filling, StreamedColumns, _Pieces, table_blocks
from openfisca_sp.population.inputs import to_inputs
from openfisca_sp.population.outputs import branches_of, outputs_of
from tests.population.fixtures import person_table

MONTH = "2026-10"


@pytest.fixture(scope="module")
def table() -> pa.Table:
    """A person table in Arrow chunks of 700 rows (as a Parquet file's batches come), 2,500 rows."""
    frame = person_table(2_500, MONTH, seed=11)
    whole = pa.Table.from_pandas(frame, preserve_index=False)
    return pa.Table.from_batches(whole.to_batches(max_chunksize=700))


def _needs(table: pa.Table) -> list:
    system = resolve_system("vnm")
    outputs = outputs_of(system, branches_of(system))
    months = claim_months(table, [system], MONTH)
    columns_to_read([system], MONTH, [outputs], (), months)
    return needs_of([system], MONTH, [outputs], months, table.column_names)


def test_background_inputs_equal_the_inputs_converted_at_once(table):
    needs = _needs(table)
    at_once = to_inputs(table, MONTH, needs)
    converted = [(table.column(need.column), need) for need in needs if need.column in table.column_names]
    arrays: dict = {}
    blocks = table_blocks(converted, table.num_rows, block=333)  # blocks across the table's chunks
    background = Filling(blocks, arrays, table.num_rows, None)
    background.wait(400)
    assert background.filled >= 400
    background.wait()
    assert converted == []  # the thread holds the table's columns no more
    assert len(arrays) > 30 and arrays.keys() == at_once.inputs.keys()
    for key, values in at_once.inputs.items():
        assert arrays[key].dtype == values.dtype, key
        np.testing.assert_array_equal(arrays[key], values, err_msg=str(key))


def test_a_population_taken_in_chunks_waits_for_its_rows(table):
    needs = _needs(table)
    background = to_inputs(table, MONTH, needs, background=True)
    part = background.take(slice(0, 1_000))
    at_once = to_inputs(table, MONTH, needs).take(slice(0, 1_000))
    for key, values in at_once.inputs.items():
        np.testing.assert_array_equal(part.inputs[key], values, err_msg=str(key))


def test_a_bad_value_in_a_later_block_names_the_tables_row(monkeypatch):
    monkeypatch.setattr(filling, "BLOCK_ROWS", 500)
    frame = person_table(2_500, MONTH, seed=11)
    frame["contribution_months"] = frame["contribution_months"].astype(float)
    frame.loc[2_345, "contribution_months"] = -1.0
    table = pa.Table.from_batches(pa.Table.from_pandas(frame, preserve_index=False).to_batches(max_chunksize=700))
    with pytest.raises(
        PopulationError,
        match=r"'contribution_months'.*1 row \(first: row 2345, counted from 0\) is negative",
    ):
        simulate(table, MONTH, "vnm")


def test_pieces_let_go_of_the_chunks_converted():
    column = pa.chunked_array([pa.array(np.arange(start, start + 10)) for start in range(0, 50, 10)])
    pieces = _Pieces(column)
    assert pieces.rows(5, 25).to_pylist() == list(range(5, 25))
    pieces.release(25)
    assert pieces.chunks[:2] == [None, None] and pieces.chunks[2] is not None
    assert pieces.rows(25, 50).to_pylist() == list(range(25, 50))


def test_simulate_gives_the_same_results_whatever_the_chunks(table):
    whole = pa.Table.from_batches([table.combine_chunks().to_batches()[0]])
    pd.testing.assert_frame_equal(
        simulate(table, MONTH, "vnm", chunk_persons=600).to_frame(), simulate(whole, MONTH, "vnm").to_frame()
    )


@pytest.fixture(scope="module")
def parquet_path(table, tmp_path_factory):
    """The same table as a Parquet file of row groups of 700 rows."""
    path = tmp_path_factory.mktemp("streamed") / "persons.parquet"
    pq.write_table(table, path, row_group_size=700)
    return path


def test_a_parquet_file_is_read_block_by_block_as_the_rules_go(table, parquet_path, monkeypatch):
    monkeypatch.setattr(filling, "BLOCK_ROWS", 500)
    system = resolve_system("vnm")
    outputs = outputs_of(system, branches_of(system))
    streamed, _ = read_population(parquet_path, [system], MONTH, [outputs], background=True)
    assert streamed.filling is not None  # read by the converting thread
    at_once, _ = read_population(table, [system], MONTH, [outputs])
    streamed.wait()
    assert streamed.inputs.keys() == at_once.inputs.keys()
    for key, values in at_once.inputs.items():
        assert streamed.inputs[key].dtype == values.dtype, key
        np.testing.assert_array_equal(streamed.inputs[key], values, err_msg=str(key))
    pd.testing.assert_frame_equal(
        simulate(parquet_path, MONTH, "vnm", chunk_persons=600).to_frame(), simulate(table, MONTH, "vnm").to_frame()
    )


def test_streamed_columns_without_background_are_read_before_the_call_returns(table):
    needs = _needs(table)
    structure = table.select([name for name in STRUCTURE if name in table.column_names])
    streamed = StreamedColumns(
        table.column_names, lambda columns, rows, _dictionaries: table.select(columns).to_batches(rows)
    )
    read = to_inputs(structure, MONTH, needs, streamed=streamed)  # no background: every block read on return
    assert read.filling is not None and read.filling.filled == table.num_rows
    at_once = to_inputs(table, MONTH, needs)
    assert read.inputs.keys() == at_once.inputs.keys() and len(read.inputs) > 30
    for key, values in at_once.inputs.items():
        np.testing.assert_array_equal(read.inputs[key], values, err_msg=str(key))


def test_a_bad_value_in_a_later_block_of_a_parquet_file_names_its_row(tmp_path, monkeypatch):
    monkeypatch.setattr(filling, "BLOCK_ROWS", 500)
    frame = person_table(2_500, MONTH, seed=11)
    frame["contribution_months"] = frame["contribution_months"].astype(float)
    frame.loc[2_345, "contribution_months"] = -1.0
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), tmp_path / "bad.parquet", row_group_size=700)
    with pytest.raises(
        PopulationError,
        match=r"'contribution_months'.*1 row \(first: row 2345, counted from 0\) is negative",
    ):
        simulate(tmp_path / "bad.parquet", MONTH, "vnm")  # a row of a Parquet file is no line of a CSV file
    frame.to_csv(tmp_path / "bad.csv", index=False)
    with pytest.raises(
        PopulationError,
        match=r"bad\.csv: column 'contribution_months'.*1 row \(first: row 2345, counted from 0; line 2347 of a CSV file\)",
    ):
        simulate(tmp_path / "bad.csv", MONTH, "vnm")


def test_a_stream_that_ends_early_is_an_error_not_a_wait(table):
    needs = _needs(table)
    structure = table.select([name for name in STRUCTURE if name in table.column_names])
    streamed = StreamedColumns(
        table.column_names, lambda columns, rows, _dictionaries: table.select(columns).to_batches()[:2]
    )
    outcome: list = []

    def convert() -> None:
        try:
            to_inputs(structure, MONTH, needs, background=True, streamed=streamed).wait()
        except PopulationError as error:
            outcome.append(error)

    waiting = threading.Thread(target=convert, daemon=True)
    waiting.start()
    waiting.join(timeout=120)  # a regression fails here rather than hanging the suite
    assert not waiting.is_alive()
    assert outcome and "1,400 rows read where the table has 2,500" in str(outcome[0])
