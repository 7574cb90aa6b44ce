"""The population engine pays a dated Viet Nam pension from the first day paid that ``/eligibility``'s schedule
gives: the first day of the month after the month of retirement (Decree 135/2020/ND-CP Art 3), never a part of the
month of the claim; an undated pension is one in payment, paid every month."""

from __future__ import annotations

import datetime

import numpy as np
import pytest

from openfisca_sp import tax_benefit_system
from openfisca_sp.decisions import decide_claims
from openfisca_sp.population import simulate
from tests.population.fixtures import person_table

MONTH = "2026-10"
# men of 61 years 6 months (the 2026 age) in the month of their claim, and a pensioner of 66 (no claim dated):
# 25 years at 55% of 10,000,000
CLAIMS = {"1965-03-10": "2026-09-10", "1965-04-20": "2026-10-20", "1960-01-01": None}


@pytest.fixture(scope="module")
def pensions():
    frame = person_table(len(CLAIMS), MONTH, seed=3, household_size=1)
    frame["sex"], frame["birth_date"] = "male", list(CLAIMS)
    frame["contribution_months"], frame["career_average_insured_wage"] = 300, 10_000_000.0
    frame["is_disabled"], frame["pregnancy_outcome"], frame["separation_reason"] = False, "none", "not_separated"
    frame["old_age_claim_date"] = list(CLAIMS.values())
    frame["child_birth_date"] = frame["unemployment_registration_date"] = None
    return frame, simulate(frame, MONTH, tax_benefit_system("vnm"))


def test_a_pension_claimed_in_a_month_is_paid_from_the_next_one(pensions):
    frame, results = pensions
    weights = frame["weight"].to_numpy()
    by_month = results.costs_by_month(2).set_index(["month", "branch"])["periodical_benefits"]
    # September: nobody dated is paid yet, the pension in payment is; October: the September claim too
    assert by_month[("2026-09", "old_age")] == pytest.approx(weights[2] * 5_500_000)
    assert by_month[("2026-10", "old_age")] == pytest.approx((weights[0] + weights[2]) * 5_500_000)


def test_the_first_day_paid_is_the_schedules(pensions):
    frame, results = pensions
    records = [
        {"sex": "male", "birth_date": birth, "contribution_months": 300, "career_average_insured_wage": 1e7}
        | ({"old_age_claim_date": claim} if claim else {})
        for birth, claim in CLAIMS.items()
    ]
    decided = decide_claims(tax_benefit_system("vnm"), records, datetime.date(2026, 10, 31), ["old_age"])
    starts = [payments.start for payments in decided.branches["old_age"].payments("2026-10-31")]
    assert starts == ["2026-10-01", "2026-11-01", "2026-11-01"]
    assert np.datetime_as_string(results.columns["old_age_pension_start"]).tolist() == starts
    # the undated pension: counted as in payment in the month's totals, its start is the law's for a claim made
    # on the month's first day, as the same person decided alone with no claim date reads it (docs/population.md)
    weights = frame["weight"].to_numpy()
    paid = results.totals().set_index("branch").loc["old_age", "beneficiaries"]
    assert paid == pytest.approx(weights[0] + weights[2], rel=1e-12)


def test_a_first_day_read_from_the_law_is_the_schedule_s_not_the_decision_s_provisional():
    """Claims after the month of the age (61 in January and March 2024): their first day paid is a reading of the
    law, which /eligibility tells in the schedule (``payments.provisional``), not in the decision's ``provisional``;
    the population engine's ``old_age_pension_provisional`` is the decision's, the same for the same persons."""
    claims = {"1963-01-10": "2024-05-20", "1963-03-31": "2024-06-30"}
    frame = person_table(len(claims), "2024-07", seed=3, household_size=1)
    frame["sex"], frame["birth_date"] = "male", list(claims)
    frame["contribution_months"], frame["career_average_insured_wage"] = 300, 10_000_000.0
    frame["is_disabled"], frame["pregnancy_outcome"], frame["separation_reason"] = False, "none", "not_separated"
    frame["old_age_claim_date"] = list(claims.values())
    frame["child_birth_date"] = frame["unemployment_registration_date"] = None
    results = simulate(frame, "2024-07", tax_benefit_system("vnm"))
    records = [
        {"sex": "male", "birth_date": birth, "contribution_months": 300, "career_average_insured_wage": 1e7}
        | {"old_age_claim_date": claim}
        for birth, claim in claims.items()
    ]
    decided = decide_claims(tax_benefit_system("vnm"), records, datetime.date(2024, 7, 31), ["old_age"])
    old_age = decided.branches["old_age"]
    schedules = old_age.payments("2024-07-31")
    assert [schedule.start for schedule in schedules] == ["2024-06-01", "2024-07-01"]
    assert all(schedule.provisional for schedule in schedules)  # the first day read, told with the schedule
    assert results.columns["old_age_pension_provisional"].tolist() == old_age.provisional.tolist() == [False, False]
    assert np.datetime_as_string(results.columns["old_age_pension_start"]).tolist() == ["2024-06-01", "2024-07-01"]
