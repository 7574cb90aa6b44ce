"""The first day a disability allowance is paid: the assessment's day, or the first day of the month of the
certificate of the degree of disability where the law in force says so (Viet Nam, Decree 20/2021/ND-CP Art 8(1)(đ))."""

from datetime import date
from typing import Any

import numpy as np
from openfisca_core.periods import DateUnit, Period
from openfisca_core.variables import Variable

from openfisca_sp.rules.branch_nodes import branch, has
from openfisca_sp.rules.entities import Person

NOT_STATED = np.datetime64("1970-01-01", "D")  # disability_certificate_date's default


def from_month_of_certificate(parameters: Any, period: Period) -> bool:
    """Whether the law in force pays the allowance from the month the certificate of the degree of disability is
    issued (``disability.payment_start.month_of_certificate``; absent: from the day of the assessment)."""
    node = branch(parameters, period, "disability")
    return (
        node is not None
        and has(node, "payment_start", "month_of_certificate")
        and bool(node.payment_start.month_of_certificate)
    )


def _months(person: Any, period: Period) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each person's assessment month, certificate month (``datetime64[M]``) and whether the certificate's date was
    stated; NaT where the assessment has no day."""
    assessed = np.asarray(person("event_date", period), dtype="datetime64[D]").astype("datetime64[M]")
    certificate = np.asarray(person("disability_certificate_date", period), dtype="datetime64[D]")
    return assessed, certificate.astype("datetime64[M]"), certificate != NOT_STATED


class disability_benefit_first_day(Variable):
    value_type = date
    entity = Person
    label = "First day the disability allowance is paid"
    definition_period = DateUnit.MONTH
    reference = (
        "Parameter disability.payment_start.month_of_certificate (Viet Nam: Decree No. 20/2021/ND-CP, Art 8(1)(đ): "
        "từ tháng được cấp giấy xác nhận mức độ khuyết tật)"
    )
    documentation = (
        "The first day of the month the certificate of the degree of disability was issued "
        "(disability_certificate_date; the assessment's month where it is not stated) where the law pays from that "
        "month; elsewhere the day of the assessment (event_date). Civil Code 2015 Art 147 (a period counted from an "
        "event starts the day after it) does not apply: the Decree names the month paid from, not a period."
    )

    def formula(person, period, parameters):
        if not from_month_of_certificate(parameters, period):
            return np.asarray(person("event_date", period), dtype="datetime64[D]")
        assessed, issued, stated = _months(person, period)
        # a certificate not stated, or dated before the assessment's month: the assessment's month (NaT stays NaT)
        return np.where(stated & (issued > assessed), issued, assessed).astype("datetime64[D]")


class disability_benefit_first_day_read(Variable):
    value_type = bool
    entity = Person
    label = "The disability allowance's first day paid rests on a reading (certificate's date not stated or earlier)"
    definition_period = DateUnit.MONTH
    documentation = (
        "True where the law pays from the month of the certificate and its date is not stated (the assessment's "
        "month stands for it) or is before the assessment's month (the assessment's month is paid from, the claim "
        "being decided on it): the schedule is then provisional."
    )

    def formula(person, period, parameters):
        if not from_month_of_certificate(parameters, period):
            return person.filled_array(False)
        assessed, issued, stated = _months(person, period)
        return ~stated | (issued < assessed)
