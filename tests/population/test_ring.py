"""Inputs converted into a ring of a few chunks' buffers (``simulate``) give the results of inputs held whole,
whatever the blocks and chunks; the ring holds two chunks at a time, and rules that fail stop the thread
converting the inputs."""

from __future__ import annotations

import threading

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from openfisca_sp.population import chunks, filling, simulate
from openfisca_sp.population.chunks import run_chunks
from openfisca_sp.population.engine import read_population, resolve_system
from openfisca_sp.population.outputs import branches_of, outputs_of
from openfisca_sp.population.ring import SLOTS
from tests.population.fixtures import person_table

MONTH = "2026-10"


@pytest.fixture(scope="module")
def parquet_path(tmp_path_factory):
    """3,000 persons in row groups of 700 rows."""
    path = tmp_path_factory.mktemp("ring") / "persons.parquet"
    table = pa.Table.from_pandas(person_table(3_000, MONTH, seed=23), preserve_index=False)
    pq.write_table(table, path, row_group_size=700)
    return path


def _held_whole(source, code: str) -> dict[str, np.ndarray]:
    """Every output, the inputs converted into arrays of the whole table (no ring)."""
    system = resolve_system(code)
    outputs = outputs_of(system, branches_of(system))
    population, _ = read_population(source, [system], MONTH, [outputs], background=True)
    assert population.ring is None
    (columns,) = run_chunks([system], population, MONTH, [outputs], 450)
    return columns


@pytest.mark.parametrize("code", ["vnm", "lao", "tjk", "ilo_c102"])
@pytest.mark.parametrize(("block", "chunk"), [(500, 450), (200, 1_100)])  # blocks across chunks, chunks across blocks
def test_a_ring_gives_the_results_of_inputs_held_whole(parquet_path, monkeypatch, code, block, chunk):
    monkeypatch.setattr(filling, "BLOCK_ROWS", block)
    through_ring = simulate(parquet_path, MONTH, code, chunk_persons=chunk)
    whole = _held_whole(parquet_path, code)
    dated = [name for name in whole if name.endswith("_claim_date")]
    assert dated and any((~np.isnat(whole[name])).any() for name in dated)  # claims decided again on their days
    assert through_ring.columns.keys() == whole.keys()
    for name, values in whole.items():
        np.testing.assert_array_equal(through_ring.columns[name], values, err_msg=name)


def test_a_table_in_memory_goes_through_the_ring_too(parquet_path):
    table = pq.read_table(parquet_path)
    pd.testing.assert_frame_equal(
        simulate(table, MONTH, "vnm", chunk_persons=700).to_frame(),
        simulate(parquet_path, MONTH, "vnm", chunk_persons=3_000).to_frame(),
    )


def test_the_ring_holds_two_chunks_reused_in_turn(parquet_path):
    system = resolve_system("vnm")
    outputs = outputs_of(system, branches_of(system))
    population, _ = read_population(parquet_path, [system], MONTH, [outputs], background=True, chunk_persons=400)
    ring = population.ring
    assert ring is not None and len(ring.bounds) >= 7
    taken = []
    for rows in population.chunks(400):
        part = population.take(rows)
        taken.append(part.inputs[("birth_date", "ETERNITY")].copy())
        with pytest.raises(ValueError, match="not one of the ring's chunks"):
            population.take(slice(rows.start, rows.stop + 1))
        ahead = ring.index_of(rows) + 2  # its buffers are this chunk's: waiting for it would wait for ever
        if ahead < len(ring.bounds):
            with pytest.raises(ValueError, match="take the chunks in order and release each"):
                population.take(ring.bounds[ahead])
        population.release(rows)
    population.close()
    assert len(ring.slots) == SLOTS == 2
    assert all(len(values) == ring.capacity for slot in ring.slots for values in slot.values())
    expected = pq.read_table(parquet_path, columns=["birth_date"]).column(0).to_numpy().astype("datetime64[D]")
    np.testing.assert_array_equal(np.concatenate(taken), expected)


def test_rules_that_fail_stop_the_thread_converting_inputs(parquet_path, monkeypatch):
    monkeypatch.setattr(filling, "BLOCK_ROWS", 100)

    def failing(*_arguments, **_options):
        raise RuntimeError("rules failed")

    monkeypatch.setattr(chunks, "month_pass", failing)
    names = ("population-inputs", "population-read-ahead", "population-results")  # converting, reading, copying
    before = {thread for thread in threading.enumerate() if thread.name in names}
    with pytest.raises(RuntimeError, match="rules failed"):
        simulate(parquet_path, MONTH, "vnm", chunk_persons=300)  # the thread waits for buffers when they fail
    converting = [thread for thread in threading.enumerate() if thread.name in names]
    for thread in converting:
        if thread not in before:
            thread.join(timeout=60)
            assert not thread.is_alive()


@pytest.mark.parametrize("code", ["vnm", "lao"])
def test_chunks_iterated_through_a_ring_are_those_of_inputs_held_whole(parquet_path, monkeypatch, code):
    """What ``compare`` and the calibration iterate: each chunk's results, its claims decided on their days."""
    monkeypatch.setattr(filling, "BLOCK_ROWS", 500)
    system = resolve_system(code)
    outputs = outputs_of(system, branches_of(system))

    def iterated(chunk_persons: int | None) -> list[dict[str, np.ndarray]]:
        population, _ = read_population(
            parquet_path, [system], MONTH, [outputs], background=True, chunk_persons=chunk_persons
        )
        assert (population.ring is not None) == (chunk_persons is not None)
        found = []
        for _rows, (columns,) in chunks.iterate_chunks([system], population, MONTH, [outputs], 450):
            found.append({name: values.copy() for name, values in columns.items()})  # valid until the next chunk
        return found

    through_ring, whole = iterated(450), iterated(None)
    assert len(through_ring) == len(whole) >= 6
    for ringed, held in zip(through_ring, whole, strict=True):
        assert ringed.keys() == held.keys()
        for name, values in held.items():
            np.testing.assert_array_equal(ringed[name], values, err_msg=name)
