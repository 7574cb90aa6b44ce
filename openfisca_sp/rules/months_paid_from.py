"""The first day a benefit is paid where the law names the month it is paid from: the first day of the month an
input dates (the certificate of a degree of disability, the commune chairman's decision), where a parameter
``<branch>.payment_start.month_of_…`` in force says so (Viet Nam, Decree 335/2026/ND-CP Arts 8(2) and 31(2));
elsewhere the event's day. The event's month (the assessment's, the request's) stands for a date not stated or
dated before it, a reading (the claim is decided on the event)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from openfisca_core.periods import Period

from openfisca_sp.rules.branch_nodes import branch, has
from openfisca_sp.rules.calendar import month_starts

NOT_STATED = np.datetime64("1970-01-01", "D")  # the default of the dates the months are read from
MonthsPaidFrom = Sequence[tuple[str, str]]  # (parameter under payment_start, input dating its month), first first


def month_paid_from(parameters: Any, period: Period, code: str, months: MonthsPaidFrom) -> str | None:
    """The input whose month the law in force pays the branch ``code`` from (the first of ``months`` whose
    ``payment_start`` parameter is true); None where no such rule is in force (from the event's day)."""
    node = branch(parameters, period, code)
    for name, variable in months:
        if node is not None and has(node, "payment_start", name) and bool(node.payment_start[name]):
            return variable
    return None


def _months(person: Any, period: Period, variable: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each person's event month and the month of ``variable``, as their first days (``datetime64[D]``: compared as
    the months are), and whether its date was stated; NaT where the event has no day."""
    event = month_starts(person("event_date", period))
    dated = np.asarray(person(variable, period), dtype="datetime64[D]")
    return event, month_starts(dated), dated != NOT_STATED


def first_day(person: Any, period: Period, parameters: Any, code: str, months: MonthsPaidFrom) -> np.ndarray:
    """The first day paid: the first day of the month the law names (a date not stated, or before the event's
    month: the event's month), else the event's day (``datetime64[D]``)."""
    variable = month_paid_from(parameters, period, code, months)
    if variable is None:
        return np.asarray(person("event_date", period), dtype="datetime64[D]")
    event, named, stated = _months(person, period, variable)
    return np.where(stated & (named > event), named, event)  # NaT stays NaT


def first_day_read(
    person: Any, period: Period, parameters: Any, code: str, months: MonthsPaidFrom, otherwise: bool
) -> np.ndarray:
    """Whether the first day paid rests on a reading: where the law names a month, its date not stated or before
    the event's month; where it names none, ``otherwise`` (the event's day is itself a reading of the law)."""
    variable = month_paid_from(parameters, period, code, months)
    if variable is None:
        return person.filled_array(otherwise)
    event, named, stated = _months(person, period, variable)
    return ~stated | (named < event)
