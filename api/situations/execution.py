"""Executing plans: several situations as one simulation, each getting its own results written back."""

from __future__ import annotations

from collections import deque
from itertools import chain, repeat
from typing import TYPE_CHECKING, Any

import numpy as np
from openfisca_core.errors import ParameterNotFoundError, PeriodMismatchError
from openfisca_core.simulations import Simulation

from openfisca_sp.api.situations.errors import SituationError
from openfisca_sp.api.situations.limits import MAX_PERSONS, MAX_REFERENCE_VALUES, MAX_RESULT_PERIODS
from openfisca_sp.api.situations.planning import SituationPlan, plan_situation, plan_uniform
from openfisca_sp.api.situations.reference import reference_calculate
from openfisca_sp.api.situations.uniform import MIN_BYTES, UniformBody, read_uniform
from openfisca_sp.api.situations.values import Column, input_column, joined_values, json_values
from openfisca_sp.rules.cached_reads import RulesSimulation, cached_read_populations
from openfisca_sp.rules.periods import parse_period, period_size
from openfisca_sp.rules.simulations import dismantle, set_input

if TYPE_CHECKING:
    from openfisca_core.taxbenefitsystems import TaxBenefitSystem

Offsets = dict[str, list[int]]
"""entity plural -> each plan's first row in the merged simulation (increasing)"""


def calculate(
    tax_benefit_system: TaxBenefitSystem,
    situation: Any,
    max_persons: int = MAX_PERSONS,
    max_reference_values: int = MAX_REFERENCE_VALUES,
    max_result_periods: int = MAX_RESULT_PERIODS,
) -> dict[str, Any]:
    """The situation with every ``null`` replaced by its computed value (on the fast path when possible)."""
    planned = plan_situation(tax_benefit_system, situation, max_persons, max_result_periods)
    if planned is None:
        return reference_calculate(tax_benefit_system, situation, max_persons, max_reference_values, max_result_periods)
    return execute(tax_benefit_system, [planned])[0]


def calculate_uniform(
    tax_benefit_system: TaxBenefitSystem,
    raw: bytes,
    max_persons: int = MAX_PERSONS,
    min_bytes: int = MIN_BYTES,
    max_result_periods: int = MAX_RESULT_PERIODS,
) -> UniformBody | None:
    """The body ``raw`` (JSON) with its results, where its persons all share one shape (:mod:`.uniform`; its
    ``answer()`` is the body, each ``null`` replaced by its result), or None where it must be parsed as usual
    (:func:`calculate`). An error of the rules is raised as :func:`calculate` raises it."""
    body = read_uniform(raw, tax_benefit_system.person_entity.plural, max_persons, min_bytes)
    plan = None if body is None else plan_uniform(tax_benefit_system, body, max_result_periods)
    if plan is None:
        return None
    execute(tax_benefit_system, [plan])
    return body


def execute(tax_benefit_system: TaxBenefitSystem, plans: list[SituationPlan]) -> list[dict[str, Any]]:
    """Evaluate plans with the same signature as one simulation; each situation gets its own results."""
    simulation, offsets = _merged_simulation(tax_benefit_system, plans)
    _set_inputs(tax_benefit_system, simulation, plans, offsets)
    _write_results(tax_benefit_system, simulation, plans, offsets)
    dismantle(simulation)  # freed when answered, not by the cycle collector some requests later
    return [each.situation for each in plans]


