"""Whether contributions were paid for a month."""

from openfisca_core.holders import set_input_dispatch_by_period
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules.entities import Person


class contributed_in_month(Variable):
    value_type = bool
    entity = Person
    label = "Contributions were paid for this month"
    definition_period = DateUnit.MONTH
    set_input = set_input_dispatch_by_period
    documentation = "Defaults to an insured wage above zero in the month; may be given directly."

    def formula(person, period):
        return person("insured_wage", period) > 0
