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

UNIT_EXPONENT = 1074  # every float64, subnormals included, is a whole multiple of 2**-1074
MANTISSA_BITS = 53
LOW_BITS = 21  # a 53-bit mantissa split in 32 high and 21 low bits: 2**31 of either sum in int64 without overflow


def exact_weight(weights: np.ndarray, rows: np.ndarray | None = None) -> int:
    """The sum of float64 ``weights`` (of ``rows``, a boolean mask, where given) exactly, in units of 2**-1074: a
    whole number that the sums of disjoint parts add up to, in any order. Non-finite weights are refused."""
    values = np.asarray(weights, dtype=np.float64)
    values = values[rows] if rows is not None else values
    if not len(values):
        return 0
    if not np.isfinite(values).all():
        raise ValueError("a weight that is not a finite number cannot be summed")
    fractions, exponents = np.frexp(values)  # value = fraction × 2**exponent, 0.5 ≤ |fraction| < 1 (or 0)
    mantissas = np.ldexp(fractions, MANTISSA_BITS).astype(np.int64)  # exact: 53 bits
    present = _exponents(exponents)
    total = 0
    for exponent in present:
        part = mantissas if len(present) == 1 else mantissas[exponents == exponent]
        whole = (int((part >> LOW_BITS).sum()) << LOW_BITS) + int((part & ((1 << LOW_BITS) - 1)).sum())
        shift = exponent - MANTISSA_BITS + UNIT_EXPONENT  # below 0 for subnormals only, whose low bits are 0
        total += whole << shift if shift >= 0 else whole >> -shift
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