def _merged_simulation(tax_benefit_system: TaxBenefitSystem, plans: list[SituationPlan]) -> tuple[Simulation, Offsets]:
    """An empty simulation of the plans' persons one after the other, in their groups of each group entity
    (one per person, in its first role, where a situation leaves the entity out, as openfisca-core does),
    and where each plan's rows start in each entity."""
    populations = cached_read_populations(tax_benefit_system.instantiate_entities())
    persons = populations[tax_benefit_system.person_entity.key]
    counts = [len(each.ids) for each in plans]
    persons.ids = np.array(list(chain.from_iterable(each.ids for each in plans)))
    persons.count = len(persons.ids)
    offsets = {tax_benefit_system.person_entity.plural: np.cumsum([0, *counts[:-1]]).tolist()}
    person_offsets = offsets[tax_benefit_system.person_entity.plural]
    for entity in tax_benefit_system.group_entities:
        group_of, group_ids, roles, starts = [], [], [], []
        groups = 0
        for each, count, first in zip(plans, counts, person_offsets, strict=True):
            starts.append(groups)
            membership = each.memberships.get(entity.plural)
            if membership is None:
                default = np.empty(count, dtype=object)
                default.fill(entity.flattened_roles[0])
                membership = (np.arange(count), persons.ids[first : first + count], default)
            members_of, names, role_of = membership
            group_of.append(members_of + groups)
            group_ids.append(names)
            roles.append(role_of)
            groups += len(names)
        population = populations[entity.key]
        population.ids = np.concatenate(group_ids)
        population.count = groups
        population.members_entity_id = np.concatenate(group_of)
        population._members_role = np.concatenate(roles)  # as openfisca-core's builder sets it, without a copy
        offsets[entity.plural] = starts
    return RulesSimulation(tax_benefit_system, populations), offsets


def _set_inputs(
    tax_benefit_system: TaxBenefitSystem, simulation: Simulation, plans: list[SituationPlan], offsets: Offsets
) -> None:
    """Every plan's inputs, shifted to its rows, as one array per variable and period; the shorter periods
    first, as openfisca-core's builder does (a year's value is then spread over its months not stated).

    An input that openfisca-core refuses (a year that does not add up to the months stated) raises
    :class:`SituationError` with the path of its first value."""
    counts = {population.entity.plural: population.count for population in simulation.populations.values()}
    merged: dict[tuple[str, str], list[Column]] = {}
    for index, each in enumerate(plans):
        for key, column in each.inputs.items():
            shift = offsets[tax_benefit_system.variables[key[0]].entity.plural][index]
            merged.setdefault(key, []).append(Column(column.rows + shift, column.values) if shift else column)
    for name, period_text in sorted(merged, key=lambda key: period_size(key[1])):
        variable = tax_benefit_system.variables[name]
        columns = merged[(name, period_text)]
        column = columns[0]
        if len(columns) > 1:
            rows = np.concatenate([each.rows for each in columns])
            column = Column(rows, joined_values([each.values for each in columns]))
        try:
            set_input(simulation, name, period_text, input_column(variable, counts[variable.entity.plural], column))
        except (ValueError, PeriodMismatchError) as error:
            plural = variable.entity.plural
            row = int(column.rows.min())
            index = int(np.searchsorted(offsets[plural], row, side="right")) - 1
            entity_id = list(plans[index].situation[plural])[row - offsets[plural][index]]
            message = getattr(error, "message", None) or str(error)
            raise SituationError([plural, entity_id, name, period_text], message.replace("\n", " ")) from None


def _write_results(
    tax_benefit_system: TaxBenefitSystem, simulation: Simulation, plans: list[SituationPlan], offsets: Offsets
) -> None:
    """Each wanted result (calculated once for all plans) written in place of its ``null``; every result is
    calculated before any is written, so that a failure leaves the situations as they came (and a batch
    that fails can be evaluated again, request by request)."""
    results: dict[tuple[str, str], list[Any]] = {}
    writes: list[tuple[SituationPlan, Any, str, list[Any]]] = []
    for index, each in enumerate(plans):
        for (plural, name, period_text), cells in each.wanted.items():
            values = results.get((name, period_text))
            if values is None:
                variable = tax_benefit_system.variables[name]
                try:
                    values = json_values(variable, simulation.calculate(name, parse_period(period_text)))
                except ParameterNotFoundError as error:  # a period the legislation does not cover
                    entity_id = list(each.situation[plural])[int(cells.rows[0])]
                    raise SituationError([plural, entity_id, name, period_text], str(error)) from None
                results[(name, period_text)] = values
            shift = offsets[plural][index]
            if shift == 0 and len(cells.rows) == len(values):  # every row, in order
                picked = values
            else:
                picked = list(map(values.__getitem__, (cells.rows + shift).tolist()))
            writes.append((each, cells.targets, period_text, picked))
    for each, targets, period_text, picked in writes:
        if isinstance(each.situation, UniformBody):
            each.situation.fill(targets, picked)
            continue
        # each {period: null} gets its result, in a C loop (deque consumes the map without keeping anything)
        deque(map(dict.__setitem__, targets, repeat(period_text), picked), maxlen=0)
