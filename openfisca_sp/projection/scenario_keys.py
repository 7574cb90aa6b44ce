"""What each mapping of a scenario file may hold: the keys allowed (any other is named with the keys allowed
there and the closest of them: a misspelt key was ignored, its assumption left out) and the kinds of values."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from openfisca_sp.rules.suggestions import closest_name

TOP = ("title", "jurisdiction", "population", "base_month", "years", "reform", "reform_from", "assumptions")
YEARS = ("first", "last")
ASSUMPTIONS = ("gdp", "prices", "real_wage_growth", "coverage", "indexation", "assume")
GDP = ("base", "real_growth", "deflator")
SOURCED = ("value", "source", "status")  # and the key of its year: ``from`` (a rate's step) or ``year``
INDEXATION = ("parameter", "index", "from", "source", "status")
ASSUMED = ("value", "source", "status")  # a value for a whole column the person table lacks


def kind_name(kind: type | tuple[type, ...]) -> str:
    """A value's kind, or kinds, in words: ``a whole number or text``."""
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if float in kinds:  # a number, whole or not: "a whole number or a number" says it twice
        kinds = tuple(item for item in kinds if item is not int)
    names = {int: "a whole number", float: "a number", str: "text", list: "a list", dict: "a mapping"}
    names |= {bool: "true or false", datetime.date: "a date"}
    return " or ".join(names.get(item, item.__name__) for item in kinds)


def did_you_mean(name: object, known: Iterable[str], cutoff: float = 0.6) -> str:
    """``; did you mean 'x'?`` with the name of ``known`` closest to ``name``, or nothing."""
    closest = closest_name(name, known, cutoff)
    return f"; did you mean '{closest}'?" if closest else ""


def unknown_key(mapping: Any, allowed: Sequence[str], where: str, noun: str = "key") -> tuple[Any, str] | None:
    """The first key of ``mapping`` not in ``allowed`` and what to say of it; None if every key is allowed (or
    ``mapping`` is no mapping: its reader says what was expected)."""
    if not isinstance(mapping, dict):
        return None
    for key in mapping:
        if key not in allowed:
            hint = did_you_mean(key, allowed)
            return key, f"unknown {noun} '{key}' in {where}{hint} (allowed there: {', '.join(allowed)})"
    return None
