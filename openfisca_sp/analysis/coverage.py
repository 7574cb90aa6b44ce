"""SDG indicator 1.3.1: the share of a group covered by a social protection benefit.

Indicator 1.3.1 is the "proportion of population covered by social protection
floors/systems, by sex, distinguishing children, unemployed persons, older
persons, persons with disabilities, pregnant women, newborns, work-injury
victims and the poor and the vulnerable" (UN SDG indicator framework). Four of
its groups match the branches modelled here. A person of a group is *covered*
when a benefit of that group's branch pays them its periodical amount in the
month evaluated (a pension, an unemployment or disability benefit), or, for
mothers of newborns, when their confinement's claim is granted (legal
entitlement: take-up is not modelled).

A lump sum alone covers nobody. The series of older persons is the
"proportion of population above statutory pensionable age receiving a pension"
(UN SDG indicator metadata 1.3.1, custodian ILO, series "Proportion of older
persons receiving a pension"; ILO World Social Protection Report, "share of
persons above statutory retirement age receiving an old-age pension"), and ILO
Conventions 102 and 128 pay an old-age pension as "periodical payments"
throughout the contingency (ILO, "Income security in old-age, disability and
death of a breadwinner", social-protection.org): an old-age lump sum paid once
to one refused the pension (Viet Nam's, after too short a career) is no pension
received. The metadata found says nothing of lump sums in so many words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class CoverageGroup:
    """A group of indicator 1.3.1 and how a person is counted in it."""

    code: str
    label: str
    definition: str
    fallback: str = ""  # how membership is derived when the table lacks the survey column
    granted: bool = False  # covered when the claim is granted (not only while it pays in the month)


GROUPS = (
    CoverageGroup(
        "older_persons",
        "Older persons receiving a pension",
        "Persons above the statutory pensionable age (baseline rules) paid an old-age pension in the month (a "
        "periodical payment: an old-age lump sum alone is no pension received; UN SDG metadata 1.3.1, custodian "
        "ILO: proportion of population above statutory pensionable age receiving a pension).",
    ),
    CoverageGroup(
        "mothers_of_newborns",
        "Mothers of newborns receiving a maternity benefit",
        "Women with a live birth in the 12 months ending with the month (any, when the table dates none) whose "
        "maternity cash benefit is granted.",
        granted=True,
    ),
    CoverageGroup(
        "unemployed",
        "Unemployed persons receiving an unemployment benefit",
        "Unemployed persons (survey column is_unemployed) paid an unemployment benefit in the month.",
        "No is_unemployed column: persons separated from a job for a reason other than retirement, "
        "and available for work, are counted as unemployed.",
    ),
    CoverageGroup(
        "persons_with_severe_disabilities",
        "Persons with severe disabilities receiving a disability benefit",
        "Persons with a severe disability (survey column has_severe_disability) paid a disability benefit in the "
        "month.",
        "No has_severe_disability column: every person with an assessed disability (is_disabled) is counted.",
    ),
)
GROUP_CODES = tuple(group.code for group in GROUPS)


def memberships(
    survey: Mapping[str, np.ndarray], baseline: Mapping[str, np.ndarray]
) -> tuple[dict[str, np.ndarray], list[str]]:
    """Who belongs to each group, and notes on how membership was derived where a survey column is absent.

    ``survey`` holds the analysis columns (``population_survey.survey_arrays``);
    ``baseline`` the baseline rules' results (for the statutory pensionable age).
    """
    notes = []
    groups = {
        "older_persons": baseline["old_age_pensionable_age_reached"].astype(bool),
        "mothers_of_newborns": survey["female"] & survey["live_birth"],
    }
    if "is_unemployed" in survey:
        groups["unemployed"] = survey["is_unemployed"]
    else:
        groups["unemployed"] = survey["separated_and_available"]
        notes.append(GROUPS[2].fallback)
    if "has_severe_disability" in survey:
        groups["persons_with_severe_disabilities"] = survey["has_severe_disability"]
    else:
        groups["persons_with_severe_disabilities"] = survey["is_disabled"]
        notes.append(GROUPS[3].fallback)
    return groups, notes
