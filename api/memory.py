"""The cyclic garbage collector, kept off the request path of a long-lived server.

A request allocates many short-lived objects (a 10,000-person situation is about 300,000 dicts) that
reference counting frees when the answer is sent. Left alone, the collector scans them again and again
while they are alive: about 25 ms of a 10,000-person request. So the synchronous work of a request runs
with the collector paused; whatever garbage it leaves (cycles) is collected by the normal collector
afterwards. The rules themselves, built once at start-up, are frozen out of every scan.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_depth = 0


def freeze_startup_objects() -> None:
    """Move everything built so far (rules, app) out of the collector's scans."""
    gc.collect()
    gc.freeze()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run a synchronous section (parse, simulate, serialise) without cyclic collections."""
    global _depth
    if _depth == 0 and not gc.isenabled():
        yield  # someone else turned the collector off: leave it so
        return
    _depth += 1
    gc.disable()
    try:
        yield
    finally:
        _depth -= 1
        if _depth == 0:
            gc.enable()
