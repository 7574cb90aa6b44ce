"""Build simulations straight from arrays: one person per row, households optional.

Both doors into the rules (the HTTP API and the population engine) use this
instead of openfisca-core's JSON situation builder, whose per-id Python work
grows faster than the population.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from openfisca_core.simulations import Simulation, SimulationBuilder

Inputs = Mapping[tuple[str, str], Any]


def simulation_from_arrays(
    tax_benefit_system: Any,
    count: int,
    inputs: Inputs,
    household_of: np.ndarray | None = None,
) -> Simulation:
    """A simulation of ``count`` persons with ``inputs[(variable, period)] = array``.

    ``household_of`` gives each person's household number (0..n-1); by default
    every person is alone in a household, as its head.
    """
    builder = SimulationBuilder()
    builder.create_entities(tax_benefit_system)
    builder.declare_person_entity("person", np.arange(count))
    if household_of is None:
        household_of = np.arange(count)
    household_of = np.asarray(household_of)
    households = builder.declare_entity("household", np.unique(household_of))
    first = np.ones(count, dtype=bool)
    order = np.argsort(household_of, kind="stable")
    first[order[1:]] = household_of[order[1:]] != household_of[order[:-1]]
    roles = np.where(first, "head", "member")
    builder.join_with_persons(households, household_of, roles)
    simulation = builder.build(tax_benefit_system)
    for (variable, period), values in inputs.items():
        simulation.set_input(variable, period, np.asarray(values))
    return simulation
