"""Viet Nam's periods counted from an event without a first day named (Civil Code 2015 Art 145(1), 147(3), 148(3),
(6), read in the Legal Code's text VN-CC2015-PD): the day of the event is not counted, and the period ends at 24:00 of
the corresponding day of its last month (its last day where that month has none).

- Employment Law 2013 Art 46(1): an unemployment claim filed within 3 months from the end of the contract is in time
  up to that corresponding day, included, whatever the day the contract ended;
- SI Law 2024 Art 70(1)(đ): the one-off payment "after 12 months" outside insurance is due from the day after it.
"""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openfisca_sp import tax_benefit_system
from openfisca_sp.rules.simulations import simulation_from_arrays
from openfisca_sp.rules.windows import add_months

DRAWS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ENDS = st.lists(st.integers(0, 700), min_size=1, max_size=40)  # days after 1 January 2016
SHIFTS = st.lists(st.integers(-3, 3), min_size=40, max_size=40)  # days from the period's last day


def _calculate(variable: str, period: str, inputs: dict, count: int) -> np.ndarray:
    simulation = simulation_from_arrays(tax_benefit_system("vnm"), count, inputs)
    return np.asarray(simulation.calculate(variable, period), dtype=bool)


@DRAWS
@given(ends=ENDS, shifts=SHIFTS)
def test_an_unemployment_claim_is_in_time_up_to_the_corresponding_day_included(ends, shifts):
    ended = np.datetime64("2016-01-01") + np.array(ends)
    last = add_months(ended, np.full(len(ended), 3))  # 24:00 of the corresponding day (Art 148(3), (6))
    filed = last + np.array(shifts[: len(ended)])
    in_time = np.empty(len(ended), dtype=bool)
    for period in np.unique(filed.astype("datetime64[M]")).astype(str):  # each claim evaluated in its own month
        rows = filed.astype("datetime64[M]").astype(str) == period
        inputs = {("employment_end_date", period): ended[rows], ("unemployment_registration_date", period): filed[rows]}
        in_time[rows] = _calculate("unemployment_claim_in_time", period, inputs, int(rows.sum()))
    assert np.array_equal(in_time, filed <= last)


@DRAWS
@given(ends=ENDS, shifts=SHIFTS)
def test_the_one_off_payment_after_leaving_is_due_from_the_day_after_the_12_months(ends, shifts):
    ended = np.datetime64("2025-03-01") + np.array(ends) // 7  # contributions before 1 July 2025 (Art 70(1)(đ))
    last = add_months(ended, np.full(len(ended), 12))
    claimed = np.maximum(last + np.array(shifts[: len(ended)]), np.datetime64("2026-03-01"))
    due = np.empty(len(ended), dtype=bool)
    for period in np.unique(claimed.astype("datetime64[M]")).astype(str):
        rows = claimed.astype("datetime64[M]").astype(str) == period
        count = int(rows.sum())
        inputs = {
            ("sex", "ETERNITY"): np.array(["male"] * count),
            ("birth_date", "ETERNITY"): np.full(count, np.datetime64("1997-01-01")),
            ("contribution_months", period): np.full(count, 60),
            ("contribution_months_before_2014", period): np.zeros(count),
            ("employment_end_date", period): ended[rows],
            ("event_date", period): claimed[rows],
        }
        due[rows] = _calculate("old_age_lump_sum_after_leaving_entitled", period, inputs, count)
    assert np.array_equal(due, claimed > last)
