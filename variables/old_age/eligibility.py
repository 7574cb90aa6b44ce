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
    documentation = "The first unmet condition, in the order the law checks them: age, then contributions."

    def formula(person, period, parameters):
        node = formulas.branch(parameters, period, "old_age")
        if node is None:
            return formulas.reason_array(person, Reason.not_modelled)
        if not node.provided:
            return formulas.reason_array(person, Reason.not_provided_by_law)
        return formulas.first_that_holds(
            [
                np.logical_not(person("old_age_pensionable_age_reached", period)),
                lambda: np.logical_not(person("old_age_qualifying_period_met", period)),
            ],
            [Reason.below_pensionable_age.index, Reason.insufficient_contributions.index],
            default=Reason.eligible.index,
            person=person,  # a condition written ``lambda: …`` is computed for those the ones before leave
        )


class old_age_pension_eligible(Variable):
    value_type = bool
    entity = Person
    label = "Eligible for an old-age pension"
    definition_period = DateUnit.MONTH

    def formula(person, period):
        reason = person("old_age_pension_ineligibility_reason", period)
        return reason == Reason.eligible
