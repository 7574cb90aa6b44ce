"""Each income's decile: the cut points below it counted, as a binary search over them finds it."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from openfisca_sp.analysis.breakdowns import decile_of

INCOMES = st.floats(allow_nan=True, allow_infinity=True, width=64)


@settings(max_examples=300, deadline=None)
@given(values=arrays(np.float64, st.integers(0, 60), elements=INCOMES), points=st.lists(INCOMES, max_size=12))
def test_a_decile_is_where_a_sorted_search_puts_the_value(values, points):
    cut_points = np.sort(np.array(points, dtype=np.float64))  # NaN last, as NumPy sorts them
    expected = np.searchsorted(cut_points, values, side="left").astype(np.int64)
    found = decile_of(values, cut_points)
    assert found.dtype == np.int64
    assert np.array_equal(found, expected)


def test_ties_zeros_and_integers_are_searched_alike():
    cut_points = np.array([0.0, 0.0, 5.0, 5.0, 5.0, 9.5, 10.0, 10.0, np.nan])
    values = np.array([-1.0, -0.0, 0.0, 4.9, 5.0, 5.1, 9.5, 10.0, 11.0, np.inf, -np.inf, np.nan])
    assert np.array_equal(decile_of(values, cut_points), np.searchsorted(cut_points, values, side="left"))
    integers = np.arange(-3, 14)
    assert np.array_equal(decile_of(integers, cut_points), np.searchsorted(cut_points, integers, side="left"))
