"""The first day a social pension is paid: the day of the written request (the date asked where not stated), or the
first day of the month the commune chairman signs the decision (Viet Nam, Decree 335/2026/ND-CP Art 31(2), from 5
October 2026)."""

from datetime import date

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules.entities import Person
from openfisca_sp.rules.months_paid_from import first_day, first_day_read

MONTHS_PAID_FROM = (("month_of_decision", "social_pension_decision_date"),)  # social_pension.payment_start


class social_pension_first_day(Variable):
    value_type = date
    entity = Person
    label = "First day the social pension is paid"
    definition_period = DateUnit.MONTH
    reference = (
        "Viet Nam, Law on Social Insurance No. 41/2024/QH15, Art 21(1)(c) (a written request is a condition) and "
        "Art 22(4) (the Government sets the procedure); parameter social_pension.payment_start.month_of_decision "
        "(Decree No. 335/2026/ND-CP, Art 31(2): kể từ tháng Chủ tịch Ủy ban nhân dân cấp xã ký quyết định)"
    )
    documentation = (
        "The first day of the month the commune chairman signed the decision (social_pension_decision_date) where the "
        "law says so, the request's month standing for a date not stated or earlier; elsewhere the request's day "
        "(social_pension_claim_date; not stated, the date asked: the claim's event_date), before which the person "
        "has no right (Art 21(1)(c)), a reading: Decree 176/2025/ND-CP's own start, before 5 October 2026, was not "
        "read."
    )

    def formula(person, period, parameters):
        return first_day(person, period, parameters, "social_pension", MONTHS_PAID_FROM)


class social_pension_first_day_read(Variable):
    value_type = bool
    entity = Person
    label = "The social pension's first day paid rests on a reading (the law's start not read, or a date not stated)"
    definition_period = DateUnit.MONTH
    documentation = (
        "Where the law pays from the month of the decision: true where its date is not stated (the request's month "
        "stands for it) or is before the request's month. Elsewhere always true: paying from the request's day is a "
        "reading of Art 21(1)(c), and the date asked stands for a request date not stated; the schedule is "
        "provisional."
    )

    def formula(person, period, parameters):
        return first_day_read(person, period, parameters, "social_pension", MONTHS_PAID_FROM, otherwise=True)
