"""Whether a social pension decision rests on an unverified value."""

import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules import formulas
from openfisca_sp.rules.branches import BRANCHES
from openfisca_sp.rules.entities import Person
from openfisca_sp.rules.enums import IneligibilityReason as Reason
from openfisca_sp.rules.legal_basis import legal_basis
from openfisca_sp.rules.recording import reached_in

OLD_AGE_CONDITIONS = [reason.index for condition in BRANCHES["old_age"].conditions for reason in condition.reasons]


class social_pension_provisional(Variable):
    value_type = bool
    entity = Person
    label = "The social pension decision depends on an unverified value (provisional)"
    definition_period = DateUnit.MONTH
    documentation = (
        "Its own values (those the deciding condition rests on), and those of the decisions it reads: the old-age "
        "pension's decision for a person granted it (its reason's values, not those of a lump sum owed on it); the "
        "old-age pension's conditions (not its amount) for a person refused as entitled to one, and its pensionable "
        "age for one refused for that age where the law sets no age of its own; the disability allowance's for one "
        "refused for a higher allowance, or granted it."
    )

    def formula(person, period, parameters):
        own = formulas.provisional(person, period, "social_pension")
        reason = person("social_pension_ineligibility_reason", period)
        granted = reason == Reason.eligible
        found = own.copy()
        if formulas.unverified(person, period, "old_age"):
            # the old-age decision it follows, not that decision's lump sum (its values, its months before 2014
            # assumed): a lump sum owed on a refusal decides nothing of the social pension
            rows = np.flatnonzero(granted)
            found[rows] |= _old_age_decision_basis(person, period, rows)
            entitled = _old_age_basis(person, period, OLD_AGE_CONDITIONS)
            found |= (reason == Reason.receives_contributory_pension) & entitled
            node = formulas.branch(parameters, period, "social_pension")
            if node is not None and not formulas.has(node, "minimum_age_months"):  # the age is the pensionable age
                found |= (reason == Reason.below_pensionable_age) & _old_age_basis(
                    person, period, [Reason.below_pensionable_age.index]
                )
        if formulas.unverified(person, period, "disability"):
            allowance = granted | (reason == Reason.receives_higher_social_allowance)
            found |= allowance & person("disability_benefit_provisional", period)
        return found


def _old_age_by_sex(person, period) -> np.ndarray:
    """(men, women) x old-age decision key: whether the decision rests on an unverified value, for each sex (a value
    the law sets by sex counts for that sex only), on the rules day of ``period``."""
    day = str(formulas.rules_instant(person, period))
    reached_in(person.simulation, ["old_age", "insured_wage", "reference_amounts"])  # what legal_basis reads
    return legal_basis(person.simulation.tax_benefit_system, "old_age", day).provisional_by_sex


def _old_age_decision_basis(person, period, rows: np.ndarray) -> np.ndarray:
    """Whether the old-age decision of each person at ``rows`` rests on an unverified value, its reason's values alone
    (not those of a lump sum owed on it), for the person's sex."""
    by_sex = _old_age_by_sex(person, period)
    reason = np.asarray(person("old_age_pension_ineligibility_reason", period))[rows]
    return np.where(formulas.is_female(person, period)[rows], by_sex[1, reason], by_sex[0, reason])


def _old_age_basis(person, period, reasons: list[int]) -> np.ndarray:
    """Whether an old-age decision for one of ``reasons`` rests on an unverified value, for each person's sex."""
    men, women = _old_age_by_sex(person, period)[:, reasons].any(1)
    if men == women:
        return np.full(person.count, bool(men))
    return np.where(formulas.is_female(person, period), women, men)
