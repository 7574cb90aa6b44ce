"""Windows of months before a claim: the months before the month evaluated, or, where the law anchors
them on another day (the end of a labour contract), the months up to that day's month, per person."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from openfisca_core import periods
from openfisca_core.periods import DateUnit, Period

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


def add_months(days: np.ndarray, months: np.ndarray) -> np.ndarray:
    """The same day ``months`` later, or the month's last day when it has no such day (31 January + 1 month)."""
    days = np.asarray(days, dtype="datetime64[D]")
    target = days.astype("datetime64[M]") + np.asarray(months).astype(np.int64)
    day_of_month = (days - days.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64)
    last = ((target + 1).astype("datetime64[D]") - 1 - target.astype("datetime64[D]")).astype(np.int64)
    return target.astype("datetime64[D]") + np.minimum(day_of_month, last)


def window_months(
    period: Period, months: int, ends: np.ndarray | None = None
) -> list[tuple[Period, np.ndarray | None]]:
    """The months a window of ``months`` months reads, oldest first, each with who it counts for (None: all).

    Without ``ends``, the months before ``period``. With ``ends`` (a date per
    person; ``NO_DATE``: not stated), a person's window is the ``months`` months
    up to the month of their date when it is before ``period``'s month (at most
    ``MAX_SHIFT_MONTHS`` earlier), else the months before ``period``.
    """
    stated = None if ends is None else ends > NO_DATE
    if stated is None or not stated.any():
        window = months_back(period, months)
        return [] if window is None else [(month, None) for month in months_of(window)]
    current = np.datetime64(period.first_month.start.date, "M")
    shift = (current - 1 - ends.astype("datetime64[M]")).astype(np.int64)
    shift = np.where(stated, np.clip(shift, 0, MAX_SHIFT_MONTHS), 0)
    most = int(shift.max())
    window = months_back(period, months + most)
    if window is None:
        return []
    found = []
    for position, month in enumerate(months_of(window)):
        back = months + most - position  # 1: the month just before ``period``
        found.append((month, (back > shift) & (back <= shift + months)))
    return found


def count_months(
    person, variable: str, period: Period, months: int, after: np.ndarray | None = None, ends: np.ndarray | None = None
) -> np.ndarray:
    """How many months of the window (:func:`window_months`) have ``variable`` true (only months that begin
    after ``after``, a date per person, where given)."""
    total = np.zeros(person.count, dtype=np.int32)
    for month, counts in window_months(period, months, ends):
        counted = person(variable, month)
        if after is not None:
            counted = counted * (np.datetime64(month.start.date, "D") > after)
        total += counted if counts is None else counted * counts
    return total


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
    person, period: Period, months: int, ceiling: float | None, ends: np.ndarray | None = None
) -> np.ndarray:
    """Average insured wage over the window's ``months`` months (:func:`window_months`), each month capped.

    Months without contributions count as zero, as in an average of the insured
    salary over a fixed window. Computed in float64.
    """
    total = np.zeros(person.count)
    for month, counts in window_months(period, months, ends):
        wage = person("insured_wage", month).astype(np.float64)
        if ceiling is not None:
            wage = np.minimum(wage, ceiling)
        wage = np.maximum(wage, 0)
        total += wage if counts is None else wage * counts
    return total / months if months else total
