"""A year's chunk made from the base table converted once (:mod:`openfisca_sp.projection.converted`) is the chunk
the Arrow path makes (moved in Arrow, then checked and converted): the same inputs (keys, types and every value),
structure, weights, notes and analysis arrays. Where it cannot be made exactly, it is not made, and the year takes
the Arrow path, with its errors."""

from __future__ import annotations

import datetime
from typing import Any

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openfisca_sp.analysis.comparison import plan_comparison
from openfisca_sp.analysis.survey import survey_arrays
from openfisca_sp.population.engine import read_population
from openfisca_sp.population.errors import PopulationError
from openfisca_sp.population.reading import read_table
from openfisca_sp.projection import ageing, economy, read_scenario
from openfisca_sp.projection.ageing import date_span
from openfisca_sp.projection.converted import moved_chunk
from openfisca_sp.projection.year import SIDES, YearInputs, run_year, year_inputs
from tests.projection.scenarios import write_scenario

BASE_YEAR = 2026


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("converted")
    return read_scenario(write_scenario(folder, years={"first": BASE_YEAR, "last": 2055}))


@pytest.fixture(scope="module")
def inputs(scenario: Any) -> YearInputs:
    return year_inputs(scenario, chunk_persons=5_000)


def _year(inputs: YearInputs, year: int) -> tuple[str, list, list, Any, np.ndarray, float]:
    scenario = inputs.scenario
    month = f"{year}-{scenario.base_month[5:]}"
    in_force = year >= scenario.reform_from
    plan = plan_comparison(month, inputs.reform if in_force else inputs.baseline, inputs.baseline)
    systems, outputs = [plan.systems[side] for side in SIDES], [plan.outputs[side] for side in SIDES]
    target = economy.coverage_target(scenario, inputs.base_share, year)
    weights = ageing.year_weights(inputs.ageing, inputs.people, year, target).weights
    return month, systems, outputs, plan, weights, economy.wage_index(scenario, year)


def _arrow_chunk(inputs: YearInputs, year: int, rows: slice, factor: float | None = None) -> tuple:
    month, systems, outputs, plan, weights, wages = _year(inputs, year)
    part = inputs.base.slice(rows.start, rows.stop - rows.start)
    moved = ageing.moved_rows(part, inputs.scenario.base_month, year, weights[rows], factor or wages, inputs.money)
    population, analysis = read_population(moved, systems, month, outputs, None, plan.extra_columns)
    return population, *survey_arrays(analysis, month)


def _array_chunk(inputs: YearInputs, year: int, rows: slice, factor: float | None = None) -> tuple | None:
    _, systems, outputs, plan, weights, wages = _year(inputs, year)
    assert inputs.converted is not None
    return moved_chunk(
        inputs.converted, rows, year - BASE_YEAR, systems, outputs, plan.extra_columns, weights[rows], factor or wages
    )


def _assert_same_array(made: np.ndarray, expected: np.ndarray, what: Any) -> None:
    assert made.dtype == expected.dtype, what
    assert np.array_equal(made, expected, equal_nan=made.dtype.kind == "f"), what


def _assert_same_chunk(made: tuple | None, expected: tuple) -> None:
    assert made is not None
    (population, survey, notes), (expected_population, expected_survey, expected_notes) = made, expected
    assert list(population.inputs) == list(expected_population.inputs)
    for key, values in expected_population.inputs.items():
        _assert_same_array(population.inputs[key], values, key)
    for name in ("person_ids", "household_of", "household_ids", "is_head", "weights"):
        _assert_same_array(getattr(population, name), getattr(expected_population, name), name)
    assert population.count == expected_population.count
    assert population.assumptions == expected_population.assumptions
    assert population.checked_at == expected_population.checked_at  # facts checked against each other alike
    assert list(survey) == list(expected_survey)
    for name, values in expected_survey.items():
        _assert_same_array(survey[name], values, name)
    assert notes == expected_notes


