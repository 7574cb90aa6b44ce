"""The months of wages a person table gives that no rule reads, checked against the birth as ``/eligibility`` checks
every month stated (:mod:`openfisca_sp.decisions.before_birth`), on the columns as stored, never converted into the
rules' arrays nor read by them.

Only a person born after a month can have a wage of that month before the month of its birth: the births are
compared once with the first day after the earliest such month, and the months' wages are taken at those persons'
rows alone (9% of Viet Nam's synthetic table in 2026-10, for months from 2022-05). The persons whose wages contradict
their births (none, in a table that holds) are kept with those wages (:class:`UnreadWages`), and each chunk checks
them with the months the rules read (:mod:`~.contradictions`), so a table is refused in the rows, and the order of
the checks, of a table whose every month the rules read. Their values are refused as those of the months read are
(:func:`~.fact_arrays.check_numbers`: text, a negative or infinite wage), as ``/eligibility`` refuses any month's.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from openfisca_sp.decisions.before_birth import WAGE, before_birth
from openfisca_sp.decisions.facts import facts_of
from openfisca_sp.population.columns import ColumnNeed
from openfisca_sp.population.errors import PopulationError
from openfisca_sp.population.fact_arrays import check_numbers, fact_array
from openfisca_sp.population.filling import StreamedColumns

BIRTH = "birth_date"
CAREER = "contribution_months"
PREFIX = f"{WAGE}."
_MONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")
BATCH_ROWS = 1 << 20  # a Parquet file's births and unread months are read this many rows at a time


def unread_wage_columns(present: Iterable[str], month: str, read: Collection[str]) -> list[str]:
    """The months of wages among a table's columns ``present`` (``insured_wage.YYYY-MM``) before ``month`` that are
    not among the columns ``read``: a wage of a later month is never before a birth in the month evaluated."""
    return [
        name
        for name in present
        if name.startswith(PREFIX)
        and _MONTH.fullmatch(name[len(PREFIX) :])
        and name[len(PREFIX) :] < month
        and name not in read
    ]


def later_wages_note(present: Iterable[str], month: str) -> str | None:
    """What the results say of a table's wages of months after ``month`` (the month evaluated): not read, and why,
    where the table has some; None otherwise. A decision in a month reads the wages before it (and of it), so a
    table holding later months (one table evaluated at many months, as a projection does) is decided, never refused,
    as ``/eligibility`` refuses a wage of a month after the date asked: a claim's record is of its date, and a wage
    not yet earned in it contradicts it (:mod:`openfisca_sp.decisions.consistency`)."""
    later = sorted(
        name[len(PREFIX) :]
        for name in present
        if name.startswith(PREFIX) and _MONTH.fullmatch(name[len(PREFIX) :]) and name[len(PREFIX) :] > month
    )
    if not later:
        return None
    months = later[0] if len(later) == 1 else f"{len(later)} months, {later[0]} to {later[-1]}"
    return (
        f"{WAGE} of months after {month} not read ({months}): a decision in {month} reads the wages before it, so "
        f"their values change nothing (/eligibility refuses a wage of a month after the date asked)"
    )


@dataclass(frozen=True)
class UnreadChunk:
    """What a chunk's checks add of the months no rule reads (:meth:`UnreadWages.within`)."""

    wages: dict[str, np.ndarray]  # by month: the wages of those whose wage is before their birth, 0 for the others
    insured: np.ndarray | None  # each person's months with a wage above 0 among them (None: no one has one)


