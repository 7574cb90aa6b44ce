"""How a benefit's month payments are rounded to the currency's unit (the jurisdiction's ``amount_decimals``).

A counted period (days, weeks or months, its end known) is paid so that each month's running total is the
rounded running total and the period adds up to its rounded total: month M pays round(total through M) less
round(total through M-1), the last month closing on the rounded total. An open-ended period (a pension) pays
each month its own amount rounded, the same whichever months are asked with it. The schedules of
``/eligibility`` (:mod:`~.schedules`) and the population engine's month costs
(:mod:`openfisca_sp.population.payments`) both round so: a whole population costs what its persons' schedules pay.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from openfisca_sp.decisions.month_amounts import payable_in, total_entitlement
from openfisca_sp.rules.formulas import round_money


def counted_months(running: np.ndarray, decimals: int) -> np.ndarray:
    """What each month of a counted period pays, from its running totals (along the first axis, in order; the
    last month's the period's rounded total): each running total rounded, less the one before it."""
    rounded = round_money(running, decimals)
    return round_money(np.diff(rounded, axis=0, prepend=0.0), decimals)


def counted_duration(start: np.ndarray, end: np.ndarray, unit: np.ndarray) -> np.ndarray:
    """The count of days, weeks or months of each period from ``start`` to ``end`` (the inverse of
    :func:`~.benefit_periods.period_end`; NaN where not counted or not known)."""
    start = np.asarray(start, dtype="datetime64[D]")
    after = np.asarray(end, dtype="datetime64[D]") + 1
    days = (after - start).astype(np.float64)
    # the months whose last day is ``end``: ending the day before the same day of the last month, or on its last day
    # where it has none (:func:`~.benefit_periods.months_end`): a day of the month at least the first's counts it
    last = after - 1
    whole = (last.astype("datetime64[M]") - start.astype("datetime64[M]")).astype(np.float64)
    months = whole + ((last - last.astype("datetime64[M]")) >= (start - start.astype("datetime64[M]")))
    duration = np.where(unit == "days", days, np.where(unit == "weeks", days / 7, np.nan))
    duration = np.where(unit == "months", months, duration)
    return np.where(np.isnat(start) | np.isnat(after), np.nan, duration)


def rounded_total(
    amount: np.ndarray, duration: np.ndarray, unit: np.ndarray, days_a_month: Any, decimals: int
) -> np.ndarray:
    """The whole entitlement of each counted period (:func:`~.month_amounts.total_entitlement`) rounded to
    ``decimals``: what its months add up to (NaN where open-ended or not determined)."""
    return round_money(total_entitlement(amount, duration, unit, days_a_month), decimals)


def counted_paid_in(
    month: Any,
    amount: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    unit: np.ndarray,
    days_a_month: np.ndarray,
    decimals: int,
) -> np.ndarray:
    """What each counted period (its start and end known) pays in calendar ``month``, rounded as its schedule
    rounds it (:func:`counted_months`; float64, NaN where not determined). The running totals add up each
    period's months from its first, in order, as the schedule does: the same sums, hence the same rounding. The
    months from the earliest first month to ``month`` (bounded by the longest period that meets it) are computed
    together, a row each, for every period at once."""
    month = np.datetime64(month, "M")
    start = np.asarray(start, dtype="datetime64[D]")
    end = np.asarray(end, dtype="datetime64[D]")
    first, last = start.astype("datetime64[M]"), end.astype("datetime64[M]")
    meets = (first <= month) & (last >= month)
    paid = np.zeros(len(amount))
    if not meets.any():
        return paid
    amount, start, end, unit = amount[meets], start[meets], end[meets], unit[meets]
    days = np.asarray(days_a_month, dtype=np.float64)[meets]
    months = np.arange(first[meets].min(), month + 1)  # the months of the periods that meet ``month``
    each = payable_in(months, amount, start, end, unit, days)  # a row per month, all computed at once
    # the running totals after each month, added month after month from 0 (accumulated in order: the same sums)
    running = np.add.accumulate(np.concatenate([np.zeros((1, len(amount))), each]), axis=0)
    before, running = running[-2], running[-1]
    total = rounded_total(amount, counted_duration(start, end, unit), unit, days, decimals)
    through = np.where(last[meets] == month, total, running)  # the period's last month closes on its total
    paid[meets] = counted_months(np.stack([before, through]), decimals)[-1]
    return paid
