"""Person records read column by column into arrays, with the checks pydantic would make, for large batches.

pydantic validates a batch record by record, value by value (80 ms for 10,000
persons with a year of wages), then :func:`~openfisca_sp.decisions.read_records`
reads the values again into arrays. :class:`RecordReader` does both in one
pass over each field's column: the types present (one ``set`` of types per
column), the values allowed (each distinct text once, numbers as arrays), then
the arrays themselves. It accepts only what pydantic accepts, and reads the same
arrays; anything else (an error, or a form it does not cover) is left to
pydantic, record by record, which names each error as before.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, repeat
from typing import Any

import numpy as np
from openfisca_core.indexed_enums import Enum

from openfisca_sp.decisions import Fact, RecordColumns, read_records
from openfisca_sp.decisions.dci_identifiers import IDENTIFIER_LIMITS, MAX_IDENTIFIERS
from openfisca_sp.decisions.dci_values import DCIValueError, decode, has_dci_forms, needs_decoding
from openfisca_sp.decisions.facts import FIRST_DATE, LARGEST_AMOUNT, LARGEST_COUNT, LAST_DATE, MONTH_PATTERN
from openfisca_sp.decisions.records import Key, fact_column
from openfisca_sp.rules.periods import period_text
from openfisca_sp.rules.small_arrays import filled

HEADS = frozenset({"self", "head"})  # DCI relationship_head values that mark the household head
NONE = type(None)
MONTH = re.compile(MONTH_PATTERN)
DIGITS = [0, 1, 2, 3, 5, 6, 8, 9]  # where YYYY-MM-DD has digits
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # YYYY-MM-DD in ASCII digits
FEW_DATES = 32  # up to this many texts, ``_dates`` checks them one by one
FEW_NUMBERS = 32  # up to this many numbers, ``_bounds`` checks them one by one
FIRST_DAY, LAST_DAY = np.datetime64(FIRST_DATE, "D"), np.datetime64(LAST_DATE, "D")  # the calendar read
FIRST_NUMBER, LAST_NUMBER = int(FIRST_DAY.astype(np.int64)), int(LAST_DAY.astype(np.int64))  # as days since 1970
# Bounds of the person record (api.models builds its pydantic model with them, so that both check the same)
MAX_TEXT = {"household_identifier": 128, "relationship_head": 64}
MAX_IDENTIFIER = IDENTIFIER_LIMITS  # the fields of a DCI identifier
MAX_FACT_TEXT = 256
MAX_COUNT = LARGEST_COUNT  # the largest whole number a fact takes
MAX_AMOUNT = LARGEST_AMOUNT  # the largest number, where the law gives no bound


class DeclinedError(Exception):
    """The batch has a value these checks do not accept: pydantic decides, and names any error."""


@dataclass
class PersonBatch:
    """Person records read: their facts as arrays, and what each answer echoes."""

    columns: RecordColumns
    identifiers: list[Any]  # text, DCI identifiers (dicts) or None, as the answer gives them back
    households: list[str | None]
    heads: list[bool]  # declared household heads
    echoes: list[dict[str, Any] | None] | None = None  # what the answer echoes of a DCI record (record_type …)
    whole: RecordColumns | None = None  # the columns read together that these are rows of (:meth:`parts`)
    start: int = 0  # the first of those rows

    @property
    def count(self) -> int:
        return self.columns.count

    def parts(self, counts: Sequence[int]) -> list[PersonBatch]:
        """The batch cut into parts of ``counts`` records, one after the other, each knowing its whole."""
        found, start = [], 0
        for count in counts:
            stop = start + count
            found.append(
                PersonBatch(
                    self.columns.rows(start, stop),
                    self.identifiers[start:stop],
                    self.households[start:stop],
                    self.heads[start:stop],
                    None if self.echoes is None else self.echoes[start:stop],
                    self.columns,
                    start,
                )
            )
            start = stop
        return found

    @classmethod
    def from_models(cls, persons: Sequence[Any], facts: Mapping[str, Fact]) -> PersonBatch:
        """The batch pydantic validated, record by record."""
        records = [person.__dict__ for person in persons]
        return cls(
            read_records(records, facts),
            [_dumped(record["identifier"]) for record in records],
            [record["household_identifier"] for record in records],
            _declared_heads([record["relationship_head"] for record in records]),
        )


def _dumped(identifier: Any) -> Any:
    return [item.model_dump() for item in identifier] if isinstance(identifier, list) else identifier


def _kinds(column: list[Any], allowed: set[type]) -> set[type]:
    kinds = set(map(type, column))
    if not kinds <= allowed:
        raise DeclinedError
    return kinds


def _texts(column: list[Any], longest: int) -> None:
    kinds = _kinds(column, {str, NONE})
    if str in kinds and max(len(text) for text in column if text is not None) > longest:
        raise DeclinedError


def _declared_heads(relationships: list[str | None]) -> list[bool]:
    """Whether each person is declared the head of their household (each distinct text looked at once)."""
    declared = {text: (text or "").lower() in HEADS for text in set(relationships)}
    return list(map(declared.__getitem__, relationships))


def _identifiers(column: list[Any]) -> list[Any]:
    """Identifiers as the answer echoes them: text, or DCI identifiers with their two fields."""
    if "" in column or [] in column:  # refused, with its field, by the validating path
        raise DeclinedError
    if any(_beyond(value) for value in column):  # refused, with its field, by the validating path
        raise DeclinedError
    if list not in _kinds(column, {str, list, NONE}):
        return column
    return [_identifier_list(value) if type(value) is list else value for value in column]


def _beyond(identifier: Any) -> bool:
    """An identifier longer as text, or more of them, than a person may carry."""
    kind = type(identifier)
    return (kind is str and len(identifier) > MAX_IDENTIFIER["identifier_value"]) or (
        kind is list and len(identifier) > MAX_IDENTIFIERS
    )


def _identifier_list(value: list[Any]) -> list[dict[str, str]]:
    found = []
    for item in value:
        if type(item) is not dict:
            raise DeclinedError
        fields = {name: item.get(name) for name in MAX_IDENTIFIER}
        if not all(type(text) is str and len(text) <= MAX_IDENTIFIER[name] for name, text in fields.items()):
            raise DeclinedError
        found.append(fields)  # other fields are ignored
    return found


def _numbers(fact: Fact, values: list[Any]) -> None:
    """Raise :class:`DeclinedError` unless every value is a number of the fact's kind within its bounds."""
    try:
        array = np.array(values, dtype=np.int64 if fact.value_type is int else np.float64)
    except (OverflowError, ValueError, TypeError):
        raise DeclinedError from None
    _bounds(fact, array)


