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

    documentation = (
        "Also where the reference wage averages fewer latest months with contributions than the law does because "
        "the earlier ones lie before the months read (maternity_reference_wage_short_history), for an eligible woman."
    )

    def formula(person, period):
        short = person("maternity_reference_wage_short_history", period) & person("maternity_benefit_eligible", period)
        return formulas.provisional(person, period, "maternity") | short
