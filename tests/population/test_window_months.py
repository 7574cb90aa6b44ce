"""A window that the end of a labour contract ends early reads months before the usual window (Viet Nam
Employment Law 2013 Art 49(2): the 24 months before the contract ended); the population engine reads those months'
columns, on the first day of the month and on a claim's own day alike, as the one-person decision does."""

from __future__ import annotations

import datetime

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from openfisca_sp import tax_benefit_system
from openfisca_sp.decisions import decide_claims
from openfisca_sp.population import simulate
from openfisca_sp.population.window_months import decision_months, window_months
from openfisca_sp.rules.enums import IneligibilityReason as Reason
from tests.population.fixtures import person_table

MONTH = "2026-10"


def test_a_window_ended_early_is_read_from_the_month_after_its_end():
    """Decided in October 2026, the usual window ends in September: a contract that ended in August is read by a
    trace in September, one that ended in 2022 by a trace at the earliest window (24 months earlier); a contract
    that ended in September or later ends no window early."""
    assert window_months(["2026-08"], [MONTH]) == ["2026-09"]
    assert window_months(["2022-01", "2024-09"], [MONTH]) == ["2024-10"]
    assert window_months(["2026-09", "2026-11"], [MONTH]) == []
    assert window_months(["2026-06"], ["2026-09", MONTH]) == ["2026-07"]


def test_a_claim_reads_the_windows_of_its_events_month():
    """A claim made 30 days after its registration (Lao PDR's certificate) is still decided on its event's rules
    and windows."""
    assert decision_months(MONTH, ["2026-08", "2026-08"]) == ["2026-08", MONTH]


def _unemployed(contract_end: str, registration: str, contributed: list[str]) -> pd.DataFrame:
    """One person dismissed, registered as unemployed, available for work, who contributed in the months
    ``contributed`` only."""
    frame = person_table(1, MONTH, seed=3, household_size=1)
    for column in frame.columns:
        if column.startswith("insured_wage."):
            frame[column] = 0.0
    for month in contributed:
        assert f"insured_wage.{month}" in frame.columns
        frame[f"insured_wage.{month}"] = 8_000_000.0
    frame["separation_reason"] = "dismissal"
    frame["is_available_for_work"] = True
    frame["employment_end_date"] = datetime.date.fromisoformat(contract_end)
    frame["unemployment_registration_date"] = datetime.date.fromisoformat(registration)
    return frame


def _months_of_2025(count: int) -> list[str]:
    return [f"2025-{month:02d}" for month in range(1, count + 1)]


@pytest.mark.parametrize("source", ["table", "parquet"])
@pytest.mark.parametrize(
    ("claims_on_events", "contract_end", "registration", "early_months"),
    [
        (False, "2026-08-14", "2026-09-01", ["2024-09"]),  # decided on 1 October: September 2024 to August 2026
        (True, "2026-06-15", "2026-09-01", ["2024-07", "2024-08"]),  # decided on 1 September: July 2024 to June
    ],
)
def test_the_months_before_the_usual_window_count(
    tmp_path, source, claims_on_events, contract_end, registration, early_months
):
    """Twelve months of contributions in the 24 months before the contract ended, one or two of them before the
    usual window of the day decided: eligible. Without those: too few. They used to be left unread, and counted
    as months without contributions."""
    system = tax_benefit_system("vnm")
    outcomes = []
    others = _months_of_2025(12 - len(early_months))
    for contributed in ([*early_months, *others], others):
        frame = _unemployed(contract_end, registration, contributed)
        population = frame
        if source == "parquet":
            population = tmp_path / f"persons-{len(contributed)}.parquet"
            pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), population)
        results = simulate(population, MONTH, system, claims_on_events=claims_on_events)
        outcomes.append(Reason(list(Reason)[results.columns["unemployment_benefit_ineligibility_reason"][0]]))
    assert outcomes == [Reason.eligible, Reason.insufficient_recent_contributions]


def test_a_claim_decided_after_the_month_evaluated_reads_that_months_wage():
    """Registered in November for a contract ended on 31 October, twelve months of contributions, October's the
    last: decided again in November, the claim reads October's wage (it was left out of November's inputs, and
    counted as a month without contributions)."""
    contributed = ["2025-01", *(str(month) for month in np.arange(np.datetime64("2025-12"), np.datetime64("2026-11")))]
    frame = _unemployed("2026-10-31", "2026-11-10", [])
    frame["insured_wage.2026-11"] = 0.0
    for month in contributed:
        frame[f"insured_wage.{month}"] = 8_000_000.0
    results = simulate(frame, MONTH, tax_benefit_system("vnm"))
    reason = list(Reason)[results.columns["unemployment_benefit_ineligibility_reason"][0]]
    assert len(contributed) == 12 and reason is Reason.eligible


@pytest.mark.parametrize("claims_on_events", [False, True])
@pytest.mark.parametrize(
    ("contract_end", "cap"),
    [("2025-12-20", 24_800_000.0), ("2026-01-10", 26_550_000.0), (None, 26_550_000.0)],
)
def test_the_cap_is_the_minimum_wage_of_the_contract_s_end_as_one_person_is_decided(
    claims_on_events, contract_end, cap
):
    """Viet Nam Employment Law 2013 Art 50(1): 5 × the regional minimum wage at the end of the contract. A contract
    that ended on 20 December 2025 under 4,960,000 (Region I), filed on 5 February 2026 under 5,310,000: capped at
    24,800,000 by the population engine (on the first day and on the claim's) as by /eligibility; one ended on 10
    January at 26,550,000; one whose end is not stated at the claim's, provisionally."""
    month = "2026-02"
    frame = person_table(1, month, seed=3, household_size=1)
    wages = [column for column in frame.columns if column.startswith("insured_wage.")]
    frame[wages] = 50_000_000.0
    frame[["sex", "birth_date", "contribution_months", "minimum_wage_region"]] = ["male", "1985-01-01", 48, 1]
    frame[["separation_reason", "is_available_for_work"]] = ["dismissal", True]
    frame["unemployment_registration_date"] = datetime.date(2026, 2, 5)
    frame["employment_end_date"] = None if contract_end is None else datetime.date.fromisoformat(contract_end)
    system = tax_benefit_system("vnm")
    results = simulate(frame, month, system, claims_on_events=claims_on_events)
    person = {
        "sex": "male",
        "birth_date": "1985-01-01",
        "contribution_months": 48,
        "minimum_wage_region": 1,
        "separation_reason": "dismissal",
        "is_available_for_work": True,
        "unemployment_registration_date": "2026-02-05",
        "insured_wage": {column.split(".")[1]: 50_000_000.0 for column in wages},
    }
    if contract_end is not None:
        person["employment_end_date"] = contract_end
    decided = decide_claims(system, [person], datetime.date(2026, 2, 20), ["unemployment"]).branches["unemployment"]
    assert decided.amount[0] == results.columns["unemployment_benefit"][0] == cap
    assert decided.provisional[0] == results.columns["unemployment_benefit_provisional"][0]
