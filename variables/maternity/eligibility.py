"""Eligibility for maternity benefit, and why not (ILO C102 Arts 47-51; C183 Arts 4-6)."""

import numpy as np
from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules import formulas
from openfisca_sp.rules.entities import Person
from openfisca_sp.rules.enums import IneligibilityReason as Reason
from openfisca_sp.rules.enums import PregnancyOutcome


class maternity_benefit_ineligibility_reason(Variable):
    value_type = Enum
    possible_values = Reason
    default_value = Reason.eligible
    entity = Person
    label = "Why the person is not eligible for maternity benefit (eligible if she is)"
    definition_period = DateUnit.MONTH
    documentation = (
        "Checked in order: an insured woman, a confinement recorded, an outcome whose rules are modelled (not "
        "modelled otherwise: the research did not read them), then the contributions required for that outcome (or "
        "the lower minimum of a woman who had to rest during her pregnancy on a medical prescription, where the law "
        "sets one)."
    )

    def formula(person, period, parameters):
        node = formulas.branch(parameters, period, "maternity")
        if node is None:
            return formulas.reason_array(person, Reason.not_modelled)
        if not node.provided:
            return formulas.reason_array(person, Reason.not_provided_by_law)
        outcome = person("pregnancy_outcome", period)
        by_outcome = node.qualifying_period.minimum_months  # the outcomes whose rules are modelled
        window = int(node.qualifying_period.window_months)
        short = Reason.insufficient_recent_contributions if window else Reason.insufficient_contributions
        return formulas.first_that_holds(
            [
                np.logical_not(formulas.is_female(person, period)),
                outcome == PregnancyOutcome.none,
                lambda: np.logical_not(formulas.outcome_modelled(person, period, by_outcome)),
                lambda: np.logical_not(_qualifying_period_met(person, period)),
            ],
            [Reason.not_female.index, Reason.no_confinement.index, Reason.outcome_not_modelled.index, short.index],
            default=Reason.eligible.index,
            person=person,  # a condition written ``lambda: …`` is computed for those the ones before leave
        )


def _qualifying_period_met(person, period):
    """The general minimum met, or the lower one after a prescribed rest during pregnancy (where the law sets it)."""
    general = person("maternity_qualifying_period_met", period)
    return general | person("maternity_prescribed_rest_qualifying_period_met", period)


class maternity_benefit_eligible(Variable):
    value_type = bool
    entity = Person
    label = "Eligible for maternity benefit"
    definition_period = DateUnit.MONTH

    def formula(person, period):
        return person("maternity_benefit_ineligibility_reason", period) == Reason.eligible
