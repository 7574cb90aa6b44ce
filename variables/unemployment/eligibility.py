"""Eligibility for unemployment benefit, and why not (ILO C102 Arts 20-24; C168)."""

import numpy as np
from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules import formulas
from openfisca_sp.rules.entities import Person
from openfisca_sp.rules.enums import IneligibilityReason as Reason
from openfisca_sp.rules.enums import SeparationReason


class unemployment_benefit_ineligibility_reason(Variable):
    value_type = Enum
    possible_values = Reason
    default_value = Reason.eligible
    entity = Person
    label = "Why the person is not eligible for unemployment benefit (eligible if they are)"
    definition_period = DateUnit.MONTH
    documentation = (
        "Checked in order: separated from employment, for a reason the law covers, registered as unemployed "
        "(for the minimum number of days where the law sets one), within the time limit for claiming (where "
        "the law sets one), capable of and available for work, "
        "then the contributions in the qualifying window."
    )

    def formula(person, period, parameters):
        node = formulas.branch(parameters, period, "unemployment")
        if node is None:
            return formulas.reason_array(person, Reason.not_modelled)
        if not node.provided:
            return formulas.reason_array(person, Reason.not_provided_by_law)
        separation = person("separation_reason", period)
        minimum_days = node.minimum_days_unemployed if formulas.has(node, "minimum_days_unemployed") else 1
        window = int(node.qualifying_period.window_months)
        short = Reason.insufficient_recent_contributions if window else Reason.insufficient_contributions
        return formulas.first_that_holds(
            [
                separation == SeparationReason.not_separated,
                np.logical_not(formulas.enum_in(separation, node.covered_separation_reasons)),
                lambda: person("days_registered_unemployed", period) <= 0,
                lambda: person("days_registered_unemployed", period) < minimum_days,
                lambda: np.logical_not(person("unemployment_claim_in_time", period)),
                lambda: np.logical_not(person("is_available_for_work", period)),
                lambda: np.logical_not(person("unemployment_qualifying_period_met", period)),
            ],
            [
                Reason.not_separated.index,
                Reason.separation_reason_not_covered.index,
                Reason.not_registered_unemployed.index,
                Reason.unemployment_too_short.index,
                Reason.claim_out_of_time.index,
                Reason.not_available_for_work.index,
                short.index,
            ],
            default=Reason.eligible.index,
            person=person,  # a condition written ``lambda: …`` is computed for those the ones before leave
        )


class unemployment_benefit_eligible(Variable):
    value_type = bool
    entity = Person
    label = "Eligible for unemployment benefit"
    definition_period = DateUnit.MONTH

    def formula(person, period):
        return person("unemployment_benefit_ineligibility_reason", period) == Reason.eligible