def _bounds(fact: Fact, array: np.ndarray) -> None:
    """Raise :class:`DeclinedError` unless every number is finite, at least 0 and at most the fact's bound (a few
    numbers checked in Python, where numpy's four passes cost more than the numbers)."""
    highest = fact.maximum if fact.maximum is not None else (MAX_COUNT if fact.value_type is int else MAX_AMOUNT)
    if not len(array):
        return
    if len(array) <= FEW_NUMBERS:
        numbers = array.tolist()
        within = all(map(math.isfinite, numbers)) and min(numbers) >= 0 and max(numbers) <= highest
    else:
        within = bool(np.all(np.isfinite(array)) and array.min() >= 0 and array.max() <= highest)
    if not within:
        raise DeclinedError


def _dates(texts: list[str]) -> np.ndarray:
    """The days of ``texts``; :class:`DeclinedError` unless every text is a real date written YYYY-MM-DD, from
    ``FIRST_DATE`` to ``LAST_DATE``. A few texts are checked one by one (about 2 µs for one, where the checks over
    arrays cost about 17 µs whatever their length); many, over arrays."""
    return _dates_one_by_one(texts) if len(texts) <= FEW_DATES else _dates_as_arrays(texts)


def _dates_one_by_one(texts: list[str]) -> np.ndarray:
    if not all(type(text) is str and DATE.fullmatch(text) for text in texts):
        raise DeclinedError
    return _in_calendar(_days(texts))


def _dates_as_arrays(texts: list[str]) -> np.ndarray:
    written = np.array(texts, dtype=str)
    if written.dtype != np.dtype("<U10"):  # a text longer than a date
        raise DeclinedError
    characters = written.view(np.uint32).reshape(len(texts), 10)
    digits = characters[:, DIGITS]
    if not (np.all((digits >= ord("0")) & (digits <= ord("9"))) and np.all(characters[:, [4, 7]] == ord("-"))):
        raise DeclinedError  # not written YYYY-MM-DD (a shorter text ends in zeros)
    return _in_calendar(_days(texts))


