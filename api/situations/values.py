"""A situation's values: walking them, what a variable accepts from JSON, input columns, results as JSON.

Nothing from a request is converted by evaluation: a value is accepted only if its JSON type is exactly
the variable's (no boolean for a number, no text for a number), and dates and enums are tested as text.
Numbers must fit the variable's array (32 bits: integers within ±2**31, floats within ±3.4e38), and dates
must exist (2024-02-30 does not).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
from openfisca_core import periods
from openfisca_core.indexed_enums import Enum

from openfisca_sp.decisions.facts import FIRST_DATE, LAST_DATE, is_date_fact, law_bounds
from openfisca_sp.rules.simulations import enum_codes
from openfisca_sp.rules.small_arrays import filled

if TYPE_CHECKING:
    from openfisca_core.variables import Variable

Values = list[Any] | np.ndarray
"""A column of stated values: as given (texts), or as an array (numbers, dates)."""
ValueCheck = tuple[frozenset[type], Callable[[list[Any]], Values | None]]
"""The JSON types a variable's inputs may have, and how a column of them is read (None: refused)."""

_JSON_TYPES = {bool: (bool,), float: (int, float), int: (int,), datetime.date: (str,), Enum: (str,), str: (str,)}


@lru_cache(maxsize=4096)
def bounds_of(variable: Variable) -> tuple[float, float] | None:
    """What a number input may be: what its variable's array holds (int32; float32 in openfisca-core, float64 for
    openfisca-sp's own variables: ``rules.exact_numbers``), within the law's bounds for an openfisca-sp fact (0
    or more, at most its maximum: as ``/eligibility`` reads it); None for a variable that is not a number (found
    once per variable: a one-person situation asks it some 30 times)."""
    stored = stored_bounds(variable)
    law = law_bounds(variable.name) if stored is not None and not variable.formulas else None
    return stored if law is None else (max(stored[0], law[0]), min(stored[1], law[1]))


def stored_bounds(variable: Variable) -> tuple[float, float] | None:
    """What a number variable's array holds, or None for a variable that is not a number."""
    if variable.value_type not in (int, float):
        return None
    dtype = np.dtype(variable.dtype)
    if dtype.kind in "iu":
        return int(np.iinfo(dtype).min), int(np.iinfo(dtype).max)
    return -float(np.finfo(dtype).max), float(np.finfo(dtype).max)


_NUMBERS = {bool: np.bool_, int: np.int64, float: np.float64}  # as numpy reads Python numbers into the arrays
NUMBER_TYPES = frozenset(_NUMBERS)  # value types whose inputs are read as numbers (a history of them as a table)
_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9]  # where YYYY-MM-DD has its digits
_FEW = 8  # up to this many values, a column is checked in Python
_MONTH_DAYS = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


class Column(NamedTuple):
    """The values stated for one variable and period, and the rows they are stated for (in the same order)."""

    rows: np.ndarray  # int64 positions in the entity
    values: Values


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


@lru_cache(maxsize=4096)
def value_check(variable: Variable) -> ValueCheck:
    """The JSON types a variable's inputs may have (exact types: no bool for a number, no text for a number)
    and how a column of them is read: tested as texts (dates, enums, texts of limited length), numbers as
    numpy arrays. Nothing is evaluated."""
    read: Callable[[list[Any]], Values | None] = _as_given
    if variable.value_type is datetime.date:
        read = _days_of_facts if date_bounded(variable) else _days
    elif variable.value_type is Enum:
        read = _among(variable.possible_values.__members__.keys())
    elif variable.value_type is str and np.dtype(variable.dtype).kind == "S":
        read = _ascii  # a text of limited length is stored as bytes: ASCII only
    elif variable.value_type in _NUMBERS:
        read = _numbers(_NUMBERS[variable.value_type], bounds_of(variable))
    return frozenset(_JSON_TYPES.get(variable.value_type, ())), read


