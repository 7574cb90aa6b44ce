"""Each date's month and day of the month, by arithmetic for a few dates and by a table over their range for
many: the same parts either way."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from openfisca_sp.rules.calendar import (
    FEW_DATES,
    completed_months,
    month_and_day,
    month_first_days,
    month_numbers,
    month_starts,
)


def _by_arithmetic(days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    months = days.astype("datetime64[M]")
    return months.astype(np.int64), (days - months.astype("datetime64[D]")).astype(np.int64)


@settings(max_examples=60, deadline=None)
@given(
    offsets=st.lists(st.integers(-40_000, 40_000), min_size=1, max_size=3 * FEW_DATES),
    missing=st.booleans(),
)
def test_a_dates_month_and_day_are_the_same_by_table_or_arithmetic(offsets, missing):
    days = np.datetime64("1990-06-15") + np.asarray(offsets, dtype="timedelta64[D]")
    if missing:
        days[0] = np.datetime64("NaT")
    found, expected = month_and_day(days), _by_arithmetic(days)
    for part, wanted in zip(found, expected, strict=True):
        assert part.dtype == np.int64
        np.testing.assert_array_equal(part, wanted)


def test_a_month_of_age_is_completed_on_the_day_of_the_month_of_birth():
    birth = np.array(["1964-03-15", "1964-03-01", "1964-01-31"], dtype="datetime64[D]")
    on = np.array(["2024-03-14", "2024-03-01", "2024-02-29"], dtype="datetime64[D]")
    assert completed_months(birth, on).tolist() == [719, 720, 720]


@settings(max_examples=60, deadline=None)
@given(months=st.lists(st.integers(-2_000, 2_000), min_size=1, max_size=3 * FEW_DATES), wide=st.booleans())
def test_a_months_first_day_is_the_same_by_table_or_arithmetic(months, wide):
    numbers = np.asarray(months, dtype=np.int64) * (400 if wide else 1)  # a wide range: arithmetic, not a table
    expected = numbers.astype("datetime64[M]").astype("datetime64[D]")
    np.testing.assert_array_equal(month_first_days(numbers), expected)


@settings(max_examples=60, deadline=None)
@given(
    offsets=st.lists(st.integers(-40_000, 40_000), min_size=1, max_size=3 * FEW_DATES),
    missing=st.booleans(),
    spread=st.sampled_from([1, 3, 400]),  # few days apart: a table over their range; far apart: arithmetic
)
def test_a_dates_month_start_is_its_conversion_to_the_month_and_back(offsets, missing, spread):
    days = np.datetime64("1990-06-15") + np.asarray(offsets, dtype=np.int64) // (400 // spread)
    if missing:
        days[0] = np.datetime64("NaT")
    expected = days.astype("datetime64[M]").astype("datetime64[D]")
    found = month_starts(days)
    assert found.dtype == expected.dtype
    np.testing.assert_array_equal(found, expected)


@settings(max_examples=60, deadline=None)
@given(
    month=st.integers(-300, 1_500),
    days_in=st.lists(st.integers(0, 30), min_size=FEW_DATES + 1, max_size=4 * FEW_DATES),
    next_month=st.booleans(),
)
def test_many_dates_of_one_month_have_the_parts_arithmetic_gives(month, days_in, next_month):
    """Many dates in one month (a month's claims: no table over their range) or in two (a table): each part, asked
    for alone or with the other, is the arithmetic's."""
    first = np.datetime64(month, "M").astype("datetime64[D]")
    last = (np.datetime64(month, "M") + 1).astype("datetime64[D]") - 1
    days = np.minimum(first + np.asarray(days_in, dtype="timedelta64[D]"), last)
    if next_month:
        days[-1] = last + 1
    months, day_of_month = _by_arithmetic(days)
    found_month, found_day = month_and_day(days)
    for part, wanted in ((found_month, months), (found_day, day_of_month), (month_numbers(days), months)):
        assert part.dtype == np.int64
        np.testing.assert_array_equal(part, wanted)
    np.testing.assert_array_equal(month_starts(days), days.astype("datetime64[M]").astype("datetime64[D]"))


@settings(max_examples=40, deadline=None)
@given(offsets=st.lists(st.integers(-40_000, 40_000), min_size=1, max_size=3 * FEW_DATES), missing=st.booleans())
def test_a_dates_month_alone_is_the_month_of_its_month_and_day(offsets, missing):
    days = np.datetime64("1990-06-15") + np.asarray(offsets, dtype="timedelta64[D]")
    if missing:
        days[0] = np.datetime64("NaT")
    found = month_numbers(days)
    assert found.dtype == np.int64
    np.testing.assert_array_equal(found, _by_arithmetic(days)[0])


def test_one_dates_month_start_is_a_date_as_numpys_subtraction_gives_it():
    for day in (np.datetime64("2024-02-29"), np.datetime64("NaT", "D"), np.array(np.datetime64("1969-12-31", "D"))):
        found = month_starts(day)
        assert type(found) is np.datetime64
        assert np.array_equal(found, np.datetime64(day, "M").astype("datetime64[D]"), equal_nan=True)


@settings(max_examples=60, deadline=None)
@given(
    offsets=st.lists(st.integers(-40_000, 40_000), min_size=1, max_size=3 * FEW_DATES),
    day=st.integers(-20_000, 40_000),
    as_array=st.booleans(),
    missing=st.sampled_from([None, "birth", "day"]),
)
def test_completed_months_on_one_day_for_everyone_are_each_persons_arithmetic(offsets, day, as_array, missing):
    """One day for everyone (a month's decisions; gathered from a table over the birth dates): each person's
    completed months as the arithmetic of their own birth's month and day gives them."""
    birth = np.datetime64("1990-06-15") + np.asarray(offsets, dtype="timedelta64[D]")
    on = np.datetime64(day, "D")
    if missing == "birth":
        birth[0] = np.datetime64("NaT")
    if missing == "day":
        on = np.datetime64("NaT", "D")
    ons = np.full(len(birth), on) if as_array else on
    (birth_month, birth_day), (month, day_of_month) = _by_arithmetic(birth), _by_arithmetic(np.asarray([on]))
    found = completed_months(birth, ons)
    assert found.dtype == np.int64 and found.shape == birth.shape
    np.testing.assert_array_equal(found, (month - birth_month) - (birth_day > day_of_month))


@settings(max_examples=30, deadline=None)
@given(month=st.integers(-3_000, 3_000), count=st.integers(1, 4 * FEW_DATES), rows=st.integers(1, 3))
def test_many_persons_first_day_of_one_month_is_that_months_first_day(month, count, rows):
    """Everyone in one month (a month's claims): each is given the month's first day, of the table's type."""
    months = np.full((rows, count), month, dtype=np.int64)
    found = month_first_days(months)
    assert found.dtype == np.dtype("datetime64[D]") and found.shape == months.shape
    np.testing.assert_array_equal(found, np.full(months.shape, np.datetime64(month, "M").astype("datetime64[D]")))
