"""Input columns converted in a background thread, block of rows after block, while the rules run on the rows
already converted.

Checking and converting a table's columns (:func:`~openfisca_sp.population.fact_arrays.fact_array`) is NumPy
and Arrow work that releases the interpreter's lock, and the rules of one chunk leave the other cores idle: the
two overlap. The blocks come from a table in memory (:func:`table_blocks`), or straight from a Parquet file, read
a block at a time (:func:`streamed_blocks`), ahead of this thread by one of its own
(:mod:`~openfisca_sp.population.read_ahead`): then the rules start on the first rows while the file's last rows
are still being read. The arrays are allocated whole on the first block and filled in place:
the same arrays as converting the whole table at once, and the same errors, naming the table's row. Each block's
columns are let go as soon as its rows are converted, so the table's memory and the rules' do not add up. With a
:class:`~openfisca_sp.population.ring.ChunkRing`, the rows are filled into the buffers of the chunk they belong to,
reused once the rules are done with it, instead of arrays of the whole table.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from openfisca_sp.population.columns import ColumnNeed
from openfisca_sp.population.errors import PopulationError
from openfisca_sp.population.fact_arrays import fact_array
from openfisca_sp.population.ring import ChunkRing, RingClosedError
from openfisca_sp.rules.wording import counted

BLOCK_ROWS = 250_000  # rows converted at a time: small enough for the rules to start soon


Block = tuple[slice, list[tuple[pa.ChunkedArray, ColumnNeed]]]  # a block's rows, and each need's values there


class Filling:
    """Fills ``arrays[(variable, period)]`` (or the buffers of ``ring``'s chunks) from ``blocks`` of consecutive rows
    (see :func:`table_blocks` and :func:`streamed_blocks`), in a thread; :meth:`wait` returns once the rows asked
    for are filled (or raises the conversion's or the reading's error)."""

    def __init__(
        self,
        blocks: Iterator[Block],
        arrays: dict[tuple[str, str], np.ndarray],
        count: int,
        source: str | None,
        ring: ChunkRing | None = None,
    ) -> None:
        self.count = count
        self.ring = ring
        self.filled = 0
        self.error: BaseException | None = None
        self._changed = threading.Condition()
        self._thread = threading.Thread(
            target=self._fill, args=(blocks, arrays, source), name="population-inputs", daemon=True
        )
        self._thread.start()

    def _fill(self, blocks: Iterator[Block], arrays: dict[tuple[str, str], np.ndarray], source: str | None) -> None:
        try:
            for rows, columns in blocks:
                for low, high, target, offset in self._destinations(rows, arrays):
                    for values, need in columns:
                        part = values if high - low == len(values) else values.slice(low - rows.start, high - low)
                        _fill_block(part, need, target, (offset, self._capacity), (low, source))
                    with self._changed:  # rows up to ``high`` ready (a chunk may end within the block)
                        self.filled = high
                        self._changed.notify_all()
                columns.clear()
            pa.default_memory_pool().release_unused()  # once: each block's buffers serve the next one
            if self.filled != self.count:
                said = f"{counted(self.filled, 'row', form=',')} read where the table has {self.count:,}"
                raise PopulationError(said, source=source)
        except RingClosedError:  # the rules stopped taking chunks: nothing waits for the rest
            return
        except BaseException as error:  # handed to the thread that waits, raised there
            with self._changed:
                self.error = error
                self._changed.notify_all()
        finally:  # blocks read ahead stop being read (a generator's own ``finally`` runs)
            close = getattr(blocks, "close", None)
            if close is not None:
                close()

    @property
    def _capacity(self) -> int:
        return self.count if self.ring is None else self.ring.capacity

    def _destinations(
        self, rows: slice, arrays: dict[tuple[str, str], np.ndarray]
    ) -> Iterable[tuple[int, int, dict[tuple[str, str], np.ndarray], int]]:
        """Where a block's rows go: the whole table's arrays, at the block's rows; or each chunk's part of the
        block, into that chunk's buffers (once they are free)."""
        if self.ring is None:
            return [(rows.start, rows.stop, arrays, rows.start)]
        return self.ring.destinations(rows.start, rows.stop)

    def wait(self, stop: int | None = None) -> None:
        """Return once rows up to ``stop`` (all rows by default) are filled; raise the conversion's error."""
        stop = self.count if stop is None else stop
        with self._changed:
            self._changed.wait_for(lambda: self.filled >= stop or self.error is not None)
            if self.filled < stop and self.error is not None:
                raise self.error


def table_blocks(
    columns: list[tuple[pa.ChunkedArray, ColumnNeed]], count: int, block: int | None = None
) -> Iterator[Block]:
    """Blocks of ``block`` rows (``BLOCK_ROWS``) of columns in memory (one per need). The list is emptied: from
    then on each column's chunks are held by the blocks only, and let go once their rows are converted."""
    pieces = [(_Pieces(column), need) for column, need in columns]
    columns.clear()
    size = max(block or BLOCK_ROWS, 1)
    for start in range(0, count, size):
        stop = min(start + size, count)
        yield slice(start, stop), [(piece.rows(start, stop), need) for piece, need in pieces]
        for piece, _ in pieces:
            piece.release(stop)


@dataclass(frozen=True)
class StreamedColumns:
    """A table's columns read a block of rows at a time as the rules go (ahead of the converting thread, or by
    it)."""

    names: list[str]  # every column the table has
    # (columns, rows per batch, text columns wanted as dictionaries): the batches in order
    batches: Callable[[list[str], int, list[str]], Iterable[pa.RecordBatch]]


def streamed_blocks(streamed: StreamedColumns, needs: list[ColumnNeed]) -> Iterator[Block]:
    """Blocks of ``BLOCK_ROWS`` rows of the needs' columns, read from ``streamed`` in order as they are
    converted; enumerations' columns as dictionaries (their texts are matched once per block, not once a row)."""
    columns = list(dict.fromkeys(need.column for need in needs))
    enumerations = list(dict.fromkeys(need.column for need in needs if need.fact.enum_names))
    start = 0
    for batch in streamed.batches(columns, BLOCK_ROWS, enumerations):
        yield slice(start, start + batch.num_rows), [(pa.chunked_array([batch[need.column]]), need) for need in needs]
        start += batch.num_rows


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
    at: tuple[int, int],  # where the values go in the arrays, and the arrays' length
    read: tuple[int, str | None],  # the table's row of the first value, and the table (as errors name them)
) -> None:
    """Convert ``values`` into ``arrays``, made on the first block; numbers are written straight into them."""
    offset, capacity = at
    key = (need.variable, need.period)
    destination = arrays.get(key)
    into = None if destination is None else destination[offset : offset + len(values)]
    converted = fact_array(values, need, read[1], first_row=read[0], into=into)
    if destination is None:
        destination = arrays[key] = np.empty(capacity, dtype=converted.dtype)
    if converted is not into:
        destination[offset : offset + len(converted)] = converted
