"""The pension capital credited to an insured person (Tajikistan's insurance part is computed from it)."""

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules.entities import Person


class pension_capital(Variable):
    value_type = float
    entity = Person
    label = "Pension capital: the insurance contributions credited to the insured person, in currency"
    unit = "currency"
    definition_period = DateUnit.MONTH
    reference = "https://www.atlashxm.com/countries/tajikistan"
    documentation = (
        "The notional capital of the insured person's individual record, as the pension institution holds it at "
        "the claim (Tajikistan, Law 'On insurance and state pensions' of 12 January 2010: the insurance part of "
        "the pension is this capital divided by a number of months). Not computed from wages: it is a fact of "
        "the insured person's record."
    )
