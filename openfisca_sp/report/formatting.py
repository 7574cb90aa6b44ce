"""How the report writes numbers: counts, money, rates, changes in points, axis labels and months.

Every formatter keeps ``None`` (not modelled, or no denominator) as ``None`` so
that the caller decides what a missing figure reads.
"""

from __future__ import annotations

import datetime

NOT_MODELLED = "not modelled"
NONE = "–"  # a ratio without a denominator (no beneficiaries, no winners): nothing to show


def _fixed(value: float, digits: int = 0, signed: bool = False) -> str:
    value = round(float(value), digits) + 0.0  # no "-0"
    sign = "+" if signed and value != 0 else ""
    return f"{value:{sign},.{digits}f}"


def count(value: float | None, signed: bool = False) -> str | None:
    """A weighted count with thousands separators (``None`` stays ``None``)."""
    return None if value is None else _fixed(value, 0, signed)


def money(value: float | None, currency: str, signed: bool = False) -> str | None:
    """An amount with its currency code; cents only for small amounts."""
    if value is None:
        return None
    digits = 0 if abs(value) >= 100 or float(value).is_integer() else 2
    return f"{currency}\u00a0{_fixed(value, digits, signed)}"


def rate(value: float | None) -> str | None:
    """A share as a percentage with one decimal."""
    return None if value is None else f"{_fixed(value * 100, 1)}%"


def points(value: float | None) -> str | None:
    """A change of rate in percentage points."""
    return None if value is None else f"{_fixed(value * 100, 1, signed=True)}\u00a0pp"


def compact(value: float) -> str:
    """A short axis label: 1.2k, 3.4M, 5.6bn."""
    for size, suffix in ((1e9, "bn"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:,.1f}".rstrip("0").rstrip(".") + suffix
    return f"{value:,.0f}"


def share(part: float | None, whole: float | None) -> float | None:
    """``part / whole``, or ``None`` if either is missing or ``whole`` is zero."""
    return part / whole if part is not None and whole else None


def difference(new: float | None, old: float | None) -> float | None:
    """``new - old``, or ``None`` if either is missing."""
    return new - old if new is not None and old is not None else None


def month_label(month: str) -> str:
    """``2026-10`` as ``October 2026`` (anything else unchanged)."""
    try:
        return datetime.datetime.strptime(str(month), "%Y-%m").strftime("%B %Y")
    except ValueError:
        return str(month)
