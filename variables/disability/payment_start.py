"""The first day a disability allowance is paid: the assessment's day, or the first day of the month the law in force
names: the month the certificate of the degree of disability is issued (Viet Nam, Decree 20/2021/ND-CP Art 8(1)(đ)),
or the month the commune chairman signs the decision (Decree 335/2026/ND-CP Art 8(2), from 5 October 2026)."""

from datetime import date

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules.entities import Person
from openfisca_sp.rules.months_paid_from import first_day, first_day_read

# the month the law pays from (a parameter under disability.payment_start) and the input dating it; the first in
# force is read (a decision is signed after the certificate, which the decision's file holds)
MONTHS_PAID_FROM = (
    ("month_of_decision", "disability_decision_date"),
    ("month_of_certificate", "disability_certificate_date"),
)


class disability_benefit_first_day(Variable):
    value_type = date
    entity = Person
    label = "First day the disability allowance is paid"
    definition_period = DateUnit.MONTH
    reference = (
        "Parameters disability.payment_start.month_of_certificate (Viet Nam: Decree No. 20/2021/ND-CP, Art 8(1)(đ): "
        "từ tháng được cấp giấy xác nhận mức độ khuyết tật) and disability.payment_start.month_of_decision (Decree "
        "No. 335/2026/ND-CP, Art 8(2): từ tháng Chủ tịch Ủy ban nhân dân cấp xã ký quyết định)"
    )
    documentation = (
        "The first day of the month the law pays from: the month the commune chairman signed the decision "
        "(disability_decision_date) where the law says so, else the month the certificate of the degree of "
        "disability was issued (disability_certificate_date) where the law says so, the assessment's month standing "
        "for a date not stated; elsewhere the day of the assessment (event_date). Civil Code 2015 Art 147 (a period "
        "counted from an event starts the day after it) does not apply: the Decree names the month paid from."
    )

    def formula(person, period, parameters):
        return first_day(person, period, parameters, "disability", MONTHS_PAID_FROM)


class disability_benefit_first_day_read(Variable):
    value_type = bool
    entity = Person
    label = "The disability allowance's first day paid rests on a reading (the date of its month not stated or earlier)"
    definition_period = DateUnit.MONTH
    documentation = (
        "True where the law pays from the month of the certificate or of the decision and that date is not stated "
        "(the assessment's month stands for it) or is before the assessment's month (the assessment's month is paid "
        "from, the claim being decided on it): the schedule is then provisional."
    )

    def formula(person, period, parameters):
        return first_day_read(person, period, parameters, "disability", MONTHS_PAID_FROM, otherwise=False)
