"""The facts a decision rests on: the input variables of a tax-benefit system, as record fields.

Every person variable without a formula is a fact a caller can state. A fact
keeps its variable's name; an eternal fact (``birth_date``, ``sex``) is one
value, a monthly fact is either one value *as of* the month evaluated or a
history ``{"YYYY-MM": value}`` (e.g. ``insured_wage``). Records become arrays
column by column, with a mask of what each person actually stated, so that a
missing fact is reported as missing and never read as zero.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import DateUnit

from openfisca_sp.populations import parse_period

# Upper bounds the law gives a fact (lower bounds are 0 for every number).
MAXIMA = {"disability_degree": 100.0}

# Facts whose absence the rules handle explicitly, as their documentation says
# (e.g. an unknown minimum-wage region applies the highest regional amount).
OPTIONAL = frozenset({"minimum_wage_region"})


@dataclass(frozen=True)
class Fact:
    """One input variable, as a caller states it."""

    name: str
    value_type: type
    eternal: bool
    label: str
    documentation: str
    enum_names: tuple[str, ...] = ()
    unit: str | None = None
    default: Any = None

    @property
    def optional(self) -> bool:
        return self.name in OPTIONAL

    @property
    def maximum(self) -> float | None:
        return MAXIMA.get(self.name)


@cache
def facts_of(tax_benefit_system: Any) -> dict[str, Fact]:
    """The facts of a system's person entity, by name (variables without formulas)."""
    person_key = tax_benefit_system.person_entity.key
    found = {}
    for name, variable in sorted(tax_benefit_system.variables.items()):
        if variable.entity.key != person_key or variable.formulas or variable.is_neutralized:
            continue
        enum_names = tuple(item.name for item in variable.possible_values) if variable.value_type is Enum else ()
        default = variable.default_value
        found[name] = Fact(
            name=name,
            value_type=variable.value_type,
            eternal=variable.definition_period == DateUnit.ETERNITY,
            label=variable.label or name,
            documentation=(variable.documentation or "").strip(),
            enum_names=enum_names,
            unit=getattr(variable, "unit", None),
            default=default.name if isinstance(default, Enum) else default,
        )
    return found


def fact_key(fact: Fact, month: str) -> tuple[str, str]:
    """The (variable, period) a fact stated as of ``month`` sets."""
    return (fact.name, "ETERNITY" if fact.eternal else month)


def fact_label(variable: str, period: str, month: str) -> str:
    """How a missing fact is named to a caller: ``sex``, ``contribution_months``, ``insured_wage.2024-05``."""
    if period in ("ETERNITY", month):
        return variable
    return f"{variable}.{period}"


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
