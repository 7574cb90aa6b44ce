"""Weighted sums per group at the cost of the rows that count, and each group's least and greatest value.

Most per-person figures of a comparison are zero for most persons: a branch pays a few percent of them, winners
are fewer still, and only the poor have a poverty gap. Summing only the rows where a figure is not zero adds the
very same terms in the same order as summing every row (a zero term adds nothing), so the sums are equal to the
last bit, for a fraction of the memory read and written. A branch's figures are all zero outside the few rows
it pays (or may pay): they are taken on those rows alone (:class:`OnRows`), the rows in the same order, so that
their sums add the same terms in the same order again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np


def nonzero_rows(values: np.ndarray) -> np.ndarray:
    """The rows where ``values`` is not zero (True, or a number other than 0; NaN counts)."""
    return np.flatnonzero(values if values.dtype == np.bool_ else values != 0)


def weighted_sums(values: np.ndarray, weights: np.ndarray, groups: np.ndarray, size: int) -> np.ndarray:
    """``sum(weights * values)`` per group 0 to ``size - 1`` (float64), the rows where ``values`` is 0 skipped."""
    rows = nonzero_rows(values)
    terms = weights[rows] if values.dtype == np.bool_ else weights[rows] * values[rows]
    return np.bincount(groups[rows], weights=terms, minlength=size)


@dataclass(frozen=True)
class OnRows:
    """Per-person values of some metrics, by name, given on ``rows`` alone (ascending positions in a part of a
    population; None: every row), each metric 0 on the rows not given."""

    rows: np.ndarray | None
    values: Mapping[str, np.ndarray]

    def of(self, per_person: np.ndarray) -> np.ndarray:
        """A per-person array (weights, cells) on these rows."""
        return per_person if self.rows is None else per_person[self.rows]


def rows_of(arrays: Iterable[np.ndarray]) -> np.ndarray:
    """The rows where any of ``arrays`` (of one length, at least one) is not zero (True, or a number other than 0;
    NaN counts), ascending."""
    found: np.ndarray | None = None
    for values in arrays:
        nonzero = values if values.dtype == np.bool_ else values != 0
        found = nonzero.copy() if found is None else found | nonzero
    return np.flatnonzero(found)


def sums_on_rows(parts: Iterable[OnRows], weights: np.ndarray, groups: np.ndarray, size: int) -> dict[str, np.ndarray]:
    """Each metric's :func:`weighted_sums` per group, by name, over the rows it is given on (an array one part gives
    under two names, by identity, summed once): the sums over every row, to the last bit."""
    found = {}
    for part in parts:
        part_weights, part_groups = part.of(weights), part.of(groups)
        summed: dict[int, np.ndarray] = {}
        for name, values in part.values.items():
            if id(values) not in summed:
                summed[id(values)] = weighted_sums(values, part_weights, part_groups, size)
            found[name] = summed[id(values)]
    return found


def group_extremes(groups: np.ndarray, values: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """The least and the greatest of ``values`` in each group 0 to ``size - 1`` (+inf and -inf where a group is
    empty; NaN where a group holds one), by ``np.minimum.at`` and ``np.maximum.at`` (NumPy's unbuffered updates,
    at half a million rows a tenth of the cost of sorting them by group)."""
    if len(groups) and (int(groups.min()) < 0 or int(groups.max()) >= size):
        raise IndexError(f"a group number outside 0 to {size - 1}")
    low, high = np.full(size, np.inf), np.full(size, -np.inf)
    with np.errstate(invalid="ignore"):  # NaN values: the group's extremes are NaN
        np.minimum.at(low, groups, values)
        np.maximum.at(high, groups, values)
    return low, high
