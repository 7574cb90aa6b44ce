"""Reference wage of maternity benefit (previous earnings, ILO C102 Art 65; C183 Art 6(3))."""

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp import rules
from openfisca_sp.entities import Person


class maternity_reference_wage(Variable):
    value_type = float
    entity = Person
    label = "Reference wage of maternity benefit (monthly)"
    unit = "currency"
    definition_period = DateUnit.MONTH
    reference = "Parameter maternity.reference_wage.averaging_months"

    def formula(person, period, parameters):
        node = rules.branch(parameters, period, "maternity")
        if node is None or not rules.has(node, "reference_wage", "averaging_months"):
            return person.filled_array(0)
        return rules.reference_wage(person, period, node.reference_wage, rules.ceiling_of(parameters, period))
