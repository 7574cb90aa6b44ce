"""The first day a disability allowance is paid: the assessment's day, or the first day of the month the law in force
names: the month the certificate of the degree of disability is issued (Viet Nam, Decree 20/2021/ND-CP Art 8(1)(đ)),
or the month the commune chairman signs the decision (Decree 335/2026/ND-CP Art 8(2), from 5 October 2026)."""

from datetime import date
from typing import Any

import numpy as np
from openfisca_core.periods import DateUnit, Period
from openfisca_core.variables import Variable

from openfisca_sp.rules.branch_nodes import branch, has
from openfisca_sp.rules.calendar import month_starts
from openfisca_sp.rules.entities import Person

NOT_STATED = np.datetime64("1970-01-01", "D")  # the default of the dates below
# the month the law pays from (a parameter under disability.payment_start) and the input dating it; the first in
# force is read (a decision is signed after the certificate, which the decision's file holds)
MONTHS_PAID_FROM = (
    ("month_of_decision", "disability_decision_date"),
    ("month_of_certificate", "disability_certificate_date"),
)


def month_paid_from(parameters: Any, period: Period) -> str | None:
    """The input whose month the law in force pays the allowance from (``disability.payment_start.month_of_…``):
    the decision's, the certificate's; None where no such rule is in force (from the day of the assessment)."""
    node = branch(parameters, period, "disability")
    for name, variable in MONTHS_PAID_FROM:
        if node is not None and has(node, "payment_start", name) and bool(node.payment_start[name]):
            return variable
    return None


def _months(person: Any, period: Period, variable: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each person's assessment month and the month of ``variable``, as their first days (``datetime64[D]``: compared
    as the months are), and whether its date was stated; NaT where the assessment has no day."""
    assessed = month_starts(person("event_date", period))
    dated = np.asarray(person(variable, period), dtype="datetime64[D]")
    return assessed, month_starts(dated), dated != NOT_STATED


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
        variable = month_paid_from(parameters, period)
        if variable is None:
            return np.asarray(person("event_date", period), dtype="datetime64[D]")
        assessed, named, stated = _months(person, period, variable)
        # a date not stated, or before the assessment's month: the assessment's month (NaT stays NaT)
        return np.where(stated & (named > assessed), named, assessed)


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
        variable = month_paid_from(parameters, period)
        if variable is None:
            return person.filled_array(False)
        assessed, named, stated = _months(person, period, variable)
        return ~stated | (named < assessed)