def accepted_values(check: ValueCheck, types: set[type], values: list[Any]) -> Values | None:
    """A column of values (of these ``types``) as stored for a variable with this check, or None if refused."""
    accepted, read = check
    return read(values) if types <= accepted else None


def _as_given(values: list[Any]) -> list[Any]:
    return values


def _among(names: Any) -> Callable[[list[str]], list[str] | None]:
    """Texts that are all among ``names`` (an enumeration's), or None."""
    return lambda texts: texts if names >= set(texts) else None


def _ascii(texts: list[str]) -> list[str] | None:
    return texts if all(map(str.isascii, texts)) else None


def _numbers(dtype: type, bounds: tuple[float, float] | None) -> Callable[[list[Any]], Values]:
    """Numbers as an array of ``dtype`` (each Python number converted as numpy converts it into the
    variable's array), or as given when one is beyond ``bounds`` (:func:`out_of_bounds` then names it as sent)."""

    def read(values: list[Any]) -> Values:
        if bounds is not None and len(values) <= _FEW and not bounds[0] <= min(values) <= max(values) <= bounds[1]:
            return values  # a few values are checked faster in Python than in numpy
        try:
            array = np.array(values, dtype=dtype)
        except OverflowError:
            return values
        if len(values) > _FEW and bounds is not None and (array.min() < bounds[0] or array.max() > bounds[1]):
            return values
        return array

    return read


def _days(texts: list[str]) -> np.ndarray | None:
    """Texts that are all dates that exist, written YYYY-MM-DD (years 1 to 9999), as days, or None: read as
    a table of ASCII characters, digits and dashes checked, and the days of each month counted (leap years
    too), all in numpy."""
    if set(map(len, texts)) != {10}:
        return None
    if len(texts) <= _FEW:
        return _few_days(texts)
    try:
        table = np.array(texts, dtype="S10").view(np.uint8).reshape(-1, 10).astype(np.int64)
    except UnicodeEncodeError:
        return None
    digits = table[:, _DIGITS] - ord("0")
    if (digits < 0).any() or (digits > 9).any() or (table[:, [4, 7]] != ord("-")).any():
        return None
    year = digits[:, 0] * 1000 + digits[:, 1] * 100 + digits[:, 2] * 10 + digits[:, 3]
    month = digits[:, 4] * 10 + digits[:, 5]
    day = digits[:, 6] * 10 + digits[:, 7]
    if (year < 1).any() or (month < 1).any() or (month > 12).any() or (day < 1).any():
        return None
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    if (day > _MONTH_DAYS[month - 1] + (leap & (month == 2))).any():
        return None
    months = ((year - 1970) * 12 + month - 1).astype("datetime64[M]")
    return months.astype("datetime64[D]") + (day - 1)


FIRST_DAY, LAST_DAY = np.datetime64(FIRST_DATE, "D"), np.datetime64(LAST_DATE, "D")


def date_bounded(variable: Variable) -> bool:
    """Whether a date input is read from 1900-01-01 to 2199-12-31: an openfisca-sp fact's, as ``/eligibility``
    reads it (a birth date of 9999-12-31 gave an age of -7,976 years), not another package's."""
    return not variable.formulas and is_date_fact(variable.name)


def date_out_of_bounds(variable: Variable, text: str) -> str | None:
    """The message refusing a date (YYYY-MM-DD) an openfisca-sp fact cannot take, or None."""
    if date_bounded(variable) and not FIRST_DATE.isoformat() <= text[:10] <= LAST_DATE.isoformat():
        expected = f"a date (YYYY-MM-DD) from {FIRST_DATE} to {LAST_DATE} ({variable.name}: as /eligibility reads it)"
        return f"Expected {expected}, got {text[:40]!r}."  # quoted: an empty text, a space before the date
    return None


def _days_of_facts(texts: list[str]) -> np.ndarray | None:
    """:func:`_days` within the calendar the service reads (None beyond it: the reference path names the date)."""
    days = _days(texts)
    if days is None or (len(days) and (days.min() < FIRST_DAY or days.max() > LAST_DAY)):
        return None
    return days


