"""Replacement rate of the old-age pension by years of contributions (ILO C102 Art 29, Schedule)."""

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules import formulas, replacement_rates
from openfisca_sp.rules.branches import AMOUNT
from openfisca_sp.rules.entities import Person


class old_age_pension_amount_modelled(Variable):
    value_type = bool
    entity = Person
    label = "The law's formula for the old-age pension amount is modelled at this date"
    definition_period = DateUnit.MONTH

    reference = "The branch catalogue (openfisca_sp/rules/branches/old_age.py): what the amount needs"

    def formula(person, period, parameters):
        return formulas.modelled_where_read(person, period, parameters, "old_age", AMOUNT, "old_age_pension")


class old_age_replacement_rate(Variable):
    value_type = float
    entity = Person
    label = "Replacement rate of the old-age pension"
    unit = "/1"
    definition_period = DateUnit.MONTH
    reference = "Parameters old_age.replacement_rate (base_rate, base_years, accrual, maximum)"

    def formula(person, period, parameters):
        return replacement_rates.old_age_rate(person, period, parameters)
