"""Chunks of whole households, and a ring of buffers that holds a few chunks' input rows at a time.

A run over a population reads its inputs once, chunk after chunk, in order. Held whole, a 10-million-person
table's inputs take about 3.7 GB, every byte of it new memory that the system must hand over page by page
(on a virtual machine, often the slowest part of the run). The ring gives the converting thread
(:mod:`~openfisca_sp.population.filling`) the buffers of a few chunks and the rules the chunk they ask for;
a chunk's buffers are filled again with a later chunk once the rules let it go
(:meth:`ChunkRing.release`), so the inputs take a few chunks' memory, touched once and reused.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator

import numpy as np

SLOTS = 2  # chunks held at once: the one the rules run on, and the next one being filled


def chunk_bounds(household_of: np.ndarray, chunk_persons: int) -> list[slice]:
    """Slices of about ``chunk_persons`` rows that never split a household."""
    count = len(household_of)
    if count == 0:
        return []
    starts = np.flatnonzero(np.r_[True, household_of[1:] != household_of[:-1]])
    targets = np.arange(chunk_persons, count, max(chunk_persons, 1))
    cuts = np.unique(starts[np.minimum(np.searchsorted(starts, targets), len(starts) - 1)])
    cuts = cuts[(cuts > 0) & (cuts < count)]
    edges = [0, *cuts.tolist(), count]
    return [slice(start, stop) for start, stop in itertools.pairwise(edges) if stop > start]


class RingClosedError(Exception):
    """The rules stopped taking chunks (finished or failed): the converting thread stops too."""


class ChunkRing:
    """The buffers of ``slots`` chunks of ``bounds``, reused in turn: chunk ``k`` is filled into slot
    ``k % slots`` once chunk ``k - slots`` is released."""

    def __init__(self, bounds: list[slice], slots: int = SLOTS) -> None:
        self.bounds = bounds
        self._index = {(chunk.start, chunk.stop): index for index, chunk in enumerate(bounds)}
        self._starts = np.array([chunk.start for chunk in bounds], dtype=np.int64)
        self.capacity = max((chunk.stop - chunk.start for chunk in bounds), default=0)
        self.slots: list[dict[tuple[str, str], np.ndarray]] = [{} for _ in range(max(min(slots, len(bounds)), 1))]
        self.released = 0  # chunks 0 .. released - 1 are done with
        self.closed = False
        self._changed = threading.Condition()

    def index_of(self, rows: slice) -> int:
        """The chunk that ``rows`` are (a ring serves its own chunks only)."""
        try:
            return self._index[(rows.start, rows.stop)]
        except KeyError:
            raise ValueError(f"rows {rows.start}..{rows.stop} are not one of the ring's chunks") from None

    def takeable(self, rows: slice) -> int:
        """The chunk that ``rows`` are, if its buffers can hold it without a chunk before it being released
        first (waiting for it otherwise would wait for ever)."""
        index = self.index_of(rows)
        if not self.released <= index < self.released + len(self.slots):
            raise ValueError(
                f"chunk {index} cannot be taken now: the ring holds chunks {self.released} to "
                f"{self.released + len(self.slots) - 1}; take the chunks in order and release each"
            )
        return index

    def destinations(self, start: int, stop: int) -> Iterator[tuple[int, int, dict[tuple[str, str], np.ndarray], int]]:
        """For the table's rows ``start`` to ``stop``, the part in each chunk: its first and last row, the
        chunk's buffers and where the part begins in them; each chunk's buffers once they are free (or
        :class:`RingClosedError`)."""
        first = max(int(np.searchsorted(self._starts, start, side="right")) - 1, 0)
        for index in range(first, len(self.bounds)):
            chunk = self.bounds[index]
            if chunk.start >= stop:
                break
            with self._changed:
                self._changed.wait_for(lambda index=index: index < self.released + len(self.slots) or self.closed)
                if self.closed:
                    raise RingClosedError
            low, high = max(start, chunk.start), min(stop, chunk.stop)
            yield low, high, self.slots[index % len(self.slots)], low - chunk.start

    def inputs(self, index: int) -> dict[tuple[str, str], np.ndarray]:
        """Chunk ``index``'s inputs, views of its buffers (valid until it is released)."""
        chunk = self.bounds[index]
        return {key: values[: chunk.stop - chunk.start] for key, values in self.slots[index % len(self.slots)].items()}

    def release(self, index: int) -> None:
        """The rules are done with chunks up to ``index``: their buffers may take later chunks."""
        with self._changed:
            self.released = max(self.released, index + 1)
            self._changed.notify_all()

    def close(self) -> None:
        """No more chunks will be taken: a thread waiting for buffers stops."""
        with self._changed:
            self.closed = True
            self._changed.notify_all()
