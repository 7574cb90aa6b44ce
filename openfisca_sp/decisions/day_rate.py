"""What one day of a monthly amount pays, for a benefit whose duration is counted in days.

A law that decides a monthly amount and a duration in days must say how the days become money: Viet Nam divides
the monthly amount by 30 (SI Law 2014 Art 39(1)(c); SI Law 2024 Art 59(3)). That is the jurisdiction's rule, a
parameter of the branch (``<branch>.duration.days_a_month``), read on the day each claim is decided. Where the law
in force sets none (Lao PDR's sources state none), what the days pay is not modelled: a schedule lists its months
without amounts and gives no total, rather than borrowing another country's rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

PARAMETER = "days_a_month"  # under the branch's ``duration``
NOT_MODELLED = "a day's share of the monthly amount is not modelled (the law in force sets none)"


@dataclass(frozen=True)
class DaysAMonth:
    """A branch's dated values of the days a monthly amount is divided by (NaN: a value stopped)."""

    starts: np.ndarray  # datetime64[D], ascending
    values: np.ndarray  # float64

    def on(self, days: Any) -> np.ndarray:
        """The divisor in force on each of ``days`` (NaN where none is: before the first value, a value stopped,
        or no day)."""
        days = np.asarray(days, dtype="datetime64[D]")
        position = np.searchsorted(self.starts, days, side="right") - 1
        found = self.values[np.clip(position, 0, None)] if len(self.values) else np.full(days.shape, np.nan)
        return np.where((position >= 0) & ~np.isnat(days), found, np.nan)


NONE = DaysAMonth(np.zeros(0, dtype="datetime64[D]"), np.zeros(0))  # a law that never sets one


@cache
def days_a_month(tax_benefit_system: Any, branch_code: str) -> DaysAMonth:
    """The rule of a branch in a system's rules (:data:`NONE` where its parameters have none)."""
    node = getattr(tax_benefit_system, "parameters", None)
    for key in (branch_code, "duration", PARAMETER):
        node = getattr(node, "children", {}).get(key)
        if node is None:
            return NONE
    dated = sorted((at.instant_str, at.value) for at in node.values_list)
    starts = np.array([day for day, _ in dated], dtype="datetime64[D]")
    return DaysAMonth(starts, np.array([np.nan if value is None else float(value) for _, value in dated]))


def day_method(divisor: float) -> str:
    """How a duration in days is paid, in words: 1/30 of the monthly amount a day, or not modelled."""
    if divisor != divisor:  # NaN
        return NOT_MODELLED
    return f"1/{divisor:g} of the monthly amount a day"
