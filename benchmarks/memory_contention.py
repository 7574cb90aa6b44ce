"""How much two processes slow each other on this machine: a loop that only computes, and one that streams memory.

A projection's two forked workers take longer per year than one process alone. This script tells whether the
machine's cores slow each other when both compute (shared physical cores, a busy host) or only when both read
memory (shared memory bandwidth): each loop runs alone, then twice at once in two processes.

    .venv/bin/python benchmarks/memory_contention.py      # about a minute
"""

from __future__ import annotations

import multiprocessing
import time

import numpy as np

STEPS = 30_000_000  # additions of the computing loop
FLOATS = 50_000_000  # 400 MB streamed per pass: far beyond any cache
PASSES = 40


def computing() -> float:
    """Seconds a Python loop of additions takes (registers and caches only)."""
    start = time.perf_counter()
    total = 0
    for step in range(STEPS):
        total += step
    return time.perf_counter() - start


def streaming() -> float:
    """Seconds that summing a 400 MB array ``PASSES`` times takes (bound by memory bandwidth)."""
    values = np.ones(FLOATS)
    start = time.perf_counter()
    for _ in range(PASSES):
        values.sum()
    return time.perf_counter() - start


def main() -> None:
    print("loop      | alone s | two at once s (each) | slower by")
    for loop in (computing, streaming):
        alone = loop()
        with multiprocessing.Pool(2) as pool:
            both = pool.starmap(loop, [(), ()])
        print(f"{loop.__name__:9} | {alone:7.2f} | {both[0]:6.2f} {both[1]:6.2f}        | {max(both) / alone - 1:+.0%}")


if __name__ == "__main__":
    main()
