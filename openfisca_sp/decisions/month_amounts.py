"""What an entitlement pays in a calendar month, and in all: a monthly amount over a duration counted in days,
weeks or months, or throughout the contingency (the rules for part months: :mod:`~.schedules`)."""

from __future__ import annotations

from typing import Any

import numpy as np

from openfisca_sp.rules.formulas import among
from openfisca_sp.rules.windows import add_months

NO_RULE = np.nan  # the days a month where the law gives none: what a duration in days pays is not modelled
WEEKS_A_YEAR = 52
OPEN_ENDED = ("lifetime", "until_pensionable_age")


def _months(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[M]")


def total_entitlement(
    amount: np.ndarray, duration: np.ndarray, unit: np.ndarray, days_a_month: Any = NO_RULE
) -> np.ndarray:
    """The whole periodical entitlement of a counted duration (NaN when open-ended or not determined, or counted in
    days where the law gives no ``days_a_month``: a claim's, or one for all)."""
    amount = np.asarray(amount, dtype=np.float64)
    duration = np.asarray(duration, dtype=np.float64)
    total = np.full(amount.shape, np.nan)
    total = np.where(unit == "months", amount * duration, total)
    total = np.where(unit == "days", amount * duration / days_a_month, total)
    return np.where(unit == "weeks", amount * duration * 12 / WEEKS_A_YEAR, total)


def _overlap(first: np.ndarray, last: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Days of [first, last] within [low, high] (0 when they do not meet; NaT bounds meet nothing)."""
    days = (np.minimum(last, high) - np.maximum(first, low)).astype(np.int64) + 1
    valid = ~(np.isnat(first) | np.isnat(last) | np.isnat(low) | np.isnat(high))
    return np.where(valid, np.maximum(days, 0), 0)


def payable_in(
    month: Any, amount: np.ndarray, start: np.ndarray, end: np.ndarray, unit: np.ndarray, days_a_month: Any = NO_RULE
) -> np.ndarray:
    """What each entitlement pays for calendar ``month`` (float64; NaN where the amount is not determined, or
    counted in days where the law gives no ``days_a_month``); for an array of months, a row per month (each row
    what that month alone gives, computed at once).

    ``end`` is NaT for an open-ended benefit. :mod:`~.schedules` states the rules for part months.
    """
    months = np.asarray(month, dtype="datetime64[M]")
    months = months[:, np.newaxis] if months.ndim else months  # a row per month, a column per entitlement
    amount = np.asarray(amount, dtype=np.float64)
    first = months.astype("datetime64[D]")
    last = (months + 1).astype("datetime64[D]") - 1
    days_in_month = (last - first).astype(np.int64) + 1
    open_end = np.where(np.isnat(end), last, end)
    covered = _overlap(start, open_end, first, last)
    paid = np.zeros(covered.shape)
    paid = np.where(unit == "days", np.where(covered > 0, amount * covered / days_a_month, 0.0), paid)
    paid = np.where(unit == "weeks", amount * 12 / WEEKS_A_YEAR / 7 * covered, paid)
    paid = np.where(among(unit, OPEN_ENDED), amount * covered / days_in_month, paid)
    paid = np.where(unit == "months", _months_payable(months, first, last, amount, start, end), paid)
    return np.where(np.isnan(amount), np.nan, paid)


def _months_payable(
    months: np.ndarray, first: np.ndarray, last: np.ndarray, amount: np.ndarray, start: np.ndarray, end: np.ndarray
) -> np.ndarray:
    """For benefits counted in months: each benefit month's amount spread over its own days (``months``, their
    first and last days: one month, or a column of months).

    A benefit month lasts at least 28 days and a calendar month at most 31, so at
    most two benefit months meet a calendar month: the three from the one before
    its month's index are enough. Where a period ends on the last day of a month
    without the day corresponding to its first (Viet Nam, Civil Code 2015 Art
    148(3): 6 months from 31 August end on 28 February), its last benefit month
    runs to that day (31 January to 28 February).
    """
    start = np.asarray(start, dtype="datetime64[D]")
    known = ~np.isnat(start)
    anchor = np.where(known, start, first)
    lowest = np.maximum((months - _months(anchor)).astype(np.int64) - 1, 0)
    paid = np.zeros(np.broadcast_shapes(lowest.shape, np.shape(amount)))
    firsts = [add_months(anchor, lowest + offset) for offset in (0, 1, 2, 3)]  # each benefit month's first day
    for offset in (0, 1, 2):
        benefit_start, following = firsts[offset], firsts[offset + 1]
        benefit_end = np.where(_on_short_month_end(following, anchor, end), end, following - 1)
        benefit_start = np.where(_on_short_month_end(benefit_start, anchor, end), end + 1, benefit_start)  # none
        capped = np.where(np.isnat(end), benefit_end, np.minimum(benefit_end, end))
        days = _overlap(benefit_start, capped, first, last)
        length = (benefit_end - benefit_start).astype(np.int64) + 1
        paid = paid + np.where(known, amount * days / length, 0)
    return paid


def _on_short_month_end(day: np.ndarray, anchor: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Whether ``day``, a benefit month's first day counted from ``anchor``, is the period's ``end`` on a month's
    last day without the day corresponding to the anchor's: the end of the month before it, not a month's start
    (the days of the month compared only where some ``day`` is the end: converting days to months is slow)."""
    at_end = day == end
    if not at_end.any():
        return at_end
    short = (day - day.astype("datetime64[M]")) != (anchor - anchor.astype("datetime64[M]"))
    return short & at_end
