"""A table's survey weights, checked: each row stands for a finite number of persons, from 0 to :data:`MAX_WEIGHT`
(the rules' run, a projection's reweighting and the breakdowns read them alike)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from openfisca_sp.population.columns import WEIGHT
from openfisca_sp.population.errors import PopulationError
from openfisca_sp.population.fact_arrays import IS_ABOVE, IS_NOT, NUMBER, first_rows, found_in

MAX_WEIGHT = 1e10  # persons one row may stand for: every total of amounts then stays far from float64's limit


def checked_weights(table: pa.Table, source: str | None) -> np.ndarray:
    """The table's weights in float64 (1 each without the column), refused unless every one is a finite number from 0
    to :data:`MAX_WEIGHT`."""
    if WEIGHT not in table.column_names:
        return np.ones(table.num_rows)
    column = table.column(WEIGHT)
    if not (pa.types.is_floating(column.type) or pa.types.is_integer(column.type)):
        found = found_in(column, NUMBER, 0)
        raise PopulationError(f"expected a number (survey weight) for every person, found {found}", WEIGHT, source)
    if column.null_count:
        empty = first_rows(column.is_null().to_numpy(zero_copy_only=False))
        raise PopulationError(f"expected a number (survey weight) for every person; empty in {empty}", WEIGHT, source)
    weights = column.to_numpy().astype(np.float64, copy=False)
    bad = ~np.isfinite(weights) | (weights < 0)
    if bad.any():
        raise PopulationError(
            f"weights must be finite and not negative; {first_rows(bad, verb=IS_NOT)}", WEIGHT, source
        )
    above = weights > MAX_WEIGHT
    if above.any():  # the totals would overflow float64 (1e308 a weight: costs of inf, a Gini of NaN, no error)
        raise PopulationError(
            f"a weight counts the persons a row stands for: at most {MAX_WEIGHT:,.0f} (more than the world's "
            f"population); {first_rows(above, verb=IS_ABOVE)}",
            WEIGHT,
            source,
        )
    return weights
