"""Qualifying period for an old-age pension (ILO C102 Art 29; national laws)."""

import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules import formulas
from openfisca_sp.rules.entities import Person


class old_age_qualifying_period_met(Variable):
    value_type = bool
    entity = Person
    label = "Has completed the minimum contribution period for an old-age pension"
    definition_period = DateUnit.MONTH
    reference = "Parameter old_age.qualifying_period.minimum_months"

    def formula(person, period, parameters):
        node = formulas.branch(parameters, period, "old_age")
        if node is None or not formulas.has(node, "qualifying_period", "minimum_months"):
            return person.filled_array(False)
        minimum = formulas.by_sex(node.qualifying_period.minimum_months, formulas.is_female(person, period))
        mothers = formulas.reduced_conditions_for_mothers(parameters, period)
        if mothers is not None:
            reduced = person("old_age_reduced_conditions_met", period)
            minimum = np.where(reduced, np.minimum(minimum, mothers.minimum_months), minimum)
        return person("contribution_months", period) >= minimum
