"""Insured wage of a month: the earnings on which contributions were paid."""

from openfisca_core.holders import set_input_dispatch_by_period
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules.entities import Person


class insured_wage(Variable):
    value_type = float
    entity = Person
    label = "Insured wage of the month (earnings on which contributions were paid)"
    unit = "currency"
    definition_period = DateUnit.MONTH
    set_input = set_input_dispatch_by_period
    documentation = (
        "Monthly insured wage history, in the jurisdiction's currency, before any ceiling "
        "(the rules apply the insurable-earnings ceiling in force). 0 for a month without contributions. "
        'A value given for a year ("2023": 2500000) is the wage of each of its months, not the year\'s total: '
        "the law cases state a steady wage so."
    )
