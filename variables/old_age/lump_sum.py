"""Old-age lump sum for those who reach pensionable age without the qualifying period."""

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules import formulas
from openfisca_sp.rules.branches.old_age import LUMP_SUM
from openfisca_sp.rules.entities import Person
from openfisca_sp.rules.enums import IneligibilityReason as Reason


class old_age_lump_sum_modelled(Variable):
    value_type = bool
    entity = Person
    label = "The old-age lump sum is modelled at this date"
    definition_period = DateUnit.MONTH

    def formula(person, period, parameters):
        return person.filled_array(formulas.part_modelled(parameters, period, "old_age", LUMP_SUM))


class old_age_lump_sum(Variable):
    value_type = float
    entity = Person
    label = "Old-age lump sum (paid once)"
    unit = "currency"
    definition_period = DateUnit.MONTH
    documentation = (
        "Paid once to a person at pensionable age whose contribution period is too short for a pension: "
        "months of reference wage per year of contributions (parameter old_age.lump_sum)."
    )

    def formula(person, period, parameters):
        if not formulas.part_modelled(parameters, period, "old_age", LUMP_SUM):
            return person.filled_array(0)
        node = formulas.branch(parameters, period, "old_age")
        reason = person("old_age_pension_ineligibility_reason", period)
        entitled = reason == Reason.insufficient_contributions
        years = formulas.completed_years(person("contribution_months", period))
        amount = node.lump_sum.months_of_wage_per_year * years * person("old_age_reference_wage", period)
        return formulas.amount_paid(person, amount, entitled)
