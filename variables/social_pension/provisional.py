"""Whether a social pension decision rests on an unverified value."""

import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules import formulas
from openfisca_sp.rules.entities import Person
from openfisca_sp.rules.enums import IneligibilityReason as Reason


class social_pension_provisional(Variable):
    value_type = bool
    entity = Person
    label = "The social pension decision depends on an unverified value (provisional)"
    definition_period = DateUnit.MONTH
    documentation = (
        "Its own values (those the deciding condition rests on), and the decisions it reads: the old-age pension's "
        "for a person granted it or refused as entitled to one, or refused for the pensionable age where the "
        "law sets no age of its own; and the disability benefit's for one refused for a higher social allowance."
    )

    def formula(person, period, parameters):
        own = formulas.provisional(person, period, "social_pension")
        reason = person("social_pension_ineligibility_reason", period)
        granted = reason == Reason.eligible
        old_age = granted | (reason == Reason.receives_contributory_pension)
        node = formulas.branch(parameters, period, "social_pension")
        if node is not None and not formulas.has(node, "minimum_age_months"):  # the age is the pensionable age
            old_age |= reason == Reason.below_pensionable_age
        if formulas.unverified(person, period, "old_age"):
            old_age &= person("old_age_pension_provisional", period)
        else:
            old_age = np.zeros(person.count, dtype=bool)
        allowance = granted | (reason == Reason.receives_higher_social_allowance)
        if formulas.unverified(person, period, "disability"):
            allowance &= person("disability_benefit_provisional", period)
        else:
            allowance = np.zeros(person.count, dtype=bool)
        return own | old_age | allowance
