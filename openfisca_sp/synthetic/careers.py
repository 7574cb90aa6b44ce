"""Synthetic insured careers and wages: who was insured and when, wage levels, the monthly wages, pension points
and pension capital.

The only Python loop is over the months of the wage history; everything else works on whole arrays.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from openfisca_sp.synthetic.draws import by_age_group, normalised_probability, round_to, uniform
from openfisca_sp.synthetic.months import LOOKBACK_MONTHS, Calendar, day_reaching_age, month_index, month_of

__all__ = [
    "Careers",
    "career_average_wage",
    "career_spans",
    "ever_insured_probability",
    "growth_factor",
    "make_careers",
    "median_wage_now",
    "minimum_wage",
    "minimum_wage_table",
    "monthly_wages",
    "pension_capital",
    "pension_points",
    "pensionable_age_day",
    "wage_levels",
]


@dataclass
class Careers:
    """Insured careers: who was ever insured, the months contributed (start, exit, gap), the wage level, and the
    day each person reaches pensionable age."""

    ever: np.ndarray
    start: np.ndarray
    exit: np.ndarray
    gap_start: np.ndarray
    gap_end: np.ndarray
    months_before_window: np.ndarray
    wage_level: np.ndarray
    recently_separated: np.ndarray
    retired: np.ndarray
    pensionable_day: np.ndarray


def ever_insured_probability(age: np.ndarray, female: np.ndarray, spec: dict[str, Any]) -> np.ndarray:
    """Chance of having ever been insured, scaled so that the sourced share of 15-64s contribute now."""
    retirement = np.where(female, spec["retirement_age"]["women"], spec["retirement_age"]["men"])
    profile = by_age_group(age, spec["age_profile"]) * np.where(female, spec["women_relative_rate"], 1.0)
    current_given_ever = np.where(
        age < retirement, spec["current_share_of_ever_insured"], spec["still_contributing_after_retirement_age"]
    )
    working_age = (age >= 15) & (age < 65)
    current = normalised_probability(profile * current_given_ever, working_age, spec["contributor_share_15_64"])
    return np.clip(current / current_given_ever, 0.0, 1.0)


def pensionable_age_day(birth_day: np.ndarray, female: np.ndarray, spec: dict[str, Any]) -> np.ndarray:
    """The day each person reaches the pensionable age of their sex (``insurance.retirement_age``), in days."""
    years = np.where(female, spec["retirement_age"]["women"], spec["retirement_age"]["men"])
    return day_reaching_age(birth_day, np.round(years * 12).astype(np.int64))


def career_spans(
    rng: np.random.Generator,
    age: np.ndarray,
    birth_month: np.ndarray,
    pensionable_day: np.ndarray,
    calendar: Calendar,
    spec: dict[str, Any],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """First insured month, first month no longer insured (the month evaluated if still insured), and retired.

    Those who do not reach pensionable age by the last day of the month
    evaluated, if ever insured, are insured now, separated in the last 12
    months, or left long ago; those who reach it by then are retired (most: they
    left at, or a little before, the month they reach it) or still contributing.
    """
    persons, now = len(age), calendar.month
    low, high = spec["career_start_age"]
    start = birth_month + np.round(uniform(rng, low, np.clip(age, low, high), persons) * 12).astype(np.int64)
    scheme_start = month_index(spec["scheme_start"]) if spec.get("scheme_start") else None
    if scheme_start is not None:
        start = np.maximum(start, scheme_start)
    start = np.minimum(start, now - 1)

    current_share, recent_share = spec["current_share_of_ever_insured"], spec["recently_separated_share"]
    status = rng.random(persons)
    below_retirement = pensionable_day > calendar.last_day
    recent = below_retirement & (status >= current_share) & (status < current_share + recent_share)
    lapsed = below_retirement & (status >= current_share + recent_share)
    recent |= lapsed & (start >= now - 13)  # too new in insured employment to have left it long ago
    lapsed &= start < now - 13
    retired = ~below_retirement & (rng.random(persons) >= spec["still_contributing_after_retirement_age"])
    retirement_month = month_of(pensionable_day)
    exit_month = np.select(
        [recent, lapsed, retired],
        [
            now - rng.integers(1, 13, persons),
            rng.integers(np.minimum(start + 1, now - 12), now - 11),
            retirement_month - rng.integers(0, 12 * spec["early_exit_years"] + 1, persons),
        ],
        default=now,
    )
    exit_month = np.minimum(exit_month, now)
    start = np.minimum(start, exit_month - 1)
    if scheme_start is not None:  # whoever left before the scheme existed was never insured
        start = np.where(exit_month > scheme_start, np.maximum(start, scheme_start), exit_month)
    return start, exit_month, retired


def make_careers(
    rng: np.random.Generator,
    age: np.ndarray,
    female: np.ndarray,
    birth_day: np.ndarray,
    region: np.ndarray,
    calendar: Calendar,
    shape: dict[str, Any],
) -> Careers:
    """Who is or was insured, when their insured employment started and ended, gaps, and their wage level."""
    spec = shape["insurance"]
    persons, now = len(age), calendar.month
    pensionable_day = pensionable_age_day(birth_day, female, spec)
    ever = rng.random(persons) < ever_insured_probability(age, female, spec)
    start, exit_month, retired = career_spans(rng, age, month_of(birth_day), pensionable_day, calendar, spec)
    ever &= exit_month > start

    gap_low, gap_high = spec["gap_months"]
    has_gap = ever & (exit_month == now) & (rng.random(persons) < spec["gap_share"])
    gap_length = rng.integers(gap_low, gap_high + 1, persons)
    gap_start = np.where(has_gap, rng.integers(now - LOOKBACK_MONTHS, now - 1 - gap_length), 0)

    density = spec["contribution_density"]
    alpha, beta = density["mean"] * density["concentration"], (1 - density["mean"]) * density["concentration"]
    span_before = np.maximum(np.minimum(exit_month, calendar.window_start) - start, 0)
    months_before = np.round(span_before * rng.beta(alpha, beta, persons)).astype(np.int64)
    months_before = np.maximum(months_before, span_before > 0)  # an insured career has at least a month

    wage_level = wage_levels(rng, age, female, region, calendar, shape)
    return Careers(
        ever=ever,
        start=np.where(ever, start, 0),
        exit=np.where(ever, exit_month, 0),
        gap_start=gap_start,
        gap_end=np.where(has_gap, gap_start + gap_length, 0),
        months_before_window=np.where(ever, months_before, 0),
        wage_level=np.where(ever, wage_level, 0.0),
        recently_separated=ever & (exit_month < now) & (exit_month >= now - 12),
        retired=ever & retired,
        pensionable_day=pensionable_day,
    )


def growth_factor(months_from_now: Any, annual_growth: float) -> Any:
    """Wage level ``months_from_now`` months away relative to now, at ``annual_growth`` a year."""
    return np.power(1.0 + annual_growth, np.asarray(months_from_now, dtype=np.float64) / 12.0)


def median_wage_now(female: np.ndarray, calendar: Calendar, shape: dict[str, Any]) -> np.ndarray:
    """The median wage of each person's sex in the money of the month evaluated."""
    wages = shape["wages"]
    median = np.where(female, wages["median"]["women"], wages["median"]["men"])
    return median * growth_factor(calendar.month - month_index(wages["as_of"]), wages["nominal_growth"])


