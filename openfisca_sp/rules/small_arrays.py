"""numpy's answers for the few values of a small decision, without numpy's fixed costs.

numpy's ``any()``, ``all()`` and ``full()`` cost about a microsecond each however few the values (their Python
wrappers), and a one-person decision asks some 40 such questions and fills some 50 arrays: for a few values,
Python's ``in`` over the array's list answers ten times sooner, and a filled array is copied from one filled
before. The same answers as numpy's for any array.
"""

from __future__ import annotations

import datetime
import math
from functools import lru_cache
from typing import Any

import numpy as np

FEW = 16  # up to this many values of a boolean vector, the question is answered in Python


def anyone(values: Any) -> bool:
    """``bool(np.any(values))``."""
    if type(values) is np.ndarray and values.dtype.kind == "b" and values.ndim == 1 and len(values) <= FEW:
        return True in values.tolist()
    return bool(np.any(values))


def everyone(values: Any) -> bool:
    """``bool(np.all(values))``."""
    if type(values) is np.ndarray and values.dtype.kind == "b" and values.ndim == 1 and len(values) <= FEW:
        return False not in values.tolist()
    return bool(np.all(values))


FEW_FILLED = 16  # up to this many values, a filled array is copied from one made before


def filled(count: int, value: Any, dtype: Any = None) -> np.ndarray:
    """``np.full(count, value, dtype)`` at a third of its cost or less (numpy's ``full`` is Python, and a one-person
    decision fills some 50 arrays): a few values are copied from an array filled once."""
    kept = _filled_before(count, value, dtype)
    return _filled(count, value, dtype) if kept is None else kept.copy()


def constant(count: int, value: Any, dtype: Any = None) -> np.ndarray:
    """:func:`filled`, read-only: an array its callers only read (a decision's amounts where nobody is paid), shared
    for a few values rather than copied."""
    kept = _filled_before(count, value, dtype)
    if kept is not None:
        return kept
    array = _filled(count, value, dtype)
    array.flags.writeable = False
    return array


def _filled_before(count: int, value: Any, dtype: Any) -> np.ndarray | None:
    """The read-only array of ``count`` times ``value`` filled once, or None where none is kept: more than a few
    values, a value that cannot be a key, or -0.0 (a key equal to 0.0). The key holds the value's type and, for a
    date or a duration, its unit: 1, 1.0 and True, or a day and the same day's first hour, are equal keys
    otherwise. At most ``KEPT_MOST`` arrays are kept (all let go when more are asked)."""
    if count > FEW_FILLED:
        return None
    kind, unit = type(value), None
    if kind is np.datetime64 or kind is np.timedelta64:
        unit = value.dtype  # its unit: a day and its first hour are equal values
    elif kind is float:
        if value == 0 and math.copysign(1.0, value) < 0:
            return None
    elif kind not in _PLAIN:
        if isinstance(value, (np.datetime64, np.timedelta64)):
            unit = value.dtype
        elif isinstance(value, (float, np.floating)) and value == 0 and math.copysign(1.0, value) < 0:
            return None
    key = (count, value, kind, unit, dtype)
    try:
        kept = _KEPT.get(key)
    except TypeError:  # a value that cannot be a key
        return None
    if kept is None:
        kept = _filled(count, value, dtype)
        kept.flags.writeable = False  # only ever read or copied
        if len(_KEPT) >= KEPT_MOST:
            _KEPT.clear()
        _KEPT[key] = kept
    return kept


KEPT_MOST = 512
_KEPT: dict[tuple, np.ndarray] = {}  # (count, value, its type, its unit, dtype): a dict, quicker than lru_cache
_PLAIN = frozenset({int, bool, str, type(None)})  # neither a date, a duration nor a float


def _filled(count: int, value: Any, dtype: Any) -> np.ndarray:
    array = np.empty(count, dtype=np.asarray(value).dtype if dtype is None else dtype)
    array.fill(value)
    return array


@lru_cache(maxsize=1024)
def as_day(value: str | datetime.date) -> np.datetime64:
    """A day (``datetime64[D]``) from its text (YYYY-MM-DD) or date, made once (numpy parses in a microsecond or
    two)."""
    return np.datetime64(value, "D")
