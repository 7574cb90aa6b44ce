"""The quick answers for the few values of a small decision give numpy's answers, and their arrays are the
caller's own."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from openfisca_sp.decisions.schedules import NOT_A_DATE
from openfisca_sp.rules import small_arrays
from openfisca_sp.rules.small_arrays import anyone, constant, everyone, filled

FLAGS = hnp.arrays(
    dtype=st.sampled_from([np.dtype(bool), np.dtype(np.int16), np.dtype(np.float64)]),
    shape=hnp.array_shapes(min_dims=1, max_dims=2, min_side=0, max_side=40),
)


@settings(max_examples=500, deadline=None)
@given(FLAGS)
def test_anyone_and_everyone_answer_as_numpy(values: np.ndarray) -> None:
    assert anyone(values) is bool(np.any(values))
    assert everyone(values) is bool(np.all(values))


@settings(max_examples=300, deadline=None)
@given(
    count=st.integers(min_value=0, max_value=40),
    value_and_dtype=st.sampled_from(
        [
            (np.nan, None),
            (0.0, None),
            (1, None),
            (True, None),
            (np.float32(1.5), None),
            (NOT_A_DATE, None),
            (np.datetime64("2024-06-01", "D"), None),
            (np.datetime64("2024-06-01T00", "h"), None),  # equal to the day, as a key: its own unit kept
            (np.timedelta64(1, "h"), None),
            (-0.0, None),  # equal to 0.0, as a key: its sign kept
            (np.float32(-0.0), None),
            ("not_applicable", object),
            (None, object),
            (2, np.int16),
            ([1, 2], object),  # not a key of the cache: filled as numpy fills it
        ]
    ),
)
def test_filled_is_numpys_full_and_the_callers_own(count: int, value_and_dtype: tuple) -> None:
    value, dtype = value_and_dtype
    if isinstance(value, list):
        expected = np.empty(count, dtype=object)
        expected.fill(value)
    else:
        expected = np.full(count, value, dtype=dtype)
    first = filled(count, value, dtype)
    assert first.dtype == expected.dtype
    assert first.shape == expected.shape
    np.testing.assert_array_equal(first, expected)
    if first.dtype.kind == "f":
        assert np.array_equal(np.signbit(first), np.signbit(expected))
    assert first.flags.writeable
    if count and not isinstance(value, list):
        first[0] = "changed" if dtype is object else np.zeros((), dtype=first.dtype)
        second = filled(count, value, dtype)  # a change to one array never reaches the next
        np.testing.assert_array_equal(second, expected)


@settings(max_examples=100, deadline=None)
@given(
    count=st.integers(min_value=0, max_value=40),
    value=st.sampled_from([np.nan, 0.0, -0.0, NOT_A_DATE, np.datetime64("NaT", "h"), True, 1, 1.0]),
)
def test_constant_is_numpys_full_read_only(count: int, value: object) -> None:
    array, expected = constant(count, value), np.full(count, value)
    np.testing.assert_array_equal(array, expected)
    assert array.dtype == expected.dtype
    if array.dtype.kind == "f":
        assert np.array_equal(np.signbit(array), np.signbit(expected))
    assert not array.flags.writeable  # shared between callers: none may change it


def test_the_arrays_kept_are_bounded_and_still_right_after_being_let_go():
    """More distinct values than ``KEPT_MOST`` never keep more arrays than that, and every array is still right."""
    for value in range(small_arrays.KEPT_MOST * 2 + 3):
        assert small_arrays.filled(2, value).tolist() == [value, value]
        assert len(small_arrays._KEPT) <= small_arrays.KEPT_MOST
    assert small_arrays.constant(3, np.datetime64("2024-01-01T00", "h")).dtype == np.dtype("datetime64[h]")
    assert small_arrays.constant(3, np.datetime64("2024-01-01", "D")).dtype == np.dtype("datetime64[D]")
