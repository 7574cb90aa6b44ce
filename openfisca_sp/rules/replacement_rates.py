"""Replacement-rate schedules: the share of the reference wage a pension pays for a number of years or months of
contributions, as the law reads it (a base rate after a qualifying period, an accrual per further completed
year, a maximum; ILO C102 Arts 29, 57 and 65; national laws)."""

from __future__ import annotations

from typing import Any

import numpy as np
from openfisca_core.periods import Period

from openfisca_sp.rules.formulas import branch, by_sex, completed_years, has, is_female, whole_number_scale_by_sex


def rate_for_years(years: np.ndarray, rate: Any, female: np.ndarray) -> np.ndarray:
    """Replacement rate for ``years`` of contributions under a rate schedule.

    The schedule (``rate`` node; any value may be split into ``men``/``women``)
    reads as the law does: ``base_rate`` after ``base_years``; for each further
    *completed* year, ``accrual_per_year`` (or the marginal scale
    ``accrual_scale`` over the further years), up to ``maximum``. Below
    ``base_years``: nothing, or, where the law allows a proportional reduction
    (``proportional_below_base``), ``base_rate`` reduced in proportion to the
    years completed (ILO C102 Art 29(4), Art 57(4)). Where the schedule counts half years
    (``odd_months_as_years``), a half year beyond the base years adds half the next year's rate.
    """
    years = np.asarray(years, dtype=np.float64)
    base_years = np.asarray(by_sex(rate.base_years, female), dtype=np.float64)
    base_rate = np.asarray(by_sex(rate.base_rate, female), dtype=np.float64)
    extra = np.maximum(years - base_years, 0)
    extra_years = np.floor(extra)
    half = (extra - extra_years) if halves_count(rate) else np.zeros_like(extra)  # 0.5: half a year counted
    if has(rate, "accrual_scale"):
        accrual = whole_number_scale_by_sex(rate.accrual_scale, female, extra_years)
        if half.any():  # half the next year's marginal rate
            following = whole_number_scale_by_sex(rate.accrual_scale, female, extra_years + 1)
            accrual = accrual + half * (following - accrual)
    else:
        accrual = np.asarray(by_sex(rate.accrual_per_year, female)) * (extra_years + half)
    above = base_rate + accrual
    if has(rate, "proportional_below_base") and bool(rate.proportional_below_base):
        below = base_rate * np.clip(years, 0, base_years) / np.maximum(base_years, 1)
    else:
        below = np.zeros_like(years)
    result = np.where(years >= base_years, above, below)
    return np.clip(result, 0, by_sex(rate.maximum, female))


def halves_count(rate: Any) -> bool:
    """Whether the schedule counts odd months as half years and years (``odd_months_as_years``)."""
    return has(rate, "odd_months_as_years") and bool(rate.odd_months_as_years)


def counted_years(months: np.ndarray, rate: Any) -> np.ndarray:
    """Contribution months as the schedule counts years: where the law says so (Viet Nam, SI Law 2014 Art 85(7)),
    1 to 6 odd months count as half a year and 7 to 11 as a year; else as :func:`completed_years` (fractional,
    floored by :func:`rate_for_years`)."""
    if not halves_count(rate):
        return completed_years(months)
    months = np.asarray(months, dtype=np.int64)
    top = _few_counts(months)  # each count's years worked out once and looked up (a division each)
    return _halves_counted(months) if top is None else np.take(_halves_counted(np.arange(top + 1)), months)


def _few_counts(months: np.ndarray) -> int | None:
    """The largest of ``months`` where they are whole counts from 0, fewer than half as many as the persons: a value
    worked out once for every count and looked up costs less than per person; else None."""
    if months.dtype.kind in "iu" and months.size:
        low, top = int(months.min()), int(months.max())
        if low >= 0 and 2 * (top + 1) < months.size:
            return top
    return None


def _halves_counted(months: np.ndarray) -> np.ndarray:
    """Months as years, 1 to 6 odd months counting as half a year and 7 to 11 as a year (:func:`counted_years`)."""
    whole, odd = np.divmod(months, 12)
    return whole + np.where(odd == 0, 0.0, np.where(odd <= 6, 0.5, 1.0))


def rate_for_months(months: np.ndarray, rate: Any, female: np.ndarray) -> np.ndarray:
    """:func:`rate_for_years` of ``months`` of contributions (as :func:`counted_years`), computed once for
    every whole count from 0 to the largest, for each sex, then looked up per person, when there are fewer
    counts than persons. The same values as computing each person on their own (the rate of a person depends
    on their months and sex only)."""
    months = np.asarray(months)
    female = np.asarray(female, dtype=bool)
    top = _few_counts(months)
    if top is not None:
        years = counted_years(np.arange(top + 1), rate)
        men, women = (rate_for_years(years, rate, np.full(top + 1, sex)) for sex in (False, True))
        return np.take(np.concatenate([men, women]), months + (top + 1) * female)
    return rate_for_years(counted_years(months, rate), rate, female)


def old_age_rate(person: Any, period: Period, parameters: Any) -> np.ndarray:
    """The shared old-age replacement rate (0 where the branch or its rate schedule is not modelled)."""
    node = branch(parameters, period, "old_age")
    if not has(node, "replacement_rate", "base_rate"):
        return np.zeros(person.count)
    return rate_for_months(person("contribution_months", period), node.replacement_rate, is_female(person, period))
