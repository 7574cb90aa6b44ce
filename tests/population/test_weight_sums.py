"""Weighted counts summed exactly (:mod:`openfisca_sp.population.weight_sums`): the same whatever the order of the
persons or the chunks and partitions a population is split into, and the float64 nearest to the true sum."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openfisca_sp.population.weight_sums import exact_weight, weight_count, weighted_count

WEIGHTS = st.lists(st.floats(0, 1e9, allow_nan=False, allow_infinity=False), max_size=200)


@settings(max_examples=200, deadline=None)
@given(WEIGHTS, st.integers(0, 200), st.randoms(use_true_random=False))
def test_a_sum_of_weights_is_the_same_in_any_order_and_split(weights, split, random):
    """Summed whole, in two parts added, or shuffled: one number, the float64 nearest to the true sum."""
    values = np.array(weights, dtype=np.float64)
    exact = exact_weight(values)
    assert Fraction(exact, 1 << 1074) == sum(map(Fraction, weights), Fraction(0))
    cut = min(split, len(values))
    assert exact_weight(values[:cut]) + exact_weight(values[cut:]) == exact
    shuffled = list(weights)
    random.shuffle(shuffled)
    assert weighted_count(np.array(shuffled)) == weight_count(exact) == math.fsum(weights)


def test_lao_s_weights_counted_by_rows_and_in_chunks_agree():
    """Lao PDR's sample weighs each person 372.15: 28 of them summed pairwise (NumPy) and one by one differ in the
    last bit; counted exactly, they do not."""
    weights = np.full(20_000, 372.15)
    rows = np.zeros(20_000, dtype=bool)
    rows[::700] = True
    chunks = [
        exact_weight(weights[start : start + 3_000], rows[start : start + 3_000]) for start in range(0, 20_000, 3_000)
    ]
    assert weight_count(sum(chunks)) == weighted_count(weights, rows) == math.fsum(weights[rows].tolist())


def test_a_weight_that_is_no_number_is_refused():
    with pytest.raises(ValueError, match="not a finite number"):
        exact_weight(np.array([1.0, np.nan]))
