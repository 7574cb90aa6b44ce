"""Person records turned into input arrays, with a mask of what each person actually stated.

A missing fact is then reported as missing and never read as zero. Records are
read once (:func:`read_records`); the arrays are then placed at whichever month
a claim is decided in (:meth:`RecordColumns.at`): a fact stated as a single
value is as of that month, a history keeps its own months.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import repeat
from operator import is_not
from typing import Any

import numpy as np
from openfisca_core.indexed_enums import Enum

from openfisca_sp.decisions.facts import Fact, fact_key
from openfisca_sp.rules.periods import parse_period
from openfisca_sp.rules.small_arrays import everyone

Key = tuple[str, str]  # (variable, period)


def _read_only(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


@dataclass
class Columns:
    """Records turned into arrays at one month: inputs to set, and where each was stated."""

    count: int
    inputs: dict[Key, np.ndarray]
    stated: dict[Key, np.ndarray]

    def lacking(self, key: Key) -> np.ndarray | None:
        """Who did not state the fact ``key`` (None if everyone did; read-only). Every branch of a decision asks
        about its conditions' facts, some 35 for one person: who stated what is found for every fact at once."""
        return self._lacking.get(key, self._nobody_stated)

    @cached_property
    def _lacking(self) -> dict[Key, np.ndarray | None]:
        """Who lacks each fact stated by someone (None where everyone stated it)."""
        if self.count <= FEW_VALUES:  # each fact in Python: numpy's table costs more than a few persons' facts
            return {
                key: None if everyone(stated) else _read_only(~np.asarray(stated, dtype=bool))
                for key, stated in self.stated.items()
            }
        keys = list(self.stated)
        table = np.array([self.stated[key] for key in keys], dtype=bool).reshape(len(keys), self.count)
        stated_by_all = table.all(axis=1).tolist()
        missing = ~table
        missing.flags.writeable = False
        return {
            key: None if all_stated else missing[row]
            for row, (key, all_stated) in enumerate(zip(keys, stated_by_all, strict=True))
        }

    @cached_property
    def _nobody_stated(self) -> np.ndarray:
        nobody = np.ones(self.count, dtype=bool)
        nobody.flags.writeable = False
        return nobody


@dataclass
class RecordColumns:
    """Records turned into arrays, independent of the month they are placed at."""

    count: int
    facts: dict[str, Fact]
    values: dict[str, tuple[np.ndarray, np.ndarray]]  # fact stated as one value -> (array, stated mask)
    histories: dict[Key, tuple[np.ndarray, np.ndarray]]  # (fact, month) of a history -> (array, stated mask)

    def take(self, rows: np.ndarray) -> RecordColumns:
        """The records of ``rows`` only."""
        return RecordColumns(
            len(rows),
            self.facts,
            {name: (array[rows], mask[rows]) for name, (array, mask) in self.values.items()},
            {key: (array[rows], mask[rows]) for key, (array, mask) in self.histories.items()},
        )

    def rows(self, start: int, stop: int) -> RecordColumns:
        """The records from ``start`` to ``stop`` (views of these arrays, made when first read)."""
        return RecordRows(self, start, stop)

    def at(self, month: str) -> Columns:
        """The inputs of a simulation of ``month``: single values as of it; where a history gives that month
        too, the history wins for those who state it."""
        inputs: dict[Key, np.ndarray] = {}
        stated: dict[Key, np.ndarray] = {}
        for key, (array, mask) in self.histories.items():
            inputs[key], stated[key] = array, mask
        for name, (array, mask) in self.values.items():
            key = fact_key(self.facts[name], month)
            if key in inputs:
                inputs[key] = np.where(stated[key], inputs[key], array)
                stated[key] = stated[key] | mask
            else:
                inputs[key], stated[key] = array, mask
        return Columns(self.count, inputs, stated)


def _array(fact: Fact, values: list[Any]) -> np.ndarray:
    if fact.value_type is datetime.date:
        return np.array(values, dtype="datetime64[D]")
    if fact.value_type is Enum:
        return np.array(values, dtype=str)
    return np.array(values, dtype=np.float64 if fact.value_type is float else fact.value_type)


FEW_VALUES = 16  # up to this many values, who stated them is found in Python (numpy's fixed costs dominate)


