"""Build simulations straight from arrays: one person per row, households optional.

Both doors into the rules (the HTTP API and the population engine) use this
instead of openfisca-core's SimulationBuilder, whose per-id Python work grows
faster than the population. Ids, household membership and roles are arrays;
inputs are written to the holders with periods parsed once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from openfisca_core.periods import Period
from openfisca_core.simulations import Simulation

from openfisca_sp.rules.periods import parse_period

Inputs = Mapping[tuple[str, Any], Any]


def first_of_groups(group_of: np.ndarray) -> np.ndarray:
    """True for the first person (in row order) of each group."""
    first = np.ones(len(group_of), dtype=bool)
    if len(group_of) > 1:
        order = np.argsort(group_of, kind="stable")
        first[order[1:]] = group_of[order[1:]] != group_of[order[:-1]]
    return first


def build_simulation(
    tax_benefit_system: Any,
    person_ids: np.ndarray,
    household_of: np.ndarray | None = None,
    household_ids: np.ndarray | None = None,
    is_head: np.ndarray | None = None,
) -> Simulation:
    """An empty simulation of persons ``person_ids`` grouped in households.

    ``household_of`` gives each person's household as an index into
    ``household_ids`` (0..n-1); by default each person is alone in a household.
    ``is_head`` marks heads (by default the first member of each household);
    everyone else is a ``member``.
    """
    count = len(person_ids)
    populations = tax_benefit_system.instantiate_entities()
    persons = populations[tax_benefit_system.person_entity.key]
    persons.ids = np.asarray(person_ids)
    persons.count = count
    if household_of is None:
        household_of = np.arange(count)
    household_of = np.asarray(household_of, dtype=np.int64)
    if household_ids is None:
        household_ids = np.arange(int(household_of.max()) + 1 if count else 0)
    if is_head is None:
        is_head = first_of_groups(household_of)
    for group in tax_benefit_system.group_entities:
        population = populations[group.key]
        population.ids = np.asarray(household_ids)
        population.count = len(household_ids)
        population.members_entity_id = household_of
        roles = {role.key: role for role in group.flattened_roles}
        role_objects = np.empty(count, dtype=object)
        role_objects[:] = roles["member"]
        role_objects[is_head] = roles["head"]
        population._members_role = role_objects
    return Simulation(tax_benefit_system, populations)


def set_input(simulation: Simulation, variable: str, period: str | Period, values: Any) -> None:
    """Write one input array; a period that is exactly the variable's skips openfisca's dispatch."""
    holder = simulation.get_holder(variable)
    period = parse_period(period)
    definition = holder.variable.definition_period
    if period.size == 1 and period.unit == definition and not holder.variable.is_neutralized:
        holder._set(period, values)
    else:
        holder.set_input(period, np.asarray(values))


def set_inputs(simulation: Simulation, inputs: Inputs) -> None:
    """Write ``inputs[(variable, period)] = array`` into the simulation's holders."""
    for (variable, period), values in inputs.items():
        set_input(simulation, variable, period, values)


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
    household_ids = None
    if household_of is not None:
        household_ids, household_of = np.unique(np.asarray(household_of), return_inverse=True)
    simulation = build_simulation(tax_benefit_system, np.arange(count), household_of, household_ids)
    set_inputs(simulation, inputs)
    return simulation