@dataclass(frozen=True)
class UnreadWages:
    """Of the months of wages no rule reads, before the month evaluated: the rows (of the whole table, in order) of
    the persons with a wage above 0 before the month of their birth and their wages (0 where not stated), and the
    rows of those whose career total may be fewer than their months with a wage above 0 (every person, where the
    table states no ``contribution_months``) and have some among them, with those months' count."""

    rows: np.ndarray
    wages: dict[str, np.ndarray]  # by month (YYYY-MM)
    counted: np.ndarray
    insured: np.ndarray

    def within(self, rows: slice, count: int) -> UnreadChunk | None:
        """The ``count`` rows of ``rows``: the wages by month of those found, 0 for every other person (no wage:
        the check finds the rows it finds over the months' whole columns), and every person's count; None where
        none of them is found."""
        start = rows.start or 0
        first, last = np.searchsorted(self.rows, [start, start + count])
        low, high = np.searchsorted(self.counted, [start, start + count])
        if first == last and low == high:
            return None
        at, wages = self.rows[first:last] - start, {}
        for month, values in self.wages.items() if first < last else ():
            wages[month] = np.zeros(count)
            wages[month][at] = values[first:last]
        insured = None
        if low < high:
            insured = np.zeros(count, dtype=np.int16)
            insured[self.counted[low:high] - start] = self.insured[low:high]
        return UnreadChunk(wages, insured)

    @staticmethod
    def joined(parts: Iterable[UnreadWages]) -> UnreadWages | None:
        """The parts (of successive blocks of rows) as one; None if there is none."""
        found = list(parts)
        if not found:
            return None
        return UnreadWages(
            np.concatenate([part.rows for part in found]),
            {month: np.concatenate([part.wages[month] for part in found]) for month in found[0].wages},
            np.concatenate([part.counted for part in found]),
            np.concatenate([part.insured for part in found]),
        )


Columns = Mapping[str, pa.ChunkedArray | pa.Array]


def unread_wages(
    columns: Columns,
    months: list[str],
    month: str,
    given: int,
    system: Any,
    first_row: int = 0,
    source: str | None = None,
) -> UnreadWages | None:
    """What a block of rows (the table's from ``first_row``) holds of the unread ``months`` (YYYY-MM, before
    ``month``, their columns in ``columns`` with the births and the career totals where the table gives them, as
    stored) that the checks of a chunk find (:class:`UnreadWages`); ``given``: how many months of wages before
    ``month`` the table gives, read or not (a career total of as many contradicts none). None where nothing is found.
    A month's values the rules would refuse are refused (:class:`PopulationError`, naming ``source``); births or
    career totals that cannot be read as the rules read them are not compared (their own conversion refuses them)."""
    wage = facts_of(system).get(WAGE)
    for period in months if wage is not None else ():
        name = f"{PREFIX}{period}"
        column = columns[name]
        stored = pa.chunked_array([column]) if isinstance(column, pa.Array) else column
        check_numbers(stored, ColumnNeed(name, WAGE, period, wage), source, first_row)
    birth = read_as_rules(columns.get(BIRTH), BIRTH, system)
    careers = read_as_rules(_career(columns, month), CAREER, system)
    found, stated, young = None, {}, np.zeros(0, dtype=np.int64)
    if birth is not None:
        after = (np.datetime64(min(months), "M") + 1).astype("datetime64[D]")
        young = np.flatnonzero(birth >= after)  # only those born after the earliest month can be born after any
        stated = {period: _amounts(columns[f"{PREFIX}{period}"], young) for period in months}
        found = np.zeros(len(young), dtype=bool)
        for before in before_birth(lambda _: None, stated, birth[young], _everyone(len(young))):
            found |= before.mask
    insured = np.zeros(len(columns[f"{PREFIX}{months[0]}"]), dtype=np.int16)  # a working life's months: 16 bits
    short = None if careers is None else careers < given  # a career of every month given contradicts none
    if short is None or short.any():
        for period in months:
            _count_paid(columns[f"{PREFIX}{period}"], insured)
    counted = np.flatnonzero(insured > 0 if short is None else (insured > 0) & short)
    if not len(counted) and (found is None or not found.any()):
        return None
    kept = young[found] if found is not None else young
    return UnreadWages(
        kept + first_row,
        {period: stated[period][0][found] if found is not None else np.zeros(0) for period in months},
        counted + first_row,
        insured[counted],
    )


def _career(columns: Columns, month: str) -> pa.ChunkedArray | pa.Array | None:
    """The career totals as of ``month``: its history column wins over the plain one, as the engine reads it."""
    found = columns.get(f"{CAREER}.{month}")
    return columns.get(CAREER) if found is None else found


def read_as_rules(column: pa.ChunkedArray | pa.Array | None, name: str, system: Any) -> np.ndarray | None:
    """A column read as ``system``'s rules read the fact ``name``; None where it is not given or the rules would
    refuse it (its own conversion says why)."""
    fact = facts_of(system).get(name)
    if column is None or fact is None:
        return None
    need = ColumnNeed(name, name, "ETERNITY" if fact.eternal else "", fact)
    try:
        return fact_array(pa.chunked_array([column]) if isinstance(column, pa.Array) else column, need, None)
    except PopulationError:
        return None