@pytest.mark.parametrize("year", [2026, 2027, 2028, 2044, 2055])
def test_every_chunk_of_a_year_is_the_arrow_paths(inputs: YearInputs, year: int) -> None:
    assert inputs.converted is not None and len(inputs.chunks) >= 4
    for rows in inputs.chunks:
        _assert_same_chunk(_array_chunk(inputs, year, rows), _arrow_chunk(inputs, year, rows))


def _households_first_rows(table: pa.Table, persons: int) -> pa.Table:
    ids = table.column("household_id").to_numpy(zero_copy_only=False)
    cut = int(np.flatnonzero(ids[persons:] != ids[persons - 1])[0]) + persons
    return table.slice(0, cut)


@pytest.fixture(scope="module")
def sample_rows() -> pa.Table:
    return _households_first_rows(read_table("sample:vnm"), 600)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    seed=st.integers(0, 2**32 - 1),
    years=st.integers(0, 30),
    factor=st.floats(0.25, 40.0, allow_nan=False),
)
def test_moved_money_and_dates_are_the_arrow_paths(
    scenario: Any, sample_rows: pa.Table, seed: int, years: int, factor: float
) -> None:
    """Amounts of any size (in the months the sample pays: a wage before the birth, or more months paid than
    contributed, is refused before any year runs), dates on 29 February and empty dates, moved any number of years
    by any wage factor."""
    rng = np.random.default_rng(seed)
    table = sample_rows
    count = table.num_rows
    for name in table.column_names:
        if name.startswith("insured_wage."):
            values = np.round(rng.lognormal(14, 2, count), int(rng.integers(0, 3)))
            paid = table.column(name).to_numpy() > 0  # the months paid as the sample pays them: none before a birth
            table = table.set_column(table.column_names.index(name), name, pa.array(np.where(paid, values, 0.0)))
    days = rng.choice(np.array(["2024-02-29", "2025-10-31", "2026-09-15", "2026-10-01"], dtype="datetime64[D]"), count)
    empty = rng.random(count) < 0.5
    for name in ("child_birth_date", "employment_end_date"):
        table = table.set_column(table.column_names.index(name), name, pa.array(days, type=pa.date32(), mask=empty))
    inputs = year_inputs(scenario, table, chunk_persons=200)
    for rows in inputs.chunks:
        made = _array_chunk(inputs, BASE_YEAR + years, rows, factor)
        _assert_same_chunk(made, _arrow_chunk(inputs, BASE_YEAR + years, rows, factor))


def test_an_event_dated_1970_01_01_keeps_the_arrow_path(scenario: Any, sample_rows: pa.Table) -> None:
    """Moved, a stated 1970-01-01 becomes a date of event in later years: the converted base leaves it to the
    Arrow path, which moves it."""
    name = "child_birth_date"
    stated = sample_rows.column(name).to_numpy(zero_copy_only=False)
    column = np.where(np.arange(len(stated)) == 3, np.datetime64("1970-01-01"), stated)
    table = sample_rows.set_column(sample_rows.column_names.index(name), name, pa.array(column, type=pa.date32()))
    inputs = year_inputs(scenario, table)
    assert inputs.converted is None
    rows, _, _ = run_year(inputs, 2030)
    assert rows[0]["year"] == 2030


def test_facts_that_contradict_each_other_are_refused_on_the_converted_path_too(
    scenario: Any, sample_rows: pa.Table
) -> None:
    """A review: the converted path ran a table whose person had more months of contributions than months lived,
    which the Arrow path and simulate refuse."""
    months = sample_rows.column("contribution_months").to_numpy().copy()
    months[3] = 1500
    index = sample_rows.column_names.index("contribution_months")
    table = sample_rows.set_column(index, "contribution_months", pa.array(months, type=sample_rows.schema[index].type))
    inputs = year_inputs(scenario, table)
    assert inputs.converted is not None
    with pytest.raises(PopulationError, match="more months of contributions than months lived"):
        run_year(inputs, 2026)


def test_an_amount_scaled_beyond_float64_is_refused_as_the_arrow_path_refuses_it(inputs: YearInputs) -> None:
    rows = inputs.chunks[0]
    assert _array_chunk(inputs, 2030, rows, factor=1e305) is None
    with pytest.raises(PopulationError, match="expected finite numbers"):
        _arrow_chunk(inputs, 2030, rows, factor=1e305)