def fact_column(fact: Fact, column: list[Any], count: int) -> tuple[np.ndarray, np.ndarray] | None:
    """A fact's array (its variable's default where a value is None) and who stated it; None if nobody did."""
    if count <= FEW_VALUES:
        stated = [value is not None for value in column]
        by_some, by_all = any(stated), all(stated)
        mask = np.array(stated, dtype=bool)
    else:
        mask = np.fromiter(map(is_not, column, repeat(None, count)), dtype=bool, count=count)
        by_some = bool(mask.any())
        by_all = by_some and bool(mask.all())
    if not by_some:
        return None
    default = fact.default
    return _array(fact, column if by_all else [default if value is None else value for value in column]), mask


def read_records(records: Sequence[Mapping[str, Any]], facts: Mapping[str, Fact]) -> RecordColumns:
    """Arrays of inputs from records (mappings of fact name to value or monthly history ``{"YYYY-MM": value}``).

    Absent values get the variable's default in the array and False in the ``stated`` mask.
    """
    count = len(records)
    values: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    histories: dict[Key, tuple[np.ndarray, np.ndarray]] = {}
    for name, fact in facts.items():
        column = [record.get(name) for record in records]
        if all(value is None for value in column):
            continue
        by_month: dict[str, dict[int, Any]] = {}
        scalars: list[Any] = [None] * count
        for row, value in enumerate(column):
            if isinstance(value, Mapping):
                for period, amount in value.items():
                    by_month.setdefault(period, {})[row] = amount
            else:
                scalars[row] = value
        if (single := fact_column(fact, scalars, count)) is not None:
            values[name] = single
        for period, by_row in by_month.items():
            history = [None] * count
            for row, amount in by_row.items():
                history[row] = amount
            if (arrays := fact_column(fact, history, count)) is not None:
                histories[(name, str(parse_period(period)))] = arrays
    return RecordColumns(count, dict(facts), values, histories)


class RecordRows(RecordColumns):
    """Rows of other records' columns, their arrays sliced (as views) only when first read: a batch read
    together and decided in its whole columns never reads its parts' own."""

    def __init__(self, whole: RecordColumns, start: int, stop: int) -> None:
        self.count, self.facts = stop - start, whole.facts
        self._whole, self._rows = whole, slice(start, stop)

    @cached_property
    def values(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:  # type: ignore[override]
        rows = self._rows
        return {name: (array[rows], mask[rows]) for name, (array, mask) in self._whole.values.items()}

    @cached_property
    def histories(self) -> dict[Key, tuple[np.ndarray, np.ndarray]]:  # type: ignore[override]
        rows = self._rows
        return {key: (array[rows], mask[rows]) for key, (array, mask) in self._whole.histories.items()}


def concat_columns(parts: Sequence[RecordColumns]) -> RecordColumns:
    """The records of ``parts``, one after the other, as :func:`read_records` reads them all at once: a fact
    some part does not state is its variable's default there, and not stated."""
    if len(parts) == 1:
        return parts[0]
    facts = parts[0].facts
    counts = [part.count for part in parts]

    def joined(found: list[tuple[np.ndarray, np.ndarray] | None], fact: Fact) -> tuple[np.ndarray, np.ndarray]:
        arrays, masks = [], []
        for pair, count in zip(found, counts, strict=True):
            if pair is None:
                pair = (_array(fact, [fact.default] * count), np.zeros(count, dtype=bool))
            arrays.append(pair[0])
            masks.append(pair[1])
        return np.concatenate(arrays), np.concatenate(masks)

    values = {
        name: joined([part.values.get(name) for part in parts], fact)
        for name, fact in facts.items()
        if any(name in part.values for part in parts)
    }
    months: dict[str, dict[Key, None]] = {}  # per fact, its months in the order records state them first
    for part in parts:
        for key in part.histories:
            months.setdefault(key[0], {})[key] = None
    histories = {
        key: joined([part.histories.get(key) for part in parts], facts[name])
        for name in facts
        for key in months.get(name, ())
    }
    return RecordColumns(sum(counts), facts, values, histories)


def to_columns(records: Sequence[Mapping[str, Any]], facts: Mapping[str, Fact], month: str) -> Columns:
    """Arrays of inputs from records, at ``month`` (see :func:`read_records` and :meth:`RecordColumns.at`)."""
    return read_records(records, facts).at(month)
