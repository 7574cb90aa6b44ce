"""Reference wage of an earnings-related disability pension (ILO C102 Art 65)."""

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp import rules
from openfisca_sp.entities import Person


class disability_reference_wage(Variable):
    value_type = float
    entity = Person
    label = "Reference wage of the disability benefit (monthly; 0 for a flat-rate benefit)"
    unit = "currency"
    definition_period = DateUnit.MONTH

    def formula(person, period, parameters):
        node = rules.branch(parameters, period, "disability")
        if node is None or not rules.has(node, "reference_wage", "averaging_months"):
            return person.filled_array(0)
        return rules.reference_wage(person, period, node.reference_wage, rules.ceiling_of(parameters, period))
