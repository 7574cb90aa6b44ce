"""Date of registration as unemployed with the employment service."""

from datetime import date

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules.entities import Person


class unemployment_registration_date(Variable):
    value_type = date
    default_value = date(1970, 1, 1)
    entity = Person
    label = "Date of registration as unemployed"
    definition_period = DateUnit.MONTH
    documentation = (
        "Date the person registered as unemployed (or filed the claim) with the employment service. "
        "The default (1970-01-01) means not registered."
    )
