"""Weighted sums per group, and each group's least and greatest value, at the cost of the rows that count.

Most per-person figures of a comparison are zero for most persons: a branch pays a few percent of them, winners
are fewer still, and only the poor have a poverty gap. Summing only the rows where a figure is not zero adds the
very same terms in the same order as summing every row (a zero term adds nothing), so the sums are equal to the
last bit, for a fraction of the memory read and written.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SMALL_KEYS = 1 << 16  # group numbers below this sort by counting (numpy's radix sort of 16-bit integers)


def nonzero_rows(values: np.ndarray) -> np.ndarray:
    """The rows where ``values`` is not zero (True, or a number other than 0; NaN counts)."""
    return np.flatnonzero(values if values.dtype == np.bool_ else values != 0)


def weighted_sums(values: np.ndarray, weights: np.ndarray, groups: np.ndarray, size: int) -> np.ndarray:
    """``sum(weights * values)`` per group 0 to ``size - 1`` (float64), the rows where ``values`` is 0 skipped."""
    rows = nonzero_rows(values)
    terms = weights[rows] if values.dtype == np.bool_ else weights[rows] * values[rows]
    return np.bincount(groups[rows], weights=terms, minlength=size)


def group_extremes(groups: np.ndarray, values: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """The least and the greatest of ``values`` in each group 0 to ``size - 1`` (+inf and -inf where a group is
    empty; NaN where a group holds one), from one stable sort of the group numbers."""
    return SortedGroups.of(groups, values, size).extremes()


@dataclass(frozen=True)
class SortedGroups:
    """Values sorted by their group (a stable counting sort where the groups are few): each group's extremes,
    and those once some rows' groups and values change, without sorting every row again."""

    order: np.ndarray  # the rows, by group
    keys: np.ndarray  # their groups, sorted
    values: np.ndarray  # their values, in that order
    size: int

    @classmethod
    def of(cls, groups: np.ndarray, values: np.ndarray, size: int) -> SortedGroups:
        if len(groups) and (int(groups.min()) < 0 or int(groups.max()) >= size):
            raise IndexError(f"a group number outside 0 to {size - 1}")
        keys = groups.astype(np.uint16) if size <= SMALL_KEYS else groups
        order = np.argsort(keys, kind="stable")
        return cls(order, keys[order], values[order], size)

    def extremes(self) -> tuple[np.ndarray, np.ndarray]:
        """Each group's least and greatest value."""
        return _segment_extremes(self.keys, self.values, self.size)

    def extremes_changed(
        self, rows: np.ndarray, groups: np.ndarray, values: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Each group's least and greatest value once ``rows`` take their group and value from ``groups`` and
        ``values`` (one per row of the whole): the other rows' extremes, already in order, merged with those of
        the rows changed, sorted alone."""
        kept = np.ones(len(self.order), dtype=bool)
        kept[rows] = False
        kept = kept[self.order]
        low, high = _segment_extremes(self.keys[kept], self.values[kept], self.size)
        changed_low, changed_high = group_extremes(groups[rows], values[rows], self.size)
        return np.minimum(low, changed_low), np.maximum(high, changed_high)


def _segment_extremes(keys: np.ndarray, values: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Each group's extremes, from group numbers in order and their values."""
    low, high = np.full(size, np.inf), np.full(size, -np.inf)
    if not len(keys):
        return low, high
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    present = keys[starts].astype(np.intp)
    low[present] = np.minimum.reduceat(values, starts)
    high[present] = np.maximum.reduceat(values, starts)
    return low, high
