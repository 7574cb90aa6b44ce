"""A law case's error margin so wide the case cannot tell the amount it expects from nothing.

openfisca-core reads ``relative_error_margin: 1`` as 100% (a drafter meaning 1% passes any amount from 0 to
twice the one expected), and an ``absolute_error_margin`` as large as an expected amount passes the rules
computing 0: the case cannot fail on the law it is written for. Both are refused, at the margin's line.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from openfisca_sp.rules.large_numbers import as_float
from openfisca_sp.rules.wording import abridged

RELATIVE = "relative_error_margin"
ABSOLUTE = "absolute_error_margin"


def _margins(given: Any) -> dict[str, float]:
    """A margin as openfisca-core reads it: one number for every output, or ``{default: …, <variable>: …}`` (a
    whole number beyond a float's range, a typo, as infinite: no float holds it)."""
    if isinstance(given, dict):
        return {str(key): as_float(value) for key, value in given.items() if _is_number(value)}
    return {"default": as_float(given)} if _is_number(given) else {}


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _shown(number: float) -> str:
    """A number as a case writes it: 3000000, not 3e+06; 0.5; a whole number of hundreds of digits by its count."""
    if isinstance(number, int):
        return abridged(number)
    return str(int(number)) if math.isfinite(number) and number.is_integer() else str(number)


def _expected(output: Any, plurals: set[str]) -> Iterator[tuple[str, float]]:
    """Each number an output expects, with its variable: written alone, per period, or per member of an entity."""
    for name, value in output.items() if isinstance(output, dict) else ():
        if name in plurals and isinstance(value, dict):
            for member in value.values():
                yield from _expected(member, plurals)
        elif isinstance(value, dict):
            yield from ((str(name), item) for item in value.values() if _is_number(item))
        elif _is_number(value):
            yield str(name), value


def margin_problems(case: dict[str, Any], plurals: set[str]) -> Iterator[tuple[str, str]]:
    """Each margin of ``case`` that lets it pass whatever the rules compute: (its key, why)."""
    for variable, margin in _margins(case.get(RELATIVE)).items():
        if margin >= 1:
            which = "" if variable == "default" else f" of '{variable}'"
            yield (
                RELATIVE,
                f"{RELATIVE} {_shown(margin)}{which} is {margin:.0%}: it passes any amount from 0 to "
                f"{_shown(1 + margin)} times the one expected; a relative margin is a fraction, 0.01 for 1%",
            )
    absolute = _margins(case.get(ABSOLUTE))
    for variable, expected in _expected(case.get("output"), plurals):
        margin = absolute.get(variable, absolute.get("default"))
        if margin is not None and expected != 0 and margin >= abs(expected):
            yield (
                ABSOLUTE,
                f"{ABSOLUTE} {_shown(margin)} is as large as the {_shown(expected)} expected of '{variable}': the case "
                "passes where the rules compute 0; a margin is what the law's rounding allows (0.01)",
            )
            return
