"""The form of a parameter's values: what the formulas expect, checked value by value, in words a drafter reads.

What a value must be comes from the branch catalogue: each declared parameter
has a kind (:class:`~openfisca_sp.rules.branches.model.ValueKind`): a number
(the default), a boolean (``provided``, and the declared switches), one name or
a list of names of an enumeration, or a scale. A parameter no branch declares
(a tree loaded without the catalogue) is a number when its file's
``metadata.unit`` is a unit of numbers (:func:`is_number_unit`), and is
otherwise not checked here.

Numbers are never negative: every number a branch reads is a count of months,
days, weeks or years, an age, a rate or share, a percentage, an amount or a
multiple of an amount, a category or a degree. The unit (``metadata.unit``;
``threshold_unit``, ``amount_unit``, ``rate_unit`` in a scale) only chooses the
words of the message, and adds two limits: a number of months is whole, and a
rate (``/1``) is at most 1.

``null`` is a value: no value in force from that date. It must be written
out; an empty value (``value:`` with nothing after it) is refused, since it is
as often a value forgotten as a value ended.
"""

from __future__ import annotations

import math
import re
import sys
import unicodedata
from typing import Any

from openfisca_sp.rules.branches.model import BOOLEAN, NUMBER, SCALE, ParameterName, ValueKind
from openfisca_sp.rules.branches.units import TIME_COUNTS
from openfisca_sp.rules.suggestions import closest_name
from openfisca_sp.rules.whole_amounts import fraction_problem, whole_currency, whole_words
from openfisca_sp.rules.wording import abridged

UNIT_WORDS = {
    "month": "a number of months",
    "day": "a number of days",
    "week": "a number of weeks",
    "year": "a number of years",
    "/1": "a rate",
    "percent": "a percentage",
    "currency": "an amount",
}
CURRENCY = re.compile(r"^[A-Z]{3}\b")  # "VND per month", "LAK per month"
MULTIPLE = "times "  # "times the base salary": a multiple of a reference amount
NO_UNIT = ("", "none")
WHOLE_UNITS = ("month",)
AT_MOST_ONE_UNITS = ("/1",)
FLOAT_MAX = sys.float_info.max  # the largest number a parameter can hold (openfisca-core reads values as floats)


def unit_of(metadata: Any, key: str = "unit") -> str | None:
    """The unit a parameter's (or a scale's) metadata gives to ``key`` (``unit``, ``threshold_unit`` …)."""
    if not isinstance(metadata, dict):
        return None
    unit = metadata.get(key)
    if unit is None and key != "unit":
        unit = metadata.get("unit") if key != "threshold_unit" else None
    return str(unit) if unit is not None else None


def is_number_unit(unit: str | None) -> bool:
    """Whether ``unit`` is that of a number: one of ``UNIT_WORDS``, an amount in a currency (``VND per month``),
    a multiple (``times the base salary``), or any quantity ``per`` something."""
    if unit is None or unit.strip().lower() in NO_UNIT:
        return False
    return unit in UNIT_WORDS or bool(CURRENCY.match(unit)) or unit.startswith(MULTIPLE) or "per" in unit.split()


def number_words(unit: str | None) -> str:
    """What a number of ``unit`` is, with its range: ``a number of months (0 or more)``."""
    unit = (unit or "").strip()
    if unit in UNIT_WORDS:
        words = UNIT_WORDS[unit]
    elif CURRENCY.match(unit):
        words = f"an amount in {unit}"
    elif unit.startswith(MULTIPLE):
        words = f"a multiple of {unit[len(MULTIPLE) :]}"
    elif unit.lower() in NO_UNIT:
        words = "a number"
    else:
        words = f"a number ({unit})"
    return f"{words} ({'from 0 to 1' if unit in AT_MOST_ONE_UNITS else '0 or more'})"


def expected(kind: ValueKind, unit: str | None = None) -> str:
    """What a value of ``kind`` (and ``unit``) must be, in words."""
    if kind.name == NUMBER.name:
        return number_words(unit)
    if kind.name == BOOLEAN.name:
        return "a boolean (true or false)"
    if kind.name == "name":
        return f"one of {', '.join(kind.choices)}"
    if kind.name == "names":
        return f"a list of {kind.of} names (some of {', '.join(kind.choices)})"
    if kind.name == SCALE.name:
        return "a scale (brackets, each with a threshold and an amount or a rate)"
    return kind.name


