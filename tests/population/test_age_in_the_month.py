"""A claim the population engine decides on the month's first day (no event day stated) is paid, in that month, the
amount the person's age gives where an age the law names is reached within it: as ``/eligibility``'s schedule pays
it (Decree 20/2021/ND-CP Art 8(1)(đ): an adjustment runs from the month the conditions change, and a child's
coefficient ends in the month it turns 16, Art 6(1)(e)). Decided on the first day for everyone
(``claims_on_events`` False), the month pays what the rules give on that day, as openfisca-core does."""

from __future__ import annotations

import pytest

from openfisca_sp.population import simulate
from tests.population.fixtures import person_table

STANDARD_2022 = 360_000  # Decree 20/2021 Art 4(1): the standard level from 1 July 2021


def _disabled_child(month: str, birth_date: str):
    """A girl with a severe disability (category 2), no day of assessment stated: decided on the month's first day."""
    frame = person_table(1, month, seed=3, household_size=1)
    frame.loc[0, ["sex", "birth_date", "is_disabled", "disability_category", "disability_degree"]] = [
        "female",
        birth_date,
        True,
        2,
        100.0,
    ]
    frame.loc[0, "contribution_months"] = 0  # a child's: none
    for name in frame:
        if name.startswith("insured_wage."):
            frame[name] = 0.0
    return frame.drop(columns=[name for name in ("disability_assessment_date",) if name in frame])


@pytest.mark.parametrize(
    ("month", "birth_date", "coefficient"),
    [
        ("2022-04", "2006-05-30", 2.0),  # 15 all month: the children's coefficient
        ("2022-05", "2006-05-30", 1.5),  # 16 on 30 May: the adults' from May, the month the age is reached
        ("2022-06", "2006-05-30", 1.5),
        ("2022-05", "2006-05-01", 1.5),  # 16 on the first day: already so when decided
        ("2022-05", "2006-06-01", 2.0),  # 16 on 1 June: May is still a child's month
    ],
)
def test_a_child_turning_16_in_the_month_is_paid_the_adults_coefficient_from_it(month, birth_date, coefficient):
    run = simulate(_disabled_child(month, birth_date), month, "vnm")
    assert bool(run.columns["disability_benefit_eligible"][0])
    assert float(run.columns["disability_benefit"][0]) == coefficient * STANDARD_2022


def test_decided_on_the_first_day_for_everyone_the_month_pays_the_rules_of_that_day():
    run = simulate(_disabled_child("2022-05", "2006-05-30"), "2022-05", "vnm", claims_on_events=False)
    assert float(run.columns["disability_benefit"][0]) == 2.0 * STANDARD_2022  # 15 on 1 May
