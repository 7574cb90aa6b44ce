"""Amounts in a currency whose jurisdiction counts no minor unit (dong, kip) are whole numbers.

A Vietnamese or Lao drafter writes five hundred thousand ``500.000``: YAML reads
500, and the rules paid 500 dong. An amount of such a currency (a unit naming its
code, ``VND per month``) written with a decimal point is refused, in words that
say what it was read as. Whether a currency has minor units is its jurisdiction's
``amount_decimals`` (``parameters/<code>/index.yaml``): 0 for VND and LAK, 2 for
TJS (dirams). A value a thousand times above or below the one before it (in any
currency) is refused too: a thousands separator slipped in or out.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from functools import cache
from typing import Any

from openfisca_sp.rules import jurisdictions

CURRENCY = re.compile(r"^(?P<code>[A-Z]{3})\b")  # "VND per month", "LAK", "TJS"
CURRENCY_NAMES = {"VND": "dong", "LAK": "kip", "TJS": "somoni"}  # as a drafter reads them
_THOUSANDS = re.compile(r"[0-9]{1,3}(\.[0-9]{3})+")  # 600.000, 1.500.000: a dot between thousands
SLIP = 500  # a ratio at least this large between two dated amounts is a separator slipped in or out


def currency_of(unit: str | None) -> str | None:
    """The currency code ``unit`` names (``VND per month``: VND), if any."""
    found = CURRENCY.match(unit or "")
    return found["code"] if found else None


@cache
def _decimals() -> dict[str, int]:
    return {jurisdiction.currency: jurisdiction.amount_decimals for jurisdiction in jurisdictions.registry().values()}


def whole_currency(unit: str | None) -> str | None:
    """The code of the currency ``unit`` names when its amounts are whole (no minor unit in practice), else None."""
    code = currency_of(unit)
    return code if code is not None and _decimals().get(code) == 0 else None


def whole_words(code: str) -> str:
    """``VND amounts are whole dong``."""
    return f"{code} amounts are whole {CURRENCY_NAMES.get(code, 'units of ' + code)}"


def _plain(value: float) -> str:
    """A number as a drafter writes it: 500000, 0.5."""
    return str(int(value)) if float(value).is_integer() else repr(value)


def fraction_problem(value: Any, unit: str | None, written: str | None = None) -> str | None:
    """Why a number in ``unit`` is not a whole amount of its currency (``written``: its text in the file, as
    ``600.000`` reads as 600.0), or None."""
    code = whole_currency(unit)
    if code is None or isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    text = (written or repr(value)).lstrip("+")
    if isinstance(value, int) or ("." not in text and "e" not in text.lower()):
        return None
    if _THOUSANDS.fullmatch(text):
        return f"reads as {_plain(value)}: {whole_words(code)}; write {text.replace('.', '')}"
    if value == int(value):
        return f"has a decimal point: {whole_words(code)}; write {int(value)}"
    return f"is not whole: {whole_words(code)}; write a whole number"


def thousandfold(dated: Iterable[tuple[str, Any]], unit: str | None) -> tuple[str, str] | None:
    """The first dated amount (date, why) some hundreds of times above or below the amount in force before it,
    where ``unit`` is a currency's; None otherwise."""
    if currency_of(unit) is None:
        return None
    before: tuple[str, float] | None = None
    for date, value in sorted(dated, key=lambda pair: str(pair[0])):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
            continue
        if before is not None:
            ratio = max(value, before[1]) / min(value, before[1])
            if ratio >= SLIP:
                way = "above" if value > before[1] else "below"
                return date, (
                    f"is {_plain(value)}, {ratio:.0f} times {way} the {_plain(before[1])} in force from {before[0]}: "
                    "a thousands separator read as a decimal point, or zeros left out or added? An amount does not "
                    "change a thousandfold from one date to the next (a problem, not a warning: correct the value)"
                )
        before = (date, value)
    return None
