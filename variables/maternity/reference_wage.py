"""Reference wage of maternity benefit (previous earnings, ILO C102 Art 65; C183 Art 6(3))."""

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules import formulas
from openfisca_sp.rules.entities import Person


class maternity_reference_wage(Variable):
    value_type = float
    entity = Person
    label = "Reference wage of maternity benefit (monthly)"
    unit = "currency"
    definition_period = DateUnit.MONTH
    reference = "Parameter maternity.reference_wage.averaging_months"

    def formula(person, period, parameters):
        node = formulas.branch(parameters, period, "maternity")
        if node is None or not formulas.has(node, "reference_wage", "averaging_months"):
            return person.filled_array(0)
        return formulas.reference_wage(
            person,
            period,
            node.reference_wage,
            formulas.branch_ceiling(person, period, parameters, "maternity", node.reference_wage),
        )
