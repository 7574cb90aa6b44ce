"""Dates of the synthetic population as integers, and the calendar of the month evaluated.

Dates are integers: days since 1970-01-01, or months since 1970-01 (a "month
index"). Ages are in years at the first day of the month evaluated. A missing
date is ``NULL_DAY``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["DAYS_PER_YEAR", "NULL_DAY", "WAGE_MONTHS", "Calendar", "month_first_day", "month_index", "month_label"]

WAGE_MONTHS = 36
DAYS_PER_YEAR = 365.25
NULL_DAY = np.iinfo(np.int32).min


@dataclass(frozen=True)
class Calendar:
    """The month evaluated, as indices: month P, its first and last day, and the wage window."""

    month: int
    first_day: int
    last_day: int

    @classmethod
    def of(cls, period: str) -> Calendar:
        """The calendar of a month ``YYYY-MM``."""
        month = month_index(period)
        return cls(month, month_first_day(month), month_first_day(month + 1) - 1)

    @property
    def window_start(self) -> int:
        """The first of the 36 months before the month evaluated."""
        return self.month - WAGE_MONTHS


def month_index(text: str) -> int:
    """Months since 1970-01 of ``YYYY-MM``."""
    return int(np.datetime64(text, "M").astype(np.int64))


def month_first_day(months: Any) -> Any:
    """Days since 1970-01-01 of the first day of month index ``months`` (scalar or array)."""
    return np.asarray(months, dtype=np.int64).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)


def month_label(month: int) -> str:
    """``YYYY-MM`` of a month index."""
    return str(np.datetime64(int(month), "M"))
