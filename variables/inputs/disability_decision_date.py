"""Date the commune chairman signed the decision granting the monthly social allowance."""

from datetime import date

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules.entities import Person


class disability_decision_date(Variable):
    value_type = date
    default_value = date(1970, 1, 1)
    entity = Person
    label = "Date the commune chairman signed the decision granting the disability allowance (1970-01-01: not stated)"
    definition_period = DateUnit.MONTH
    reference = (
        "Viet Nam, Decree No. 335/2026/ND-CP, Art 8(2) (the allowance runs from the month the commune chairman signs "
        "the decision; in force from 5 October 2026)"
    )
    documentation = (
        "The day the chairman of the commune's People's Committee signed the decision to pay the monthly social "
        "allowance. Where the law pays the allowance from the month of that decision (Viet Nam from 5 October 2026), "
        "it is paid from the first day of its month. Not stated (the default), the month of the assessment "
        "(disability_assessment_date, else the date asked) stands for it and the schedule says so (provisional); a "
        "decision dated before the assessment's month is read as that month (the claim is decided on the assessment)."
    )
