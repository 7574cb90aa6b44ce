"""Periods from their text, parsed once (openfisca-core's parsing is slow on hot paths)."""

from __future__ import annotations

from functools import lru_cache

from openfisca_core import periods
from openfisca_core.periods import Period


@lru_cache(maxsize=8192)
def parse_period(value: str | Period) -> Period:
    """An OpenFisca period from its text (``2024-06``, ``2024``, ``ETERNITY`` …), parsed once."""
    return periods.period(value)


@lru_cache(maxsize=8192)
def period_text(value: str) -> str:
    """A period's text as openfisca-core writes it (``month:2024-01`` -> ``2024-01``), worked out once."""
    return str(parse_period(value))


@lru_cache(maxsize=8192)
def period_size(value: str) -> int:
    """How long a period is, as openfisca-core orders inputs (``key_period_size``), worked out once."""
    return periods.key_period_size(parse_period(value))
