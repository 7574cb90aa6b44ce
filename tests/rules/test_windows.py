"""A window's months summed per person: flags counted and amounts added over the months before the month
evaluated, or up to the month of each person's own end date."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openfisca_core import periods

from openfisca_sp.rules.windows import (
    MAX_SHIFT_MONTHS,
    NO_DATE,
    _moved,
    average_capped_wage,
    months_back,
    months_of,
    window_first_months,
    window_sum,
)

PERIOD = periods.period("2026-10")


def _history(persons: int, seed: int, flags: bool):
    """A value per person for any month, the same each time the month is asked for."""

    def value_of(month, rows):
        generator = np.random.default_rng([seed, month.start.year, month.start.month])
        values = generator.random(persons) < 0.6 if flags else np.round(generator.random(persons) * 1e6, 2)
        return values if rows is None else values[rows]

    return value_of


def _expected(value_of, months: int, shifts: np.ndarray) -> np.ndarray:
    """Each person's sum over the ``months`` months ending ``shift`` months before the month just before PERIOD."""
    persons = len(shifts)
    total = np.zeros(persons)
    for person in range(persons):
        for back in range(shifts[person] + 1, shifts[person] + months + 1):
            month = PERIOD.offset(-back, "month")
            total[person] += value_of(month, None)[person]
    return total


@settings(max_examples=25, deadline=None)
@given(
    months=st.sampled_from([1, 12, 24, 255, 256, 300]),
    flags=st.booleans(),
    shifts=st.lists(st.integers(0, MAX_SHIFT_MONTHS), min_size=1, max_size=12),
    seed=st.integers(0, 1000),
)
def test_a_window_sums_each_persons_own_months(months, flags, shifts, seed):
    value_of = _history(len(shifts), seed, flags)
    shift = np.asarray(shifts)
    ends = np.where(
        shift > 0,
        (np.datetime64("2026-09", "M") - shift).astype("datetime64[D]") + 14,  # mid-month: the month counts
        NO_DATE,
    )
    found = window_sum(PERIOD, months, ends, value_of)
    assert found.dtype == (np.int32 if flags else np.float64)
    np.testing.assert_allclose(found, _expected(value_of, months, shift), rtol=1e-9)


@settings(max_examples=25, deadline=None)
@given(
    months=st.sampled_from([1, 6, 24]),
    ends=st.lists(st.sampled_from([None, "2026-09-30", "2026-03-01", "2025-01-15", "2020-06-30"]), min_size=1),
)
def test_the_first_month_of_each_window_is_the_oldest_it_sums(months, ends):
    """A window's first month (:func:`window_first_months`, bounding the months of wages a claim is asked for) is
    the oldest month it reads: it is summed, and no month before it."""
    ends = np.array([NO_DATE if end is None else np.datetime64(end, "D") for end in ends])
    first = window_first_months(PERIOD, months, ends, len(ends))

    def flags(compare):
        def value_of(month, rows):
            flagged = compare(np.datetime64(month.start.date, "M"), first)
            return flagged if rows is None else flagged[rows]

        return value_of

    assert (window_sum(PERIOD, months, ends, flags(np.equal)) == 1).all()
    assert (window_sum(PERIOD, months, ends, flags(np.less)) == 0).all()


@pytest.mark.parametrize("months", [255, 256])
def test_counts_of_every_month_flagged_do_not_wrap(months):
    found = window_sum(PERIOD, months, None, lambda month, rows: np.ones(3, dtype=bool))
    assert found.tolist() == [months] * 3 and found.dtype == np.int32


@settings(max_examples=40, deadline=None)
@given(
    months=st.sampled_from([1, 2, 12, 24, 36, 255, 256]),
    flags=st.booleans(),
    shifts=st.lists(st.integers(0, MAX_SHIFT_MONTHS), min_size=1, max_size=12),
    seed=st.integers(0, 1000),
)
def test_a_window_given_at_once_sums_to_the_same_bits_as_month_by_month(months, flags, shifts, seed):
    """The usual window's months given as one stack (``stack_of``) are summed exactly as month by month:
    counts the same, amounts added in the same order, to the last bit (for one person as for several)."""
    value_of = _history(len(shifts), seed, flags)
    shift = np.asarray(shifts)
    ends = np.where(shift > 0, (np.datetime64("2026-09", "M") - shift).astype("datetime64[D]"), NO_DATE)

    def stack_of(window):
        return np.stack([value_of(month, None) for month in window])

    found = window_sum(PERIOD, months, ends, value_of, stack_of)
    expected = window_sum(PERIOD, months, ends, value_of)
    assert found.dtype == expected.dtype
    assert found.tobytes() == expected.tobytes()


