"""Date of the assessment of a disability."""

from datetime import date

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules.entities import Person


class disability_assessment_date(Variable):
    value_type = date
    default_value = date(1970, 1, 1)
    entity = Person
    label = "Date of the assessment of the disability (medical board or disability registry)"
    definition_period = DateUnit.MONTH
    documentation = (
        "The date a disability claim is decided on: the rules in force on it apply. Not stated (the default, "
        "1970-01-01), a claim is decided on the date asked (as_of)."
    )
