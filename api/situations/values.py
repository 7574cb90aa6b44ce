"""A situation's values: walking them, what a variable accepts from JSON, input columns, results as JSON.

Nothing from a request is converted by evaluation: a value is accepted only if its JSON type is exactly
the variable's (no boolean for a number, no text for a number), and dates and enums are tested as text.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
from openfisca_core import periods
from openfisca_core.indexed_enums import Enum

from openfisca_sp.api.situations.errors import NotOnFastPathError

if TYPE_CHECKING:
    from openfisca_core.variables import Variable

ValueCheck = tuple[tuple[type, ...], Callable[[str], Any] | None]
"""The JSON types a variable's inputs may have, and a test of the text (dates, enums) or None."""

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_JSON_TYPES = {bool: (bool,), float: (int, float), int: (int,), datetime.date: (str,), Enum: (str,), str: (str,)}


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
        test = _DATE.match
    elif variable.value_type is Enum:
        test = variable.possible_values.__members__.__contains__
    return _JSON_TYPES.get(variable.value_type, ()), test


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


def input_column(variable: Variable, count: int, rows: dict[int, Any]) -> np.ndarray:
    """An input array: the variable's default, with the stated values (rows already checked by
    :func:`value_check`; a number too large for the array's type leaves the fast path)."""
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
    try:
        array[np.fromiter(rows.keys(), dtype=np.int64, count=len(rows))] = list(rows.values())
    except (OverflowError, ValueError) as error:
        raise NotOnFastPathError(str(error)) from None
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
        return [str(value) for value in array]
    return np.asarray(array).tolist()
