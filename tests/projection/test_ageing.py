"""Static ageing: dates and history months move by whole years, ages stay, money follows the wage index, and the
weights take each cell of sex and age group to the projected population; a coverage path moves contributors'
weight without changing any cell's persons."""

from __future__ import annotations

import datetime

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openfisca_sp.population.reading import read_table
from openfisca_sp.projection.ageing import (
    WORKING_AGE,
    age_in_years,
    age_table,
    cells_of,
    coverage_factors,
    date_span,
    move_table,
    person_kinds,
    shift_dates,
    shift_spanned,
    shifted_name,
)
from openfisca_sp.projection.demography import demography

DATES = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31))


def _moved(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


@given(st.lists(DATES, min_size=1, max_size=20), st.integers(-50, 80))
def test_dates_move_by_whole_years(days: list[datetime.date], years: int) -> None:
    moved = shift_dates(np.array(days, dtype="datetime64[D]"), years)
    assert moved.tolist() == [_moved(day, years) for day in days]


@settings(max_examples=40)
@given(DATES, st.lists(st.integers(0, 400) | st.none(), min_size=2, max_size=12), st.integers(-50, 80))
def test_many_dates_move_as_each_would_alone(first: datetime.date, offsets: list, years: int) -> None:
    """A table's dates (more rows than days in their range: each day of the range moved once, then looked up)
    move as each date alone, and empty dates stay empty."""
    days = [None if offset is None else first + datetime.timedelta(days=offset) for offset in offsets]
    many = np.array(days * 500, dtype="datetime64[D]")
    assert shift_dates(many, years).tolist() == [None if day is None else _moved(day, years) for day in days] * 500


@settings(max_examples=40)
@given(DATES, st.lists(st.integers(0, 4000) | st.none(), min_size=1, max_size=12), st.integers(-50, 80), DATES)
def test_empty_dates_take_the_facts_default_and_the_others_move(
    first: datetime.date, offsets: list, years: int, default: datetime.date
) -> None:
    """Mostly empty dates (an event's: a few persons in a hundred have one) move as each date alone, and the
    empty ones become the fact's default, not moved."""
    days = [None if offset is None else first + datetime.timedelta(days=offset) for offset in offsets]
    many = np.array([*days, *[None] * 50] * 20, dtype="datetime64[D]")
    moved = shift_dates(many, years, np.datetime64(default, "D"))
    assert moved.tolist() == [default if day is None else _moved(day, years) for day in [*days, *[None] * 50]] * 20


@settings(max_examples=60)
@given(
    DATES,
    st.lists(st.integers(0, 4000) | st.none(), max_size=12),
    st.integers(0, 60),
    st.integers(1, 30),
    st.integers(-50, 80),
    st.none() | DATES,
)
def test_dates_spanned_once_move_as_shift_dates_moves_them(
    first: datetime.date, offsets: list, empties: int, repeats: int, years: int, default: datetime.date | None
) -> None:
    """A column's stated days found once (:func:`date_span`: none, few or all of them stated) move by whole years
    as :func:`shift_dates` moves them, whatever the years; where most are stated and some not, none are kept."""
    days = [None if offset is None else first + datetime.timedelta(days=offset) for offset in offsets]
    column = np.array([*days, *[None] * empties] * repeats, dtype="datetime64[D]")
    empty = None if default is None else np.datetime64(default, "D")
    span = date_span(column)
    stated = int((~np.isnat(column)).sum())
    assert (span is None) == (len(column) > stated > len(column) // 8)
    if span is not None:
        for moved_years in (years, -years, 0):
            moved = shift_spanned(column, span, moved_years, empty)
            assert moved.dtype == column.dtype
            np.testing.assert_array_equal(moved, shift_dates(column, moved_years, empty))


@given(DATES, st.integers(2000, 2090), st.integers(1, 12))
def test_age_is_completed_years_on_the_first_day_of_the_month(birth: datetime.date, year: int, month: int) -> None:
    first = datetime.date(year, month, 1)
    expected = first.year - birth.year - ((first.month, first.day) < (birth.month, birth.day))
    assert age_in_years(np.array([birth], dtype="datetime64[D]"), f"{year}-{month:02d}").tolist() == [expected]


@settings(max_examples=40)
@given(st.lists(DATES, min_size=1, max_size=8), st.integers(2000, 2090), st.integers(1, 12))
def test_many_ages_are_each_persons_age(births: list[datetime.date], year: int, month: int) -> None:
    """A table's birth dates (more rows than days in their range: each day's month and day looked up) give the
    ages each birth date gives alone."""
    many = np.array(births * 500, dtype="datetime64[D]")
    alone = [age_in_years(np.array([birth], dtype="datetime64[D]"), f"{year}-{month:02d}")[0] for birth in births]
    assert age_in_years(many, f"{year}-{month:02d}").tolist() == alone * 500


@settings(max_examples=30)
@given(st.integers(0, 60), st.lists(DATES, min_size=1, max_size=5))
def test_a_person_is_as_old_in_the_moved_month_as_in_the_base_month(years: int, births: list[datetime.date]) -> None:
    born = np.array(births, dtype="datetime64[D]")
    base = age_in_years(born, "2026-10")
    assert age_in_years(shift_dates(born, years), f"{2026 + years}-10").tolist() == base.tolist()


def test_history_columns_move_with_the_months() -> None:
    assert shifted_name("insured_wage.2026-09", 14) == "insured_wage.2040-09"
    assert shifted_name("insured_wage", 14) == "insured_wage"
    assert shifted_name("person_id", 3) == "person_id"


@pytest.fixture(scope="module")
def sample() -> pa.Table:
    return read_table("sample:vnm")


def test_the_weighted_table_matches_the_projected_population_cell_by_cell(sample: pa.Table) -> None:
    people = demography("vnm")
    aged = age_table(sample, "2026-10", 2040, people, 1.5, frozenset({"insured_wage"}))
    month = "2040-10"
    cells = cells_of(aged.table, month)
    weights = aged.table.column("weight").to_numpy()
    by_cell = np.bincount(cells, weights=weights, minlength=42)
    target = people.population(2040).reshape(-1)
    present = np.bincount(cells_of(sample, "2026-10"), minlength=42) > 0
    receives = present & ~np.append(present[1:], False)  # the oldest group present of each sex
    assert receives.sum() == 2
    assert np.allclose(by_cell[present & ~receives], target[present & ~receives], rtol=1e-9)
    assert weights.sum() == pytest.approx(target.sum(), rel=1e-9)  # groups the sample lacks go to younger ones
    assert aged.notes  # and it says so


def test_money_follows_the_wage_index_and_months_move(sample: pa.Table) -> None:
    aged = age_table(sample, "2026-10", 2031, demography("vnm"), 1.25, frozenset({"insured_wage"}))
    before = sample.column("insured_wage.2026-09").to_numpy()
    after = aged.table.column("insured_wage.2031-09").to_numpy()
    assert np.allclose(after, before * 1.25)
    assert np.allclose(aged.table.column("income").to_numpy(), sample.column("income").to_numpy() * 1.25)
    assert "insured_wage.2026-09" not in aged.table.column_names
    assert aged.table.column("contribution_months").equals(sample.column("contribution_months"))
    births = sample.column("birth_date").to_numpy(zero_copy_only=False).astype("datetime64[D]")
    assert age_in_years(aged.table.column("birth_date").to_numpy(zero_copy_only=False), "2031-10").tolist() == (
        age_in_years(births, "2026-10").tolist()
    )


def test_money_held_as_integers_beyond_float64s_exact_range_moves() -> None:
    """Amounts held as int64 beyond 2**53 are rounded to the nearest float64 (as numpy would) and scaled, not
    refused by Arrow's exact cast."""
    table = pa.table({"insured_wage.2026-09": pa.array([2**53 + 1, 1_000], type=pa.int64())})
    moved = move_table(table, 1, 2.0, frozenset({"insured_wage"}))
    assert moved.column("insured_wage.2027-09").to_pylist() == [float(2**53) * 2.0, 2_000.0]


@settings(max_examples=40, deadline=None)
@given(st.floats(0.2, 3.0))
def test_a_coverage_path_keeps_each_cell_and_moves_the_contributors_share(scale: float) -> None:
    generator = np.random.default_rng(7)
    cells = generator.integers(0, 42, 2000)
    working = generator.random(2000) < 0.7
    contributor = generator.random(2000) < 0.3
    weights = generator.uniform(1, 10, 2000)
    new = weights * coverage_factors(cells, working, contributor, weights, scale)
    assert (new >= 0).all()
    for mask in (working, ~working):
        assert np.allclose(np.bincount(cells[mask], new[mask], 42), np.bincount(cells[mask], weights[mask], 42))
    share_before = weights[working & contributor].sum() / weights[working].sum()
    share_after = new[working & contributor].sum() / new[working].sum()
    assert share_after <= min(1.0, share_before * scale) + 1e-9
    if (
        scale
        * max(
            np.bincount(cells[working & contributor], weights[working & contributor], 42)
            / np.maximum(np.bincount(cells[working], weights[working], 42), 1e-9)
        )
        <= 1
    ):
        assert share_after == pytest.approx(share_before * scale)


def test_the_contributors_target_share_is_reached(sample: pa.Table) -> None:
    people = demography("vnm")
    plain = age_table(sample, "2026-10", 2030, people, 1.0, frozenset())
    share = plain.contributors / plain.working_age
    aged = age_table(sample, "2026-10", 2030, people, 1.0, frozenset(), coverage_share=share * 1.5)
    assert aged.contributors / aged.working_age == pytest.approx(share * 1.5, rel=1e-9)
    assert aged.working_age == pytest.approx(plain.working_age, rel=1e-9)
    assert WORKING_AGE == (15, 65)


def test_a_coverage_target_the_table_cannot_reach_is_said(sample: pa.Table) -> None:
    """Everyone aged 15-64 contributing cannot be reached by reweighting (a group with no contributor stays at
    none): the year's notes say what was asked and what was reached (an outside review found 80% for 100%)."""
    people = demography("vnm")
    aged = age_table(sample, "2026-10", 2030, people, 1.0, frozenset(), coverage_share=1.0)
    reached = aged.contributors / aged.working_age
    assert reached < 0.99
    assert any("asks 100.0%" in note and f"reaches {reached:.1%}" in note for note in aged.notes), aged.notes
    plain = age_table(sample, "2026-10", 2030, people, 1.0, frozenset(), coverage_share=0.3)
    assert not any("coverage path" in note for note in plain.notes)


def test_a_grid_of_dates_with_empty_ones_moves_as_a_line_does() -> None:
    grid = np.array([["2024-02-29", "NaT"], ["2020-01-01", "2021-03-03"]], dtype="datetime64[D]")
    assert shift_dates(grid, 1).tolist() == shift_dates(grid.reshape(-1), 1).reshape(2, 2).tolist()
    assert shift_dates(grid, 1)[0].tolist() == [datetime.date(2025, 2, 28), None]


def test_coverage_factors_read_flags_as_true_or_false_and_refuse_a_cell_out_of_range() -> None:
    """A flag given as a number other than 0 or 1 (3: true) never scales a person of another kind."""
    cells, weights = np.array([5, 5, 5, 5]), np.ones(4)
    working = np.array([True, True, True, False])
    flags = coverage_factors(cells, working, np.array([3, 0, 0, 3], dtype=np.uint8), weights, 1.5)
    truths = coverage_factors(cells, working, np.array([True, False, False, True]), weights, 1.5)
    assert flags.tolist() == truths.tolist()
    assert flags[3] == 1.0  # not of working age: never scaled
    with pytest.raises(IndexError, match="cell number outside 0 to 41"):
        person_kinds(np.array([64]), np.array([True]), np.array([True]))  # 64 << 2 wraps round in a byte
