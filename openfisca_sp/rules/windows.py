"""Windows of months before a claim: the months before the month evaluated, or, where the law anchors
them on another day (the end of a labour contract), the months up to that day's month, per person."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

import numpy as np
from openfisca_core import periods
from openfisca_core.periods import DateUnit, Period

from openfisca_sp.rules.cached_reads import STACKED_MOST

NO_DATE = np.datetime64("1970-01-01", "D")  # the default of a date input: not stated
MAX_SHIFT_MONTHS = 24  # how much earlier than the month evaluated a window anchored on a date may end
LONGEST_LOOKBACK_MONTHS = 600  # the furthest back a count of months "since a date" reads (a working life)


@lru_cache(maxsize=4096)
def months_back(period: Period, months: int) -> Period | None:
    """The ``months`` whole months that end just before ``period`` (None if zero)."""
    if months <= 0:
        return None
    start = period.first_month.offset(-months, "month").start
    return periods.Period((DateUnit.MONTH, start, months))


@lru_cache(maxsize=4096)
def months_of(window: Period) -> tuple[Period, ...]:
    """The months of a period, oldest first (cached: period arithmetic is slow)."""
    return tuple(window.get_subperiods(DateUnit.MONTH))


def earliest_window_end(month: Any) -> np.datetime64:
    """The earliest month a window of a claim decided in ``month`` (``YYYY-MM``) may end, however early the date
    that ends it (``MAX_SHIFT_MONTHS`` before the usual end, the month before ``month``)."""
    return np.datetime64(month, "M") - 1 - MAX_SHIFT_MONTHS


def add_months(days: np.ndarray, months: np.ndarray) -> np.ndarray:
    """The same day ``months`` later, or the month's last day when it has no such day (31 January + 1 month)."""
    days = np.asarray(days, dtype="datetime64[D]")
    month = days.astype("datetime64[M]")
    target = month + np.asarray(months).astype(np.int64)
    first_day = target.astype("datetime64[D]")
    day_of_month = (days - month.astype("datetime64[D]")).astype(np.int64)
    last = ((target + 1).astype("datetime64[D]") - 1 - first_day).astype(np.int64)
    return first_day + np.minimum(day_of_month, last)


def _moved(period: Period, ends: np.ndarray | None) -> tuple[np.ndarray, np.ndarray] | None:
    """The rows of the persons whose window of months ends earlier than ``period``'s, and how many months earlier
    (None if nobody states a date): found among those who state one, no shift written for everyone."""
    if ends is None:
        return None
    stated = np.flatnonzero(ends > NO_DATE)
    if not len(stated):
        return None
    current = np.datetime64(period.first_month.start.date, "M")
    shift = np.clip((current - 1 - ends[stated].astype("datetime64[M]")).astype(np.int64), 0, MAX_SHIFT_MONTHS)
    moved = shift > 0
    return stated[moved], shift[moved]


def window_first_months(period: Period, months: int, ends: np.ndarray | None, count: int) -> np.ndarray:
    """The first month (datetime64[M]) of each of ``count`` persons' window of ``months`` months before ``period``,
    ending with ``ends``' months where given (:func:`window_sum`)."""
    first = np.full(count, np.datetime64(period.first_month.start.date, "M") - months)
    moved = _moved(period, ends)
    if moved is not None:
        rows, shift = moved
        first[rows] -= shift
    return first


