"""Running tasks on the cluster: gathering futures in order, with progress, cancelling the rest on a failure."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from distributed import Client, Future, as_completed

__all__ = ["Progress", "gather"]

Progress = Callable[[int, int], None]  # (partitions done, partitions in all)


def gather(client: Client, futures: Sequence[Future], progress: Progress | None = None) -> list[Any]:
    """The futures' results in order; the first failure is raised (with the worker's message), the rest cancelled."""
    try:
        for done, future in enumerate(as_completed(futures), start=1):
            if future.status != "finished":
                future.result()
            if progress is not None:
                progress(done, len(futures))
    except BaseException:
        client.cancel(list(futures))
        raise
    return client.gather(list(futures))
