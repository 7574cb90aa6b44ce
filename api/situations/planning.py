"""The fast-path plan of a situation: read, sizes and periods checked, ready to be executed (maybe with others)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from openfisca_core import periods

from openfisca_sp.api.situations.errors import NotOnFastPathError, SituationError
from openfisca_sp.api.situations.limits import (
    MAX_PERSONS,
    MAX_RESULT_PERIODS,
    check_entities,
    check_result_periods,
    check_size,
    period_problem,
)
from openfisca_sp.api.situations.reading import (
    Inputs,
    Membership,
    Reading,
    Wanted,
    read_situation,
    read_uniform_situation,
)
from openfisca_sp.api.situations.values import (
    Column,
    bounds_of,
    eternity_mismatch,
    joined_values,
    out_of_bounds,
    out_of_bounds_message,
    period_fits,
    period_mismatch,
)
from openfisca_sp.rules.periods import parse_period
from openfisca_sp.rules.periods import period_text as canonical_text

if TYPE_CHECKING:
    from openfisca_core.taxbenefitsystems import TaxBenefitSystem
    from openfisca_core.variables import Variable

    from openfisca_sp.api.situations.uniform import UniformBody


@dataclass
class SituationPlan:
    """A situation read for the fast path: ids, inputs and wanted results by row."""

    situation: dict[str, Any] | UniformBody  # where the results are written
    ids: list[str]
    inputs: Inputs  # (variable, period) -> rows and values
    wanted: Wanted  # (entity plural, variable, period) -> rows
    memberships: dict[str, Membership | None]  # group entity plural -> membership (None: one group per person)
    signature: frozenset  # inputs that plans must share to be merged (see plan_situation)


def plan_situation(
    tax_benefit_system: TaxBenefitSystem,
    situation: Any,
    max_persons: int = MAX_PERSONS,
    max_result_periods: int = MAX_RESULT_PERIODS,
) -> SituationPlan | None:
    """The fast-path plan of a situation, or None if it needs openfisca-core's builder (whose own limits
    :func:`~.reference.reference_calculate` checks).

    Raises :class:`SituationError` for a top-level key that is not an entity, a situation too large, a period
    out of OpenFisca's calendar, a number its variable's array cannot hold, or a result asked for a period its
    variable is not defined for.

    Plans are merged into one simulation only when their signatures are equal: the inputs that replace a
    formula, every input of a variable stated for a period other than its own (openfisca-core spreads
    those over the periods not already stated, so what another plan states would change the result), and
    every input of an eternal variable stated under several periods (each overwrites the others).
    """
    check_entities(tax_benefit_system, situation)
    check_size(situation, max_persons, periods_used=())
    try:
        reading = read_situation(tax_benefit_system, situation)
    except NotOnFastPathError:
        return None
    check_size(situation, max_persons, _periods_used(reading))
    check_result_periods(situation, max_result_periods, _wanted_periods(reading))
    return _planned(tax_benefit_system, situation, reading)


def plan_uniform(
    tax_benefit_system: TaxBenefitSystem, body: UniformBody, max_result_periods: int = MAX_RESULT_PERIODS
) -> SituationPlan | None:
    """The plan of a body whose persons all share one shape (:mod:`.uniform`), or None wherever the usual
    reading must decide: it plans the same situation, or names its error in the request's own terms."""
    try:
        reading = read_uniform_situation(tax_benefit_system, body)
    except (NotOnFastPathError, SituationError):  # a refusal is named by the usual reading
        return None
    if (
        any(map(period_problem, _periods_used(reading)))
        or len(set(_wanted_periods(reading))) > max_result_periods  # refused by the usual reading, at its cell
        or _beyond_bounds(tax_benefit_system.variables, reading.inputs)
    ):
        return None
    try:
        return _planned(tax_benefit_system, body, reading)
    except SituationError:
        return None


def _periods_used(reading: Reading) -> set[str]:
    return {key[-1] for key in reading.inputs} | {key[-1] for key in reading.wanted}


def _wanted_periods(reading: Reading) -> list[str]:
    return [key[-1] for key in reading.wanted]


def _planned(tax_benefit_system: TaxBenefitSystem, situation: Any, reading: Reading) -> SituationPlan | None:
    """A situation's plan from its reading, its periods and numbers checked (see :func:`plan_situation`)."""
    ids, inputs, wanted, memberships = reading
    variables = tax_benefit_system.variables
    spread = _spread_inputs(variables, situation, inputs)
    if spread is None or not _wanted_fit(variables, situation, wanted):
        return None
    _check_bounds(variables, situation, inputs)
    merged = _same_periods_merged(variables, inputs)
    if merged is None:  # a row states one period twice (2024-06 and month:2024-06): refused by the usual reading
        return None
    inputs, overwritten = merged
    signature = frozenset(key for key in inputs if variables[key[0]].formulas or key[0] in spread | overwritten)
    return SituationPlan(situation, ids, inputs, wanted, memberships, signature)