def _amounts(column: pa.ChunkedArray | pa.Array, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A month's wages at ``rows`` (in order) as numbers (an empty cell: no wage, 0), and who stated one (everyone: a
    wage of 0 is no wage), from a column of numbers (:func:`unread_wages` refuses any other). Numbers with no empty
    cell are read where they are stored, piece by piece (no copy of the column)."""
    pieces = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    if not column.null_count and (pa.types.is_floating(column.type) or pa.types.is_integer(column.type)):
        values, start = np.zeros(len(rows)), 0
        for piece in pieces:
            first, last = np.searchsorted(rows, [start, start + len(piece)])
            values[first:last] = piece.to_numpy()[rows[first:last] - start]
            start += len(piece)
        return values, _everyone(len(rows))
    numbers = pc.cast(column.take(pa.array(rows)), pa.float64(), safe=False)
    return pc.fill_null(numbers, 0.0).to_numpy(zero_copy_only=False), _everyone(len(rows))


def _count_paid(column: pa.ChunkedArray | pa.Array, insured: np.ndarray) -> None:
    """Add 1 to ``insured`` where ``column`` states a wage above 0 (an empty cell: none); numbers with no empty cell
    compared where they are stored, piece by piece."""
    pieces = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    start = 0
    for piece in pieces:
        if not piece.null_count and (pa.types.is_floating(piece.type) or pa.types.is_integer(piece.type)):
            values = piece.to_numpy()
        else:
            values = _amounts(piece, np.arange(len(piece)))[0]
        np.add(
            insured[start : start + len(piece)], values > 0, out=insured[start : start + len(piece)], casting="unsafe"
        )
        start += len(piece)


def _everyone(count: int) -> np.ndarray:
    return np.ones(count, dtype=bool)


def table_unread_wages(
    table: pa.Table, month: str, needs: Iterable[ColumnNeed], system: Any, source: str | None = None
) -> UnreadWages | None:
    """:func:`unread_wages` of a table read whole, for the months of wages it holds that none of ``needs`` reads."""
    read = {need.column for need in needs}
    months = unread_wage_columns(table.column_names, month, read)
    if not months:
        return None
    columns = {name: table.column(name) for name in (BIRTH, CAREER, f"{CAREER}.{month}") if name in table.column_names}
    columns |= {name: table.column(name) for name in months}
    given = len(months) + len(unread_wage_columns(read, month, ()))
    return unread_wages(columns, [name[len(PREFIX) :] for name in months], month, given, system, source=source)


def streamed_unread_wages(
    streamed: StreamedColumns,
    month: str,
    needs: Iterable[ColumnNeed],
    system: Any,
    held: pa.Table | None = None,
    source: str | None = None,
) -> UnreadWages | None:
    """:func:`unread_wages` of a file read a block at a time: the months of wages it gives that none of ``needs``
    reads, with its births and career totals, :data:`BATCH_ROWS` rows at a time. ``held``: columns of the file
    already read whole (its rows, in order), taken at each block's rows rather than decoded again; the file still
    gives one column at least, so the blocks are its own (a projection's base table holds most months of wages)."""
    read = {need.column for need in needs}
    months = unread_wage_columns(streamed.names, month, read)
    if not months:
        return None
    names = [*(name for name in (BIRTH, CAREER, f"{CAREER}.{month}") if name in streamed.names), *months]
    given = len(months) + len(unread_wage_columns(read, month, ()))
    periods = [name[len(PREFIX) :] for name in months]
    kept = [] if held is None else [name for name in names if name in held.column_names]
    decoded = [name for name in names if name not in kept] or names[:1]
    parts, first_row = [], 0
    for batch in streamed.batches(decoded, BATCH_ROWS, []):
        columns = {
            name: batch.column(name) if name in decoded else held.column(name).slice(first_row, batch.num_rows)
            for name in names
        }
        found = unread_wages(columns, periods, month, given, system, first_row, source)
        if found is not None:
            parts.append(found)
        first_row += batch.num_rows
    return UnreadWages.joined(parts)
