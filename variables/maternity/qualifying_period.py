"""Contributions counted for maternity benefit (ILO C102 Art 51; C183 Art 6(5))."""

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules import formulas
from openfisca_sp.rules.entities import Person


class maternity_contribution_months(Variable):
    value_type = int
    entity = Person
    label = "Months of contributions counted for maternity benefit"
    unit = "month"
    definition_period = DateUnit.MONTH
    reference = "Parameter maternity.qualifying_period.window_months (0 = whole career)"
    documentation = (
        "Months with contributions in the window before the month of confinement that the law names "
        "(e.g. 12 months in Viet Nam), or the whole career where the law names no window."
    )

    def formula(person, period, parameters):
        node = formulas.branch(parameters, period, "maternity")
        if node is None:
            return person("contribution_months", period)
        return formulas.contributions_in_window(person, period, node)


class maternity_qualifying_period_met(Variable):
    value_type = bool
    entity = Person
    label = "Has the contributions required for maternity benefit, for this pregnancy outcome"
    definition_period = DateUnit.MONTH

    def formula(person, period, parameters):
        node = formulas.branch(parameters, period, "maternity")
        if node is None:
            return person.filled_array(False)
        minimum = formulas.by_outcome(person, period, node.qualifying_period.minimum_months)
        return person("maternity_contribution_months", period) >= minimum
