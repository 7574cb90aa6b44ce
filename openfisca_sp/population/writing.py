"""Each chunk's results copied into the population's arrays by a thread of its own, while the rules run on the
next chunk.

The rules' thread is the slower side of a population run (the converting thread reads ahead of it), and
copying a chunk's outputs into the arrays of the whole population (33 outputs, about 210 MB a million persons,
into memory never touched before) was its work too. NumPy copies without the interpreter's lock, so a thread of
its own does it while the rules run on the next chunk; then it lets the chunk's inputs go (with a ring, their
buffers take a later chunk), since an output may be an input's own array.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable


class ChunkWriter:
    """Runs the jobs given to it in order, in a thread; :meth:`wait` returns once at most ``pending`` are left
    (and raises a job's error)."""

    def __init__(self, name: str = "population-results") -> None:
        self._jobs: queue.SimpleQueue[Callable[[], None] | None] = queue.SimpleQueue()
        self._submitted = 0
        self._done = 0
        self._error: BaseException | None = None
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (job := self._jobs.get()) is not None:
            try:
                if self._error is None:  # after a failure, the later jobs are only counted
                    job()
            except BaseException as error:
                self._error = error
            finally:
                del job
                with self._changed:
                    self._done += 1
                    self._changed.notify_all()

    def submit(self, job: Callable[[], None]) -> None:
        """Run ``job`` after those given before it."""
        self._raise()
        self._submitted += 1
        self._jobs.put(job)

    def wait(self, pending: int = 0) -> None:
        """Return once at most ``pending`` jobs are left; raise the error a job met."""
        with self._changed:
            self._changed.wait_for(lambda: self._submitted - self._done <= pending)
        self._raise()

    def close(self) -> None:
        """Let the jobs given run, then stop the thread."""
        self._jobs.put(None)
        self._thread.join()

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error
