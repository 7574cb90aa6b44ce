"""Size limits: situations that would be too costly are refused before any work."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from openfisca_core import periods

from openfisca_sp.api.situations.errors import SituationError
from openfisca_sp.api.situations.values import entries
from openfisca_sp.rules.periods import parse_period

MAX_PERSONS = 10_000
MAX_PERIOD_DAYS = 100 * 366  # no input or result spans more than a century


def check_size(situation: Any, max_persons: int = MAX_PERSONS, periods_used: Iterable[str] | None = None) -> None:
    """Refuse situations that would be too costly: too many persons (axes included), periods too long.

    ``periods_used`` (the distinct period texts, when already known) spares a walk through the situation.
    """
    if not isinstance(situation, dict):
        return
    count = _person_count(situation)
    if count > max_persons:
        raise SituationError(
            ["persons"], f"At most {max_persons} persons per request (axes included); this one has {count}.", 413
        )
    if periods_used is None:
        periods_used = {period_text for _, _, _, period_text, _ in entries(situation)}
    if any(period_problem(period_text) for period_text in periods_used):
        _refuse_periods(situation)
    _check_axes_periods(situation)


def _person_count(situation: dict[str, Any]) -> int:
    """How many persons a situation simulates: its persons times the largest count of each set of axes."""
    persons = situation.get("persons")
    count = len(persons) if isinstance(persons, dict) else 1
    axes = situation.get("axes")
    for parallel in axes if isinstance(axes, list) else ():
        if not isinstance(parallel, list):
            continue  # the builder reports a malformed axis
        counts = [axis.get("count") for axis in parallel if isinstance(axis, dict)]
        if not all(isinstance(value, int) and not isinstance(value, bool) and value > 0 for value in counts):
            raise SituationError(["axes"], "Each axis needs a positive integer 'count'.")
        count *= max(counts, default=1)
    return count


def _refuse_periods(situation: dict[str, Any]) -> None:
    """Refuse the first period too long or out of OpenFisca's calendar, with its path."""
    for plural, entity_id, name, period_text, _ in entries(situation):
        problem = period_problem(period_text)
        if problem:
            raise SituationError([plural, entity_id, name, period_text], problem)


def _check_axes_periods(situation: dict[str, Any]) -> None:
    """The same refusals for the periods of axes (``{"name": …, "period": …}``)."""
    axes = situation.get("axes")
    for index, parallel in enumerate(axes if isinstance(axes, list) else ()):
        for position, axis in enumerate(parallel if isinstance(parallel, list) else ()):
            period_text = axis.get("period") if isinstance(axis, dict) else None
            problem = period_problem(period_text) if isinstance(period_text, str) else None
            if problem:
                raise SituationError(["axes", str(index), str(position), "period"], problem)


@lru_cache(maxsize=8192)
def period_problem(period_text: Any) -> str | None:
    """Why a period is refused (longer than a century, or out of the years 1000 to 9999 that openfisca-core
    handles), or None; unparsable ones are reported later, with their path."""
    try:
        period = parse_period(period_text)
    except (ValueError, TypeError):
        return None
    if period.unit == periods.DateUnit.ETERNITY:
        return None
    if period.start.year < 1000:
        return (
            f"The period {period_text} starts before year 1000: openfisca-core writes such periods as texts it "
            f"cannot read back ({period}); periods must start in year 1000 or later."
        )
    try:
        period.start.offset(period.size, period.unit)  # the day after the period, which openfisca-core computes
    except (ValueError, OverflowError):
        return (
            f"The period {period_text} ends at or after the end of year 9999, where OpenFisca's calendar stops: "
            "periods must end by 9999-12-30."
        )
    if period.size_in_days > MAX_PERIOD_DAYS:
        return "Periods longer than a century are refused."
    return None
