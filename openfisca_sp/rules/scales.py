"""The law's scales computed for many persons: brackets summed in float64 so that a person's value never depends on
who is computed with them, whole counts looked up once per count, a scale the law may set by sex."""

from __future__ import annotations

from typing import Any

import numpy as np
from openfisca_core.taxscales import MarginalRateTaxScale

from openfisca_sp.rules.branch_nodes import has


def scale_of(scale: Any, base: np.ndarray) -> np.ndarray:
    """``scale.calc(base)``, where a marginal-rate scale is computed bracket by bracket, each person's value on
    its own (:func:`marginal_rates`)."""
    return marginal_rates(scale, base) if type(scale) is MarginalRateTaxScale else scale.calc(base)


def marginal_rates(scale: MarginalRateTaxScale, base: np.ndarray) -> np.ndarray:
    """openfisca-core's ``MarginalRateTaxScale.calc(base)`` (no factor, no rounding), summed bracket by bracket in
    float64, so that a person's value does not depend on who is computed with them. openfisca-core sums the
    brackets with one ``numpy.dot`` over everyone, whose last bit depends on the array's length: 8 years on Viet
    Nam's accrual scale (2026) gave 0.11 in a population and 0.10999999999999999 for a person alone. Thresholds
    are shifted by one epsilon, as openfisca-core shifts them."""
    base = np.asarray(base, dtype=np.float64)
    shift = 1.0 + np.finfo(np.float64).eps
    bounds = [threshold * shift for threshold in scale.thresholds] + [np.inf]
    total = np.zeros(base.shape)
    for rate, low, high in zip(scale.rates, bounds[:-1], bounds[1:], strict=True):
        total += rate * np.maximum(np.minimum(base, high) - low, 0)
    return total


def scale_of_counts(scale: Any, counts: np.ndarray) -> np.ndarray:
    """:func:`scale_of` of whole ``counts`` (an integer array: months of contributions, a category): computed once
    for every count from the least to the largest, then looked up per person, when there are fewer counts than
    persons (one pass instead of a search per person). The same values as computing each person on their own."""
    counts = np.asarray(counts)
    if counts.dtype.kind not in "iu" or not counts.size:
        return scale_of(scale, counts)
    low, top = int(counts.min()), int(counts.max())
    if top - low + 1 >= counts.size:
        return scale_of(scale, counts)
    values = np.asarray(scale_of(scale, np.arange(low, top + 1, dtype=counts.dtype)))
    return np.take(values, counts if low == 0 else counts - low)


def scale_by_sex(node: Any, female: np.ndarray, base: np.ndarray) -> np.ndarray:
    """Apply a scale that the law may set separately for men and women."""
    if has(node, "men") and has(node, "women"):
        return np.where(female, scale_of(node.women, base), scale_of(node.men, base))
    return scale_of(node, base)


def whole_number_scale_by_sex(node: Any, female: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """:func:`scale_by_sex` of whole ``counts`` (completed years, as floats), each scale looked up per count
    (:func:`scale_of_counts`). The same values as computing each person's count on its own, and a person's value
    does not depend on who else is computed with them."""
    whole = np.asarray(counts).astype(np.int64)
    if has(node, "men") and has(node, "women"):
        return np.where(female, scale_of_counts(node.women, whole), scale_of_counts(node.men, whole))
    return scale_of_counts(node, whole)
