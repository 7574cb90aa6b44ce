"""The fast-path plan of a situation: read, sizes and periods checked, ready to be executed (maybe with others)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from openfisca_sp.api.situations.errors import NotOnFastPathError, SituationError
from openfisca_sp.api.situations.limits import MAX_PERSONS, check_size
from openfisca_sp.api.situations.reading import Inputs, Membership, Wanted, read_situation
from openfisca_sp.api.situations.values import period_fits, period_mismatch
from openfisca_sp.rules.periods import parse_period

if TYPE_CHECKING:
    from openfisca_core.taxbenefitsystems import TaxBenefitSystem
    from openfisca_core.variables import Variable


@dataclass
class SituationPlan:
    """A situation read for the fast path: ids, inputs and wanted results by row."""

    situation: dict[str, Any]
    ids: list[str]
    inputs: Inputs  # (variable, period) -> row -> value
    wanted: Wanted  # (entity plural, variable, period) -> rows
    households: Membership | None
    signature: frozenset  # inputs that replace a formula: plans merge only when these are the same


def plan_situation(
    tax_benefit_system: TaxBenefitSystem, situation: Any, max_persons: int = MAX_PERSONS
) -> SituationPlan | None:
    """The fast-path plan of a situation, or None if it needs openfisca-core's builder.

    Raises :class:`SituationError` for a situation too large, or a result asked for a period its
    variable is not defined for.
    """
    check_size(situation, max_persons, periods_used=())
    try:
        ids, inputs, wanted, memberships = read_situation(tax_benefit_system, situation)
    except NotOnFastPathError:
        check_size(situation, max_persons)
        return None
    check_size(situation, max_persons, {key[-1] for key in inputs} | {key[-1] for key in wanted})
    variables = tax_benefit_system.variables
    if not _inputs_fit(variables, inputs) or not _wanted_fit(variables, situation, wanted):
        return None
    signature = frozenset(key for key in inputs if variables[key[0]].formulas)
    return SituationPlan(situation, ids, inputs, wanted, memberships.get("households"), signature)


def _inputs_fit(variables: dict[str, Variable], inputs: Inputs) -> bool:
    """Whether every input's period can be set on its variable (the reference reports a mismatch with its
    own message, so an input that does not fit, or a neutralised variable, leaves the fast path)."""
    for name, period_text in inputs:
        try:
            period = parse_period(period_text)
        except ValueError:
            return False
        variable = variables[name]
        if (not period_fits(variable, period) and not variable.set_input) or variable.is_neutralized:
            return False
    return True


def _wanted_fit(variables: dict[str, Variable], situation: dict[str, Any], wanted: Wanted) -> bool:
    """Whether every wanted period can be read (False leaves the fast path); one that does not fit its
    variable raises :class:`SituationError`, with the path of its first ``null``."""
    for plural, name, period_text in wanted:
        try:
            period = parse_period(period_text)
        except ValueError:
            return False
        if not period_fits(variables[name], period):
            entity_id = list(situation[plural])[wanted[(plural, name, period_text)][0]]
            raise SituationError([plural, entity_id, name, period_text], period_mismatch(variables[name], period_text))
    return True
