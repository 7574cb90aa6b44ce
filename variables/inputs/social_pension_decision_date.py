"""Date the commune chairman signed the decision granting the social pension."""

from datetime import date

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules.entities import Person


class social_pension_decision_date(Variable):
    value_type = date
    default_value = date(1970, 1, 1)
    entity = Person
    label = "Date the commune chairman signed the decision granting the social pension (1970-01-01: not stated)"
    definition_period = DateUnit.MONTH
    reference = (
        "Viet Nam, Decree No. 335/2026/ND-CP, Art 31(2) (Decree 176/2025/ND-CP Art 4(2) as amended: the social "
        "pension runs from the month the commune chairman signs the decision; in force from 5 October 2026)"
    )
    documentation = (
        "The day the chairman of the commune's People's Committee signed the decision to pay the social pension "
        "(trợ cấp hưu trí xã hội), a decision of its own, not the disability allowance's (disability_decision_date). "
        "Where the law pays the pension from the month of that decision (Viet Nam from 5 October 2026), it is paid "
        "from the first day of its month. Not stated (the default), the month of the request (social_pension_claim_"
        "date, else the date asked) stands for it and the schedule says so (provisional); a decision dated before the "
        "request's month is read as that month (the claim is decided on the request)."
    )
