"""A count said with its noun in the right number: "1 month", "2 months", "0 months" (every message built from a
count says it through here, so that none says "the 1 months"); a run of years (2026–2055) and the unit of a change
of rate (pp), each written one way in every message, table and report."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

STATUS_LABELS = {"verified_2nd": "verified (2nd)"}  # a value's status as the pages say it (the others as they are)
PERCENTAGE_POINTS = "pp"  # a change of a rate (coverage, calibration); CLDR has no such unit to translate
RANGE_DASH = "\u2013"  # the typographic en dash of a run of years, as CLDR's year intervals write it (lo, vi)


def status_label(status: str) -> str:
    """A value's status as a reader reads it: ``verified (2nd)`` for ``verified_2nd``, any other as it is."""
    return STATUS_LABELS.get(status, status)


def span(first: int, last: int) -> str:
    """A run of years from ``first`` to ``last``: ``2026–2055`` (an en dash, never a hyphen), or ``2026`` alone."""
    return str(first) if first == last else f"{first}{RANGE_DASH}{last}"


def noun_for(number: float, noun: str, plural: str | None = None) -> str:
    """``noun`` as a count of ``number`` takes it: singular for one (or minus one), else ``plural`` (default: the
    noun and an s)."""
    return noun if abs(number) == 1 else plural or f"{noun}s"


def counted(number: float, noun: str, plural: str | None = None, form: str | Callable[[float], str] = "") -> str:
    """``number`` written in ``form`` (a format spec: ``","``, ``",.0f"``; or a function, as :func:`count_text`),
    then ``noun`` in the number it takes as written (``0.6`` written ``1`` is one)."""
    written = form(number) if callable(form) else format(number, form)
    shown = written.replace(",", "").lstrip("-")
    return f"{written} {noun_for(1 if shown == '1' else 2, noun, plural)}"


COUNT_DECIMALS = 2  # a weighted count of persons (a sum of weights, or its average over months): to a hundredth


def count_value(number: float) -> float:
    """A weighted count of persons as it is written: to :data:`COUNT_DECIMALS` decimals, without the noise of its
    float64 sum (10420.199999999997 is 10420.2); a count that is not 0 is never written 0 (0.004 stays 0.004)."""
    rounded = round(float(number), COUNT_DECIMALS) + 0.0  # + 0.0: -0.0 is 0
    return float(f"{number:.2g}") if rounded == 0 and number != 0 else rounded


def count_text(number: float) -> str:
    """A weighted count of persons as printed: :func:`count_value` with thousands separators and the decimals it
    has (356,160; 0.5 over 12 months is 0.5, never 0; 255,347.08)."""
    value = count_value(number)
    whole, point, decimals = np.format_float_positional(abs(value), trim="-").partition(".")
    return f"{'-' if value < 0 else ''}{int(whole):,}{point}{decimals}"


def abridged(value: object, limit: int = 40) -> str:
    """``repr(value)``, cut short where it runs long; a whole number of hundreds of digits (quoted in an error) by
    its count of digits, which Python will not even write beyond 4,300."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**limit:
        sign = "a negative" if value < 0 else "a"
        return f"{sign} whole number of {math.floor(math.log10(abs(value))) + 1} digits"
    text = repr(value)
    return text if len(text) <= limit else f"{text[:12]}... ({len(text)} characters)"
