"""Eligibility for an old-age pension, and why not (ILO C102 Arts 26 and 29)."""

import numpy as np
from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules import formulas
from openfisca_sp.rules.entities import Person
from openfisca_sp.rules.enums import IneligibilityReason as Reason


class old_age_pension_ineligibility_reason(Variable):
    value_type = Enum
    possible_values = Reason
    default_value = Reason.eligible
    entity = Person
    label = "Why the person is not eligible for an old-age pension (eligible if they are)"
    definition_period = DateUnit.MONTH
    documentation = (
        "The first unmet condition, in the order the law checks them: age (the general pensionable age, or the lower "
        "age of arduous work or underground coal mining with the qualifying period, old_age.arduous_work), then "
        "contributions. Not modelled, rather "
        "than refused, below the pensionable age at the age of an early pension whose rules were not found "
        "(early_pension_not_modelled) or with a loss of working capacity for which the law gives a reduced pension "
        "not encoded (reduced_capacity_pension_not_modelled), and below the months required where the law pays "
        "something no source gives (reduced_period_not_modelled, old_age.qualifying_period.refused_below_minimum "
        "false)."
    )

    def formula(person, period, parameters):
        node = formulas.branch(parameters, period, "old_age")
        if node is None:
            return formulas.reason_array(person, Reason.not_modelled)
        if not node.provided:
            return formulas.reason_array(person, Reason.not_provided_by_law)
        conditions, reasons = [], []
        if formulas.has(node, "early_pension", "age_months"):  # an early pension whose rules were not found
            conditions.append(
                person("old_age_early_pension_age_reached", period) & person("old_age_qualifying_period_met", period)
            )
            reasons.append(Reason.early_pension_not_modelled.index)
        if formulas.has(node, "reduced_capacity", "minimum_degree"):  # a reduced pension not encoded
            conditions.append(person("old_age_reduced_capacity_pension_may_apply", period))
            reasons.append(Reason.reduced_capacity_pension_not_modelled.index)
        below = np.logical_not(person("old_age_pensionable_age_reached", period))
        if formulas.has(node, "arduous_work", "minimum_months"):  # the lower age of arduous work, with the period
            below = below & np.logical_not(person("old_age_lower_pensionable_age_reached", period))
        conditions.append(below)
        reasons.append(Reason.below_pensionable_age.index)
        if not _refused_below_minimum(node):  # what the law pays below the months required was not found
            conditions.append(lambda: np.logical_not(person("old_age_qualifying_period_met", period)))
            reasons.append(Reason.reduced_period_not_modelled.index)
        conditions.append(lambda: np.logical_not(person("old_age_qualifying_period_met", period)))
        reasons.append(Reason.insufficient_contributions.index)
        # a condition written ``lambda: …`` is computed for those the ones before leave
        return formulas.first_that_holds(conditions, reasons, default=Reason.eligible.index, person=person)


def _refused_below_minimum(node):
    """Whether a person below the months required is refused (not where the law pays something below them whose
    rules were not found: ``qualifying_period.refused_below_minimum`` false)."""
    if not formulas.has(node, "qualifying_period", "refused_below_minimum"):
        return True
    return bool(node.qualifying_period.refused_below_minimum)


class old_age_pension_eligible(Variable):
    value_type = bool
    entity = Person
    label = "Eligible for an old-age pension"
    definition_period = DateUnit.MONTH

    def formula(person, period):
        reason = person("old_age_pension_ineligibility_reason", period)
        return reason == Reason.eligible
