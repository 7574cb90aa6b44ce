"""Date the certificate of the degree of disability was issued."""

from datetime import date

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules.entities import Person


class disability_certificate_date(Variable):
    value_type = date
    default_value = date(1970, 1, 1)
    entity = Person
    label = "Date the certificate of the degree of disability was issued (1970-01-01: not stated)"
    definition_period = DateUnit.MONTH
    reference = (
        "Viet Nam, Decree No. 20/2021/ND-CP, Art 8(1)(a) (giấy xác nhận khuyết tật, shown with the application) and "
        "Art 8(1)(đ) (the allowance runs from the month it is issued)"
    )
    documentation = (
        "The day the commune chairman issued the certificate of the degree of disability (giấy xác nhận mức độ khuyết "
        "tật). Where the law pays a disability allowance from the month of that certificate (Viet Nam), the allowance "
        "is paid from the first day of its month. Not stated (the default), the month of the assessment "
        "(disability_assessment_date, else the date asked) stands for it and the schedule says so (provisional); a "
        "certificate dated before the assessment's month is read as that month (the claim is decided on the "
        "assessment)."
    )