def window_sum(
    period: Period,
    months: int,
    ends: np.ndarray | None,
    value_of: Callable[[Period, np.ndarray | None], np.ndarray],
    stack_of: Callable[[tuple[Period, ...]], np.ndarray | None] | None = None,
) -> np.ndarray:
    """The sum over each person's window of ``value_of(month, rows)`` (int32 for flags, float64 for amounts), where
    ``value_of`` gives a month's values of the persons at ``rows`` (everyone's with None); ``stack_of``, where
    given, gives everyone's values of the usual window's months at once, one row a month (or None), summed in
    the same order.

    A window is the ``months`` months before ``period``; with ``ends`` (a date
    per person; ``NO_DATE``: not stated), the ``months`` months up to the month
    of that date when it is before ``period``'s month (at most
    ``MAX_SHIFT_MONTHS`` earlier). Everyone's usual window is summed over whole
    arrays; only those whose window ends earlier are corrected, over their rows.
    """
    standard = months_back(period, months)
    if standard is None:
        return np.zeros(0 if ends is None else len(ends))
    window = months_of(standard)
    stack = stack_of(window) if stack_of is not None else None
    if stack is not None:  # flags counted exactly; amounts added month after month, as :func:`_summed` adds them
        total = stack.sum(axis=0, dtype=np.int32) if stack.dtype == bool else np.cumsum(stack, axis=0)[-1]
    else:
        total = _summed(window, months, value_of)
    rows, shift = _moved(period, ends) or (np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.int64))
    if not len(rows):
        return total
    most = int(shift.max())
    correction = np.zeros(len(rows))
    for position, month in enumerate(months_of(months_back(period, months + most))):
        back = months + most - position  # 1: the month just before ``period``
        weight = ((back > shift) & (back <= shift + months)).astype(np.float64) - (back <= months)
        if weight.any():
            correction += value_of(month, rows).astype(np.float64) * weight  # only those whose window moved
    if total.dtype != np.float64:
        total[rows] += np.rint(correction).astype(total.dtype)
        return total
    total[rows] += correction
    unknown = np.isnan(total[rows])  # a month not known (NaN) in the usual window: their own may not read it
    if unknown.any():
        total[rows[unknown]] = _own_sums(period, months, shift[unknown], value_of, rows[unknown])
    return total


def _own_sums(
    period: Period, months: int, shift: np.ndarray, value_of: Callable[[Period, np.ndarray | None], np.ndarray], rows
) -> np.ndarray:
    """The sums of the persons at ``rows`` over their own windows (``shift`` months earlier than the usual), read
    afresh: NaN only where a month of their own window is (a value not known, :mod:`~.window_nulls`)."""
    most = int(shift.max())
    total = np.zeros(len(rows))
    for position, month in enumerate(months_of(months_back(period, months + most))):
        back = months + most - position
        inside = (back > shift) & (back <= shift + months)
        if inside.any():
            total += np.where(inside, value_of(month, rows).astype(np.float64), 0.0)
    return total


def _summed(
    window: tuple[Period, ...], months: int, value_of: Callable[[Period, np.ndarray | None], np.ndarray]
) -> np.ndarray:
    """Everyone's sum of ``value_of`` over the months of ``window``, month after month."""
    total = None
    for month in window:
        values = value_of(month, None)
        if total is None:  # counts add up in bytes (up to 255 months), amounts in float64
            total = np.zeros(len(values), dtype=_total_type(values.dtype, months))
        if total.dtype == np.uint8:  # flags as bytes: numpy adds them without converting each one
            np.add(total, values.view(np.uint8), out=total)
        else:
            total += values
    return total.astype(np.int32) if total.dtype == np.uint8 else total


@lru_cache(maxsize=4096)
def month_starts(window: tuple[Period, ...]) -> np.ndarray:
    """The first day of each month of ``window``, as a column (one row a month)."""
    return np.array([np.datetime64(month.start.date, "D") for month in window])[:, None]


def _total_type(kind: np.dtype, months: int) -> type:
    if kind.kind != "b":  # amounts
        return np.float64
    return np.uint8 if months <= np.iinfo(np.uint8).max else np.int32


def _stacked(person, window: tuple[Period, ...], read: Callable[[Period], np.ndarray]) -> np.ndarray | None:
    """Everyone's values of the months of ``window``, one row a month, for a few persons (None for more: the
    months are then summed one by one, without a copy of them all)."""
    if person.count * len(window) > STACKED_MOST:
        return None
    return np.stack([read(month) for month in window])