def test_the_converted_base_is_read_only(inputs: YearInputs) -> None:
    """Every year (and every forked worker) reads the same arrays: a write would change the years after it."""
    assert inputs.converted is not None
    arrays = [
        *inputs.converted.plain.values(),
        *(stated for stated, _ in inputs.converted.dates.values()),
        *(money.values for money in inputs.converted.money.values()),
        *inputs.converted.survey.values(),
        inputs.converted.structure.household_of,
    ]
    assert arrays and not any(array.flags.writeable for array in arrays)
    with pytest.raises(ValueError, match="read-only"):
        arrays[0][:1] = arrays[0][:1]


def test_the_base_table_holds_the_converted_amounts_without_a_copy(inputs: YearInputs) -> None:
    assert inputs.converted is not None and inputs.converted.money
    for money in inputs.converted.money.values():
        column = inputs.base.column(money.column)
        assert column.num_chunks == 1 and column.type == pa.float64()
        assert np.shares_memory(column.chunk(0).to_numpy(), money.values)


def test_a_chunk_not_converted_is_not_made(inputs: YearInputs) -> None:
    assert _array_chunk(inputs, 2030, slice(1, 3)) is None


def test_the_dates_of_the_base_are_those_of_the_table(inputs: YearInputs) -> None:
    assert inputs.converted is not None
    stated, default = inputs.converted.dates[("birth_date", "ETERNITY")]
    births = inputs.base.column("birth_date").to_numpy(zero_copy_only=False).astype("datetime64[D]")
    assert np.array_equal(stated, births) and default == np.datetime64(datetime.date(1970, 1, 1))


def test_each_date_fact_s_stated_days_are_found_for_every_chunk(inputs: YearInputs) -> None:
    """Every date fact of the base has its stated days (:func:`~.ageing.date_span`) for every chunk, by its first
    and last row, as its rows give them: each year's move of them looks up no other rows."""
    base = inputs.converted
    assert base is not None and set(base.spans) == set(base.dates)
    for key, (stated, _) in base.dates.items():
        assert set(base.spans[key]) == {(rows.start, rows.stop) for rows in inputs.chunks}
        for rows in inputs.chunks:
            span, expected = base.spans[key][(rows.start, rows.stop)], date_span(stated[rows])
            assert (span is None) == (expected is None), key
            if span is not None and expected is not None:
                assert (span.low, span.high) == (expected.low, expected.high), key
                assert (span.known is None) == (expected.known is None), key
                assert span.known is None or np.array_equal(span.known, expected.known), key
    assert any(span is not None and span.known is not None for spans in base.spans.values() for span in spans.values())


def test_each_year_reads_what_its_own_rules_read(inputs: YearInputs) -> None:
    """What the rules read, kept for the other chunks of a year (``reads``), serves that year only: the reform's
    first year (2027) reads the decision dates of the social pension and of disability, which 2026's rules did
    not, and no longer reads the disability certificate's date. Read sets kept from one year to the next would
    leave a column out (a rule coming into force, a parameter switching one on); the same ``reads`` passed to
    both years makes the chunks of the Arrow path, which finds each year's reads afresh."""
    assert inputs.converted is not None
    reads: dict = {}
    rows = inputs.chunks[0]
    for year in (2026, 2027):
        _, systems, outputs, plan, weights, wages = _year(inputs, year)
        extra, years = plan.extra_columns, year - BASE_YEAR
        made = moved_chunk(inputs.converted, rows, years, systems, outputs, extra, weights[rows], wages, reads)
        _assert_same_chunk(made, _arrow_chunk(inputs, year, rows))
    read = {int(month[:4]): {need.variable for need in needs} for (month, _), needs in reads.items()}
    assert {"social_pension_decision_date", "disability_decision_date"} <= read[2027] - read[2026]
    assert "disability_certificate_date" in read[2026] - read[2027]
