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


def named_first_days(event: np.ndarray, dated: np.ndarray) -> np.ndarray:
    """The first day paid where the law names the month of ``dated``: the first day of that month where the date is
    stated and its month is after the event's, else of the event's month (``datetime64[D]``; NaT stays NaT).

    A later month begins 28 to 31 days after the event month's first day: only the dates that far on are converted
    to their months, not every person's."""
    start = month_starts(event)
    dated = np.asarray(dated, dtype="datetime64[D]")
    later = np.flatnonzero((dated != NOT_STATED) & (dated >= start + 28))
    named = month_starts(dated[later])
    moved = named > start[later]
    start[later[moved]] = named[moved]
    return start


def named_read(event: np.ndarray, dated: np.ndarray) -> np.ndarray:
    """Whether the first day paid where the law names the month of ``dated`` rests on a reading: the date is not
    stated, or its month is before the event's (it is before the event month's first day)."""
    dated = np.asarray(dated, dtype="datetime64[D]")
    return (dated == NOT_STATED) | (dated < month_starts(event))


def first_day(person: Any, period: Period, parameters: Any, code: str, months: MonthsPaidFrom) -> np.ndarray:
    """The first day paid: the first day of the month the law names (a date not stated, or before the event's
    month: the event's month), else the event's day (``datetime64[D]``)."""
    variable = month_paid_from(parameters, period, code, months)
    if variable is None:
        return np.asarray(person("event_date", period), dtype="datetime64[D]")
    return named_first_days(person("event_date", period), person(variable, period))


def first_day_read(
    person: Any, period: Period, parameters: Any, code: str, months: MonthsPaidFrom, otherwise: bool
) -> np.ndarray:
    """Whether the first day paid rests on a reading: where the law names a month, its date not stated or before
    the event's month; where it names none, ``otherwise`` (the event's day is itself a reading of the law)."""
    variable = month_paid_from(parameters, period, code, months)
    if variable is None:
        return person.filled_array(otherwise)
    return named_read(person("event_date", period), person(variable, period))