def _in_calendar(days: np.ndarray) -> np.ndarray:
    """``days``, if each falls in the calendar the service reads (numpy reads years 0 and 10000, Python's dates
    and the models do not), else :class:`DeclinedError`. A few days are compared in Python."""
    if len(days) <= FEW_DATES:
        numbers = days.view(np.int64).tolist()
        within = not numbers or (min(numbers) >= FIRST_NUMBER and max(numbers) <= LAST_NUMBER)
    else:
        within = bool(np.all(days >= FIRST_DAY) and np.all(days <= LAST_DAY))
    if not within:
        raise DeclinedError
    return days


def _days(texts: list[str]) -> np.ndarray:
    try:
        return np.array(texts, dtype="datetime64[D]")
    except ValueError:  # a month or a day the calendar does not have
        raise DeclinedError from None


def _decoded(fact: Fact, column: list[Any]) -> list[Any]:
    """``column`` with the values written in a DCI form (a date and time, a code, a flag "0"/"1") read as the
    fact's values, each distinct text once; :class:`DeclinedError` if one reads as none."""
    if not has_dci_forms(fact):
        return column
    try:
        distinct = set(column)
    except TypeError:  # a list or a mapping where one value belongs: left to pydantic
        raise DeclinedError from None
    written = {value for value in distinct if needs_decoding(fact, value)}
    if not written:
        return column
    try:
        read = {text: decode(fact, text) for text in written}
    except DCIValueError:
        raise DeclinedError from None
    return [read[value] if type(value) is str and value in read else value for value in column]


def _check_values(fact: Fact, values: list[Any], kinds: set[type]) -> None:
    """Raise :class:`DeclinedError` unless pydantic would accept every (stated) value of ``fact`` as it is."""
    if fact.value_type is datetime.date:
        _dates(list(set(values)))
    elif fact.value_type is Enum:
        if not set(values) <= set(fact.enum_names):
            raise DeclinedError
    elif fact.value_type is int or fact.value_type is float:
        _numbers(fact, values)
    elif fact.value_type is not bool and str in kinds and max(map(len, values)) > MAX_FACT_TEXT:
        raise DeclinedError


def _allowed(fact: Fact) -> set[type]:
    """The types of a fact's values pydantic accepts (strict: no text for a number, no number for a flag)."""
    if fact.value_type is bool:
        return {bool, str}  # str: the DCI flags "0" / "1" (:func:`_decoded`)
    if fact.value_type is int:
        return {int}
    if fact.value_type is float:
        return {float, int}
    return {str}


def _is_month(text: str) -> bool:
    """Whether ``text`` is a month written YYYY-MM. The months of histories recur, so each is matched once; only
    texts of a month's length are kept (a request's long keys never fill the cache)."""
    return len(text) == len("YYYY-MM") and _is_month_text(text)


@lru_cache(maxsize=4096)
def _is_month_text(text: str) -> bool:
    return MONTH.fullmatch(text) is not None


def _rows_by_shape(column: list[dict[str, Any]]) -> dict[tuple[str, ...], np.ndarray]:
    """The rows of a history column by the months they state, in that order (shapes in the order of their
    first row); rows that state no month are left out."""
    shape_of = list(map(tuple, column))
    if shape_of.count(shape_of[0]) == len(shape_of):  # everyone states the same months (the usual batch)
        return {shape_of[0]: np.arange(len(column))} if shape_of[0] else {}
    index = {shape: position for position, shape in enumerate(dict.fromkeys(shape_of))}
    codes = np.array(list(map(index.__getitem__, shape_of)))
    return {shape: np.flatnonzero(codes == position) for shape, position in index.items() if shape}


