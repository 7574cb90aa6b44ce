"""Whether the values and periods a law case states are of its variables' kinds (``openfisca-sp check``).

``openfisca test`` fails on each of these with openfisca-core's, NumPy's or pandas' error, naming no line: a
date that does not exist, a name an enumeration lacks, text for a number or a boolean (``sixty``, ``nope``), a
period shorter or longer than the one a variable is defined for (``2027-06-15`` for a monthly variable).
"""

from __future__ import annotations

import datetime
import math
from typing import Any

import numpy as np
from openfisca_core import periods
from openfisca_core.indexed_enums import Enum

from openfisca_sp.rules.date_forms import write_instead
from openfisca_sp.rules.parameter_checks import DATE
from openfisca_sp.rules.suggestions import closest_name
from openfisca_sp.rules.wording import abridged

PERIOD_HINT = "write a month, 2024-06 (the rules' variables are defined per month; sex and birth_date for ever)"
_SIZES = {"day": 0, "weekday": 0, "week": 1, "month": 2, "year": 3}  # eternity: any period
# what openfisca-core holds a variable's value as (int32, float32), and its range
HELD = {int: (-(2**31), 2**31 - 1), float: (float(-np.finfo(np.float32).max), float(np.finfo(np.float32).max))}
HELD_AS = {int: "int32", float: "float32"}
_FORMS = {"day": "YYYY-MM-DD", "weekday": "YYYY-MM-DD", "week": "YYYY-Www", "month": "YYYY-MM", "year": "YYYY"}


def closest(name: str, known: Any, cutoff: float = 0.75) -> str:
    found = closest_name(name, known, cutoff=cutoff)
    return f"; did you mean '{found}'?" if found else ""


def _items(given: Any) -> list[Any]:
    """The values stated: alone, per period (a mapping) or per person (a list)."""
    values = given.values() if isinstance(given, dict) else [given]
    return [one for value in values for one in (value if isinstance(value, list) else [value])]


def value_problem(name: str, variable: Any, given: Any) -> str | None:
    """Why a value stated for ``variable`` (alone, per period, or a list per person) is not one of its kind:
    a date that is none (``1952-02-30``, ``01/01/1952``), a name its enumeration lacks, text for a number or a
    boolean (``sixty``, ``nope``); None if it is fine."""
    kind = variable.value_type
    for item in _items(given):
        if item is None:
            continue
        if kind is datetime.date and not isinstance(item, datetime.date):
            if not DATE.fullmatch(str(item)):
                return f"'{item}' of '{name}' is not a date written YYYY-MM-DD{write_instead(str(item))}"
            try:
                datetime.date.fromisoformat(str(item))
            except ValueError:
                return f"'{item}' of '{name}' is not a date that exists"
        if kind is Enum:
            names = list(variable.possible_values.__members__)
            if item not in names:
                # a few names to choose from: a looser match helps (not_enough_contributions for insufficient_…)
                hint = closest(str(item), names, cutoff=0.6)
                return f"'{item}' of '{name}' is not one of its names{hint or ' (one of: ' + ', '.join(names) + ')'}"
        if kind is bool and not isinstance(item, bool):
            return f"'{item}' of '{name}' is not true or false"
        if kind in (int, float) and (isinstance(item, bool) or not isinstance(item, int | float)):
            whole = "a whole number" if kind is int else "a number"
            return f"'{item}' of '{name}' is not {whole} (written without quotes, in digits)"
        if kind is int and isinstance(item, float) and math.isfinite(item) and not item.is_integer():
            return f"{abridged(item)} of '{name}' is not a whole number: the rules count it in whole units"
        if kind in (int, float) and (problem := _number_held(item, kind)):
            return f"{abridged(item)} of '{name}' {problem}"
    return None


def _number_held(item: int | float, kind: type) -> str | None:
    """Why openfisca-core cannot hold ``item`` as the variable does (int32, float32): not finite, or beyond the
    range (it cast .inf to -2,147,483,648 and failed 10**23 with "Python int too large to convert to C long")."""
    if isinstance(item, float) and not math.isfinite(item):
        return "is not a finite number"
    low, high = HELD[kind]
    if not low <= item <= high:
        bounds = f"{low:,} to {high:,}" if kind is int else f"{low:.3g} to {high:.3g}"
        return f"is beyond what the rules hold for it (held as {HELD_AS[kind]}: {bounds})"
    return None


def period_problem(name: str, variable: Any, given: Any, period: Any, output: bool) -> str | None:
    """Why the case's ``period`` (or, with ``period`` None, a period the value is keyed by) does not fit
    ``variable``'s definition period: shorter (a day for a monthly variable), or longer where openfisca-core
    cannot spread an input over it or compute an output for it. None if it fits."""
    defined = str(variable.definition_period)
    if defined not in _SIZES:
        return None  # defined for ever: any period
    stated = [period] if period is not None else []
    if isinstance(given, dict):  # a mapping of a variable is keyed by periods
        stated = []
        for key in given:
            try:
                stated.append(periods.period(str(key)))
            except ValueError:
                return f"'{key}' of '{name}' is not a period: a {defined} written {_FORMS[defined]}"
    for each in stated:
        unit = str(each.unit)
        longer = _SIZES.get(unit, 0) > _SIZES[defined]
        if _SIZES.get(unit, 0) < _SIZES[defined] or (longer and (output or variable.set_input is None)):
            written = f"{each.start.year}-{each.start.month:02d}" if defined == "month" else str(each.start.year)
            return (
                f"'{name}' is defined per {defined}, and the period {each} is a {unit}: write a {defined}, {written}"
                if each.size == 1
                else f"'{name}' is defined per {defined}, not over the period {each}"
            )
    return None
