"""Contributions in the window before unemployment (ILO C102 Art 23; national laws)."""

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules import formulas
from openfisca_sp.rules.entities import Person


class unemployment_contribution_months(Variable):
    value_type = int
    entity = Person
    label = "Months of contributions in the qualifying window before unemployment"
    unit = "month"
    definition_period = DateUnit.MONTH
    reference = (
        "Parameter unemployment.qualifying_period.window_months (0 = whole career), ending with the end of the "
        "labour contract where stated (Viet Nam Employment Law 2013 Art 49(2)); Art 45: contributions used by "
        "an earlier benefit do not count"
    )

    def formula(person, period, parameters):
        node = formulas.branch(parameters, period, "unemployment")
        if node is None:
            return person("unemployment_contribution_months_unused", period)
        earlier = person("previous_unemployment_separation_date", period)  # months up to it were used
        ended = person("employment_end_date", period)  # Art 49(2): the 24 months before the contract ended
        return formulas.contributions_in_window(
            person, period, node, "unemployment_contribution_months_unused", earlier, ended
        )


class unemployment_qualifying_period_met(Variable):
    value_type = bool
    entity = Person
    label = "Has the contributions required for unemployment benefit"
    definition_period = DateUnit.MONTH

    def formula(person, period, parameters):
        node = formulas.branch(parameters, period, "unemployment")
        if node is None or not formulas.has(node, "qualifying_period", "minimum_months"):
            return person.filled_array(False)
        return person("unemployment_contribution_months", period) >= node.qualifying_period.minimum_months
