"""Inside :func:`freed_buffers_kept`, large buffers come from glibc's heap and their pages stay there once freed,
for the next buffers; leaving the outermost section hands them back to the system."""

from __future__ import annotations

import ctypes

import psutil
import pytest

from openfisca_sp.c_heap import (
    GLIBC_LARGEST_MMAP_THRESHOLD,
    GLIBC_LARGEST_TRIM_THRESHOLD,
    free_heap_bytes,
    freed_buffers_kept,
    heap_info,
    set_thresholds,
)

pytestmark = pytest.mark.skipif(free_heap_bytes() is None, reason="glibc's mallinfo2 is needed to see the heap")

LIBC = ctypes.CDLL("libc.so.6")
LIBC.malloc.restype, LIBC.free.argtypes = ctypes.c_void_p, [ctypes.c_void_p]
BUFFER = 24 * 2**20  # a chunk's column of 3 million float64 values: under the 32 MiB served from the heap
BUFFERS = 3  # 72 MiB freed in all: more than glibc keeps free at its heap's top by itself (64 MiB at most)


def _freed_buffers() -> int:
    """Allocate, touch and free :data:`BUFFERS` buffers; the heap's free bytes after minus before (each buffer
    came from the heap, not a mapping of its own, or the test fails)."""
    mapped = heap_info().hblks
    blocks = [LIBC.malloc(BUFFER) for _ in range(BUFFERS)]
    for block in blocks:
        ctypes.memset(block, 1, BUFFER)
    assert heap_info().hblks == mapped, "a buffer got a mapping of its own"
    before = free_heap_bytes()
    for block in blocks:
        LIBC.free(block)
    return free_heap_bytes() - before


def test_freed_buffers_stay_in_the_heap_inside_and_go_back_after() -> None:
    set_thresholds(GLIBC_LARGEST_MMAP_THRESHOLD, GLIBC_LARGEST_TRIM_THRESHOLD)  # glibc's own, at their highest
    assert _freed_buffers() < BUFFER  # outside a section, glibc trims them at once
    with freed_buffers_kept():
        with freed_buffers_kept():  # sections nest: leaving the inner one changes nothing
            assert _freed_buffers() >= BUFFERS * BUFFER
        assert _freed_buffers() >= BUFFERS * BUFFER
        resident = psutil.Process().memory_info().rss
    assert psutil.Process().memory_info().rss <= resident - BUFFER  # the outermost section handed them back
