"""The default of an input not given for a period, as openfisca-core's ``Holder.default_array`` gives it."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
from openfisca_core.indexed_enums import Enum, EnumArray


def default_array(holder: Any) -> Any:
    """openfisca-core's ``Holder.default_array``, from ``np.zeros`` where the default is all zero bits (0, false,
    1970-01-01, an enumeration's first item): the system hands zeroed pages over as they are first touched, where
    openfisca-core writes the default into every row (a month of wages a table lacks, read for the window of a
    few persons, was written a million times over)."""
    variable = holder.variable
    if not _zero_default(variable):
        return holder.default_array()
    array = np.zeros(holder.population.count, dtype=variable.dtype)
    return EnumArray(array, variable.possible_values) if variable.value_type is Enum else array


@lru_cache(maxsize=4096)
def _zero_default(variable: Any) -> bool:
    """Whether ``variable``'s default is stored as zero bits."""
    return not np.asarray(variable.default_array(1)).view(np.uint8).any()
