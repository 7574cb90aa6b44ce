"""A dated parameter's values as arrays, looked up on many days at once (what a day pays, an index of benefits in
payment)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class DatedValues:
    """A parameter's values by first day (ascending ``days``; a value NaN: stopped, or not known)."""

    days: np.ndarray  # datetime64[D], ascending
    values: np.ndarray  # float64

    def position(self, days: Any) -> np.ndarray:
        """The index of the value in force on each of ``days`` (-1 before the first)."""
        return np.searchsorted(self.days, np.asarray(days, dtype="datetime64[D]"), side="right") - 1

    def at(self, days: Any) -> np.ndarray:
        """The value in force on each of ``days`` (NaN before the first day, where stopped or not known, or no day)."""
        days = np.asarray(days, dtype="datetime64[D]")
        position = self.position(days)
        found = self.values[np.maximum(position, 0)] if len(self.values) else np.full(days.shape, np.nan)
        return np.where((position >= 0) & ~np.isnat(days), found, np.nan)


def child(root: Any, *path: str) -> Any | None:
    """The parameter node at ``path`` under ``root`` (None where there is none)."""
    for key in path:
        children = getattr(root, "children", {})
        if key not in children:
            return None
        root = children[key]
    return root


def dated(parameter: Any) -> tuple[np.ndarray, np.ndarray, list[str | None]]:
    """A parameter's first days, values (NaN for a null) and statuses, by day."""
    entries = sorted((at.instant_str, at.value, (at.metadata or {}).get("status")) for at in parameter.values_list)
    days = np.array([day for day, _, _ in entries], dtype="datetime64[D]")
    values = np.array([np.nan if value is None else float(value) for _, value, _ in entries], dtype=np.float64)
    return days, values, [status for *_, status in entries]
