"""The month a population is evaluated in, as an analyst gives it, and the run's other settings, checked before
anything is read.

A month is the text ``YYYY-MM`` (as on the command line), a monthly ``pandas.Period`` (``pd.Period("2026-10",
"M")``) or a ``numpy.datetime64`` of months (``np.datetime64("2026-10")``): each names one month and nothing else.
A day is refused, whatever its form (``"2026-10-01"``, a ``datetime.date``, a ``datetime.datetime``, a pandas
``Timestamp``, a ``numpy.datetime64`` of days or finer, a daily ``Period``), the first of the month too: a run
evaluates the whole month, each dated claim decided on its own event's day (a birth on 5 October is paid in
October), so a day could as well mean the claims of that day, or those made by it, as ``/eligibility``'s
``as_of`` does; the message says how to give its month.
"""

from __future__ import annotations

import datetime
import numbers
import re
from typing import Any

import numpy as np
import pandas as pd

from openfisca_sp.arguments import check_progress
from openfisca_sp.decisions.facts import MONTH_EXPECTED, MONTH_PATTERN
from openfisca_sp.population.errors import PopulationError
from openfisca_sp.rules.wording import abridged

MONTH_FORMS = (
    "give a month: 'YYYY-MM' (such as '2026-10'), a monthly pandas Period (pd.Period('2026-10', 'M')) or a numpy "
    "datetime64 of months (np.datetime64('2026-10'))"
)
Month = str | pd.Period | np.datetime64  # the forms of a month accepted (:func:`month_text`)
_MONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")
_IN_CALENDAR = re.compile(MONTH_PATTERN)
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _day_refused(month: Any, day: datetime.date) -> PopulationError:
    """What a day given for a month is told: which month to give instead, and why a day is not read as one."""
    return PopulationError(
        f"month must be a month, not the day {month!r}: a run evaluates the whole month, each dated claim on its own "
        f"event's day, so a day could mean that day's claims; {MONTH_FORMS}; the month of that day is '{day:%Y-%m}'"
    )


def month_text(month: Any) -> str:
    """``month`` as ``YYYY-MM``, from one of the forms that name a month alone (see the module), checked to be in
    the calendar the rules are asked in (1900-01 to 2199-12); another form, a day, a missing value (``None``,
    ``NaT``) or a month outside the calendar is a :class:`PopulationError` naming the forms accepted."""
    text = _as_text(month)
    if text is None or not _MONTH.fullmatch(text):
        raise PopulationError(f"month must be a month, not {month!r}: {MONTH_FORMS}")
    if not _IN_CALENDAR.fullmatch(text):
        raise PopulationError(f"month {text} is outside the calendar the rules are asked in: expected {MONTH_EXPECTED}")
    return text


def _as_text(month: Any) -> str | None:
    """The month's ``YYYY-MM`` text (checked by the caller), None for a form that names no month; a day is refused
    here, saying so."""
    if isinstance(month, str):
        if _DAY.fullmatch(month):
            try:
                day = datetime.date.fromisoformat(month)
            except ValueError:  # no such day (2026-02-30): not a month either
                return None
            raise _day_refused(month, day)
        return month
    if isinstance(month, pd.Period):
        if month.freqstr == "M":
            return f"{month.year:04d}-{month.month:02d}"
        if month.freqstr == "D":
            raise _day_refused(month, month.to_timestamp().date())
        return None
    if isinstance(month, np.datetime64):
        if np.isnat(month):
            return None
        unit = np.datetime_data(month.dtype)[0]
        if unit == "M":
            return str(month)
        if unit in ("Y", "W"):
            return None
        raise _day_refused(month, month.astype("datetime64[D]").item())
    if isinstance(month, datetime.date) and not pd.isna(month):  # a datetime or a pandas Timestamp too
        raise _day_refused(month, month)
    return None


def check_run(month: Any, chunk_persons: Any = None, progress: Any = None, claims_on_events: Any = True) -> str:
    """The month of a run (:func:`month_text`), and a refusal of a chunk size that is not a whole number of
    persons, 1 or more, of a progress that cannot be called, or of a ``claims_on_events`` that is not true or
    false, before anything is read (a day for a month failed deep in openfisca-core; 0 or 2.5 persons were taken;
    1850-01 answered "not modelled" for everyone, 2300-01 paid pensions at 350; ``claims_on_events="no"`` was
    read as true)."""
    check_progress(progress)
    if not isinstance(claims_on_events, (bool, np.bool_)):
        raise TypeError(
            f"claims_on_events is True or False, not {type(claims_on_events).__name__} {abridged(claims_on_events)}"
        )
    text = month_text(month)
    if chunk_persons is not None and (
        isinstance(chunk_persons, bool) or not isinstance(chunk_persons, numbers.Integral) or chunk_persons < 1
    ):
        raise PopulationError(f"chunk_persons must be a whole number of persons, 1 or more, not {chunk_persons!r}")
    return text
