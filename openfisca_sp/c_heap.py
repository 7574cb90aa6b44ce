"""The process's C heap (glibc): where large buffers come from, and when freed pages go back to the system.

Left to its defaults, glibc serves buffers above a threshold that it moves up to 32 MiB from fresh mappings,
and hands memory freed at its heap's top back at once, so work that allocates and frees the same large
buffers over and over (a server's large requests, a projection's chunks) faults their pages in again each
time. A thread other than the main one allocates from a heap of its own (an arena of 64 MiB heaps), and glibc
unmaps such a heap whenever it is left wholly free, whatever the trim threshold: a projection's read-ahead
thread, whose chunks the main thread frees once their rules have run, faulted the pages of one chunk's moved
columns in afresh each year. The web server sets its own thresholds once (:mod:`openfisca_sp.api.heap`); a
projection keeps freed buffers while it runs (:func:`freed_buffers_kept`). Where the C library is not glibc
(musl, macOS), none of this applies and the library decides.
"""

from __future__ import annotations

import contextlib
import ctypes
import threading
from collections.abc import Iterator
from typing import Any

M_TRIM_THRESHOLD = -1  # glibc's mallopt parameters (malloc.h)
M_TOP_PAD = -2
M_MMAP_THRESHOLD = -3
GLIBC_LARGEST_MMAP_THRESHOLD = 32 * 1024 * 1024  # the most glibc's own threshold rises to (64-bit)
GLIBC_LARGEST_TRIM_THRESHOLD = 2 * GLIBC_LARGEST_MMAP_THRESHOLD  # and its trim threshold with it
KEPT_WHILE_RUNNING_BYTES = 2**31 - 1  # in :func:`freed_buffers_kept`: the most mallopt takes (an int)
# a thread's heap (glibc's HEAP_MAX_SIZE on 64-bit: twice the largest mmap threshold): kept as padding, a heap
# left wholly free stays mapped (glibc's heap_trim unmaps it only when more than the padding is free)
THREAD_HEAP_BYTES = 2 * GLIBC_LARGEST_MMAP_THRESHOLD
GLIBC_TOP_PAD = 128 * 1024  # glibc's default padding (mallopt(3)), put back when the last section ends


class MallInfo2(ctypes.Structure):
    """glibc's ``struct mallinfo2`` (glibc 2.33 and later)."""

    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena",
            "ordblks",
            "smblks",
            "hblks",
            "hblkhd",
            "usmblks",
            "fsmblks",
            "uordblks",
            "fordblks",
            "keepcost",
        )
    ]


def _glibc() -> tuple[Any, Any, Any]:
    """glibc's ``malloc_trim``, ``mallinfo2`` and ``mallopt``, each None where the C library lacks it."""
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return None, None, None
    trim = getattr(libc, "malloc_trim", None)
    info = getattr(libc, "mallinfo2", None)
    if info is not None:
        info.restype = MallInfo2
    option = getattr(libc, "mallopt", None)
    if option is not None:
        option.argtypes = [ctypes.c_int, ctypes.c_int]
    return trim, info, option


_TRIM, _MALLINFO2, _MALLOPT = _glibc()
_kept_depth = 0  # how many :func:`freed_buffers_kept` sections are running, in any thread
_kept_lock = threading.Lock()
_standing = (GLIBC_LARGEST_MMAP_THRESHOLD, GLIBC_LARGEST_TRIM_THRESHOLD)  # put back when the last section ends


def heap_info() -> MallInfo2 | None:
    """glibc's statistics of the heap (None where it cannot give them)."""
    return None if _MALLINFO2 is None else _MALLINFO2()


def free_heap_bytes() -> int | None:
    """The bytes glibc's heap holds free (None where it cannot say)."""
    info = heap_info()
    return None if info is None else int(info.fordblks)


def set_thresholds(mapped_above: int, kept_at_top: int) -> bool:
    """Serve buffers up to ``mapped_above`` bytes from the heap, and let glibc trim its top only when more than
    ``kept_at_top`` bytes are free there: the process's standing thresholds, which a running
    :func:`freed_buffers_kept` section replaces until it ends (True where glibc takes them)."""
    global _standing
    with _kept_lock:
        _standing = (mapped_above, kept_at_top)
        return _MALLOPT is not None and (_kept_depth > 0 or _apply(*_standing))


def _apply(mapped_above: int, kept_at_top: int) -> bool:
    if _MALLOPT is None:
        return False
    return bool(_MALLOPT(M_MMAP_THRESHOLD, mapped_above)) and bool(_MALLOPT(M_TRIM_THRESHOLD, kept_at_top))


def return_free_memory() -> None:
    """Hand every free page of the heap back to the system."""
    if _TRIM is not None:
        _TRIM(0)


@contextlib.contextmanager
def freed_buffers_kept() -> Iterator[None]:
    """While inside, buffers up to 32 MiB come from the heap and the pages freed stay in it, for the next
    buffers, in the main thread's heap and in other threads' (their heaps are padded: none is unmapped when
    left free; a year of 1 million persons faulted 47,000 pages in afresh, against 900); on leaving the
    outermost section, every free page is handed back and the standing thresholds (:func:`set_thresholds`; by
    default the largest glibc's own would reach: 32 MiB, and 64 MiB free at the top) and glibc's padding are put
    back.

    Process-wide (sections in several threads, as a Dask worker's, count together), and inherited by forked
    processes. Measured on a projection of 10 million persons: a year took 15.8 to 17.9 s inside, against 17.7
    to 19.6 s with glibc's defaults, with the same peak in one process (9.6 GB).
    """
    global _kept_depth
    with _kept_lock:
        if _kept_depth == 0:
            _apply(GLIBC_LARGEST_MMAP_THRESHOLD, KEPT_WHILE_RUNNING_BYTES)
            _pad(THREAD_HEAP_BYTES)
        _kept_depth += 1
    try:
        yield
    finally:
        with _kept_lock:
            _kept_depth -= 1
            if _kept_depth == 0:
                _apply(*_standing)
                _pad(GLIBC_TOP_PAD)
                return_free_memory()


def _pad(padding: int) -> None:
    """The bytes glibc keeps free at the top of a heap when it trims it (and adds when it grows the main one)."""
    if _MALLOPT is not None:
        _MALLOPT(M_TOP_PAD, padding)