class RecordReader:
    """Reads a list of person records into a :class:`PersonBatch`, or declines (see the module)."""

    def __init__(
        self,
        facts: Mapping[str, Fact],
        histories: frozenset[str],
        ignored: frozenset[str],
        max_persons: int,
    ) -> None:
        self.facts = facts
        self.histories = histories  # facts stated month by month: {"YYYY-MM": value}
        self.known = frozenset({"identifier", *MAX_TEXT, *facts})
        self.accepted = self.known | ignored  # ignored: fields accepted and not read (DCI's)
        self.max_persons = max_persons

    def read(self, records: Any) -> PersonBatch:
        """The batch, or :class:`DeclinedError`."""
        if type(records) is not list or not 1 <= len(records) <= self.max_persons:
            raise DeclinedError
        if set(map(type, records)) != {dict}:
            raise DeclinedError
        named = set().union(*records)
        if not named <= self.accepted:
            raise DeclinedError
        count = len(records)
        values: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        histories: dict[Key, tuple[np.ndarray, np.ndarray]] = {}
        for name, fact in self.facts.items():
            if name not in named:
                continue
            column = list(map(dict.get, records, repeat(name, count)))
            if name in self.histories:
                histories.update(self._history(fact, column, count))
            elif (found := self._scalar(fact, column, count)) is not None:
                values[name] = found
        identity = {name: list(map(dict.get, records, repeat(name, count))) for name in ("identifier", *MAX_TEXT)}
        for name, longest in MAX_TEXT.items():
            _texts(identity[name], longest)
        return PersonBatch(
            RecordColumns(count, dict(self.facts), values, histories),
            _identifiers(identity["identifier"]),
            identity["household_identifier"],
            _declared_heads(identity["relationship_head"]),
        )

    def _scalar(self, fact: Fact, column: list[Any], count: int) -> tuple[np.ndarray, np.ndarray] | None:
        column = _decoded(fact, column)
        kinds = _kinds(column, _allowed(fact) | {NONE})
        if kinds == {NONE}:
            return None
        if NONE not in kinds and fact.value_type is datetime.date:  # everyone states it: read once, checked
            return _dates(column), filled(count, True)
        stated = [value for value in column if value is not None] if NONE in kinds else column
        _check_values(fact, stated, kinds)
        return fact_column(fact, column, count)

    def _history(self, fact: Fact, column: list[Any], count: int) -> dict[Key, tuple[np.ndarray, np.ndarray]]:
        """A monthly history's arrays, month by month in the order records first state them."""
        kinds = _kinds(column, {dict, NONE})
        shapes = _rows_by_shape(column if NONE not in kinds else [values or {} for values in column])
        months = list(dict.fromkeys(chain.from_iterable(shapes)))
        if not all(type(month) is str and _is_month(month) for month in months):
            raise DeclinedError
        if fact.value_type not in (float, int, bool):  # other kinds of history: value by value
            return self._history_by_value(fact, column, count, months)
        dtype = np.float64 if fact.value_type is float else fact.value_type
        if len(shapes) == 1 and len(rows := next(iter(shapes.values()))) == count:  # everyone states the same months
            by_month = self._table(fact, column, dtype, count, len(months)).T.copy()  # a row per month, each one view
            stated = filled(len(months) * count, True).reshape(len(months), count)
            found = dict(zip(months, zip(by_month, stated, strict=True), strict=True))
        else:
            found = {
                month: (np.full(count, fact.default, dtype=dtype), np.zeros(count, dtype=bool)) for month in months
            }
            for shape, rows in shapes.items():
                table = self._table(fact, [column[row] for row in rows], dtype, len(rows), len(shape))
                for position, month in enumerate(shape):
                    found[month][0][rows] = table[:, position]
                    found[month][1][rows] = True
        return {(fact.name, period_text(month)): found[month] for month in months}

    @staticmethod
    def _table(fact: Fact, dicts: list[dict[str, Any]], dtype: Any, rows: int, months: int) -> np.ndarray:
        """The values of histories that state the same months, a row each, checked."""
        flat = list(chain.from_iterable(map(dict.values, dicts)))
        _kinds(flat, _allowed(fact) - {str})  # DCI flags in a history: left to pydantic
        table = np.array(flat, dtype=dtype)
        if fact.value_type is not bool:
            _bounds(fact, table)
        return table.reshape(rows, months)

    def _history_by_value(
        self, fact: Fact, column: list[Any], count: int, months: list[str]
    ) -> dict[Key, tuple[np.ndarray, np.ndarray]]:
        found = {}
        for month in months:
            history = [None if not values else values.get(month) for values in column]
            stated = [value for value in history if value is not None]
            _check_values(fact, stated, _kinds(stated, _allowed(fact)))
            if (arrays := fact_column(fact, history, count)) is not None:
                found[(fact.name, period_text(month))] = arrays
        return found
