"""Input columns converted in a background thread, block of rows after block, while the rules run on the rows
already converted.

Checking and converting a table's columns (:func:`~openfisca_sp.population.fact_arrays.fact_array`) is NumPy
and Arrow work that releases the interpreter's lock, and the rules of one chunk leave the other cores idle: the
two overlap. The arrays are allocated whole on the first block and filled in place: the same arrays as
converting the whole table at once, and the same errors, naming the table's row. The table's own chunks are let
go as soon as their rows are converted, so its memory and the rules' do not add up.
"""

from __future__ import annotations

import threading

import numpy as np
import pyarrow as pa

from openfisca_sp.population.columns import ColumnNeed
from openfisca_sp.population.fact_arrays import fact_array

BLOCK_ROWS = 250_000  # rows converted at a time: small enough for the rules to start soon


class Filling:
    """Fills ``arrays[(variable, period)]`` from ``columns`` (one per need, dropped once converted), ``block``
    rows at a time, in a thread; :meth:`wait` returns once the rows asked for are filled (or raises the
    conversion's error)."""

    def __init__(
        self,
        columns: list[tuple[pa.ChunkedArray, ColumnNeed]],
        arrays: dict[tuple[str, str], np.ndarray],
        count: int,
        source: str | None,
        block: int | None = None,  # BLOCK_ROWS
    ) -> None:
        self.count = count
        self.filled = 0
        self.error: BaseException | None = None
        self._changed = threading.Condition()
        self._thread = threading.Thread(
            target=self._fill,
            args=(columns, arrays, source, max(block or BLOCK_ROWS, 1)),
            name="population-inputs",
            daemon=True,
        )
        self._thread.start()

    def _fill(
        self,
        columns: list[tuple[pa.ChunkedArray, ColumnNeed]],
        arrays: dict[tuple[str, str], np.ndarray],
        source: str | None,
        block: int,
    ) -> None:
        try:
            pieces = [(_Pieces(column), need) for column, need in columns]
            columns.clear()  # from here, each column's chunks are held by its pieces only
            for start in range(0, self.count, block):
                stop = min(start + block, self.count)
                for piece, need in pieces:
                    _fill_block(piece.rows(start, stop), need, arrays, (start, self.count), source)
                    piece.release(stop)
                with self._changed:
                    self.filled = stop
                    self._changed.notify_all()
                pa.default_memory_pool().release_unused()
        except BaseException as error:  # handed to the thread that waits, raised there
            with self._changed:
                self.error = error
                self._changed.notify_all()

    def wait(self, stop: int | None = None) -> None:
        """Return once rows up to ``stop`` (all rows by default) are filled; raise the conversion's error."""
        stop = self.count if stop is None else stop
        with self._changed:
            self._changed.wait_for(lambda: self.filled >= stop or self.error is not None)
            if self.filled < stop and self.error is not None:
                raise self.error


class _Pieces:
    """A column's chunks, each let go once every one of its rows is converted."""

    def __init__(self, column: pa.ChunkedArray) -> None:
        self.type = column.type
        self.chunks: list[pa.Array | None] = list(column.chunks)
        self.ends = np.cumsum([len(chunk) for chunk in column.chunks], dtype=np.int64)

    def rows(self, start: int, stop: int) -> pa.ChunkedArray:
        first = int(np.searchsorted(self.ends, start, side="right"))
        last = int(np.searchsorted(self.ends, stop, side="left"))
        chunks = self.chunks[first : last + 1]
        offset = start - (int(self.ends[first - 1]) if first else 0)
        return pa.chunked_array(chunks, type=self.type).slice(offset, stop - start)

    def release(self, stop: int) -> None:
        for index in range(int(np.searchsorted(self.ends, stop, side="right"))):
            self.chunks[index] = None


def _fill_block(
    values: pa.ChunkedArray,
    need: ColumnNeed,
    arrays: dict[tuple[str, str], np.ndarray],
    at: tuple[int, int],  # the block's first row, and the table's rows
    source: str | None,
) -> None:
    start, count = at
    converted = fact_array(values, need, source, first_row=start)
    key = (need.variable, need.period)
    if key not in arrays:
        arrays[key] = np.empty(count, dtype=converted.dtype)
    arrays[key][start : start + len(converted)] = converted
