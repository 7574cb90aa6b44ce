"""Enumeration columns read as dictionaries (Parquet's text columns, pandas categories, a projection's base table)
give the indices their texts give."""

from __future__ import annotations

import datetime

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openfisca_sp import tax_benefit_system
from openfisca_sp.decisions.facts import Fact, facts_of
from openfisca_sp.population.columns import ColumnNeed
from openfisca_sp.population.errors import PopulationError
from openfisca_sp.population.fact_arrays import (
    _check_numbers,
    _held_at_once,
    _refuse_numbers,
    distinct_fact_values,
    fact_array,
    float64_amounts,
)
from openfisca_sp.population.text_columns import equals_text, with_dictionaries

# a fact whose absence has a meaning (empty cells take its default), with a default that is not the first name
REASON = Fact("separation_reason", object, False, "", "", enum_names=("a", "b", "c"), default="b")
NEED = ColumnNeed("separation_reason", "separation_reason", "2026-10", REASON)

cells = st.lists(st.sampled_from(["a", "b", "c", None]), max_size=40)


@settings(max_examples=60, deadline=None)
@given(chunks=st.lists(cells, min_size=1, max_size=4), unused=st.lists(st.sampled_from(["z", "a", "y"])))
def test_a_dictionary_column_gives_the_indices_of_its_texts(chunks, unused):
    texts = pa.chunked_array([pa.array(chunk, pa.string()) for chunk in chunks], pa.string())
    encoded = pa.chunked_array([_encoded(chunk, unused) for chunk in chunks])  # each chunk its own dictionary
    expected = fact_array(texts, NEED, None)
    np.testing.assert_array_equal(fact_array(encoded, NEED, None), expected)
    assert expected.dtype == np.int16
    assert (expected[np.array([text is None for chunk in chunks for text in chunk], dtype=bool)] == 1).all()


def _encoded(chunk: list[str | None], unused: list[str]) -> pa.DictionaryArray:
    """``chunk`` dictionary-encoded, its dictionary starting with entries no row uses."""
    entries = list(dict.fromkeys([*unused, *(text for text in chunk if text is not None)]))
    codes = pa.array([None if text is None else entries.index(text) for text in chunk], pa.int32())
    return pa.DictionaryArray.from_arrays(codes, pa.array(entries, pa.string()))


def test_an_unknown_text_in_use_is_named_and_one_left_unused_is_not():
    dictionary = pa.array(["a", "unknown", "c"])
    unused = pa.chunked_array([pa.DictionaryArray.from_arrays(pa.array([0, 2, None], pa.int32()), dictionary)])
    np.testing.assert_array_equal(fact_array(unused, NEED, None), [0, 2, 1])
    used = pa.chunked_array([pa.DictionaryArray.from_arrays(pa.array([0, 1, 1], pa.int32()), dictionary)])
    with pytest.raises(
        PopulationError, match=r"unknown value 'unknown' in 2 rows \(first: row 1, .*\); expected one of a, b, c"
    ):
        fact_array(used, NEED, None)


@settings(max_examples=60, deadline=None)
@given(chunks=st.lists(cells, min_size=1, max_size=4), start=st.integers(0, 30), length=st.integers(0, 60))
def test_a_table_encoded_once_reads_as_its_texts_slice_by_slice(chunks, start, length):
    """A projection encodes its base table's enumerations once, then reads slices of it (a chunk of households a
    year): each slice gives the indices and the flags of its texts, empty cells included (pyarrow 26's
    ``to_numpy`` misplaces a dictionary's empty cells; neither reading goes through it)."""
    texts = pa.table({"separation_reason": pa.chunked_array([pa.array(chunk, pa.string()) for chunk in chunks])})
    encoded = with_dictionaries(texts, ["separation_reason", "not_a_column"])
    assert pa.types.is_dictionary(encoded.column("separation_reason").type)
    part, expected = encoded.slice(start, length), texts.slice(start, length)
    read = fact_array(part.column("separation_reason"), NEED, None)
    np.testing.assert_array_equal(read, fact_array(expected.column("separation_reason"), NEED, None))
    flags = [text == "a" for text in expected.column("separation_reason").to_pylist()]
    np.testing.assert_array_equal(equals_text(part.column("separation_reason"), "a"), np.array(flags, dtype=bool))


def test_only_the_named_text_columns_are_encoded():
    table = pa.table({"sex": ["male", "female"], "person_id": ["p1", "p2"], "age": [3, 4]})
    encoded = with_dictionaries(table, ["sex", "age"])
    assert [pa.types.is_dictionary(kind) for kind in encoded.schema.types] == [True, False, False]
    assert encoded.column("sex").to_pylist() == ["male", "female"]


