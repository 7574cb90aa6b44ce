"""Whether an unemployment decision rests on an unverified parameter."""

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules import formulas
from openfisca_sp.rules.entities import Person


class unemployment_benefit_provisional(Variable):
    value_type = bool
    entity = Person
    label = "The unemployment decision depends on an unverified parameter or an unknown date (provisional)"
    definition_period = DateUnit.MONTH
    documentation = (
        "Provisional when the decision's legal basis holds an unverified value, or where the benefit's maximum "
        "rests on an unverified amount or an unstated end of the contract (unemployment_benefit_maximum_provisional)."
    )

    def formula(person, period):
        provisional = formulas.provisional(person, period, "unemployment")
        return provisional | person("unemployment_benefit_maximum_provisional", period)