def wage_levels(
    rng: np.random.Generator,
    age: np.ndarray,
    female: np.ndarray,
    region: np.ndarray,
    calendar: Calendar,
    shape: dict[str, Any],
) -> np.ndarray:
    """Each person's insured wage in the month evaluated (lognormal around the median, by age, sex and region)."""
    wages = shape["wages"]
    codes = np.array([int(code) for code in wages["region_factor"]])
    factor_of_region = np.ones(max(codes.max(), region.max(initial=0)) + 1)
    factor_of_region[codes] = list(wages["region_factor"].values())
    by_region = factor_of_region[region]
    level = median_wage_now(female, calendar, shape) * by_age_group(age, wages["age_factor"], below=0.75)
    return level * by_region * rng.lognormal(0.0, wages["sigma"], len(age))


def minimum_wage_table(shape: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """Months from which each minimum wage applies, and the amounts (one column per region 1..n)."""
    table = shape["wages"]["minimum_wage"] or {}
    months = np.array([month_index(month) for month in table], dtype=np.int64)
    amounts = np.array([np.atleast_1d(amount) for amount in table.values()], dtype=np.float64)
    order = np.argsort(months)
    return months[order], amounts[order] if len(months) else np.zeros((0, 1))


def minimum_wage(month: int, region: np.ndarray, table: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """The minimum wage in force in ``month`` for each person's region (0 where none is known)."""
    months, amounts = table
    row = int(np.searchsorted(months, month, side="right")) - 1
    if row < 0:
        return np.zeros(len(region))
    amounts_now = amounts[row]
    if len(amounts_now) == 1:
        return np.full(len(region), amounts_now[0])
    return amounts_now[np.clip(region, 1, len(amounts_now)) - 1]


def monthly_wages(careers: Careers, region: np.ndarray, calendar: Calendar, shape: dict[str, Any]) -> list[np.ndarray]:
    """The monthly insured wages of the wage history before the month evaluated, oldest first (0 without
    contributions)."""
    wages = shape["wages"]
    table = minimum_wage_table(shape)
    insured = np.flatnonzero(careers.ever)  # only the ever insured have wages: work on them alone
    start, exit_month = careers.start[insured], careers.exit[insured]
    gap_start, gap_end = careers.gap_start[insured], careers.gap_end[insured]
    level, region = careers.wage_level[insured], region[insured]
    columns = []
    for month in range(calendar.window_start, calendar.month):
        active = (start <= month) & (month < exit_month) & ~((gap_start <= month) & (month < gap_end))
        years_back = (calendar.month - 1) // 12 - month // 12  # wages change each January
        wage = round_to(level * growth_factor(-12 * years_back, wages["nominal_growth"]), wages["rounding"])
        column = np.zeros(len(careers.ever))
        column[insured] = np.where(active, np.maximum(wage, minimum_wage(month, region, table)), 0.0)
        columns.append(column)
    return columns


def career_average_wage(careers: Careers, calendar: Calendar, shape: dict[str, Any]) -> np.ndarray:
    """Average insured wage over the career, revalued to the month evaluated by real wage growth."""
    wages = shape["wages"]
    rate = np.log1p(wages["real_growth"]) / 12.0
    length = np.maximum(careers.exit - careers.start, 1)
    late = np.exp(rate * (careers.exit - calendar.month))
    early = np.exp(rate * (careers.start - calendar.month))
    average = round_to(careers.wage_level * (late - early) / (rate * length), wages["rounding"])
    return np.where(careers.ever, average, 0.0)


def pension_points(
    contribution_months: np.ndarray,
    career_average: np.ndarray,
    female: np.ndarray,
    calendar: Calendar,
    shape: dict[str, Any],
) -> np.ndarray:
    """Decree 207/PM points (an assumption): about a point a year at or above the average wage, fewer below."""
    per_year = shape["pension_points"]["points_per_year_at_average_wage"]
    average = 0.5 * (median_wage_now(female, calendar, shape) + median_wage_now(~female, calendar, shape))
    relative = np.clip(career_average / average, 0.5, 1.0)
    return np.round(contribution_months / 12.0 * relative * per_year, 1)


def _mean_growth(start: np.ndarray, end: np.ndarray, now: int, rate: float) -> np.ndarray:
    """Mean of ``exp(rate * (m - now))`` over the months ``m`` of [start, end) (1 for an empty span)."""
    length = np.maximum(end - start, 1)
    if abs(rate) < 1e-12:
        return np.ones(len(start))
    return (np.exp(rate * (end - now)) - np.exp(rate * (start - now))) / (rate * length)


def pension_capital(
    careers: Careers, wage_columns: list[np.ndarray], calendar: Calendar, shape: dict[str, Any]
) -> np.ndarray:
    """Tajikistan's pension capital (an assumption): ``credited_rate`` of each insured wage from ``credited_from``.

    The months of the wage history credit their wages; the months contributed
    before it credit the wage level of their time (the wage deflated by nominal
    wage growth), those before ``credited_from`` in proportion to the span they
    cover. Credits are revalued to the month evaluated at ``revaluation_rate``
    a year. 0 where the shape credits nothing (jurisdictions whose rules do not
    read a pension capital).
    """
    spec = shape["pension_capital"]
    rate = float(spec["credited_rate"])
    if rate == 0:
        return np.zeros(len(careers.ever))
    now, revaluation = calendar.month, float(spec.get("revaluation_rate", 0.0))
    first = month_index(spec["credited_from"]) if spec.get("credited_from") else None
    credited = np.zeros(len(careers.ever))
    for month, column in zip(range(calendar.window_start, now), wage_columns, strict=True):
        if first is None or month >= first:
            credited += column * float(growth_factor(now - month, revaluation))
    span_end = np.minimum(careers.exit, calendar.window_start)
    span_start = careers.start if first is None else np.maximum(careers.start, first)
    span = np.maximum(span_end - careers.start, 1)
    share_credited = np.clip((span_end - span_start) / span, 0.0, 1.0)
    net_rate = (np.log1p(shape["wages"]["nominal_growth"]) - np.log1p(revaluation)) / 12.0
    before = careers.months_before_window * share_credited * careers.wage_level
    before *= _mean_growth(span_start, np.maximum(span_end, span_start), now, net_rate)
    return np.where(careers.ever, np.round(rate * (credited + before)), 0.0)
