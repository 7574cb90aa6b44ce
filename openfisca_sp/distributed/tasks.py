"""Running tasks on the cluster: gathering futures in order, with progress, cancelling the rest on a failure."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from distributed import Client, Future, KilledWorker, as_completed

__all__ = ["Progress", "gather"]

Progress = Callable[[int, int], None]  # (partitions done, partitions in all)


WORKER_KILLED = (
    "a Dask worker died running a task, each time it was given it ({cause}): most often killed by the system for "
    "want of memory; give the workers more memory, or fewer threads each"
)


def gather(client: Client, futures: Sequence[Future], progress: Progress | None = None) -> list[Any]:
    """The futures' results in order; the first failure is raised (with the worker's message), the rest cancelled.
    A task whose workers died each time it ran (Dask's ``KilledWorker``) is a :class:`ChildProcessError` saying so,
    as a forked worker's death is (:mod:`~openfisca_sp.projection.forked`)."""
    try:
        for done, future in enumerate(as_completed(futures), start=1):
            if future.status != "finished":
                future.result()
            if progress is not None:
                progress(done, len(futures))
    except KilledWorker as killed:
        client.cancel(list(futures))
        raise ChildProcessError(WORKER_KILLED.format(cause=killed)) from None
    except BaseException:
        client.cancel(list(futures))
        raise
    return client.gather(list(futures))