def _with_unknown_months(value_of, backs: set[int]):
    """``value_of`` with NaN (a value not known: a null NOT FOUND) in the months ``backs`` months before PERIOD."""

    def unknown_in(month, rows):
        values = value_of(month, rows).astype(np.float64)
        back = (PERIOD.start.year - month.start.year) * 12 + PERIOD.start.month - month.start.month
        return np.full(len(values), np.nan) if back in backs else values

    return unknown_in


@settings(max_examples=40, deadline=None)
@given(
    months=st.sampled_from([1, 2, 6, 12]),
    shifts=st.lists(st.integers(0, MAX_SHIFT_MONTHS), min_size=1, max_size=12),
    backs=st.sets(st.integers(1, MAX_SHIFT_MONTHS + 12), max_size=3),
    together=st.booleans(),
    seed=st.integers(0, 1000),
)
def test_a_month_not_known_leaves_unknown_only_the_sums_whose_own_window_reads_it(
    months, shifts, backs, together, seed
):
    """A month NaN (not known) makes NaN the sum of each person whose own window reads it, and of no one else: a
    window ending earlier than the usual one (with a labour contract) does not read the usual window's months."""
    value_of = _with_unknown_months(_history(len(shifts), seed, flags=False), backs)
    shift = np.asarray(shifts)
    ends = np.where(shift > 0, (np.datetime64("2026-09", "M") - shift).astype("datetime64[D]"), NO_DATE)

    def stack_of(window):
        return np.stack([value_of(month, None) for month in window])

    found = window_sum(PERIOD, months, ends, value_of, stack_of if together else None)
    expected = _expected(value_of, months, shift)
    np.testing.assert_array_equal(np.isnan(found), np.isnan(expected))
    np.testing.assert_allclose(found, expected, rtol=1e-9)


@settings(max_examples=60, deadline=None)
@given(
    offsets=st.lists(st.one_of(st.none(), st.integers(-1_200, 400)), max_size=60),
    month=st.integers(600, 800),
)
def test_the_persons_whose_window_moved_are_those_shifted_by_a_month_or_more(offsets, month):
    """Found among those who state a date: the rows and shifts of everyone's shifts above 0, in their order."""
    period = periods.period(str(np.datetime64(month, "M")))
    ends = np.array([NO_DATE if offset is None else NO_DATE + 20_000 + offset for offset in offsets], "datetime64[D]")
    if len(ends):
        ends[0] = np.datetime64("NaT") if offsets[0] is None else ends[0]
    current = np.datetime64(month, "M")
    shifts = [  # each person's, straightforwardly: the months from the end's month to the month before, at most 24
        0
        if end <= NO_DATE or np.isnat(end)
        else min(max(int(current - 1 - end.astype("datetime64[M]")), 0), MAX_SHIFT_MONTHS)
        for end in ends
    ]
    moved = _moved(period, ends)
    if not any(end > NO_DATE for end in ends):
        assert moved is None  # nobody states a date
        return
    rows, shift = moved
    expected = [row for row, months in enumerate(shifts) if months > 0]
    assert rows.tolist() == expected
    assert shift.dtype == np.int64 and shift.tolist() == [shifts[row] for row in expected]
    first = window_first_months(period, 6, ends, len(ends))
    assert first.tolist() == [current - 6 - months for months in shifts]
    assert _moved(period, None) is None


class _Wages:
    """A population whose insured wages (float32, some not known) are drawn per month, the same each time."""

    simulation = None  # no simulation: each month is read on its own

    def __init__(self, count: int, seed: int):
        self.count, self.seed = count, seed

    def __call__(self, variable: str, month):
        generator = np.random.default_rng([self.seed, month.start.year, month.start.month])
        wages = (generator.random(self.count) * 4e7 - 2e6).astype(np.float32)
        wages[generator.random(self.count) < 0.05] = np.nan
        return wages


@settings(max_examples=30, deadline=None)
@given(
    count=st.sampled_from([1, 5, 700]),  # a few persons: their months stacked; more: month by month
    months=st.sampled_from([1, 6, 24]),
    per_person=st.booleans(),
    seed=st.integers(0, 1000),
)
def test_an_average_capped_wage_is_each_months_wage_in_float64_capped_then_added(count, months, per_person, seed):
    """Each month's float32 wage converted to float64 and capped at 0 and the month's ceiling (one, or each
    person's, NaN for some), added month after month: the same bits."""
    person = _Wages(count, seed)
    tops = np.random.default_rng(seed).random(count) * 3e7
    tops[::4] = np.nan

    def ceiling(month):
        return tops * (1 + month.start.month / 100) if per_person else 2.5e7 + month.start.month

    expected = np.zeros(count)
    for month in months_of(months_back(PERIOD, months)):
        top = ceiling(month)
        expected += np.clip(person("insured_wage", month).astype(np.float64), 0, top)
    found = average_capped_wage(person, PERIOD, months, ceiling)
    assert found.tobytes() == (expected / months).tobytes()
