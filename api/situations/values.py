"""A situation's values: walking them, what a variable accepts from JSON, input columns, results as JSON.

Nothing from a request is converted by evaluation: a value is accepted only if its JSON type is exactly
the variable's (no boolean for a number, no text for a number), and dates and enums are tested as text.
Numbers must fit the variable's array (32 bits: integers within ±2**31, floats within ±3.4e38), and dates
must exist (2024-02-30 does not).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
from openfisca_core import periods
from openfisca_core.indexed_enums import Enum

if TYPE_CHECKING:
    from openfisca_core.variables import Variable

ValueCheck = tuple[tuple[type, ...], Callable[[str], Any] | None]
"""The JSON types a variable's inputs may have, and a test of the text (dates, enums) or None."""

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_JSON_TYPES = {bool: (bool,), float: (int, float), int: (int,), datetime.date: (str,), Enum: (str,), str: (str,)}
_FLOAT32_MAX = float(np.finfo(np.float32).max)
BOUNDS = {int: (-(2**31), 2**31 - 1), float: (-_FLOAT32_MAX, _FLOAT32_MAX)}
"""What the arrays of int and float variables (int32, float32) hold."""


def entries(situation: Any) -> Iterator[tuple[str, str, str, str, Any]]:
    """Every ``(entity plural, id, variable, period, value)`` of a situation, skipping malformed parts
    (the builder reports those)."""
    if not isinstance(situation, dict):
        return
    for plural, instances in situation.items():
        for entity_id, variables in instances.items() if isinstance(instances, dict) else ():
            for name, values in variables.items() if isinstance(variables, dict) else ():
                for period, value in values.items() if isinstance(values, Mapping) else ():
                    yield plural, entity_id, name, period, value


def value_check(variable: Variable) -> ValueCheck:
    """The JSON types a variable's inputs may have (exact types: no bool for a number, no text for a number)
    and, for dates and enums, a test of the text. Nothing is converted or evaluated."""
    test = None
    if variable.value_type is datetime.date:
        test = is_date
    elif variable.value_type is Enum:
        test = variable.possible_values.__members__.__contains__
    elif variable.value_type is str and np.dtype(variable.dtype).kind == "S":
        test = str.isascii  # a text of limited length is stored as bytes: ASCII only
    return _JSON_TYPES.get(variable.value_type, ()), test


def is_date(text: str) -> bool:
    """Whether a text is a date that exists, written YYYY-MM-DD."""
    return _DATE.fullmatch(text) is not None and _exists(text)


@lru_cache(maxsize=8192)
def _exists(text: str) -> bool:
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def out_of_bounds(variable: Variable, values: Iterator[Any] | Any) -> Any:
    """The first number among ``values`` that the variable's array cannot hold, or None.

    Only called on values already checked as numbers of the variable's JSON type."""
    bounds = BOUNDS.get(variable.value_type)
    if bounds is None:
        return None
    low, high = bounds
    values = list(values)
    if not values or (low <= min(values) and max(values) <= high):
        return None
    return next(value for value in values if not low <= value <= high)


def out_of_bounds_message(variable: Variable, value: Any) -> str:
    """The reference's message for an integer too large, and its like for a float that would become infinite."""
    if variable.value_type is int:
        return f"Can't deal with value: '{value}', it's too large for type 'integer'."
    return (
        f"Can't deal with value: '{value}', it's too large for type 'number' "
        f"(a 32-bit float: at most {_FLOAT32_MAX:.8g} in absolute value)."
    )


def period_fits(variable: Variable, period: periods.Period) -> bool:
    """Whether a variable is defined for exactly this period (any period, for an eternal one)."""
    definition = variable.definition_period
    return definition == periods.DateUnit.ETERNITY or (period.unit == definition and period.size == 1)


def period_mismatch(variable: Variable, period: str) -> str:
    """The message for a result asked for a period its variable is not defined for."""
    return (
        f"Unable to compute variable '{variable.name}' for period {period}: "
        f"'{variable.name}' must be computed for a whole {variable.definition_period}."
    )


def eternity_mismatch(variable: Variable) -> str:
    """The reference's message for a value stated for ETERNITY of a variable that is not eternal."""
    return (
        f"Unable to set a value for variable {variable.name} for ETERNITY. "
        f"{variable.name} is only defined for {variable.definition_period}s. Please adapt your input."
    )


def input_column(variable: Variable, count: int, rows: dict[int, Any]) -> np.ndarray:
    """An input array: the variable's default, with the stated values (rows already checked by
    :func:`value_check` and :func:`out_of_bounds`)."""
    if variable.value_type is Enum:
        array = np.full(count, variable.default_value.index, dtype=np.int16)
        members = variable.possible_values.__members__
        for row, value in rows.items():
            array[row] = members[value].index
        return array
    array = np.full(count, variable.default_value, dtype=variable.dtype)
    if variable.value_type is datetime.date:
        positions = np.fromiter(rows.keys(), dtype=np.int64, count=len(rows))
        array[positions] = np.array(list(rows.values()), dtype="datetime64[D]")
        return array
    array[np.fromiter(rows.keys(), dtype=np.int64, count=len(rows))] = list(rows.values())
    return array


def json_values(variable: Variable, array: Any) -> list[Any]:
    """Results as the reference serialises them (float32 shortest text, enum names, ISO dates)."""
    if variable.value_type is Enum:
        return array.decode_to_str().tolist()
    if variable.value_type is float:
        unique, inverse = np.unique(np.asarray(array, dtype=np.float32), return_inverse=True)
        texts = [float(str(value)) for value in unique]
        return [texts[index] for index in inverse.tolist()]
    if variable.value_type is datetime.date:
        return np.datetime_as_string(np.asarray(array, dtype="datetime64[D]")).tolist()
    if variable.value_type is str:
        if array.dtype.kind == "S":  # a text of limited length (the reference answers Python's b'…')
            return [value.decode("ascii", "replace") for value in array.tolist()]
        return [str(value) for value in array]
    return np.asarray(array).tolist()
