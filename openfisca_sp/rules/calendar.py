"""Calendar parts of many dates at once: each date's month and day of the month, by a lookup over the dates' range,
and the completed months of age they give.

NumPy's conversions between ``datetime64`` units cost a division per date and unit. A population's dates fall
in a few tens of thousands of days (birth dates over a century), so working the parts out once per day of the
range and gathering them is many times faster; a range wider than the dates are many falls back to arithmetic.
"""

from __future__ import annotations

from typing import Any

import numpy as np

LOOKUP_DAYS = 200_000  # about 550 years: wider ranges (NaT, far dates) use arithmetic
FEW_DATES = 64  # up to this many dates, arithmetic costs less than finding their range and a table
NAT = int(np.datetime64("NaT", "D").view(np.int64))  # NaT's number, below every date's


def _parts(days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    months = days.astype("datetime64[M]")
    return months.astype(np.int64), (days - months.astype("datetime64[D]")).astype(np.int64)


def month_and_day(days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each date's month (months since January 1970) and day of the month (0 for the 1st), as int64."""
    days = np.asarray(days, dtype="datetime64[D]")
    if not days.size:
        return np.zeros(days.shape, dtype=np.int64), np.zeros(days.shape, dtype=np.int64)
    if days.size <= FEW_DATES:
        return _parts(days)
    numbers = days.view(np.int64)
    low, high = int(numbers.min()), int(numbers.max())
    if low == NAT or high - low >= min(LOOKUP_DAYS, max(days.size, 1_000)):  # NaT: the least number
        return _parts(days)
    table_month, table_day = _parts(np.arange(low, high + 1).astype("datetime64[D]"))
    offsets = numbers - low
    return np.take(table_month, offsets), np.take(table_day, offsets)  # faster than indexing


def month_starts(days: np.ndarray) -> np.ndarray:
    """The first day (``datetime64[D]``) of each date's month (NaT stays NaT): each date less its day of the month,
    without converting every date to a month (:func:`month_and_day`)."""
    days = np.asarray(days, dtype="datetime64[D]")
    return days - month_and_day(days)[1]


def completed_months(birth: np.ndarray, on: np.ndarray) -> np.ndarray:
    """Completed months of age on each day of ``on`` (one date, or one per birth date): a month is completed on
    the day of the month of birth (born on the 15th, on the 15th; born on the 1st, on the 1st)."""
    birth_month, birth_day = month_and_day(birth)
    month, day_of_month = month_and_day(on)
    return (month - birth_month) - (birth_day > day_of_month)


def _month_table(months: np.ndarray, make: Any) -> np.ndarray:
    """``make`` of each month (months since January 1970, int64), worked out once per month of their range."""
    months = np.asarray(months, dtype=np.int64)
    if not months.size:
        return np.zeros(months.shape, dtype=np.int64)
    low, high = int(months.min()), int(months.max())
    if high - low >= min(LOOKUP_DAYS, max(months.size, 1_000)):
        return make(months)
    return np.take(make(np.arange(low, high + 1, dtype=np.int64)), months - low)


def month_first_days(months: np.ndarray) -> np.ndarray:
    """The first day (``datetime64[D]``) of each month (months since January 1970, int64)."""
    return _month_table(months, lambda span: span.astype("datetime64[M]").astype("datetime64[D]").view(np.int64)).view(
        "datetime64[D]"
    )