@settings(max_examples=60, deadline=None)
@given(
    chunks=st.lists(cells, max_size=4),
    unused=st.lists(st.sampled_from(["z", "a", "y"])),
    value=st.sampled_from(["a", "b", "z", "q"]),
)
def test_a_text_is_found_by_its_codes_as_by_its_texts(chunks, unused, value):
    """Dictionaries with entries no row uses, an entry written twice, empty cells, no chunk at all: the flags
    read from the codes are those of the texts."""
    twice = [
        pa.DictionaryArray.from_arrays(chunk.indices, pa.array([*chunk.dictionary.to_pylist(), value]))
        for chunk in (_encoded(rows, unused) for rows in chunks)
    ]
    doubled = [  # the value's entry written a second time, used by the last row
        pa.DictionaryArray.from_arrays(
            pa.concat_arrays([chunk.indices, pa.array([len(chunk.dictionary) - 1], chunk.indices.type)]),
            chunk.dictionary,
        )
        for chunk in twice
    ]
    column = pa.chunked_array(doubled, pa.dictionary(pa.int32(), pa.string()))
    expected = [text == value for text in column.to_pylist()]
    np.testing.assert_array_equal(equals_text(column, value), np.array(expected, dtype=bool))


WAGE = Fact("insured_wage", float, False, "", "", unit="currency", default=0)
WAGE_NEED = ColumnNeed("insured_wage.2026-09", "insured_wage", "2026-09", WAGE)
amounts = st.one_of(
    st.floats(-10.0, 1e39, allow_nan=False),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(0, 2**40).map(float),
)


@settings(max_examples=200, deadline=None)
@given(chunks=st.lists(st.lists(amounts, max_size=20), min_size=1, max_size=3), as_integers=st.booleans())
def test_float64_amounts_are_checked_as_the_rules_arrays_are(chunks, as_integers):
    """A column of amounts read in float64 for a projection's base (``float64_amounts``) is refused exactly when
    the rules' array of it is, and otherwise holds the same values (the rules hold money in float64 too)."""
    if as_integers:
        chunks = [[int(value) for value in chunk if np.isfinite(value) and 0 <= value < 2**62] for chunk in chunks]
    column = pa.chunked_array([pa.array(chunk, type=pa.int64() if as_integers else pa.float64()) for chunk in chunks])
    try:
        expected = fact_array(column, WAGE_NEED, None)
    except PopulationError as refused:
        with pytest.raises(PopulationError) as raised:
            float64_amounts(column, WAGE_NEED, None)
        assert str(raised.value) == str(refused)  # the same reason, naming the same rows
        return
    values = float64_amounts(column, WAGE_NEED, None)
    assert values.dtype == np.float64 == expected.dtype and np.array_equal(values, expected)


def test_float64_amounts_leave_empty_cells_to_the_rules_arrays():
    column = pa.chunked_array([pa.array([1.0, None])])
    with pytest.raises(PopulationError, match="empty"):
        float64_amounts(column, WAGE_NEED, None)


# two shipped date facts: an empty cell means no registration; an empty birth date is an error
FACTS = facts_of(tax_benefit_system("vnm"))
REGISTERED = ColumnNeed(
    "unemployment_registration_date",
    "unemployment_registration_date",
    "2026-10",
    FACTS["unemployment_registration_date"],
)
BORN = ColumnNeed("birth_date", "birth_date", "2026-10", FACTS["birth_date"])
days = st.lists(st.one_of(st.none(), st.integers(-400, 30_000)), min_size=1, max_size=60)


@settings(max_examples=80, deadline=None)
@given(chunks=st.lists(days, min_size=1, max_size=3), as_date64=st.booleans())
def test_a_date_columns_distinct_values_are_the_values_of_its_rows(chunks, as_date64):
    """The event dates found by their distinct days (as the claims' months are found) are the days converting
    every row gives, an empty cell where it means no event included."""
    column = pa.chunked_array([pa.array(chunk, pa.date32()) for chunk in chunks], pa.date32())
    column = column.cast(pa.date64()) if as_date64 else column
    distinct = distinct_fact_values(column, REGISTERED, None)
    assert distinct.dtype == np.dtype("datetime64[D]")
    assert set(distinct.tolist()) == set(fact_array(column, REGISTERED, None).tolist())
    assert len(distinct) <= len(set(value for chunk in chunks for value in chunk))


