"""A number read from a file as a float: a whole number beyond a float's range (a typo of hundreds of digits, which
``float()`` refuses with OverflowError) is infinite, for the reader's own check of finite numbers to refuse it."""

from __future__ import annotations

import math
import sys


def as_float(number: float) -> float:
    """``number`` as a float; a whole number beyond the largest float, infinite of its sign."""
    if isinstance(number, int) and abs(number) > sys.float_info.max:
        return math.inf if number > 0 else -math.inf
    return float(number)
