"""Inside :func:`freed_buffers_kept`, large buffers come from glibc's heap and their pages stay there once freed,
for the next buffers; leaving the outermost section hands them back to the system.

The heap is watched in a fresh process: in the test run's own, earlier tests leave free space inside the heap,
where a buffer may land and, freed, stay whatever the thresholds.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from openfisca_sp.c_heap import free_heap_bytes

pytestmark = pytest.mark.skipif(free_heap_bytes() is None, reason="glibc's mallinfo2 is needed to see the heap")

IN_A_FRESH_PROCESS = textwrap.dedent(
    """
    import ctypes
    import threading

    import psutil

    from openfisca_sp.c_heap import (
        GLIBC_LARGEST_MMAP_THRESHOLD, GLIBC_LARGEST_TRIM_THRESHOLD, free_heap_bytes, freed_buffers_kept, heap_info,
        set_thresholds,
    )

    LIBC = ctypes.CDLL("libc.so.6")
    LIBC.malloc.restype, LIBC.free.argtypes = ctypes.c_void_p, [ctypes.c_void_p]
    BUFFER = 24 * 2**20  # a chunk's column of 3 million float64 values: under the 32 MiB served from the heap
    BUFFERS = 3  # 72 MiB freed in all: more than glibc keeps free at its heap's top by itself (64 MiB at most)


    def freed_buffers():
        # the heap's free bytes after allocating, touching and freeing the buffers, minus before
        mapped = heap_info().hblks
        blocks = [LIBC.malloc(BUFFER) for _ in range(BUFFERS)]
        for block in blocks:
            ctypes.memset(block, 1, BUFFER)
        assert heap_info().hblks == mapped, "a buffer got a mapping of its own"
        before = free_heap_bytes()
        for block in blocks:
            LIBC.free(block)
        return free_heap_bytes() - before


    set_thresholds(GLIBC_LARGEST_MMAP_THRESHOLD, GLIBC_LARGEST_TRIM_THRESHOLD)  # glibc's own, at their highest
    assert freed_buffers() < BUFFER, "outside a section, glibc trims them at once"
    with freed_buffers_kept():
        with freed_buffers_kept():  # sections nest: leaving the inner one changes nothing
            assert freed_buffers() >= BUFFERS * BUFFER, "kept in the inner section"
        assert freed_buffers() >= BUFFERS * BUFFER, "kept after the inner section"
        resident = psutil.Process().memory_info().rss
    assert psutil.Process().memory_info().rss <= resident - BUFFER, "handed back after the outer section"

    entered, leave = threading.Event(), threading.Event()


    def other_section():  # a section in another thread, as a Dask worker's other task
        with freed_buffers_kept():
            entered.set()
            leave.wait()


    worker = threading.Thread(target=other_section)
    worker.start()
    entered.wait()
    with freed_buffers_kept():
        pass  # this thread's section ends while the other thread's runs
    assert freed_buffers() >= BUFFERS * BUFFER, "kept while another thread's section runs"
    leave.set()
    worker.join()
    assert freed_buffers() < BUFFER, "glibc's own thresholds once every section has ended"
    print("ok")
    """
)


def test_freed_buffers_stay_in_the_heap_inside_and_go_back_after() -> None:
    run = subprocess.run([sys.executable, "-c", IN_A_FRESH_PROCESS], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and run.stdout.strip() == "ok", run.stderr[-2000:]


IN_ANOTHER_THREAD = textwrap.dedent(
    """
    import ctypes
    import resource
    import threading

    from openfisca_sp.c_heap import freed_buffers_kept

    LIBC = ctypes.CDLL("libc.so.6")
    LIBC.malloc.restype, LIBC.free.argtypes = ctypes.c_void_p, [ctypes.c_void_p]
    BUFFER = 4 * 2**20  # a chunk's money column of 500,000 float64 values (a chunk moves 42 of them)
    BUFFERS = 40  # 160 MiB: more than one of glibc's 64 MiB heaps
    PAGES = BUFFERS * BUFFER // resource.getpagesize()


    def faults_again():
        # the pages faulted in by buffers allocated and touched in a thread of their own, after the same buffers
        # were allocated, touched and freed there (as a read-ahead thread's chunk, freed before the next is made)
        found = []

        def rounds():
            for _ in range(2):
                before = resource.getrusage(resource.RUSAGE_THREAD).ru_minflt
                blocks = [LIBC.malloc(BUFFER) for _ in range(BUFFERS)]
                for block in blocks:
                    ctypes.memset(block, 1, BUFFER)
                found.append(resource.getrusage(resource.RUSAGE_THREAD).ru_minflt - before)
                for block in blocks:
                    LIBC.free(block)

        thread = threading.Thread(target=rounds)
        thread.start()
        thread.join()
        return found[1]


    assert faults_again() > PAGES // 2, "outside a section, glibc unmaps the thread's heap once wholly free"
    with freed_buffers_kept():
        assert faults_again() < PAGES // 20, "inside, the thread's heap stays mapped, its pages kept"
    print("ok")
    """
)


def test_a_threads_freed_buffers_stay_in_its_heap_inside() -> None:
    run = subprocess.run([sys.executable, "-c", IN_ANOTHER_THREAD], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and run.stdout.strip() == "ok", run.stderr[-2000:]
