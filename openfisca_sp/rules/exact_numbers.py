"""Float variables held in float64, so that money is exact to the currency unit.

openfisca-core holds a float variable in float32: 24 bits of mantissa, exact to the unit only up to 16,777,216.
Viet Nam's dong and Lao PDR's kip pass that in ordinary amounts: a lump sum of 7 years at 2 months of a wage of
5,000,001 dong, 70,000,014, was held as 70,000,016, and a monthly wage of 20,000,001 as 20,000,000. In float64
every whole amount up to 2**53 is exact, and rounding to the currency unit (``formulas.round_amount``) holds.
The systems this package builds, and the reforms of them it builds, hold their float variables so.
"""

from __future__ import annotations

from typing import Any

import numpy as np

FLOAT = np.dtype(np.float64)


def hold_floats_exactly(tax_benefit_system: Any) -> Any:
    """``tax_benefit_system`` with each float variable held in float64 (a reform's new variables too)."""
    for variable in tax_benefit_system.variables.values():
        if variable.value_type is float and variable.dtype != FLOAT:
            variable.dtype = FLOAT
    return tax_benefit_system
