"""Executing plans: several situations as one simulation, each getting its own results written back."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from openfisca_sp.api.situations.limits import MAX_PERSONS
from openfisca_sp.api.situations.planning import SituationPlan, plan_situation
from openfisca_sp.api.situations.reference import reference_calculate
from openfisca_sp.api.situations.values import input_column, json_values
from openfisca_sp.rules.periods import parse_period
from openfisca_sp.rules.simulations import build_simulation, set_input

if TYPE_CHECKING:
    from openfisca_core.simulations import Simulation
    from openfisca_core.taxbenefitsystems import TaxBenefitSystem

Offsets = dict[str, list[int]]
"""entity plural -> each plan's first row in the merged simulation"""


def calculate(tax_benefit_system: TaxBenefitSystem, situation: Any, max_persons: int = MAX_PERSONS) -> dict[str, Any]:
    """The situation with every ``null`` replaced by its computed value (on the fast path when possible)."""
    planned = plan_situation(tax_benefit_system, situation, max_persons)
    if planned is None:
        return reference_calculate(tax_benefit_system, situation)
    return execute(tax_benefit_system, [planned])[0]


def execute(tax_benefit_system: TaxBenefitSystem, plans: list[SituationPlan]) -> list[dict[str, Any]]:
    """Evaluate plans with the same signature as one simulation; each situation gets its own results."""
    simulation, offsets = _merged_simulation(tax_benefit_system, plans)
    _set_inputs(tax_benefit_system, simulation, plans, offsets)
    _write_results(tax_benefit_system, simulation, plans, offsets)
    return [each.situation for each in plans]


def _merged_simulation(tax_benefit_system: TaxBenefitSystem, plans: list[SituationPlan]) -> tuple[Simulation, Offsets]:
    """An empty simulation of the plans' persons one after the other, in their households (one each by
    default), and where each plan's rows start in each entity."""
    person_offsets, group_offsets = [], []
    ids, group_of, group_ids, heads = [], [], [], []
    persons = groups = 0
    for each in plans:
        person_offsets.append(persons)
        group_offsets.append(groups)
        count = len(each.ids)
        ids.extend(each.ids)
        if each.households is None:
            group_of.append(np.arange(count) + groups)
            group_ids.append(np.array(each.ids))
            heads.append(np.ones(count, dtype=bool))
            groups += count
        else:
            members_of, names, head = each.households
            group_of.append(members_of + groups)
            group_ids.append(names)
            heads.append(head)
            groups += len(names)
        persons += count
    simulation = build_simulation(
        tax_benefit_system,
        np.array(ids),
        np.concatenate(group_of),
        np.concatenate(group_ids),
        np.concatenate(heads),
    )
    offsets = {tax_benefit_system.person_entity.plural: person_offsets}
    for entity in tax_benefit_system.group_entities:
        offsets[entity.plural] = group_offsets
    return simulation, offsets


def _set_inputs(
    tax_benefit_system: TaxBenefitSystem, simulation: Simulation, plans: list[SituationPlan], offsets: Offsets
) -> None:
    """Every plan's inputs, shifted to its rows, as one array per variable and period."""
    counts = {population.entity.plural: population.count for population in simulation.populations.values()}
    merged: dict[tuple[str, str], dict[int, Any]] = {}
    for index, each in enumerate(plans):
        for key, rows in each.inputs.items():
            shift = offsets[tax_benefit_system.variables[key[0]].entity.plural][index]
            target = merged.setdefault(key, {})
            if shift:
                target.update({row + shift: value for row, value in rows.items()})
            else:
                target.update(rows)
    for (name, period_text), rows in merged.items():
        variable = tax_benefit_system.variables[name]
        set_input(simulation, name, period_text, input_column(variable, counts[variable.entity.plural], rows))


def _write_results(
    tax_benefit_system: TaxBenefitSystem, simulation: Simulation, plans: list[SituationPlan], offsets: Offsets
) -> None:
    """Each wanted result (calculated once for all plans) written in place of its ``null``."""
    results: dict[tuple[str, str], list[Any]] = {}
    for index, each in enumerate(plans):
        keys_of: dict[str, list[str]] = {}
        for (plural, name, period_text), rows in each.wanted.items():
            values = results.get((name, period_text))
            if values is None:
                variable = tax_benefit_system.variables[name]
                values = json_values(variable, simulation.calculate(name, parse_period(period_text)))
                results[(name, period_text)] = values
            shift = offsets[plural][index]
            instances = each.situation[plural]
            keys = keys_of.get(plural)
            if keys is None:
                keys = keys_of[plural] = list(instances)
            for row in rows:
                instances[keys[row]][name][period_text] = values[row + shift]
