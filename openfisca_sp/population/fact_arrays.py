"""One column of a person table as the input array of its fact, checked against the fact's type and bounds.

Errors name the column, the number of bad rows and the first one.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Iterator
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from openfisca_sp.decisions.facts import Fact
from openfisca_sp.population.columns import ABSENCE, ColumnNeed
from openfisca_sp.population.errors import PopulationError
from openfisca_sp.population.text_columns import is_text
from openfisca_sp.rules.large_numbers import as_float
from openfisca_sp.rules.wording import abridged, counted, noun_for

INT64_RANGE = (-(2**63), 2**63 - 1)  # a whole number pyarrow can hold; one beyond it is read as a float
_NUMPY_TYPES = {float: np.float64, int: np.int32, bool: np.bool_}  # as the rules hold them (exact_numbers)
# how a column empty in every row (Arrow's null type) is read, so that the fact's default fills it
_EMPTY_AS = {float: pa.float64(), int: pa.int32(), bool: pa.bool_(), datetime.date: pa.date32()}


IS_NOT, IS_ABOVE = ("is not", "are not"), ("is above", "are above")  # what one row, or several, is


def first_rows(mask: np.ndarray, first_row: int = 0, verb: tuple[str, str] | None = None) -> str:
    """How many rows, and the first: its index counted from 0 (as pandas and Arrow count) and its line in a CSV
    file with a header line (a drafter's editor counts those); then ``verb`` (for one row, for several) if given."""
    row = first_row + int(np.argmax(mask))
    count = int(mask.sum())
    said = f"{counted(count, 'row')} (first: row {row}, counted from 0; line {row + 2} of a CSV file)"
    return f"{said} {noun_for(count, *verb)}" if verb else said


def fact_array(
    column: pa.ChunkedArray, need: ColumnNeed, source: str | None, first_row: int = 0, into: np.ndarray | None = None
) -> np.ndarray:
    """A column as the rules' input array, checked against its fact's type and bounds. ``first_row`` is the
    table's row of the column's first value (for a block of rows), as errors name rows. Numbers and dates are
    written into ``into`` when it is an array of their type and length (then it is returned), saving a copy."""
    fact = need.fact
    name = need.column
    _refuse_empty(column, need, source, first_row)
    if pa.types.is_null(column.type) and (fact.enum_names or fact.value_type in _EMPTY_AS):
        column = column.cast(pa.string() if fact.enum_names else _EMPTY_AS[fact.value_type])
    if fact.enum_names:
        return _enum_indices(column, fact, name, source, first_row)
    if fact.value_type is datetime.date:
        return _dates(column, fact, name, source, first_row, into)
    if fact.value_type is bool:
        return flags(column, bool(fact.default), name, source, first_row)
    _refuse_other_than_numbers(column, name, source, first_row)
    column = column.fill_null(fact.default or 0) if column.null_count else column
    kind = _NUMPY_TYPES[fact.value_type]
    fits = into is not None and into.dtype == kind and len(into) == len(column)
    out = into if fits else np.empty(len(column), dtype=kind)
    for at, values in _checked_chunks(column, fact, kind, name, source, first_row):  # one copy, no concatenation
        out[at : at + len(values)] = values
    return out


def check_numbers(column: pa.ChunkedArray, need: ColumnNeed, source: str | None, first_row: int = 0) -> None:
    """Refuse what :func:`fact_array` refuses of a column of a fact of numbers, in the same words, without
    converting it: the months of wages no rule reads (:mod:`~.unread_wages`) are refused as those read are."""
    _refuse_empty(column, need, source, first_row)
    if pa.types.is_null(column.type):  # empty in every row: the fact's default
        return
    _refuse_other_than_numbers(column, need.column, source, first_row)
    column = column.fill_null(need.fact.default or 0) if column.null_count else column
    for _ in _checked_chunks(column, need.fact, _NUMPY_TYPES[need.fact.value_type], need.column, source, first_row):
        pass


def _refuse_empty(column: pa.ChunkedArray, need: ColumnNeed, source: str | None, first_row: int) -> None:
    """Refuse empty cells of a fact the law gives no default for (an empty cell of another is its absence)."""
    if column.null_count and need.fact.name not in ABSENCE:
        nulls = column.is_null().to_numpy(zero_copy_only=False)
        raise PopulationError(
            f"empty in {first_rows(nulls, first_row)}; the law gives no default for it", need.column, source
        )


def _refuse_other_than_numbers(column: pa.ChunkedArray, name: str, source: str | None, first_row: int) -> None:
    """Refuse a column stored as anything but numbers (text, dates), naming its first value that reads as none."""
    if not (pa.types.is_integer(column.type) or pa.types.is_floating(column.type)):
        raise PopulationError(f"expected a number, found {found_in(column, NUMBER, first_row)}", name, source)


def _checked_chunks(
    column: pa.ChunkedArray, fact: Fact, kind: type, name: str, source: str | None, first_row: int
) -> Iterator[tuple[int, np.ndarray]]:
    """Each chunk's values where they lie (their first row within the column, and the values), once checked
    against what the fact holds; a refusal is said of the whole column: how many rows, and the first."""
    at = 0
    for chunk in column.chunks:
        values = chunk.to_numpy(zero_copy_only=False)
        try:
            _check_numbers(values, fact, kind, name, source, first_row + at)
        except PopulationError:
            _check_numbers(column.to_numpy(), fact, kind, name, source, first_row)
            raise
        yield at, values
        at += len(values)


def distinct_fact_values(column: pa.ChunkedArray, need: ColumnNeed, source: str | None) -> np.ndarray:
    """The values of a column as :func:`fact_array` converts them, each at least once, not in row order: for a
    column of dates that cannot be refused (dates with no empty cell, or where an empty cell means the fact's
    absence), its distinct days converted, a few hundred where the rows are millions; any other column converted
    whole, so that its errors name its rows."""
    if pa.types.is_date(column.type) and (not column.null_count or need.fact.name in ABSENCE):
        column = pa.chunked_array([pc.unique(column)], type=column.type)
    return fact_array(column, need, source)


NUMBER = r"^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$"  # a number as a CSV reader would take it
FLAG_TEXTS = ("true", "1", "false", "0")  # a true-or-false cell written as text, in lower case: true, then false
BOOLEAN = rf"^(?i:{'|'.join(FLAG_TEXTS)})$"  # the same texts, in any case, as a pattern


def flags(column: pa.ChunkedArray, default: bool, name: str, source: str | None, first_row: int = 0) -> np.ndarray:
    """A true-or-false column as booleans: ``true``/``false`` in any case, or the numbers 1 and 0 (as a CSV file or
    a spreadsheet often writes them, or pandas as 1.0 and 0.0 beside an empty cell), as booleans or as text (a CSV
    column mixing ``TRUE`` and ``true``, text in Parquet, a value assumed for a whole column); an empty cell is
    ``default``. Anything else is refused with its rows."""
    if is_text(column.type):
        text = column.cast(pa.string()) if pa.types.is_dictionary(column.type) else column
        lower = pc.utf8_lower(text)
        if pc.all(pc.or_(pc.is_in(lower, value_set=pa.array(FLAG_TEXTS)), text.is_null())).as_py():
            truth = pc.is_in(lower, value_set=pa.array(FLAG_TEXTS[:2]))
            return pc.if_else(text.is_valid(), truth, default).to_numpy(zero_copy_only=False)
    if pa.types.is_integer(column.type) or pa.types.is_floating(column.type):
        values = column.fill_null(int(default)).to_numpy(zero_copy_only=False)
        other = (values != 0) & (values != 1)
        if other.any():
            raise PopulationError(
                f"expected true or false (or 1 or 0); {first_rows(other, first_row, ('holds', 'hold'))} another "
                f"number: {values[other][0]}",
                name,
                source,
            )
        return values == 1
    if not pa.types.is_boolean(column.type):
        found = found_in(column, BOOLEAN, first_row)
        raise PopulationError(f"expected true or false (or 1 or 0), found {found}", name, source)
    return (column.fill_null(default) if column.null_count else column).to_numpy(zero_copy_only=False)


def found_in(column: pa.ChunkedArray, pattern: str, first_row: int) -> str:
    """What a column of another type holds: for text, the cells that do not read as ``pattern`` (how many, the
    first row and its text); else its type."""
    if not is_text(column.type):
        return str(column.type)
    text = column.cast(pa.string()) if pa.types.is_dictionary(column.type) else column
    bad = pc.invert(pc.match_substring_regex(text, pattern)).fill_null(False)  # an empty cell is no text
    mask = bad.to_numpy(zero_copy_only=False)
    if not mask.any():
        return f"text ({column.type})"
    example = text[int(np.argmax(mask))].as_py()
    return f"text in {first_rows(mask, first_row)}: {example!r}"


def float64_amounts(column: pa.ChunkedArray, need: ColumnNeed, source: str | None) -> np.ndarray | None:
    """A column of numbers with no empty cell, in float64, checked as :func:`fact_array` checks it (the fact's
    bounds and what its type can hold) but not converted to the fact's type; None for a column with empty cells
    or of another type, after :func:`fact_array` has refused it if it must."""
    if column.null_count or not (pa.types.is_integer(column.type) or pa.types.is_floating(column.type)):
        fact_array(column, need, source)
        return None
    values = column.cast(pa.float64(), safe=False).to_numpy(zero_copy_only=False)
    _check_numbers(values, need.fact, _NUMPY_TYPES[need.fact.value_type], need.column, source, 0)
    return values


# numbers whose bits, read as unsigned integers of the same width, come in the numbers' own order from 0 up
_AS_UNSIGNED = {np.dtype(np.float64): np.uint64, np.dtype(np.int64): np.uint64, np.dtype(np.int32): np.uint32}


def _largest_stored(kind: type) -> float:
    """The largest number the rules' array type ``kind`` holds (int32's, or float64's largest finite)."""
    return np.iinfo(kind).max if np.issubdtype(kind, np.integer) else float(np.finfo(kind).max)


def _held_at_once(values: np.ndarray, fact: Fact, kind: type) -> bool:
    """Whether every value is one the fact can hold, found in one pass: read as unsigned integers, the numbers
    from 0 to the largest the fact and its type allow come in their own order, and every number refused
    (negative, NaN, infinite, too large) comes after them. False says only "look closer" (-0.0 is held)."""
    unsigned = _AS_UNSIGNED.get(values.dtype)
    if unsigned is None or not values.size or (fact.value_type is int and values.dtype.kind == "f"):
        return False
    stored = _largest_stored(kind)
    largest = stored if fact.maximum is None else min(stored, fact.maximum)
    if largest < 0:
        return False
    if values.dtype.kind in "iu":
        largest = min(math.floor(largest), int(np.iinfo(values.dtype).max))
    else:  # a float32 column: its own largest (float64's would overflow the cast)
        largest = min(largest, float(np.finfo(values.dtype).max))
    limit = np.array([largest], dtype=values.dtype).view(unsigned)[0]
    return bool(values.view(unsigned).max() <= limit)


def _check_numbers(values: np.ndarray, fact: Fact, kind: type, name: str, source: str | None, first_row: int) -> None:
    """Refuse what the fact cannot hold, naming the bad rows."""
    if not _held_at_once(values, fact, kind):
        _refuse_numbers(values, fact, kind, name, source, first_row)


def _refuse_numbers(values: np.ndarray, fact: Fact, kind: type, name: str, source: str | None, first_row: int) -> None:
    """Refuse what the fact cannot hold, if anything, naming the bad rows (passes over the values one by one)."""
    if fact.value_type is int and values.dtype.kind == "f" and bool(np.any(values != np.floor(values))):
        raise PopulationError(
            f"expected whole numbers; {first_rows(values != np.floor(values), first_row, IS_NOT)}", name, source
        )
    if not values.size:
        return
    low, high = values.min(), values.max()
    if values.dtype.kind == "f" and not (np.isfinite(low) and np.isfinite(high)):
        raise PopulationError(
            f"expected finite numbers; {first_rows(~np.isfinite(values), first_row, IS_NOT)}", name, source
        )
    if low < 0:
        raise PopulationError(
            f"expected 0 or more; {first_rows(values < 0, first_row, ('is negative', 'are negative'))}", name, source
        )
    if fact.maximum is not None and high > fact.maximum:
        raise PopulationError(
            f"expected at most {fact.maximum:g}; {first_rows(values > fact.maximum, first_row, IS_ABOVE)}", name, source
        )
    stored = _largest_stored(kind)
    if float(high) > stored:  # would wrap around (int32) or become infinite (float32); compared in float64
        raise PopulationError(
            f"expected at most {stored:,.0f} (the rules hold it as {np.dtype(kind).name}); "
            f"{first_rows(values > stored, first_row, IS_ABOVE)}",
            name,
            source,
        )


def _enum_indices(column: pa.ChunkedArray, fact: Fact, name: str, source: str | None, first_row: int) -> np.ndarray:
    if pa.types.is_dictionary(column.type) and is_text(column.type.value_type):
        return _dictionary_indices(column, fact, name, source, first_row)
    if pa.types.is_dictionary(column.type):
        column = column.cast(column.type.value_type)
    if not is_text(column.type):
        raise PopulationError(
            f"expected one of {', '.join(fact.enum_names)} (as text), found {column.type}", name, source
        )
    indices = pc.index_in(column, value_set=pa.array(fact.enum_names))
    unknown = pc.and_(indices.is_null(), column.is_valid())
    if pc.any(unknown).as_py():
        rows = first_rows(unknown.to_numpy(zero_copy_only=False), first_row)
        _refuse_unknown(pc.unique(column.filter(unknown)).to_pylist(), fact, name, source, rows)
    default = fact.enum_names.index(fact.default)
    return indices.fill_null(default).to_numpy().astype(np.int16)


def _dictionary_indices(
    column: pa.ChunkedArray, fact: Fact, name: str, source: str | None, first_row: int
) -> np.ndarray:
    """A dictionary-encoded column's enumeration indices: each chunk's dictionary (a few texts) matched with the
    enumeration's names once, then its codes looked up, with no text decoded per row (Parquet's text columns read
    as dictionaries; pandas categoricals)."""
    default = fact.enum_names.index(fact.default)
    known = pa.array(fact.enum_names)
    out = np.empty(len(column), dtype=np.int16)
    at = 0
    for chunk in column.chunks:
        dictionary = chunk.dictionary
        matched = pc.index_in(dictionary, value_set=known).fill_null(-1).to_numpy(zero_copy_only=False)
        empty = dictionary.is_null().to_numpy(zero_copy_only=False)
        index_of_entry = np.append(np.where(empty, default, matched), default).astype(np.int16)  # last: empty cell
        codes = chunk.indices.fill_null(len(dictionary)).to_numpy(zero_copy_only=False)
        values = np.take(index_of_entry, codes)
        if index_of_entry.min() < 0 and (values < 0).any():
            rows = _unknown_rows(column, known, first_row)
            _refuse_unknown(dictionary.take(np.unique(codes[values < 0])).to_pylist(), fact, name, source, rows)
        out[at : at + len(values)] = values
        at += len(values)
    return out


def _unknown_rows(column: pa.ChunkedArray, known: pa.Array, first_row: int) -> str:
    """The rows of a dictionary column holding a text the enumeration lacks (its texts decoded, on this error's
    path only)."""
    text = column.cast(column.type.value_type)
    unknown = pc.and_(pc.index_in(text, value_set=known).is_null(), text.is_valid())
    return first_rows(unknown.to_numpy(zero_copy_only=False), first_row)


def _refuse_unknown(found: list[Any], fact: Fact, name: str, source: str | None, rows: str) -> None:
    examples = found[:5]
    raise PopulationError(
        f"unknown {noun_for(len(examples), 'value')} {', '.join(map(repr, examples))} in {rows}; "
        f"expected one of {', '.join(fact.enum_names)}",
        name,
        source,
    )


def _dates(
    column: pa.ChunkedArray, fact: Fact, name: str, source: str | None, first_row: int, into: np.ndarray | None = None
) -> np.ndarray:
    if column.null_count == len(column) and not pa.types.is_date(column.type):  # every cell empty: no date at all
        column = pa.chunked_array([pa.nulls(len(chunk), pa.date32()) for chunk in column.chunks], pa.date32())
    try:
        if pa.types.is_timestamp(column.type) or is_text(column.type):
            column = column.cast(pa.date32())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as error:
        raise PopulationError(
            f"expected ISO dates (YYYY-MM-DD), found {_not_dates(column, first_row) or error}", name, source
        ) from None
    if not pa.types.is_date(column.type):
        raise PopulationError(f"expected dates, found {column.type}", name, source)
    if column.type != pa.date32():
        column = column.cast(pa.date32())
    if column.null_count:
        column = column.fill_null(fact.default)
    if into is None or into.dtype != np.dtype("datetime64[D]") or len(into) != len(column):
        return column.to_numpy().astype("datetime64[D]", copy=False)
    at = 0
    for chunk in column.chunks:  # days since 1970 as stored (int32), widened straight into ``into``
        days = chunk.view(pa.int32()).to_numpy(zero_copy_only=False)
        np.copyto(into[at : at + len(days)].view(np.int64), days)
        at += len(days)
    return into


def _not_dates(column: pa.ChunkedArray, first_row: int) -> str | None:
    """The cells of a text column that are no date (``2024-02-30``, ``30/01/2024``): how many, the first row and
    its text; None for another type."""
    if not is_text(column.type):
        return None
    text = column.cast(pa.string()) if pa.types.is_dictionary(column.type) else column
    parsed = pc.strptime(text, format="%Y-%m-%d", unit="s", error_is_null=True)
    written = pc.strftime(parsed, format="%Y-%m-%d")  # a day that does not exist (1960-02-30) reads as another
    same = pc.fill_null(pc.equal(written, pc.utf8_trim_whitespace(text)), False)
    mask = pc.and_(pc.invert(same), text.is_valid()).to_numpy(zero_copy_only=False)
    if not mask.any():
        return None
    return f"text in {first_rows(mask, first_row)}: {text[int(np.argmax(mask))].as_py()!r}"


def _within_arrow(value: Any) -> Any:
    """``value``, a whole number beyond int64 as a float (infinite beyond a float's range), for the column's own
    checks to refuse it in its words rather than Arrow failing to hold it."""
    if not isinstance(value, int) or isinstance(value, bool) or INT64_RANGE[0] <= value <= INT64_RANGE[1]:
        return value
    return as_float(value)


def constant_array(need: ColumnNeed, value: Any, count: int, source: str | None) -> np.ndarray:
    """A whole column of the stated value, checked as a table cell would be (an invalid one is refused with what
    the column expects, not as a table's row); no value (None, or empty text) is refused."""
    if value is None or (isinstance(value, str) and not value.strip()):
        said = f"no value assumed ({value!r}): an assumption needs a value, the one every person is given"
        raise PopulationError(said, need.column, source)
    array = pa.chunked_array([pa.array([_within_arrow(value)])])
    try:
        single = fact_array(array, need, source)
    except PopulationError as error:
        said = error.detail[max(error.detail.find("expected"), 0) :]  # a category's message names the rows first
        expected = re.split(r", found |; ", said)[0]
        said = f"assumed value {abridged(value)} is not valid: {expected}"
        raise PopulationError(said, need.column, source) from None
    return np.full(count, single[0], dtype=single.dtype)
