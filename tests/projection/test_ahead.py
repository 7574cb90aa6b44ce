"""Items prepared one ahead in a thread come back in order, each prepared once, with at most two held; an error
while preparing comes back where its item would have."""

from __future__ import annotations

import threading

import pytest

from openfisca_sp.projection.ahead import prepared_ahead


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
