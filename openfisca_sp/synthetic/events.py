"""Synthetic events, dated over the last months up to the month evaluated M, and the state in M.

Births and pregnancy losses over the last ``fertility.confinement_months``
months, registrations as unemployed after separations in the last 12 months,
pension claims of those who reached pensionable age in the last
``claims.retirement_claim_months`` months; disabilities and labour status in M.
No event is dated after the last day of M. Categorical columns are codes:
indices into ``SEPARATION_REASONS`` and ``PREGNANCY_OUTCOMES``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from openfisca_sp.rules.enums import SeparationReason
from openfisca_sp.synthetic.careers import Careers, median_wage_now
from openfisca_sp.synthetic.draws import by_age_group, normalised_probability, round_to
from openfisca_sp.synthetic.months import DAYS_PER_YEAR, NULL_DAY, Calendar, month_first_day

__all__ = [
    "PREGNANCY_OUTCOMES",
    "SEPARATION_REASONS",
    "births",
    "disabilities",
    "monthly_fertility",
    "pension_claims",
    "separations_and_labour",
]

SEPARATION_REASONS = tuple(reason.name for reason in SeparationReason)
PREGNANCY_OUTCOMES = ("none", "live_birth", "pregnancy_loss")


def monthly_fertility(age: np.ndarray, female: np.ndarray, spec: dict[str, Any]) -> np.ndarray:
    """Each woman's chance of a live birth in a month at ``age`` (the total fertility rate by its age pattern).

    Calibrated to the crude birth rate (``calibrate_to``), the chances add up to
    the births of a month in a population of ``len(age)`` persons.
    """
    fertile = female & (age >= 15) & (age < 50)
    monthly = np.where(fertile, spec["total_fertility_rate"] * by_age_group(age, spec["age_pattern"]) / 60.0, 0.0)
    if spec["calibrate_to"] == "crude_birth_rate":  # as many births a month as the crude birth rate gives
        expected = spec["crude_birth_rate"] / 1000.0 / 12.0 * len(age)
        monthly *= expected / monthly.sum() if monthly.sum() > 0 else 0.0
    return monthly


def births(
    rng: np.random.Generator, age: np.ndarray, female: np.ndarray, calendar: Calendar, shape: dict[str, Any]
) -> dict[str, np.ndarray]:
    """Confinements over the last ``confinement_months`` months up to M (M included), at most one a woman.

    Each person gets a day uniform over the window's days (no seasonality); a
    woman's chance of a live birth on it is her monthly chance at her age that
    day times the months of the window; pregnancy losses and twins follow their
    rates. Live births (some twins) and pregnancy losses (no child born), with their dates.
    """
    spec = shape["fertility"]
    persons, months = len(age), int(spec["confinement_months"])
    first_day = calendar.events_from(months)
    day = first_day + rng.integers(0, calendar.last_day - first_day + 1, persons)
    age_then = age - (calendar.first_day - day) / DAYS_PER_YEAR
    chance = monthly_fertility(age_then, female, spec) * months
    draw = rng.random(persons)
    live_birth = draw < chance
    loss = ~live_birth & (draw < chance * (1.0 + spec["pregnancy_loss_per_live_birth"]))
    twins = live_birth & (rng.random(persons) < spec["twin_rate"])
    return {
        "pregnancy_outcome": np.select([live_birth, loss], [1, 2], default=0).astype(np.int8),
        "child_birth_date": np.where(live_birth | loss, day, NULL_DAY).astype(np.int32),
        "number_of_children_born": np.select([loss, twins], [0, 2], default=1).astype(np.int32),  # none at a loss
    }


def disabilities(rng: np.random.Generator, age: np.ndarray, shape: dict[str, Any]) -> dict[str, np.ndarray]:
    """Disability (rising with age to the sourced prevalence), its degree, national category and severity."""
    spec = shape["disability"]
    persons = len(age)
    measured = age >= spec["minimum_age"]
    probability = normalised_probability(by_age_group(age, spec["age_relative_risk"]), measured, spec["prevalence"])
    disabled = measured & (rng.random(persons) < probability)
    severe = disabled & (rng.random(persons) < spec["severe_share"])
    total = severe & (rng.random(persons) < spec["total_incapacity_share"])
    degree = np.select(
        [total, severe, disabled],
        [
            100,
            rng.integers(spec["severe_min_degree"], 100, persons),
            rng.integers(spec["minimum_degree"], spec["severe_min_degree"], persons),
        ],
        default=0,
    ).astype(np.float64)
    thresholds = np.asarray(spec["category_min_degree"], dtype=np.float64)
    category = (thresholds[None, :] > degree[:, None]).sum(axis=1) + 1
    return {
        "is_disabled": disabled,
        "disability_degree": degree,
        "disability_category": np.where(disabled, category, 0).astype(np.int32),
        "has_severe_disability": disabled & (degree >= spec["severe_min_degree"]),
    }


def separations_and_labour(
    rng: np.random.Generator,
    age: np.ndarray,
    female: np.ndarray,
    careers: Careers,
    last_wage: np.ndarray,
    calendar: Calendar,
    shape: dict[str, Any],
) -> dict[str, np.ndarray]:
    """Why and when insured employment ended (in its last insured month), registration as unemployed, ILO labour
    status and monthly income."""
    persons = len(age)
    separation, labour = shape["separation"], shape["labour"]
    insured_now = careers.ever & (careers.exit == calendar.month)
    separated = careers.recently_separated & ~careers.retired
    names = list(separation["reasons"])
    shares = np.array(list(separation["reasons"].values()), dtype=np.float64)
    drawn = np.array([SEPARATION_REASONS.index(name) for name in names])[
        rng.choice(len(names), size=persons, p=shares / shares.sum())
    ]
    reason = np.select(
        [separated, careers.recently_separated & careers.retired],
        [drawn, SEPARATION_REASONS.index("retirement")],
        default=SEPARATION_REASONS.index("not_separated"),
    ).astype(np.int8)

    separation_day = month_first_day(np.maximum(careers.exit - 1, 0)) + rng.integers(0, 28, persons)
    low, high = separation["registration_delay_days"]
    registration_day = separation_day + rng.integers(low, high + 1, persons)
    registered = separated & (rng.random(persons) < separation["registration_share"])
    registered &= careers.exit >= calendar.month - separation["registration_window_months"]
    registered &= registration_day <= calendar.last_day

    participation = np.where(
        female,
        by_age_group(age, labour["participation"]["women"]),
        by_age_group(age, labour["participation"]["men"]),
    )
    others = ~insured_now & ~separated & (age >= 15)
    in_labour_force = others & (rng.random(persons) < participation)
    unemployed = (in_labour_force & (rng.random(persons) < labour["unemployment_rate"])) | (
        separated & (rng.random(persons) < labour["separated_unemployed_share"])
    )
    unemployed |= registered & (rng.random(persons) < labour["registered_unemployed_share"])
    informal_after_separation = separated & ~unemployed & (rng.random(persons) < labour["separated_informal_share"])
    working_informally = (in_labour_force & ~unemployed) | informal_after_separation
    available = registered & (rng.random(persons) < labour["registered_available_share"])
    available |= insured_now | working_informally | unemployed

    wages = shape["wages"]
    informal = wages["informal_income_ratio"] * median_wage_now(female, calendar, shape)
    informal *= rng.lognormal(0.0, wages["informal_sigma"], persons)
    income = np.select([insured_now, working_informally], [last_wage, round_to(informal, wages["rounding"])], 0.0)
    return {
        "income": income,
        "separation_reason": reason,
        "employment_end_date": np.where(careers.recently_separated, separation_day, NULL_DAY).astype(np.int32),
        "unemployment_registration_date": np.where(registered, registration_day, NULL_DAY).astype(np.int32),
        "is_unemployed": unemployed,
        "is_available_for_work": available,
    }


def pension_claims(careers: Careers, calendar: Calendar, shape: dict[str, Any]) -> dict[str, np.ndarray]:
    """Old-age pension claims dated the day pensionable age is reached, for the retired who reached it in the
    last ``claims.retirement_claim_months`` months up to M (null otherwise: a pension already in payment, or none).
    """
    first_day = calendar.events_from(int(shape["claims"]["retirement_claim_months"]))
    day = careers.pensionable_day
    claimed = careers.retired & (day >= first_day) & (day <= calendar.last_day)
    return {"old_age_claim_date": np.where(claimed, day, NULL_DAY).astype(np.int32)}
