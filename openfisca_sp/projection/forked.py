"""A projection's years run side by side in forked worker processes that share the base table.

The years of a scenario are independent: each moves the same base table to its year (:mod:`~.year`). The
parent reads the table and builds the systems once (:class:`~.year.YearInputs`); each worker is forked from
it and inherits them: the table's buffers are shared, page for page, not copied or sent. A worker then
holds only the chunk it moves and the rules' arrays of that chunk. Results come back in the years' order.

Where processes cannot be forked (Windows; macOS forks unsafely), the years run one after the other in this
process: the figures are the same.
"""

from __future__ import annotations

import multiprocessing
import pickle
import sys
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from numbers import Integral

from openfisca_sp.projection.ahead import cores
from openfisca_sp.projection.year import YearInputs, YearResult, run_year
from openfisca_sp.rules.wording import abridged

Progress = Callable[[int, int], None]  # (years done, years)
WORKER_LOST = (
    "a worker process stopped before it answered, while {count} ran years side by side: killed, most often by the "
    "system for want of memory (each worker holds its chunk's arrays beside the shared table); run with fewer "
    "workers (--workers 1: one year at a time, in this process)"
)
_inherited: YearInputs | None = None  # in a worker: the parent's inputs, set once when it starts
_ahead = True  # in a worker: whether it prepares its next chunk in a thread (two cores for it)


def can_fork() -> bool:
    """Whether worker processes can be forked safely here (Linux)."""
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def worker_count(workers: int | None, years: int) -> int:
    """How many worker processes to use: ``workers`` (None or 0: one per core), at most one per year."""
    if workers is not None and (not isinstance(workers, Integral) or isinstance(workers, bool) or workers < 0):
        # 'two' and 1.5 were told in Python's words; a NumPy integer is a whole number
        raise ValueError(f"workers must be a whole number, 0 (one per core) or more, not {abridged(workers)}")
    wanted = workers or cores()
    return max(1, min(wanted, years))


def _adopt(inputs: YearInputs, ahead: bool) -> None:
    global _inherited, _ahead
    _inherited, _ahead = inputs, ahead


def _run_inherited(year: int) -> YearResult:
    assert _inherited is not None, "a worker runs years only once it holds the parent's inputs"
    try:
        return run_year(_inherited, year, _ahead)
    except Exception as error:
        raise _portable(error) from None


def _portable(error: Exception) -> Exception:
    """``error``, or, if it would not come back whole through a pipe (an exception whose constructor takes
    other arguments than its message), an error of the nearest plain kind with the same message: a pool whose
    parent cannot unpickle a worker's error waits for ever."""
    try:
        pickle.loads(pickle.dumps(error))  # noqa: S301 - our own error, made here a moment ago
    except Exception:  # whatever pickling raises, the plain error below goes through
        for kind in (ValueError, KeyError, FileNotFoundError, OSError):
            if isinstance(error, kind):
                return kind(str(error))
        return RuntimeError(f"{type(error).__name__}: {error}")
    return error


def run_years(
    inputs: YearInputs, years: Sequence[int], workers: int | None = 1, progress: Progress | None = None
) -> list[YearResult]:
    """Each of ``years`` run over ``inputs``, in ``workers`` forked processes (1: in this one), in order."""
    count = worker_count(workers, len(years))
    if count == 1 or not can_fork():
        return _gathered((run_year(inputs, year) for year in years), len(years), progress)
    # Under fork, a pool's initializer arguments are inherited by the workers, never pickled. A worker prepares
    # its next chunk in a thread only if there are two cores for it: else the thread takes another worker's core
    # A pool of concurrent.futures, not multiprocessing's: a worker killed (by the system, for want of memory) breaks
    # it, and the run stops saying so; multiprocessing's pool forked another and waited for the lost year for ever.
    context = multiprocessing.get_context("fork")
    ahead = 2 * count <= cores()
    with ProcessPoolExecutor(count, mp_context=context, initializer=_adopt, initargs=(inputs, ahead)) as pool:
        try:
            return _gathered(pool.map(_run_inherited, years), len(years), progress)
        except BrokenProcessPool:
            raise ChildProcessError(WORKER_LOST.format(count=count)) from None


def _gathered(results: Iterable[YearResult], total: int, progress: Progress | None) -> list[YearResult]:
    """The years' results as they come, each reported to ``progress``."""
    gathered: list[YearResult] = []
    for result in results:
        gathered.append(result)
        if progress is not None:
            progress(len(gathered), total)
    return gathered
