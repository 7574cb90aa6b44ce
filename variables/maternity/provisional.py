"""Whether a maternity decision rests on an unverified parameter."""

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules import formulas
from openfisca_sp.rules.entities import Person


class maternity_benefit_provisional(Variable):
    value_type = bool
    entity = Person
    label = "The maternity decision depends on an unverified parameter (provisional)"
    definition_period = DateUnit.MONTH

    def formula(person, period):
        return formulas.provisional(person, period, "maternity")