def test_a_date_column_whose_empty_cells_are_refused_is_refused_naming_its_row():
    column = pa.chunked_array([pa.array([1, 2], pa.date32()), pa.array([2, None, 3], pa.date32())])
    with pytest.raises(PopulationError, match="row 3"):
        distinct_fact_values(column, BORN, None)


def test_a_text_column_of_dates_is_read_whole_its_bad_cell_named():
    column = pa.chunked_array([pa.array(["2026-01-05", "2026-01-05", "2026-02-30"])])
    with pytest.raises(PopulationError, match="row 2"):
        distinct_fact_values(column, REGISTERED, None)
    both = pa.chunked_array([pa.array(["2026-01-05", "2026-01-05"])])
    assert distinct_fact_values(both, REGISTERED, None).tolist() == [datetime.date(2026, 1, 5)] * 2


NUMBER_FACTS = ["insured_wage", "disability_degree", "contribution_months", "number_of_children_born"]
KINDS = {float: np.float64, int: np.int32}  # as the rules hold them
edges = [0.0, -0.0, -1.0, 1.0, 4.0, 20.0, 20.5, 100.0, 100.5, np.nan, -np.nan, np.inf, -np.inf, 2.0**31, 2.0**31 - 1]
numbers = st.one_of(st.sampled_from(edges), st.floats(-1e12, 1e12), st.floats(allow_nan=True, allow_infinity=True))


def _outcome(check, values, fact, kind) -> str | None:
    try:
        check(values, fact, kind, "column", None, 0)
    except PopulationError as error:
        return str(error)
    return None


@settings(max_examples=300, deadline=None)
@given(
    name=st.sampled_from(NUMBER_FACTS),
    values=st.lists(numbers, min_size=0, max_size=30),
    dtype=st.sampled_from(["float64", "int64", "int32"]),
)
def test_numbers_checked_in_one_pass_are_refused_exactly_as_value_by_value(name, values, dtype):
    """The one-pass check of a column's numbers (their bits read as unsigned integers) lets through only what the
    value-by-value check lets through, and a column it does not let through gets that check's own error."""
    fact = FACTS[name]
    kind = KINDS[fact.value_type]
    if dtype == "float64":
        array = np.array(values, dtype=np.float64)
    else:
        info = np.iinfo(dtype)
        finite = [value for value in values if np.isfinite(value)]
        low, high = max(info.min, -(2**53)), min(info.max, 2**53)  # exactly held in float64
        array = np.clip(np.array(finite, dtype=np.float64), low, high).astype(dtype)
    if _held_at_once(array, fact, kind):
        assert _outcome(_refuse_numbers, array, fact, kind) is None
    assert _outcome(_check_numbers, array, fact, kind) == _outcome(_refuse_numbers, array, fact, kind)


def test_a_column_of_ordinary_wages_is_held_in_one_pass():
    wages = np.array([0.0, 1_250_000.0, 2_655_000.5, 36_000_000.0])
    assert _held_at_once(wages, FACTS["insured_wage"], np.float64)
    assert not _held_at_once(np.append(wages, -0.0), FACTS["insured_wage"], np.float64)  # looked at closer
    assert not _held_at_once(np.array([21], dtype=np.int64), FACTS["number_of_children_born"], np.int32)


@settings(max_examples=60, deadline=None)
@given(chunks=st.lists(days, min_size=1, max_size=4), need=st.sampled_from(["registered", "born"]))
def test_dates_written_into_a_buffer_are_the_dates_converted_alone(chunks, need):
    """A block's dates written straight into the buffer that receives them (days widened from how Parquet stores
    them) are the dates converted on their own, across the block's chunks, an empty cell where it means no event
    taking the fact's default."""
    need = REGISTERED if need == "registered" else BORN
    if need is BORN:
        chunks = [[0 if value is None else value for value in chunk] for chunk in chunks]
    column = pa.chunked_array([pa.array(chunk, pa.date32()) for chunk in chunks], pa.date32())
    alone = fact_array(column, need, None)
    buffer = np.full(len(alone) + 3, np.datetime64("2099-01-01"))
    written = fact_array(column, need, None, into=buffer[1 : 1 + len(alone)])
    assert written.dtype == alone.dtype == np.dtype("datetime64[D]")
    np.testing.assert_array_equal(written, alone)
    np.testing.assert_array_equal(buffer[1 : 1 + len(alone)], alone)  # written where it was asked
    assert buffer[0] == buffer[-1] == np.datetime64("2099-01-01")