def _spread_inputs(variables: dict[str, Variable], situation: dict[str, Any], inputs: Inputs) -> set[str] | None:
    """The variables stated for a period other than their own (their ``set_input`` spreads them), or None
    when an input must be left to the reference, which reports it with its own message: a period that does
    not fit a variable without ``set_input``, a neutralised variable, a period after the variable's end (the
    reference ignores it). An eternal period for a variable that is not eternal raises :class:`SituationError`
    (the reference's message; it answers 500 when the variable has an end)."""
    spread = set()
    for (name, period_text), column in inputs.items():
        try:
            period = parse_period(period_text)
        except ValueError:
            return None
        variable = variables[name]
        eternal_input = period.unit == periods.DateUnit.ETERNITY
        if eternal_input and variable.definition_period != periods.DateUnit.ETERNITY:
            plural = variable.entity.plural
            raise SituationError(
                [plural, _entity_id(situation, plural, int(column.rows.min())), name, period_text],
                eternity_mismatch(variable),
            )
        if variable.is_neutralized or (variable.end and not eternal_input and period.start.date > variable.end):
            return None
        if not period_fits(variable, period):
            if not variable.set_input:
                return None
            spread.add(name)
    return spread


def _same_periods_merged(variables: dict[str, Variable], inputs: Inputs) -> tuple[Inputs, set[str]] | None:
    """Inputs keyed by their period as openfisca-core writes it (``month:2024-01`` and ``2024-01`` are one
    input: set apart, the second would overwrite the first's rows), and the eternal variables stated under
    several periods (each period overwrites the others' rows, the longest last, as in the reference). An eternal
    variable stated under one period is keyed ``ETERNITY``. None where a row states one period twice."""
    merged: Inputs = {}
    for (name, period_text), column in inputs.items():
        key = (name, canonical_text(period_text))
        target = merged.get(key)
        joined = column if target is None else _joined(target, column)
        if joined is None:
            return None
        merged[key] = joined
    eternal = [name for name, _ in merged if variables[name].definition_period == periods.DateUnit.ETERNITY]
    overwritten = {name for name in eternal if eternal.count(name) > 1}
    for name in set(eternal) - overwritten:
        for key in [key for key in merged if key[0] == name]:
            merged[(name, "ETERNITY")] = merged.pop(key)
    return merged, overwritten


def _joined(first: Column, second: Column) -> Column | None:
    """Two columns of the same input (one period written two ways) as one; None where both state a row."""
    rows = np.concatenate([first.rows, second.rows])
    if len(np.unique(rows)) < len(rows):
        return None
    return Column(rows, joined_values([first.values, second.values]))


def _entity_id(situation: dict[str, Any], plural: str, row: int) -> str:
    return list(situation[plural])[row]


def _beyond_bounds(variables: dict[str, Variable], inputs: Inputs) -> list[tuple[str, int, str, str, Any]]:
    """Each input's first number its variable's array cannot hold: entity plural, row, variable, period, value."""
    found = []
    for (name, period_text), column in inputs.items():
        variable = variables[name]
        if bounds_of(variable) is None:
            continue
        beyond = out_of_bounds(variable, column.values)
        if beyond is not None:
            position, value = beyond
            found.append((variable.entity.plural, int(column.rows[position]), name, period_text, value))
    return found


def _check_bounds(variables: dict[str, Variable], situation: dict[str, Any], inputs: Inputs) -> None:
    """Refuse, with its path, the first number its variable's array cannot hold (int32, float32 or float64): first as
    openfisca-core's builder meets them, entity by entity, then id by id, each id's variables and periods in
    the order it states them."""
    found = _beyond_bounds(variables, inputs)
    if not found:
        return
    plurals = list(situation)

    def met(item: tuple[str, int, str, str, Any]) -> tuple[int, int, int, int]:
        plural, row, name, period_text, _ = item
        stated = situation[plural][_entity_id(situation, plural, row)]
        return plurals.index(plural), row, list(stated).index(name), list(stated[name]).index(period_text)

    plural, row, name, period_text, value = min(found, key=met)
    path = [plural, _entity_id(situation, plural, row), name, period_text]
    raise SituationError(path, out_of_bounds_message(variables[name], value))


def _wanted_fit(variables: dict[str, Variable], situation: dict[str, Any], wanted: Wanted) -> bool:
    """Whether every wanted period can be read (False leaves the fast path); one that does not fit its
    variable raises :class:`SituationError`, with the path of its first ``null``."""
    for plural, name, period_text in wanted:
        try:
            period = parse_period(period_text)
        except ValueError:
            return False
        if not period_fits(variables[name], period):
            entity_id = _entity_id(situation, plural, int(wanted[(plural, name, period_text)].rows[0]))
            raise SituationError([plural, entity_id, name, period_text], period_mismatch(variables[name], period_text))
    return True
