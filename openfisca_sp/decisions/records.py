"""Person records turned into input arrays, with a mask of what each person actually stated.

A missing fact is then reported as missing and never read as zero.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from openfisca_core.indexed_enums import Enum

from openfisca_sp.decisions.facts import Fact, fact_key
from openfisca_sp.rules.periods import parse_period


@dataclass
class Columns:
    """Records turned into arrays: inputs to set, and where each was stated."""

    count: int
    inputs: dict[tuple[str, str], np.ndarray]
    stated: dict[tuple[str, str], np.ndarray]

    def is_stated(self, key: tuple[str, str]) -> np.ndarray:
        """Who stated the fact ``key`` (everyone False if nobody did)."""
        mask = self.stated.get(key)
        return mask if mask is not None else np.zeros(self.count, dtype=bool)


def _array(fact: Fact, values: list[Any]) -> np.ndarray:
    if fact.value_type is datetime.date:
        return np.array(values, dtype="datetime64[D]")
    if fact.value_type is Enum:
        return np.array(values, dtype=str)
    return np.array(values, dtype=np.float64 if fact.value_type is float else fact.value_type)


def to_columns(records: Sequence[Mapping[str, Any]], facts: Mapping[str, Fact], month: str) -> Columns:
    """Arrays of inputs from records (mappings of fact name to value or monthly history).

    A value is as of ``month``; a mapping is a monthly history. Absent values get
    the variable's default in the array and False in the ``stated`` mask.
    """
    count = len(records)
    inputs: dict[tuple[str, str], np.ndarray] = {}
    stated: dict[tuple[str, str], np.ndarray] = {}
    for name, fact in facts.items():
        values = [record.get(name) for record in records]
        if all(value is None for value in values):
            continue
        histories = {}
        scalars = [None] * count
        for row, value in enumerate(values):
            if isinstance(value, Mapping):
                for period, amount in value.items():
                    histories.setdefault(period, {})[row] = amount
            else:
                scalars[row] = value
        _add(inputs, stated, fact, fact_key(fact, month), scalars, count)
        for period, by_row in histories.items():
            column = [None] * count
            for row, amount in by_row.items():
                column[row] = amount
            key = (name, str(parse_period(period)))
            if key in inputs:  # a history month equal to the month evaluated: the history wins where given
                mask = np.array([value is not None for value in column])
                inputs[key] = np.where(
                    mask, _array(fact, [fact.default if v is None else v for v in column]), inputs[key]
                )
                stated[key] = stated[key] | mask
            else:
                _add(inputs, stated, fact, key, column, count)
    return Columns(count, inputs, stated)


def _add(
    inputs: dict[tuple[str, str], np.ndarray],
    stated: dict[tuple[str, str], np.ndarray],
    fact: Fact,
    key: tuple[str, str],
    column: list[Any],
    count: int,
) -> None:
    mask = np.fromiter((value is not None for value in column), dtype=bool, count=count)
    if not mask.any():
        return
    default = fact.default
    inputs[key] = _array(fact, column if mask.all() else [default if value is None else value for value in column])
    stated[key] = mask
