"""Sums per group over the rows that count: equal, to the last bit, to the sums over every row that the comparison
and the poverty figures computed before; each group's extremes, as a group by group reading finds them."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from openfisca_sp.analysis.group_sums import group_extremes, weighted_sums
from openfisca_sp.analysis.poverty import BINS, GROUPS, SERIES, bin_of, poverty_sums

SIZE = 7
ROWS = st.integers(0, 80)
NUMBERS = st.one_of(
    st.sampled_from([0.0, -0.0, 1.0, np.nan, np.inf]), st.floats(-1e9, 1e9, allow_subnormal=False), st.just(0.0)
)


def dense_sums(values: np.ndarray, weights: np.ndarray, groups: np.ndarray, size: int) -> np.ndarray:
    """Every row's weighted value, summed per group (as the comparison summed before)."""
    with np.errstate(invalid="ignore"):  # a weight of 0 times an infinite value
        return np.bincount(groups, weights=weights * values, minlength=size)


@st.composite
def grouped(draw: st.DrawFn, dtype: type) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    count = draw(ROWS)
    elements = st.booleans() if dtype is bool else NUMBERS
    values = draw(arrays(dtype, count, elements=elements))
    weights = draw(arrays(np.float64, count, elements=st.floats(0, 1e6, allow_subnormal=False)))
    groups = draw(arrays(np.int64, count, elements=st.integers(0, SIZE - 1)))
    return values, weights, groups


@settings(max_examples=150, deadline=None)
@given(grouped(bool))
def test_flags_sum_as_every_row(case):
    values, weights, groups = case
    assert np.array_equal(weighted_sums(values, weights, groups, SIZE), dense_sums(values, weights, groups, SIZE))


@settings(max_examples=150, deadline=None)
@given(grouped(np.float64))
def test_amounts_sum_as_every_row(case):
    """Zeros (and negative zeros) skipped, NaN and infinities kept: the same float64 sums, bit for bit."""
    values, weights, groups = case
    with np.errstate(invalid="ignore"):  # an infinity times a weight of 0 is NaN, on both sides
        got = weighted_sums(values, weights, groups, SIZE)
        expected = dense_sums(values, weights, groups, SIZE)
    assert np.array_equal(got, expected, equal_nan=True)
    assert np.array_equal(np.signbit(got), np.signbit(expected))


def extremes_at(groups: np.ndarray, values: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Each group's least and greatest value, group by group in Python: NaN if the group holds one, +inf and -inf
    if it is empty."""
    low, high = np.full(size, np.inf), np.full(size, -np.inf)
    for group in np.unique(groups):  # the groups present (the others stay empty)
        held = [float(value) for value in values[groups == group]]
        if any(np.isnan(value) for value in held):
            low[group] = high[group] = np.nan
        elif held:
            low[group], high[group] = min(held), max(held)
    return low, high


@settings(max_examples=150, deadline=None)
@given(grouped(np.float64), st.sampled_from([SIZE, 70_000]))
def test_extremes_are_each_groups_least_and_greatest(case, size):
    """Each group's least and greatest value (NaN where the group holds one; ±inf where it is empty), for few
    groups and many."""
    values, _, groups = case
    groups = groups * (size // SIZE)
    for got, expected in zip(group_extremes(groups, values, size), extremes_at(groups, values, size), strict=True):
        assert np.array_equal(got, expected, equal_nan=True)


@pytest.mark.parametrize("group", [-1, SIZE])
def test_a_group_out_of_range_is_refused(group):
    with pytest.raises(IndexError, match="outside 0 to 6"):
        group_extremes(np.array([0, group]), np.array([1.0, 2.0]), SIZE)


def poverty_sums_every_row(incomes, weights, groups, line):
    """The poverty sums of one line, each series' bins and extremes computed over every row."""
    poor, gap = np.zeros((len(SERIES), GROUPS)), np.zeros((len(SERIES), GROUPS))
    low, high = np.full((len(SERIES), GROUPS * BINS), np.inf), np.full((len(SERIES), GROUPS * BINS), -np.inf)
    for s, series in enumerate(SERIES):
        values = incomes[series]
        poor[s] = np.bincount(groups, weights=weights * (values < line), minlength=GROUPS)
        gap[s] = np.bincount(groups, weights=weights * (np.maximum(line - values, 0.0) / line), minlength=GROUPS)
        flat = groups * BINS + bin_of(values)
        np.minimum.at(low[s], flat, values)
        np.maximum.at(high[s], flat, values)
    return poor, gap, low, high


@settings(max_examples=80, deadline=None)
@given(
    arrays(np.float64, st.integers(0, 60), elements=st.floats(0, 1e9, allow_subnormal=False)),
    st.data(),
)
def test_poverty_sums_as_every_row(before, data):
    """A benefit raises some incomes (the reform some more): the bins taken from the series before, and the
    sums over the rows below the line, are those of every row."""
    count = len(before)
    raised = data.draw(arrays(np.float64, count, elements=st.sampled_from([0.0, 0.0, 0.0, 150.0, 1e6])))
    more = data.draw(arrays(np.float64, count, elements=st.sampled_from([0.0, 0.0, 25.0])))
    incomes = {"before": before, "baseline": before + raised, "reform": before + raised + more}
    weights = data.draw(arrays(np.float64, count, elements=st.floats(0.5, 100)))
    groups = data.draw(arrays(np.int64, count, elements=st.integers(0, GROUPS - 1)))
    urban = data.draw(arrays(bool, count))
    if data.draw(st.booleans(), label="one national line"):
        sums, _ = poverty_sums(incomes, weights, groups, {"national": 350.0})
        line = np.full(count, 350.0)
    else:  # each person's area line
        sums, _ = poverty_sums(incomes, weights, groups, {"rural": 300.0, "urban": 400.0}, urban)
        line = np.where(urban, 400.0, 300.0)
    poor, gap, low, high = poverty_sums_every_row(incomes, weights, groups, line)
    assert np.array_equal(sums.poor[0], poor)
    assert np.array_equal(sums.gap[0], gap)
    assert np.array_equal(sums.low.reshape(len(SERIES), -1), low)
    assert np.array_equal(sums.high.reshape(len(SERIES), -1), high)
