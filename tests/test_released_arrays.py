"""A chunk's simulation lets go of its arrays once its results are taken (``release_arrays``), not whenever
Python's cycle collector next runs; the results the caller keeps stay whole and unchanged."""

from __future__ import annotations

import gc
import weakref

import numpy as np

from openfisca_sp import tax_benefit_system
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
