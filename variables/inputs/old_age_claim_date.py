"""Date of retirement or of the claim for an old-age pension."""

from datetime import date

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules.entities import Person


class old_age_claim_date(Variable):
    value_type = date
    default_value = date(1970, 1, 1)
    entity = Person
    label = "Date of retirement or of the claim for an old-age pension"
    definition_period = DateUnit.MONTH
    documentation = (
        "The date an old-age claim is decided on: the pensionable age is tested on it and the rules in force "
        "on it apply. Not stated (the default, 1970-01-01), a claim is made on the date asked (as_of)."
    )
