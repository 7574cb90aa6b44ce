"""Law cases compare a result at the precision the rules hold it.

openfisca-core's YAML test runner compares every number in float32
(``openfisca_core.tools.assert_near``): above 16,777,216 the last unit is lost,
so a law case expecting 20,000,000 passed on a pension of 20,000,001, and whole
amounts of dong or kip were checked to a few units only. openfisca-sp holds money
in float64 (:mod:`~.exact_numbers`) and counts in integers: a case is compared in
float64 for those, and as openfisca-core does for anything else (float32
variables of other packages, enumerations, dates, texts), so that their cases
pass or fail as before. A relative difference below ``REPRESENTATION`` is float64's
own rounding (a sum of rates), not a difference.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from openfisca_core import commons
from openfisca_core import tools as core_tools
from openfisca_core.indexed_enums import EnumArray

_CORE_ASSERT_NEAR = core_tools.assert_near
# float64's own rounding (0.45 + 7 x 0.02 is 0.5900000000000001): a relative difference this small is the
# number's representation, not a difference of law; one unit in 20,000,000 is 5e-8 of it
REPRESENTATION = 1e-12


def assert_near(
    value: Any,
    target_value: Any,
    absolute_error_margin: float | None = None,
    message: str = "",
    relative_error_margin: float | None = None,
) -> None:
    """openfisca-core's ``assert_near``, in float64 where the result is held in float64 or as an integer."""
    held = value if isinstance(value, np.ndarray) else np.asarray(value)
    exact = not isinstance(value, EnumArray) and (held.dtype.kind in "iu" or held.dtype == np.float64)
    if isinstance(target_value, str):
        target_value = commons.eval_expression(target_value)
    if not exact or isinstance(target_value, str) or _texts(target_value):
        return _CORE_ASSERT_NEAR(value, target_value, absolute_error_margin, message, relative_error_margin)
    if absolute_error_margin is None and relative_error_margin is None:
        absolute_error_margin = 0
    target = np.asarray(target_value, dtype=np.float64)
    actual = held.astype(np.float64)
    diff = np.abs(target - actual)
    diff = np.where(diff <= REPRESENTATION * np.abs(target), 0.0, diff)
    if absolute_error_margin is not None:
        assert (diff <= absolute_error_margin).all(), (
            f"{message}{actual} differs from {target} with an absolute margin {diff} > {absolute_error_margin}"
        )
    if relative_error_margin is not None:
        allowed = np.abs(relative_error_margin * target)
        assert (diff <= allowed).all(), (
            f"{message}{actual} differs from {target} with a relative margin {diff} > {allowed}"
        )
    return None


def _texts(target: Any) -> bool:
    return isinstance(target, list) and bool(target) and isinstance(target[0], str)


def compare_at_precision_held() -> None:
    """Make openfisca-core's YAML test runner compare with :func:`assert_near` (idempotent)."""
    from openfisca_core.tools import test_runner  # it imports pytest: only where law cases run

    test_runner.assert_near = assert_near
