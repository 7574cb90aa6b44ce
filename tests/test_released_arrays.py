"""A chunk's simulation lets go of its arrays once its results are taken (``release_arrays``), not whenever
Python's cycle collector next runs; the results the caller keeps stay whole and unchanged. A decision's
simulations are dismantled once decided (``dismantle``): they leave nothing for the cycle collector."""

from __future__ import annotations

import datetime
import gc
import weakref

import numpy as np

from openfisca_sp import tax_benefit_system
from openfisca_sp.decisions.claims import decide_claims
from openfisca_sp.rules.simulations import release_arrays, simulation_from_arrays
from tests.synthetic import persons

PERIOD = "2024-03"


def test_released_simulation_frees_what_it_computed_and_keeps_what_the_caller_holds():
    system = tax_benefit_system("vnm")
    inputs = persons(500, PERIOD, seed=5)
    simulation = simulation_from_arrays(system, 500, inputs)
    kept = simulation.calculate("unemployment_benefit", PERIOD)
    expected = kept.copy()
    intermediate = weakref.ref(simulation.get_holder("unemployment_reference_wage").get_array(PERIOD))
    collecting = gc.isenabled()
    gc.disable()  # freed by release_arrays alone, not by the cycle collector
    try:
        release_arrays(simulation)
        assert intermediate() is None
        assert simulation.get_holder("unemployment_benefit").get_array(PERIOD) is None
    finally:
        if collecting:
            gc.enable()
    np.testing.assert_array_equal(kept, expected)
    fresh = simulation_from_arrays(system, 500, inputs).calculate("unemployment_benefit", PERIOD)
    np.testing.assert_array_equal(fresh, expected)


def test_a_decision_leaves_no_cycle_for_the_collector():
    """A one-person decision (the service decides thousands a second) is freed by reference counting as soon as
    it is answered: its simulation, populations and holders referred to one another, some 120 objects a request
    that the cycle collector scanned and freed every few requests."""
    system = tax_benefit_system("lao")
    records = [
        {"birth_date": "1960-01-01", "sex": "female", "contribution_months": 300, "insured_wage": {"2024-01": 2e6}},
        {"birth_date": "1990-05-02", "sex": "male", "separation_reason": "dismissal", "child_birth_date": "2024-05-20"},
    ]
    expected = decide_claims(system, records, datetime.date(2024, 6, 1))
    collecting = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        decisions = decide_claims(system, records, datetime.date(2024, 6, 1))
        assert gc.collect() == 0
    finally:
        if collecting:
            gc.enable()
    for code, branch in expected.branches.items():
        np.testing.assert_array_equal(decisions.branches[code].outcome, branch.outcome)
        np.testing.assert_array_equal(decisions.branches[code].amount, branch.amount)
