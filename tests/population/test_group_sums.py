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


def metrics_every_row(code: str, sides) -> dict[str, np.ndarray]:
    """A branch's per-person metrics over every row, as the comparison computed them before they were taken on the
    rows it pays alone."""
    values = {f"{code}.{side}.beneficiaries": sides[side].eligible for side in ("baseline", "reform")}
    values.update({f"{code}.{side}.cost": sides[side].amounts for side in ("baseline", "reform")})
    change = sides["reform"].amounts - sides["baseline"].amounts
    values.update(
        {
            f"{code}.winners": change > 0,
            f"{code}.losers": change < 0,
            f"{code}.gains": np.maximum(change, 0),
            f"{code}.losses": np.maximum(-change, 0),
        }
    )
    return values


@st.composite
def branch_sides(draw: st.DrawFn, count: int) -> dict:
    """A branch's amounts on both sides, a few persons paid (the very same on both sides, or not)."""
    from openfisca_sp.analysis.aggregates import BranchAmounts

    def one() -> BranchAmounts:
        paid = draw(arrays(bool, count, elements=st.sampled_from([False, False, False, True])))
        amounts = draw(arrays(np.float64, count, elements=st.sampled_from([150.0, 0.1, 1e6, 33.3, 0.0])))
        return BranchAmounts(paid, np.where(paid, amounts, 0.0), rule_modelled=True)

    baseline = one()
    return {"baseline": baseline, "reform": baseline if draw(st.booleans(), label="same on both sides") else one()}


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 60).flatmap(lambda count: st.tuples(st.just(count), st.data())))
def test_the_comparison_sums_the_rows_a_branch_pays_as_every_row(case):
    """Each branch's metrics taken on the rows it pays (:class:`OnRows`): the sums per cell and the exact counts of
    beneficiaries of every row, to the last bit."""
    from openfisca_sp.analysis.aggregates import aggregate, all_benefits, coverage_metrics, exact_count_names
    from openfisca_sp.analysis.breakdowns import CELLS
    from openfisca_sp.analysis.coverage import GROUP_CODES
    from openfisca_sp.population.weight_sums import exact_weight
    from openfisca_sp.rules.branches import BRANCHES

    count, data = case
    codes = ("old_age", "maternity", "disability")
    amounts = {code: data.draw(branch_sides(count), label=code) for code in codes}
    weights = data.draw(arrays(np.float64, count, elements=st.floats(0.5, 1e4)))
    cells = data.draw(arrays(np.int64, count, elements=st.integers(0, CELLS - 1)))
    groups = {group: data.draw(arrays(bool, count), label=group) for group in GROUP_CODES}
    branches = {side: [BRANCHES[code] for code in codes] for side in ("baseline", "reform")}
    found = aggregate(branches, {}, weights, cells, groups, "2026-10", amounts)

    values = {name: value for code, sides in amounts.items() for name, value in metrics_every_row(code, sides).items()}
    values.update(metrics_every_row("all", all_benefits(amounts.values(), count)))
    by_code = {side: {code: BRANCHES[code] for code in codes} for side in ("baseline", "reform")}
    from openfisca_sp.analysis.aggregates import _covered

    values.update(coverage_metrics(groups, _covered(by_code, amounts, count)))
    for name, value in values.items():
        assert np.array_equal(found.column(name), np.bincount(cells, weights=weights * value, minlength=CELLS)), name
    for name in exact_count_names(codes):
        assert found.counts[name] == exact_weight(weights, values[name]), name
