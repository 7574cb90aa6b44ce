"""What one day of a monthly amount pays, for a benefit whose duration is counted in days.

A law that decides a monthly amount and a duration in days must say how the days become money: Viet Nam divides
the monthly amount by 30 (SI Law 2014 Art 39(1)(c); SI Law 2024 Art 59(3)). That is the jurisdiction's rule, a
parameter of the branch (``<branch>.duration.days_a_month``), read on the day each claim is decided. Where the law
in force sets none (Lao PDR's sources state none), what the days pay is not modelled: a schedule lists its months
without amounts and gives no total, rather than borrowing another country's rule.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np

from openfisca_sp.decisions.dated_values import DatedValues, child, dated

PARAMETER = "days_a_month"  # under the branch's ``duration``
NOT_MODELLED = "a day's share of the monthly amount is not modelled (the law in force sets none)"


DaysAMonth = DatedValues  # a branch's dated values of the days a monthly amount is divided by (NaN: stopped)
NONE = DaysAMonth(np.zeros(0, dtype="datetime64[D]"), np.zeros(0))  # a law that never sets one


@cache
def days_a_month(tax_benefit_system: Any, branch_code: str) -> DaysAMonth:
    """The rule of a branch in a system's rules (:data:`NONE` where its parameters have none)."""
    node = child(getattr(tax_benefit_system, "parameters", None), branch_code, "duration", PARAMETER)
    if node is None:
        return NONE
    days, values, _ = dated(node)
    return DaysAMonth(days, values)


def day_method(divisor: float) -> str:
    """How a duration in days is paid, in words: 1/30 of the monthly amount a day, or not modelled."""
    if divisor != divisor:  # NaN
        return NOT_MODELLED
    return f"1/{divisor:g} of the monthly amount a day"
