"""Orders the law's dated values keep: the dates of a value in one direction, a scale's thresholds rising.

A year mistyped in a date (2031 for 2013) or a threshold mistyped in a scale (8 for 48) loads as valid YAML and
gives wrong answers for years: these find them, for the checker to report with their file and line.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from typing import Any

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def date_out_of_order(dates: Sequence[Any], oldest_first: bool = False) -> tuple[str, str, bool] | None:
    """The first date written out of the order the others keep, the date before it, and whether they run
    oldest first; None when the dates run one way (oldest first or newest first; only oldest first with
    ``oldest_first``: two dates newest first are then a mistyped year, not an order). A date not written
    YYYY-MM-DD (``01/07/2027``) is told as such, and left out of the order."""
    days = [day for day in dates if isinstance(day, str) and _ISO_DATE.fullmatch(day)]
    pairs = list(itertools.pairwise(days))
    ascending = oldest_first or sum(before < day for before, day in pairs) >= sum(before > day for before, day in pairs)
    for before, day in pairs:
        if (day < before) if ascending else (day > before):
            return day, before, ascending
    return None


def _dated(values: Any) -> dict[str, Any]:
    """A bracket's dated thresholds as date -> number (an entry ``{value: ...}`` or a bare value)."""
    if not isinstance(values, Mapping):
        return {}
    found = {}
    for day, entry in values.items():
        value = entry.get("value") if isinstance(entry, Mapping) else entry
        if isinstance(day, str) and isinstance(value, (int, float)) and not isinstance(value, bool):
            found[day] = value
    return found


def threshold_not_rising(brackets: Sequence[Any]) -> tuple[int, str, str] | None:
    """The first bracket whose threshold in force is not above the one before it on some date a threshold is
    dated: (its index, the date of its threshold in force, what is wrong); None when they rise on every date."""
    series = [_dated(bracket.get("threshold")) if isinstance(bracket, Mapping) else {} for bracket in brackets]
    for day in sorted({day for dated in series for day in dated}):
        in_force = []
        for index, dated in enumerate(series):
            known = [when for when in dated if when <= day]
            if known:
                in_force.append((index, max(known), dated[max(known)]))
        for (lower, _, low), (index, since, value) in itertools.pairwise(in_force):
            if value <= low:
                return (
                    index,
                    since,
                    f"on {day}, the threshold of bracket {index + 1} ({value:g}) is not above that of bracket "
                    f"{lower + 1} ({low:g}): a scale's thresholds rise from one bracket to the next",
                )
    return None
