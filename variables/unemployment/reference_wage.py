"""Reference wage of unemployment benefit (previous earnings, ILO C102 Art 65)."""

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules import formulas
from openfisca_sp.rules.entities import Person


class unemployment_reference_wage(Variable):
    value_type = float
    entity = Person
    label = "Reference wage of unemployment benefit (monthly)"
    unit = "currency"
    definition_period = DateUnit.MONTH
    reference = "Parameter unemployment.reference_wage.averaging_months"
    documentation = (
        "Average insured wage of the months before the month evaluated (registration month), or of those up to "
        "the end of the labour contract where it is stated (Viet Nam Employment Law 2013 Art 50(1): the 6 "
        "months before unemployment)."
    )

    def formula(person, period, parameters):
        node = formulas.branch(parameters, period, "unemployment")
        if node is None or not formulas.has(node, "reference_wage", "averaging_months"):
            return person.filled_array(0)
        ended = person("employment_end_date", period)
        ceiling = formulas.branch_ceiling(person, period, parameters, "unemployment", node.reference_wage)
        return formulas.reference_wage(person, period, node.reference_wage, ceiling, ended)
