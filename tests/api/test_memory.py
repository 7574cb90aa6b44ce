"""The collector is paused only inside a request's synchronous work, and always resumed; freed heap is kept up to a
threshold, then handed back."""

from __future__ import annotations

import ctypes
import gc

import psutil
import pytest

from openfisca_sp.api.bodies import KEEP_FREE_BYTES, free_heap_bytes, return_free_memory
from openfisca_sp.api.memory import collector_paused


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


@pytest.mark.skipif(free_heap_bytes() is None, reason="glibc's mallinfo2 is needed to see the heap's free bytes")
def test_freed_heap_is_kept_below_the_threshold_and_handed_back_above_it() -> None:
    """A large request's freed pages stay for the next one (faulting them back in cost about 10 ms a
    10,000-person request); a heap holding more than that free hands it back to the system."""
    kept = _freed_heap(16)
    try:
        free = free_heap_bytes()
        assert free is not None and free >= 16 * 2**20
        rss = psutil.Process().memory_info().rss
        return_free_memory()  # under the threshold: kept
        assert free_heap_bytes() == free
        assert psutil.Process().memory_info().rss > rss - 8 * 2**20
        kept += _freed_heap(48)
        assert free_heap_bytes() > KEEP_FREE_BYTES
        rss = psutil.Process().memory_info().rss
        return_free_memory()  # over it: handed back
        assert psutil.Process().memory_info().rss < rss - KEEP_FREE_BYTES
    finally:
        for block in kept:
            LIBC.free(block)
