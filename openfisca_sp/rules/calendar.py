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


MONTH, DAY, START = 0, 1, 2  # the parts of a date :func:`_date_parts` gives: its month, its day of the month, and
# its month's first day (as days since 1970: NaT's number for NaT)


def _parts(days: np.ndarray, wanted: tuple[int, ...] = (MONTH, DAY)) -> list[np.ndarray]:
    """The ``wanted`` parts of each date by arithmetic (the day of the month costs a conversion more)."""
    months = days.astype("datetime64[M]")
    parts = {
        MONTH: lambda: months.astype(np.int64),
        DAY: lambda: (days - months.astype("datetime64[D]")).astype(np.int64),
        START: lambda: months.astype("datetime64[D]").view(np.int64),
    }
    return [parts[part]() for part in wanted]


def _date_parts(days: np.ndarray, wanted: tuple[int, ...]) -> list[np.ndarray]:
    """The ``wanted`` parts (:data:`MONTH`, :data:`DAY`) of each date, as int64: each part asked for gathered from a
    table over the dates' range (one gather a part, none for a part not asked for); dates all in one month (the
    days of the claims of the month evaluated) need no table: their month is one number, their day their number
    less the month's first day's."""
    days = np.asarray(days, dtype="datetime64[D]")
    if not days.size:
        return [np.zeros(days.shape, dtype=np.int64) for _ in wanted]
    if days.size <= FEW_DATES:
        return _parts(days, wanted)
    numbers = days.view(np.int64)
    low, high = int(numbers.min()), int(numbers.max())
    if low == NAT or high - low >= min(LOOKUP_DAYS, max(days.size, 1_000)):  # NaT: the least number
        return _parts(days, wanted)
    month = np.datetime64(low, "D").astype("datetime64[M]")
    first, next_first = (int(start.astype("datetime64[D]").view(np.int64)) for start in (month, month + 1))
    if high < next_first:  # one month: no table
        one = {
            MONTH: lambda: np.full(days.shape, int(month.view(np.int64)), dtype=np.int64),
            DAY: lambda: numbers - first,
            START: lambda: np.full(days.shape, first, dtype=np.int64),
        }
        return [one[part]() for part in wanted]
    tables = _parts(np.arange(low, high + 1).astype("datetime64[D]"), wanted)
    offsets = numbers - low
    return [np.take(table, offsets) for table in tables]  # faster than indexing


def month_and_day(days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each date's month (months since January 1970) and day of the month (0 for the 1st), as int64."""
    month, day = _date_parts(days, (MONTH, DAY))
    return month, day


def month_numbers(days: np.ndarray) -> np.ndarray:
    """Each date's month (months since January 1970), as int64: :func:`month_and_day`'s month, without the days."""
    return _date_parts(days, (MONTH,))[0]


def month_starts(days: np.ndarray) -> np.ndarray:
    """The first day (``datetime64[D]``) of each date's month (NaT stays NaT), gathered as :func:`month_and_day`'s
    parts are, without converting every date to a month; not each date less its day of the month (a second pass
    over the dates, and a subtraction of dates from numbers, which numpy converts first), nor for dates all in one
    month more than that month's first day, repeated."""
    starts = _date_parts(np.asarray(days, dtype="datetime64[D]"), (START,))[0].view("datetime64[D]")
    return starts if starts.ndim else starts[()]  # one date: a date, as numpy's subtraction gives it


def completed_months(birth: np.ndarray, on: np.ndarray) -> np.ndarray:
    """Completed months of age on each day of ``on`` (one date, or one per birth date): a month is completed on
    the day of the month of birth (born on the 15th, on the 15th; born on the 1st, on the 1st). On one day for
    everyone (a month's decisions, a year's ageing), each birth day's months are worked out once and gathered: one
    gather, not one for the months and one for the days."""
    day = _one_day(on, np.shape(birth))
    if day is not None and (found := _months_on(np.asarray(birth, dtype="datetime64[D]"), day)) is not None:
        return found
    birth_month, birth_day = month_and_day(birth)
    month, day_of_month = month_and_day(on)
    return (month - birth_month) - (birth_day > day_of_month)


def _one_day(on: Any, shape: tuple[int, ...]) -> np.datetime64 | None:
    """The one day (not NaT) that every date of ``on`` is, where ``on`` gives no more dates than ``shape`` holds
    (its shape broadcast to ``shape`` is ``shape``); else None."""
    days = np.asarray(on, dtype="datetime64[D]")
    if not days.size or np.broadcast_shapes(shape, days.shape) != shape:
        return None
    numbers = days.view(np.int64)
    low = int(numbers.min())
    if low == NAT or (days.size > 1 and int(numbers.max()) != low):
        return None
    return np.datetime64(low, "D")


def _months_on(birth: np.ndarray, day: np.datetime64) -> np.ndarray | None:
    """:func:`completed_months` of every birth date on ``day``, worked out once per day of the birth dates' range (a
    table, as :func:`_date_parts` makes) and gathered; None where the range is not one for a table."""
    if birth.size <= FEW_DATES:
        return None
    numbers = birth.view(np.int64)
    low, high = int(numbers.min()), int(numbers.max())
    if low == NAT or high - low >= min(LOOKUP_DAYS, max(birth.size, 1_000)):  # NaT: the least number
        return None
    birth_month, birth_day = _parts(np.arange(low, high + 1).astype("datetime64[D]"))
    month, day_of_month = _parts(np.array([day], dtype="datetime64[D]"))
    return np.take((month - birth_month) - (birth_day > day_of_month), numbers - low)


def _month_table(months: np.ndarray, make: Any) -> np.ndarray:
    """``make`` of each month (months since January 1970, int64), worked out once per month of their range."""
    months = np.asarray(months, dtype=np.int64)
    if not months.size:
        return np.zeros(months.shape, dtype=np.int64)
    low, high = int(months.min()), int(months.max())
    if high - low >= min(LOOKUP_DAYS, max(months.size, 1_000)):
        return make(months)
    table = make(np.arange(low, high + 1, dtype=np.int64))
    if low == high and months.size > FEW_DATES:  # one month (a month's claims): its value for everyone, not gathered
        return np.full(months.shape, table[0], dtype=table.dtype)
    return np.take(table, months - low)


def month_first_days(months: np.ndarray) -> np.ndarray:
    """The first day (``datetime64[D]``) of each month (months since January 1970, int64)."""
    return _month_table(months, lambda span: span.astype("datetime64[M]").astype("datetime64[D]").view(np.int64)).view(
        "datetime64[D]"
    )
