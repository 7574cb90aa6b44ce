"""Date of the written request for the social pension."""

from datetime import date

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules.entities import Person


class social_pension_claim_date(Variable):
    value_type = date
    default_value = date(1970, 1, 1)
    entity = Person
    label = "Date of the written request for the social pension (1970-01-01: not stated)"
    definition_period = DateUnit.MONTH
    reference = "Viet Nam, Law on Social Insurance No. 41/2024/QH15, Art 21(1)(c): a written request (văn bản đề nghị)"
    documentation = (
        "The date a social pension claim is decided on: the age is taken on it and the rules in force on it apply, "
        "and the pension is paid from it (a reading: the month Decree 176/2025/ND-CP pays from was not read). Not "
        "stated (the default), the claim is decided and paid from the date asked (as_of), which the schedule's method "
        "says stands for it."
    )
