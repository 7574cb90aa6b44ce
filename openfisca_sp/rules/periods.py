"""Periods from their text, parsed once (openfisca-core's parsing is slow on hot paths)."""

from __future__ import annotations

import datetime
from functools import lru_cache

from openfisca_core import periods
from openfisca_core.periods import Period

# The calendar the rules are asked in: every date of a claim, of a fact and of a parameter's value falls in it (a
# year before 1000 is no period OpenFisca can parse, and none of these dates is plausible in a claim or a law).
FIRST_DATE, LAST_DATE = datetime.date(1900, 1, 1), datetime.date(2199, 12, 31)


@lru_cache(maxsize=8192)
def parse_period(value: str | Period) -> Period:
    """An OpenFisca period from its text (``2024-06``, ``2024``, ``ETERNITY`` …), parsed once."""
    return periods.period(value)


@lru_cache(maxsize=8192)
def period_text(value: str | Period) -> str:
    """A period's text as openfisca-core writes it (``month:2024-01`` -> ``2024-01``), worked out once (for a
    period too: openfisca-core formats it anew each time it is asked)."""
    return str(parse_period(value))


@lru_cache(maxsize=8192)
def period_size(value: str) -> int:
    """How long a period is, as openfisca-core orders inputs (``key_period_size``), worked out once."""
    return periods.key_period_size(parse_period(value))
