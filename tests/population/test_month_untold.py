"""A branch's cost in a month is not modelled where what a claim pays in that month cannot be told, not where some
claim granted, paid in other months, could not be priced: a Lao maternity claim paid in days (no source says what a
day of the monthly allowance pays) whose 105 days ended a year before the month pays nothing in it."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from openfisca_sp.analysis import compare
from openfisca_sp.population import simulate
from openfisca_sp.population.totals import DAYS_UNPRICED
from tests.population.fixtures import mothers_table

MONTH = "2026-10"
WORKING = {"is_available_for_work": False, "separation_reason": "not_separated"}


def _maternity(births: dict[str, str], weights: dict[str, float]) -> dict:
    table = mothers_table(dict.fromkeys(births, 3_000_000), births, weights)
    results = simulate(table, MONTH, "lao", assume=WORKING)
    assert results.to_frame()["maternity_benefit_duration_unit"].eq("days").all()  # every claim granted, in days
    return results.totals().set_index("branch").loc["maternity"].to_dict()


def test_a_claim_whose_days_ended_before_the_month_leaves_its_cost_modelled() -> None:
    """Born on 10 May 2025: 105 days to August 2025, nothing payable in October 2026 (the birth grant fell due in
    May 2025). The month's cost was "not modelled", for what a day of 2025 pays."""
    row = _maternity({"A": "2025-05-10"}, {"A": 5})
    assert row["cost"] == 0.0 and row["periodical_benefits"] == 0.0 and row["beneficiaries"] == 0.0
    assert row["amount_modelled"] and pd.isna(row["note"])
    mother = mothers_table({"A": 3_000_000}, {"A": "2025-05-10"}, {"A": 5})
    comparison = compare(mother, MONTH, "lao_maternity_c183", "lao", assume=WORKING)
    branch = comparison.branches.set_index("branch").loc["maternity"]
    assert branch["baseline_cost"] == 0.0 and branch["reform_cost"] == 0.0


@pytest.mark.parametrize("birth", ["2026-08-01", "2026-10-12"])
def test_the_note_counts_the_claims_whose_payment_in_the_month_cannot_be_told(birth: str) -> None:
    """With a mother whose benefit is paid in October (all of it, or from the 12th), the cost is not modelled;
    its note counted every claim granted in days (weight 6: the one of 2025 too), not the one paid in the month."""
    row = _maternity({"A": "2025-05-10", "B": birth}, {"A": 5, "B": 1})
    assert pd.isna(row["cost"]) and row["beneficiaries"] == 1.0
    assert f"{DAYS_UNPRICED}: the claims granted to 1 person" in row["note"]


@pytest.mark.parametrize("months", [0, -1, "12", 2.5, True])
def test_costs_by_month_refuses_a_count_that_is_no_number_of_months(months: object) -> None:
    """A review as an analyst: ``costs_by_month(0)`` raised "No objects to concatenate" and ``("12")`` a TypeError
    from NumPy's date arithmetic."""
    results = simulate(mothers_table({"A": 3_000_000}, {"A": "2026-08-01"}, {"A": 1}), MONTH, "lao", assume=WORKING)
    with pytest.raises(ValueError, match=f"months: a whole number of months, 1 or more, not {months!r}"):
        results.costs_by_month(months)  # type: ignore[arg-type]


def test_costs_by_month_refuses_months_before_the_calendar_of_the_rules() -> None:
    """A hunt (stop 79): ``simulate_distributed(..., months=10**6)`` simulated each of a million months until the
    memory ran out (the system killed it); the months that end with October 2026 from 1900-01 are 1,522."""
    results = simulate(mothers_table({"A": 3_000_000}, {"A": "2026-08-01"}, {"A": 1}), MONTH, "lao", assume=WORKING)
    assert len(results.costs_by_month(1522)) == 1522 * len(results.totals())
    for months, told in [(1523, "1523"), (10**6, "1000000"), (10**5000, "a whole number of 5001 digits")]:
        expected = (
            f"months: at most 1,522 end with 2026-10 in the calendar the rules are asked in (from 1900-01), not {told}"
        )
        with pytest.raises(ValueError, match=re.escape(expected)):
            results.costs_by_month(months)
