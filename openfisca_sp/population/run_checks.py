"""The month and the chunk size a population run is asked for, refused before anything is read where they are
none."""

from __future__ import annotations

import numbers
import re
from typing import Any

from openfisca_sp.decisions.facts import MONTH_EXPECTED, MONTH_PATTERN
from openfisca_sp.population.errors import PopulationError


def check_run(month: Any, chunk_persons: Any = None) -> None:
    """Refuse a month that is not ``YYYY-MM``, or is outside the calendar the rules are asked in (1900-01 to
    2199-12, as the loader and ``/eligibility``), and a chunk size that is not a whole number of persons, 1 or more,
    before anything is read (a day for a month failed deep in openfisca-core; 0 or 2.5 persons were taken; 1850-01
    answered "not modelled" for everyone, 2300-01 paid pensions at 350)."""
    if not isinstance(month, str) or not _MONTH.fullmatch(month):
        raise PopulationError(f"month must be a month, YYYY-MM (such as 2026-10), not {month!r}")
    if not _IN_CALENDAR.fullmatch(month):
        raise PopulationError(
            f"month {month} is outside the calendar the rules are asked in: expected {MONTH_EXPECTED}"
        )
    if chunk_persons is not None and (
        isinstance(chunk_persons, bool) or not isinstance(chunk_persons, numbers.Integral) or chunk_persons < 1
    ):
        raise PopulationError(f"chunk_persons must be a whole number of persons, 1 or more, not {chunk_persons!r}")


_MONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")
_IN_CALENDAR = re.compile(MONTH_PATTERN)
