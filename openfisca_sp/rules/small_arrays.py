"""Whether any or every value of a boolean array holds, quickly for the few values of a small decision.

numpy's ``any()`` and ``all()`` cost about a microsecond each however few the values (their Python wrappers and
a reduction), and a one-person decision asks some 40 such questions; for a few values Python's ``in`` over the
array's list answers ten times sooner. The same answers as numpy's for any array.
"""

from __future__ import annotations

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
