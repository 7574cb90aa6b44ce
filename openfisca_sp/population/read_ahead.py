"""Blocks of a file read ahead, in a thread of their own, while the blocks before them are converted.

The converting thread (:mod:`~openfisca_sp.population.filling`) read a Parquet file's next block only once it
had converted the last one: the decoding (Arrow's, which releases the interpreter's lock) and the converting
took turns. Here a reading thread keeps up to ``depth`` blocks decoded ahead, from the moment the columns to read
are known: before the table's structure is checked and the chunks are laid out, so the first chunk's inputs are
decoded while that goes on, and afterwards side by side with the converting.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import Generic, TypeVar

Item = TypeVar("Item")
DEPTH = 2  # blocks held decoded ahead (at 250,000 rows and 41 columns of 8 bytes, about 80 MB each)
_END = object()


class ReadAhead(Generic[Item]):
    """The items of ``source``, taken from it by a thread of its own up to ``depth`` ahead of their use. Its
    error is raised where the item it failed on is asked for; :meth:`close` stops the thread and closes
    ``source`` (a generator's ``finally`` runs, in that thread)."""

    def __init__(self, source: Iterator[Item], depth: int = DEPTH, name: str = "population-read-ahead") -> None:
        self._items: queue.Queue = queue.Queue(maxsize=max(depth, 1))
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._read, args=(source,), name=name, daemon=True)
        self._thread.start()

    def _read(self, source: Iterator[Item]) -> None:
        try:
            for item in source:
                if not self._put(item):
                    return
            self._put(_END)
        except BaseException as error:  # raised to the reader where the next item was
            self._put(error)
        finally:
            close = getattr(source, "close", None)
            if close is not None:
                close()

    def _put(self, item: object) -> bool:
        """Hand ``item`` over, waiting for room; False once closed (the item is dropped)."""
        while not self._stopped.is_set():
            try:
                self._items.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def __iter__(self) -> ReadAhead[Item]:
        return self

    def __next__(self) -> Item:
        if self._stopped.is_set():
            raise StopIteration
        item = self._items.get()
        if item is _END:
            self._stopped.set()
            raise StopIteration
        if isinstance(item, BaseException):
            self._stopped.set()
            raise item
        return item

    def close(self) -> None:
        """Stop reading ahead, let go of the items read, and wait for the thread (it ends within a block)."""
        self._stopped.set()
        while True:
            try:
                self._items.get_nowait()
            except queue.Empty:
                break
        if self._thread is not threading.current_thread():
            self._thread.join()
