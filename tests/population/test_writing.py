"""A chunk's results copied by a thread of its own: in the order given, a failure raised to the rules' thread,
and no thread left once the run ends."""

from __future__ import annotations

import threading

import pytest

from openfisca_sp.population.writing import ChunkWriter


def test_jobs_run_in_order_and_wait_counts_those_left():
    ran: list[int] = []
    gate = threading.Event()
    writer = ChunkWriter()
    try:
        writer.submit(gate.wait)  # holds the thread until the gate opens
        for index in range(5):
            writer.submit(lambda index=index: ran.append(index))
        assert ran == []
        gate.set()
        writer.wait(pending=0)
        assert ran == [0, 1, 2, 3, 4]
    finally:
        writer.close()
    assert not writer._thread.is_alive()


def test_a_failed_job_is_raised_where_the_rules_wait_and_the_later_ones_do_not_run():
    ran: list[str] = []
    writer = ChunkWriter()

    def failing() -> None:
        raise MemoryError("no room for the chunk's results")

    try:
        writer.submit(failing)
        with pytest.raises(MemoryError, match="no room"):
            writer.wait()
        with pytest.raises(MemoryError):
            writer.submit(lambda: ran.append("later"))
    finally:
        writer.close()
    assert ran == []