def window_reads(person, variable: str, period: Period, months: int) -> Callable[[Period], np.ndarray]:
    """A reader of ``person``'s ``variable`` by month, the usual window's months (the ``months`` before
    ``period``) read together (:meth:`~.cached_reads.RulesSimulation.calculate_months`), any other month alone."""
    calculate_months = getattr(person.simulation, "calculate_months", None)
    standard = months_back(period, months)
    if calculate_months is None or standard is None:
        return lambda month: person(variable, month)
    window = months_of(standard)
    known = dict(zip(window, calculate_months(person, variable, window), strict=True))
    return lambda month: known[month] if month in known else person(variable, month)


def count_months(
    person, variable: str, period: Period, months: int, after: np.ndarray | None = None, ends: np.ndarray | None = None
) -> np.ndarray:
    """How many months of each person's window (:func:`window_sum`) have ``variable`` true (only months that
    begin after ``after``, a date per person, where given)."""
    if months <= 0:
        return np.zeros(person.count, dtype=np.int32)
    if after is not None and not (after > NO_DATE).any():
        after = None  # nobody states the date: every month counts

    read = window_reads(person, variable, period, months)

    def counted(month: Period, rows: np.ndarray | None) -> np.ndarray:
        values = read(month)
        values = values if rows is None else values[rows]
        if after is None:
            return values
        return values & (np.datetime64(month.start.date, "D") > (after if rows is None else after[rows]))

    def counted_together(window: tuple[Period, ...]) -> np.ndarray | None:
        flags = _stacked(person, window, read)
        if flags is None or flags.dtype != bool:
            return None
        return flags if after is None else flags & (month_starts(window) > after)

    return window_sum(period, months, ends, counted, counted_together)


def count_months_since(person, variable: str, period: Period, since: np.ndarray) -> np.ndarray:
    """How many months after ``since`` (a date per person; ``NO_DATE``: none) and before ``period`` have
    ``variable`` true, reading at most ``LONGEST_LOOKBACK_MONTHS`` months back."""
    stated = since > NO_DATE
    if not stated.any():
        return np.zeros(person.count, dtype=np.int32)
    first = np.datetime64(period.first_month.start.date, "M")
    earliest = since[stated].min().astype("datetime64[M]")
    months = int(min(max((first - earliest).astype(int), 0), LONGEST_LOOKBACK_MONTHS))
    return count_months(person, variable, period, months, np.where(stated, since, NO_DATE))


def average_capped_wage(
    person, period: Period, months: int, ceiling: Callable[[Period], Any] | None, ends: np.ndarray | None = None
) -> np.ndarray:
    """Average insured wage over each person's window of ``months`` months (:func:`window_sum`), each month
    capped at ``ceiling`` of that month (one for everyone, each person's, or None: no ceiling).

    Months without contributions count as zero, as in an average of the insured
    salary over a fixed window. Computed in float64.
    """
    if months <= 0:
        return np.zeros(person.count)

    read = window_reads(person, "insured_wage", period, months)

    def top_of(month: Period) -> Any:
        highest = None if ceiling is None else ceiling(month)
        return np.inf if highest is None else highest

    def cap(wages: np.ndarray, top: Any) -> np.ndarray:  # in float64, a new array (never the wages read)
        return np.clip(wages, 0, top, dtype=np.float64)  # converted as capped: one pass, not a copy and a pass

    def capped(month: Period, rows: np.ndarray | None) -> np.ndarray:
        wage, top = read(month), top_of(month)
        if rows is None:
            return cap(wage, top)
        return cap(wage[rows], top[rows] if np.ndim(top) else top)

    def capped_together(window: tuple[Period, ...]) -> np.ndarray | None:
        wages = _stacked(person, window, read)
        if wages is None:
            return None
        tops = [top_of(month) for month in window]  # a row a month
        if any(np.ndim(top) for top in tops):
            return cap(wages, np.stack([np.broadcast_to(top, (person.count,)) for top in tops]))
        return cap(wages, np.array(tops, dtype=np.float64)[:, np.newaxis])

    return window_sum(period, months, ends, capped, capped_together) / months
