"""Reference wage of the old-age pension (ILO C102 Art 65: previous earnings)."""

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules import formulas
from openfisca_sp.rules.entities import Person


class old_age_reference_wage(Variable):
    value_type = float
    entity = Person
    label = "Reference wage of the old-age pension (monthly)"
    unit = "currency"
    definition_period = DateUnit.MONTH
    reference = "Parameter old_age.reference_wage.averaging_months (0 = whole-career average)"
    documentation = (
        "Average of the monthly insured wage, each month capped at the insurable-earnings ceiling, over the "
        "months before the month evaluated that the law names; or the insurer's whole-career average."
    )

    def formula(person, period, parameters):
        node = formulas.branch(parameters, period, "old_age")
        if node is None or not formulas.has(node, "reference_wage", "averaging_months"):
            return person.filled_array(0)
        return formulas.reference_wage(
            person,
            period,
            node.reference_wage,
            formulas.branch_ceiling(person, period, parameters, "old_age", node.reference_wage),
        )
