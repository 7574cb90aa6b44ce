"""Counts of months held against the months a person has lived: a count stated as more is a contradiction
(:mod:`~openfisca_sp.decisions.consistency`)."""

from __future__ import annotations

import numpy as np

from openfisca_sp.rules.small_arrays import FEW


def months_lived(births: np.ndarray, asked: int) -> np.ndarray | list[int]:
    """The calendar months from each birth day to the month ``asked`` (months since the year 0), both counted
    (a few persons' in Python: numpy's casts of dates cost a microsecond each)."""
    if len(births) <= FEW:
        return [asked - (day.year * 12 + day.month - 1) + 1 if day is not None else 0 for day in births.tolist()]
    born = births.astype("datetime64[M]").astype(np.int64) + 1970 * 12  # months since the year 0
    return asked - born + 1


def over_lives(counts: np.ndarray, limits: np.ndarray | list[int], stated: np.ndarray) -> np.ndarray:
    """Where a stated count is above its limit, a month lived or more (no limit: a birth after the date asked,
    its own contradiction); no array made for a few persons none of whom is."""
    if isinstance(limits, list):
        over = [
            bool(flag) and limit > 0 and count > limit
            for count, limit, flag in zip(counts.tolist(), limits, stated.tolist(), strict=True)
        ]
        return np.array(over, dtype=bool) if True in over else np.zeros(len(over), dtype=bool)
    return stated & (limits > 0) & (counts > limits)
