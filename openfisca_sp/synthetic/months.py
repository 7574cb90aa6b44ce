"""Dates of the synthetic population as integers, and the calendar of the month evaluated.

Dates are integers: days since 1970-01-01, or months since 1970-01 (a "month
index"). Ages are in years at the first day of the month evaluated. A missing
date is ``NULL_DAY``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from openfisca_sp.rules.periods import FIRST_DATE, LAST_DATE
from openfisca_sp.rules.wording import abridged

_MONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")
FIRST_MONTH, LAST_MONTH = f"{FIRST_DATE:%Y-%m}", f"{LAST_DATE:%Y-%m}"  # the calendar the rules are asked in

__all__ = [
    "DAYS_PER_YEAR",
    "EVENT_MONTHS",
    "LOOKBACK_MONTHS",
    "NULL_DAY",
    "WAGE_MONTHS",
    "Calendar",
    "day_reaching_age",
    "month_first_day",
    "month_index",
    "month_label",
    "month_of",
]

LOOKBACK_MONTHS = 36  # months of wages before an event's month that the table holds (the rules read 24 at most)
EVENT_MONTHS = 18  # the longest window of dated events up to the month evaluated, that month included
WAGE_MONTHS = LOOKBACK_MONTHS + EVENT_MONTHS - 1  # the wage history: 36 months before each month of the window
DAYS_PER_YEAR = 365.25
NULL_DAY = np.iinfo(np.int32).min


@dataclass(frozen=True)
class Calendar:
    """The month evaluated, as indices: month M, its first and last day, and the wage history."""

    month: int
    first_day: int
    last_day: int

    @classmethod
    def of(cls, period: str) -> Calendar:
        """The calendar of a month ``YYYY-MM`` (another text or value is a :class:`ValueError` saying what a month
        is: ``"2026-10-01"`` was taken for October, ``"2026-13"`` failed in NumPy's words)."""
        if not isinstance(period, str) or not _MONTH.fullmatch(period) or not FIRST_MONTH <= period <= LAST_MONTH:
            expected = f"a month, YYYY-MM, from {FIRST_MONTH} to {LAST_MONTH}"
            raise ValueError(f"period must be {expected}, not {abridged(period)}")
        month = month_index(period)
        return cls(month, month_first_day(month), month_first_day(month + 1) - 1)

    def events_from(self, months: int) -> int:
        """The first day of a window of ``months`` months of dated events ending with the month evaluated."""
        if not 1 <= months <= EVENT_MONTHS:
            raise ValueError(f"a window of dated events is 1 to {EVENT_MONTHS} months (the wage history), not {months}")
        return int(month_first_day(self.month - months + 1))

    @property
    def window_start(self) -> int:
        """The first of the ``WAGE_MONTHS`` months of the wage history, the months before the month evaluated."""
        return self.month - WAGE_MONTHS


def month_index(text: str) -> int:
    """Months since 1970-01 of ``YYYY-MM``."""
    return int(np.datetime64(text, "M").astype(np.int64))


def month_first_day(months: Any) -> Any:
    """Days since 1970-01-01 of the first day of month index ``months`` (scalar or array)."""
    return np.asarray(months, dtype=np.int64).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)


def month_of(days: Any) -> Any:
    """Month index of the month of day ``days`` (days since 1970-01-01; scalar or array)."""
    return np.asarray(days, dtype=np.int64).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)


def day_reaching_age(birth_day: np.ndarray, months: np.ndarray) -> np.ndarray:
    """The first day on which persons born on ``birth_day`` are ``months`` completed months old.

    As the rules count completed months (``age_in_months``): the same day of the
    month, or the first of the next month when that month is too short (born on
    31 January, one month old on 1 March).
    """
    birth_day = np.asarray(birth_day, dtype=np.int64)
    target = month_of(birth_day) + np.asarray(months, dtype=np.int64)
    day_of_month = birth_day - month_first_day(month_of(birth_day))
    first, next_first = month_first_day(target), month_first_day(target + 1)
    return np.where(first + day_of_month < next_first, first + day_of_month, next_first)


def month_label(month: int) -> str:
    """``YYYY-MM`` of a month index."""
    return str(np.datetime64(int(month), "M"))
