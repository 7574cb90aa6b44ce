"""Synthetic persons for property tests: arrays of inputs covering every branch.

Synthetic, seeded and deliberately wide (edge ages, zero and capped wages, every
enum value), so that the properties are tested where the law has its corners.
"""

from __future__ import annotations

import numpy as np

from openfisca_sp.rules.enums import PregnancyOutcome, SeparationReason, Sex
from openfisca_sp.rules.windows import NO_DATE

WAGE_MONTHS = 28  # a registration up to 3 months before the month evaluated reads the 24 months before its own
OUTPUTS = (
    "old_age_pension_eligible",
    "old_age_pension_ineligibility_reason",
    "old_age_pension",
    "old_age_lump_sum",
    "old_age_reference_wage",
    "old_age_pension_provisional",
    "maternity_benefit_eligible",
    "maternity_benefit_ineligibility_reason",
    "maternity_benefit",
    "maternity_benefit_duration",
    "birth_grant",
    "unemployment_benefit_eligible",
    "unemployment_benefit_ineligibility_reason",
    "unemployment_benefit",
    "unemployment_benefit_duration",
    "unemployment_benefit_waiting_days",
    "disability_benefit_eligible",
    "disability_benefit_ineligibility_reason",
    "disability_benefit",
)


def months_before(period: str, count: int) -> list[str]:
    """The ``count`` months (YYYY-MM) before ``period``, oldest first."""
    start = np.datetime64(period, "M")
    return [str(start - offset) for offset in range(count, 0, -1)]


def _months_lived(birth: np.ndarray, period: str) -> np.ndarray:
    """The calendar months from each birth to ``period``, both counted."""
    return (np.datetime64(period, "M") - birth.astype("datetime64[M]")).astype(np.int64) + 1


def persons(count: int, period: str, seed: int = 0, wage_scale: float = 1.0) -> dict[tuple[str, str], np.ndarray]:
    """Inputs for ``count`` synthetic persons evaluated in month ``period``."""
    rng = np.random.default_rng(seed)
    month = np.datetime64(period, "D")
    age_days = rng.integers(15 * 365, 80 * 365, count)
    birth = month - age_days.astype("timedelta64[D]")
    female = rng.random(count) < 0.5
    wage = np.round(rng.lognormal(np.log(3_000_000), 0.8, count) * wage_scale, -3)
    working = rng.random((WAGE_MONTHS, count)) < 0.8
    outcome = np.where(rng.random(count) < 0.6, rng.integers(1, 3, count), 0)
    reason = rng.integers(0, len(SeparationReason), count)
    registered = month + rng.integers(-90, 20, count).astype("timedelta64[D]")
    pregnancy = np.where(female, outcome, PregnancyOutcome.none.index)
    inputs = {
        ("birth_date", "ETERNITY"): birth,
        ("sex", "ETERNITY"): np.where(female, Sex.female.index, Sex.male.index),
        # at most the months lived and at least the months of wages above 0 (facts the engine and /eligibility
        # check): clipped, the draws unchanged
        ("contribution_months", period): np.minimum(
            np.maximum(rng.integers(0, 480, count), (working & (wage > 0)).sum(axis=0)), _months_lived(birth, period)
        ),
        ("pension_points", period): np.round(rng.uniform(0, 40, count), 1),
        ("career_average_insured_wage", period): wage,
        ("separation_reason", period): reason,
        ("unemployment_registration_date", period): registered,
        ("is_available_for_work", period): rng.random(count) < 0.9,
        ("pregnancy_outcome", period): pregnancy,
        # a confinement only of a pregnancy outcome (a date with none is a fact the engine and /eligibility refuse):
        # no date (NO_DATE, the default: not stated) there, the draws unchanged
        ("child_birth_date", period): np.where(pregnancy == PregnancyOutcome.none.index, NO_DATE, month),
        # none born at a pregnancy loss (a fact the engine and /eligibility check): 0 there, the draws unchanged
        ("number_of_children_born", period): np.where(
            outcome == PregnancyOutcome.pregnancy_loss.index, 0, rng.choice([1, 1, 1, 2, 3], count)
        ),
        ("is_disabled", period): rng.random(count) < 0.3,
        ("disability_degree", period): rng.choice([0.0, 40.0, 61.0, 81.0, 99.0, 100.0], count),
        ("disability_category", period): rng.integers(0, 7, count),
        ("minimum_wage_region", period): rng.integers(0, 5, count),
        ("poor_or_near_poor_household", period): rng.random(count) < 0.2,
    }
    for index, wage_month in enumerate(months_before(period, WAGE_MONTHS)):
        inputs[("insured_wage", wage_month)] = np.where(working[index], wage, 0.0)
    # no disability category of a person not disabled (a fact the engine and /eligibility check): 0, the draws unchanged
    disabled = inputs[("is_disabled", period)]
    inputs[("disability_category", period)] = np.where(disabled, inputs[("disability_category", period)], 0)
    return inputs
