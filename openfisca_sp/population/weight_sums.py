"""Weighted counts of persons summed exactly, so that every table of a population gives one count one way.

A float64 sum of weights depends on the order it is taken in: Lao PDR's synthetic sample, 20,000 persons each
weighted 372.15, counted its mothers 10,420.199999999997 in ``simulate``'s totals (NumPy's pairwise sum of the
whole column) and 10,420.199999999999 in ``compare``'s (a sum per cell of sex, age group and decile, chunk by chunk,
then over the cells). Every float64 is a whole multiple of 2**-1074, so a sum of weights taken in those units is a
whole number, the same in any order and for any split into chunks or partitions (:func:`exact_weight`, merged by
adding); :func:`weight_count` writes it as the float64 nearest to the true sum (:class:`fractions.Fraction`'s
correctly rounded division), which every path then gives alike.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

FRACTION_BITS = 52  # a float64's stored fraction; its 11 exponent bits above it, the sign bit last
LOW_BITS = 21  # a 53-bit mantissa split in 32 high and 21 low bits: 2**31 of either sum in int64 without overflow
UNIT_EXPONENT = 1074  # every float64, subnormals included, is a whole multiple of 2**-1074


def exact_weight(weights: np.ndarray, rows: np.ndarray | None = None) -> int:
    """The sum of float64 ``weights`` (of ``rows``, a boolean mask, where given) exactly, in units of 2**-1074: a
    whole number that the sums of disjoint parts add up to, in any order. Non-finite weights are refused.

    Each weight is its 53-bit mantissa times 2**(exponent - 1075) (IEEE 754, read from its bits: integer work
    only); the mantissas of each exponent are summed in int64, split in high and low bits so that no sum overflows,
    and shifted to units of 2**-1074 in Python's integers."""
    values = np.ascontiguousarray(weights, dtype=np.float64)
    values = values[rows] if rows is not None else values
    if not len(values):
        return 0
    bits = values.view(np.int64)
    exponents = (bits >> FRACTION_BITS) & 0x7FF
    if (exponents == 0x7FF).any():
        raise ValueError("a weight that is not a finite number cannot be summed")
    mantissas = bits & ((1 << FRACTION_BITS) - 1)
    normal = exponents > 0
    mantissas[normal] |= 1 << FRACTION_BITS  # the implicit leading bit; a subnormal's exponent reads as 1
    exponents[~normal] = 1
    np.negative(mantissas, out=mantissas, where=bits < 0)
    present = _exponents(exponents)
    total = 0
    for exponent in present:
        part = mantissas if len(present) == 1 else mantissas[exponents == exponent]
        whole = (int((part >> LOW_BITS).sum()) << LOW_BITS) + int((part & ((1 << LOW_BITS) - 1)).sum())
        total += whole << (exponent - 1)  # 2**(exponent - 1075) is 2**(exponent - 1) units of 2**-1074
    return total


def _exponents(exponents: np.ndarray) -> list[int]:
    """The exponents present, from the least to the greatest (weights span a few binades: a pass over them each)."""
    low, high = int(exponents.min()), int(exponents.max())
    if high - low > 16:
        return np.unique(exponents).tolist()
    return [value for value in range(low, high + 1) if low == high or (exponents == value).any()]


def weight_count(exact: int) -> float:
    """A sum of weights from :func:`exact_weight`: the float64 nearest to it, the same however it was summed."""
    return float(Fraction(exact, 1 << UNIT_EXPONENT))


def weighted_count(weights: np.ndarray, rows: np.ndarray | None = None) -> float:
    """The weighted count of ``rows`` (all persons where None): :func:`weight_count` of :func:`exact_weight`."""
    return weight_count(exact_weight(weights, rows))
