"""A person table with any column replaced by any values (texts, dates, huge or infinite numbers, mixed kinds), or
dropped, is simulated or refused as a :class:`PopulationError`: never another exception (a column of Python ints
beyond 64 bits raised pyarrow's OverflowError, found by a hypothesis fuzz in stop 77)."""

from __future__ import annotations

import warnings

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openfisca_sp.population import PopulationError, simulate
from openfisca_sp.synthetic import generate
from tests.any_value import scalars

MONTH = "2026-10"
TABLE = generate("lao", 40, MONTH, seed=3).to_pandas()
CELLS = scalars(["male", "female", "1e5", "", "NaN", "true", "2026-10-01", "dismissal"], biggest=2**70)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    column=st.sampled_from(list(TABLE.columns)),
    values=st.one_of(st.lists(CELLS, min_size=len(TABLE), max_size=len(TABLE)), CELLS),
    drop=st.booleans(),
)
def test_any_values_in_any_column_are_simulated_or_refused_naming_the_column(column, values, drop) -> None:
    table = TABLE.drop(columns=[column]) if drop else TABLE.copy()
    if not drop:
        table[column] = pd.Series(values if isinstance(values, list) else [values] * len(table), dtype=object)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pandas' and NumPy's own warnings on odd values are not the point
            simulate(table, MONTH, "lao")
    except PopulationError as refused:
        assert refused.column is None or refused.column in TABLE.columns or refused.column.startswith("insured_wage")


def test_the_table_unchanged_is_simulated() -> None:
    assert len(simulate(TABLE, MONTH, "lao").to_frame()) == len(TABLE)
