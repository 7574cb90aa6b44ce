"""Reference wage of an earnings-related disability pension (ILO C102 Art 65)."""

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules import formulas
from openfisca_sp.rules.entities import Person


class disability_reference_wage(Variable):
    value_type = float
    entity = Person
    label = "Reference wage of the disability benefit (monthly; 0 for a flat-rate benefit)"
    unit = "currency"
    definition_period = DateUnit.MONTH

    def formula(person, period, parameters):
        node = formulas.branch(parameters, period, "disability")
        if node is None or not formulas.has(node, "reference_wage", "averaging_months"):
            return person.filled_array(0)
        return formulas.reference_wage(
            person,
            period,
            node.reference_wage,
            formulas.branch_ceiling(person, period, parameters, "disability", node.reference_wage),
        )
