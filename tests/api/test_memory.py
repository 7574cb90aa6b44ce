"""The collector is paused only inside a request's synchronous work, and always resumed; large buffers come from the
heap, whose freed pages are kept while large requests follow each other and handed back when the worker is quiet."""

from __future__ import annotations

import asyncio
import ctypes
import gc
from collections.abc import Iterator

import psutil
import pytest

from openfisca_sp.api.bodies import InFlight
from openfisca_sp.api.heap import QuietTrim, keep_large_buffers
from openfisca_sp.api.memory import collector_paused
from openfisca_sp.c_heap import MallInfo2, free_heap_bytes


def test_the_collector_is_resumed_after_a_section_even_on_error() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer section is still running
    assert gc.isenabled()
    with pytest.raises(ValueError), collector_paused():
        raise ValueError
    assert gc.isenabled()


def test_a_collector_turned_off_elsewhere_stays_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


LIBC = ctypes.CDLL("libc.so.6")
LIBC.malloc.restype, LIBC.free.argtypes = ctypes.c_void_p, [ctypes.c_void_p]
BLOCK = 64 * 1024  # below glibc's mmap threshold: from the heap


def _freed_heap(mib: int) -> list[int]:
    """Leave ``mib`` MiB free inside glibc's heap, as a request's freed pages are: touched blocks, each freed
    between two still in use (free pages at the heap's very top glibc hands back by itself). Returns the blocks
    in use, to free afterwards."""
    pairs = [(LIBC.malloc(BLOCK), LIBC.malloc(BLOCK)) for _ in range(mib * 2**20 // BLOCK)]
    for freed, _ in pairs:
        ctypes.memset(freed, 1, BLOCK)
        LIBC.free(freed)
    return [kept for _, kept in pairs]


@pytest.fixture
def freed_heap() -> Iterator[None]:
    """64 MiB left free inside glibc's heap for the test (:func:`_freed_heap`), the blocks around it freed after."""
    kept = _freed_heap(64)
    yield
    for block in kept:
        LIBC.free(block)


GLIBC = pytest.mark.skipif(free_heap_bytes() is None, reason="glibc's mallinfo2 is needed to see the heap")


@GLIBC
def test_a_worker_takes_large_buffers_from_its_heap() -> None:
    """A 40 MiB buffer (a 10,000-person answer grows past 32 MiB) comes from the heap, not a fresh mapping whose
    pages every request would fault in again."""
    assert keep_large_buffers()
    LIBC.mallinfo2.restype = MallInfo2
    mapped = LIBC.mallinfo2().hblks
    block = LIBC.malloc(40 * 2**20)
    try:
        assert LIBC.mallinfo2().hblks == mapped
    finally:
        LIBC.free(block)


@GLIBC
def test_freed_heap_is_kept_while_large_requests_follow_and_handed_back_when_quiet(freed_heap: None) -> None:
    """Freed pages stay while large requests follow each other closer than the quiet moment, are kept while a
    large body is still in flight, and go back to the system once the worker is quiet."""
    in_flight = [0]
    trim = QuietTrim(lambda: in_flight[0] > 0, seconds=0.3)

    async def scenario() -> list[int]:
        rss = [psutil.Process().memory_info().rss]
        for _ in range(3):  # requests ending 0.1 s apart: nothing handed back
            trim.large_request_ended()
            await asyncio.sleep(0.1)
        rss.append(psutil.Process().memory_info().rss)
        in_flight[0] = 1  # a body still in flight when the quiet moment ends: kept, the countdown starts again
        await asyncio.sleep(0.4)
        rss.append(psutil.Process().memory_info().rss)
        in_flight[0] = 0  # nothing else needed: once quiet, handed back
        await asyncio.sleep(0.5)
        rss.append(psutil.Process().memory_info().rss)
        return rss

    before, following, busy, quiet = asyncio.run(scenario())
    assert following > before - 8 * 2**20
    assert busy > before - 8 * 2**20
    assert quiet < before - 48 * 2**20


@GLIBC
def test_outside_a_loop_freed_heap_is_handed_back_at_once(freed_heap: None) -> None:
    rss = psutil.Process().memory_info().rss
    QuietTrim(lambda: False).large_request_ended()
    assert psutil.Process().memory_info().rss < rss - 48 * 2**20


@GLIBC
def test_mid_size_bodies_held_together_count_as_a_large_load(freed_heap: None) -> None:
    """Eight bodies of 1 MiB in flight at once (none large alone) are handed back once the last is given back
    and the worker is quiet; a lone small body does not start the countdown."""
    in_flight = InFlight(cap=64 * 2**20)
    in_flight.trim.seconds = 0.2

    async def scenario() -> list[int]:
        rss = [psutil.Process().memory_info().rss]
        assert in_flight.take(2**20)
        in_flight.give_back(2**20)
        await asyncio.sleep(0.3)
        rss.append(psutil.Process().memory_info().rss)
        assert all(in_flight.take(2**20) for _ in range(8))
        for _ in range(8):
            in_flight.give_back(2**20)
        await asyncio.sleep(0.3)
        rss.append(psutil.Process().memory_info().rss)
        return rss

    before, small, together = asyncio.run(scenario())
    assert small > before - 8 * 2**20
    assert together < before - 48 * 2**20
    assert (in_flight.held, in_flight.peak) == (0, 0)