def shown(value: Any) -> str:
    """A value as a drafter wrote it: text quoted, booleans as YAML writes them, a number of hundreds of digits by
    its count of digits."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > FLOAT_MAX:
        return abridged(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, float) and math.isfinite(value) and value == int(value):
        return str(value)
    return repr(value) if isinstance(value, (list, dict)) else str(value)


def _looks_like_a_number(text: str) -> bool:
    try:
        float(text.replace("_", "").replace(",", ""))
    except ValueError:
        return False
    return True


def _what_it_is(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    return "a list" if isinstance(value, list) else "a mapping"


def _text_number_problem(text: str, unit: str | None = None) -> str:
    """Why a text that reads as a number is text, and how to write the number (it was quoted; or it is written
    in another script's digits, or with an exponent and no decimal point, which YAML reads as text)."""
    if not text.isascii():
        scripts = sorted({unicodedata.name(char, "").split(" DIGIT")[0] for char in text if char.isdigit()} - {""})
        plain = "".join(str(unicodedata.digit(char)) if char.isdigit() else char for char in text)
        kind = f"{' and '.join(script.title() for script in scripts)} digits" if scripts else "characters beyond ASCII"
        return f"is text written in {kind}: write the number in the digits 0 to 9 ({plain})"
    if re.fullmatch(r"[-+]?[0-9]+[eE][-+]?[0-9]+", text):
        mantissa, _, exponent = text.lower().partition("e")
        return (
            f"is text: YAML reads a number with an exponent but no decimal point as text; write {float(text):g} "
            f"or {mantissa}.0e{'' if exponent.startswith(('-', '+')) else '+'}{exponent}"
        )
    if "," in text:
        return _comma_problem(text, whole_currency(unit))
    return f"is not a number but quoted text (write it without quotes: {text})"


def _comma_problem(text: str, whole: str | None = None) -> str:
    """Why a number written with a comma is text: a decimal comma, or thousands separators (YAML reads neither).
    ``whole``: the code of a currency without minor units the number is in, for which no decimal is suggested."""
    sign, digits = (text[0], text[1:]) if text[0] in "+-" else ("", text)
    whole_part, _, rest = digits.partition(",")
    thousands = re.fullmatch(r"[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?", digits)
    decimal = f"{sign}{whole_part}.{rest}" if re.fullmatch(r"[0-9]+,[0-9]+", digits) else None
    if whole is not None:  # 500,000 dong: thousands, never a decimal comma
        if thousands:
            return f"is text: YAML reads no thousands separator; write {sign}{digits.replace(',', '')}"
        return f"is text: {whole_words(whole)}, written in digits without separators"
    if thousands and decimal:  # 1,500: one and a half, or fifteen hundred
        return (
            f"is text: YAML reads no comma in a number; write {sign}{digits.replace(',', '')} for thousands, or "
            f"{decimal} for a decimal comma"
        )
    if thousands:
        return f"is text: YAML reads no thousands separator; write {sign}{digits.replace(',', '')}"
    if decimal:
        return f"is text: YAML reads no decimal comma; write {decimal}"
    return f"is text: YAML reads no comma in a number; write it with a decimal point and no separator ({text})"


def _number_problem(value: Any, unit: str | None, written: str | None = None) -> str | None:
    if isinstance(value, str) and re.fullmatch(r"[0-9]{1,3}(\.[0-9]{3}){2,}", value.strip()):  # 1.200.000
        return f"is text: YAML reads no thousands separator; write {value.strip().replace('.', '')}"
    if isinstance(value, str) and _looks_like_a_number(value.strip()):
        return _text_number_problem(value.strip(), unit)
    if isinstance(value, str) and re.fullmatch(r"[0-9]{1,3}([ \u00a0\u202f][0-9]{3})+", value.strip()):  # 5 000 000
        return f"is text: YAML reads no space in a number; write {re.sub(r'[^0-9]', '', value)}"
    percent = re.fullmatch(r"([0-9]+(?:\.[0-9]+)?) ?%", value.strip()) if isinstance(value, str) else None
    if percent:  # 80%: text to YAML, and a rate is read as a fraction
        return f"is a percentage: write a rate as a fraction, {float(percent.group(1)) / 100:g} for {value.strip()}"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "is not a number" if isinstance(value, str) else f"is {_what_it_is(value)}, not a number"
    if isinstance(value, int) and abs(value) > FLOAT_MAX:  # not even a float: a typo, refused before math reads it
        return "is beyond any number the rules hold (about 1.8e308 at most)"
    if not math.isfinite(value):
        return "is not a finite number"
    if value < 0:
        return "is negative"
    if unit in WHOLE_UNITS and value != int(value):
        return f"is not a whole number of {unit}s"
    if unit in AT_MOST_ONE_UNITS and value > 1:
        return "is more than 1 (a rate is a fraction between 0 and 1: 0.75 for 75%)"
    return fraction_problem(value, unit, written)


def _name_problem(value: Any, kind: ValueKind) -> str | None:
    if not isinstance(value, str):
        return f"is {_what_it_is(value)}, not a name"
    if value not in kind.choices:
        closest = closest_name(value, kind.choices)
        return f"is not a {kind.of} name allowed here{f' (did you mean {closest!r}?)' if closest else ''}"
    return None


def _names_problem(value: Any, kind: ValueKind) -> str | None:
    if not isinstance(value, list):
        return f"is {_what_it_is(value)}, not a list"
    for item in value:
        if _name_problem(item, kind) is not None:
            closest = closest_name(item, kind.choices)
            hint = f" (did you mean {closest!r}?)" if closest else ""
            return f"holds {shown(item)}, which is not a {kind.of} name allowed here{hint}"
    return None


def value_problem(value: Any, kind: ValueKind, unit: str | None = None, written: str | None = None) -> str | None:
    """Why ``value`` is not a value of ``kind`` (``None`` if it is one, or is null): ``value 'sixty' is not
    a number; expected a number of months (0 or more)``. ``written``: a decimal number's text in its file
    (``600.000``, read as 600.0)."""
    if value is None:
        return None
    if kind.name == NUMBER.name:
        problem = _number_problem(value, unit, written)
    elif kind.name == BOOLEAN.name:
        problem = None if isinstance(value, bool) else "is not a boolean"
    elif kind.name == "name":
        problem = _name_problem(value, kind)
    elif kind.name == "names":
        problem = _names_problem(value, kind)
    else:
        problem = f"is a dated value, not {expected(kind)}"
    return f"value {written or shown(value)} {problem}; expected {expected(kind, unit)}" if problem else None


def empty_problem(kind: ValueKind | None, unit: str | None = None, label: str = "the value") -> str:
    """The message for a value left empty (``value:`` with nothing after it)."""
    what = expected(kind, unit) if kind is not None else "a value"
    return f"{label} is empty; expected {what}, or null written out where no value is in force from this date"


def implausible(declaration: ParameterName | None, unit: str | None, value: Any) -> str | None:
    """Why a number is outside what a law can set in its parameter's unit (an age of 55 months: 55 years written
    where months are read), or None (:attr:`~openfisca_sp.rules.branches.model.Unit.plausible`). A count of time
    that no declaration bounds (a scale's threshold, a parameter no branch declares) is bounded by its unit's."""
    wanted = declaration.unit if declaration is not None else None
    if wanted is None or wanted.plausible is None or not wanted.accepts(unit):
        wanted = next((count for count in TIME_COUNTS if count.accepts(unit)), None)
        if wanted is None:
            return None
    if (
        not isinstance(value, (int, float))
        or isinstance(value, bool)
        or _number_problem(value, unit) is not None  # negative, not finite, not whole: the kind's check says it, once
        or wanted.plausible[0] <= value <= wanted.plausible[1]
    ):
        return None
    low, high = wanted.plausible
    likely = wanted.likely.format(value=shown(value), months=shown(value * 12)) if low <= value * 12 <= high else ""
    return f"is {shown(value)}: {wanted.slip}" + (f": {likely}" if likely else "")