def _few_days(texts: list[str]) -> np.ndarray | None:
    """:func:`_days` for a few texts, each read in Python (numpy's fixed cost per call dominates for a few)."""
    days = []
    for text in texts:
        digits = text[:4] + text[5:7] + text[8:]
        if not (text.isascii() and digits.isdigit() and text[4] == text[7] == "-"):
            return None
        try:
            days.append(datetime.date(int(text[:4]), int(text[5:7]), int(text[8:])))
        except ValueError:  # year 0, month 13, 2024-02-30
            return None
    return np.array(days, dtype="datetime64[D]")


def out_of_bounds(variable: Variable, values: Values | tuple[Any, ...]) -> tuple[int, Any] | None:
    """The position and value of the first number among ``values`` that the variable's array cannot hold, or
    None. Only called on values already checked as numbers of the variable's JSON type."""
    bounds = bounds_of(variable)
    if bounds is None or not len(values):
        return None
    low, high = bounds
    if isinstance(values, np.ndarray):  # read within bounds (values beyond them are kept as sent)
        return None
    if low <= min(values) and max(values) <= high:
        return None
    return next((position, value) for position, value in enumerate(values) if not low <= value <= high)


def joined_values(parts: list[Values]) -> Values:
    """Columns of values as one (arrays joined as an array)."""
    if all(isinstance(part, np.ndarray) for part in parts):
        return np.concatenate(parts)
    return [value for part in parts for value in part]


def out_of_bounds_message(variable: Variable, value: Any) -> str:
    """The reference's message for an integer too large, and its like for a float that would become infinite;
    for a number the array holds but the law does not (a negative count of months), the law's bounds."""
    stored = stored_bounds(variable)
    if stored is not None and stored[0] <= value <= stored[1]:
        low, high = bounds_of(variable)
        upper = (f"{high:,.0f}" if high >= 1e6 else f"{high:g}") if high < stored[1] else None
        expected = f"a number from {low:g} to {upper}" if upper else f"a number, {low:g} or more"
        return f"Expected {expected} ({variable.name}: as the law counts it), got {value}."
    if variable.value_type is int:
        return f"Can't deal with value: '{value}', it's too large for type 'integer'."
    dtype = np.dtype(variable.dtype)
    return (
        f"Can't deal with value: '{value}', it's too large for type 'number' "
        f"(a {8 * dtype.itemsize}-bit float: at most {float(np.finfo(dtype).max):.8g} in absolute value)."
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


def input_column(variable: Variable, count: int, column: Column) -> np.ndarray:
    """An input array: the variable's default, with the stated values (already read by
    :func:`accepted_values` and checked by :func:`out_of_bounds`)."""
    if variable.value_type is Enum:
        array = filled(count, variable.default_value.index, np.int16)
        array[column.rows] = list(map(enum_codes(variable.possible_values).__getitem__, column.values))
        return array
    array = filled(count, variable.default_value, variable.dtype)
    if variable.value_type is datetime.date:
        array[column.rows] = np.asarray(column.values, dtype="datetime64[D]")
    else:
        array[column.rows] = column.values
    return array


def json_values(variable: Variable, array: Any) -> list[Any]:
    """Results as the reference serialises them (a float's shortest text in its own precision, enum names, ISO
    dates)."""
    if variable.value_type is Enum:
        return array.decode_to_str().tolist()
    if variable.value_type is float:
        unique, inverse = np.unique(np.asarray(array), return_inverse=True)
        texts = [float(str(value)) for value in unique]
        return [texts[index] for index in inverse.tolist()]
    if variable.value_type is datetime.date:
        return np.datetime_as_string(np.asarray(array, dtype="datetime64[D]")).tolist()
    if variable.value_type is str:
        if array.dtype.kind == "S":  # a text of limited length (the reference answers Python's b'…')
            return [value.decode("ascii", "replace") for value in array.tolist()]
        return [str(value) for value in array]
    return np.asarray(array).tolist()
