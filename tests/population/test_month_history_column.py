"""A fact of the month evaluated may be given as that month's history column (``insured_wage.2026-09``): it wins over
the plain column (docs/population.md), and a table that has only it is read. It was refused as a missing plain
``insured_wage``, and an assumption for it refused as the table having the column (found by an outside review)."""

from __future__ import annotations

import numpy as np
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from openfisca_sp.population import simulate
from openfisca_sp.synthetic import generate

BUILT = "2026-10"  # the month the synthetic table describes: history columns up to 2026-09
MONTH = "2026-09"  # evaluated a month earlier, where insured_wage.2026-09 is the month's own wage


@pytest.mark.parametrize("stored", [False, True], ids=["in memory", "Parquet, read a block at a time"])
def test_the_months_history_column_is_read_as_the_plain_one(tmp_path, stored: bool) -> None:
    dated = generate("lao", 2000, BUILT, seed=5)  # wages as history columns only, to 2026-09
    assert "insured_wage.2026-09" in dated.column_names and "insured_wage" not in dated.column_names
    plain = dated.rename_columns(
        ["insured_wage" if name == "insured_wage.2026-09" else name for name in dated.column_names]
    )
    doubled = pc.multiply(dated["insured_wage.2026-09"], 2)
    both = dated.append_column("insured_wage", doubled)  # another plain wage beside the history column
    if stored:
        pq.write_table(dated, tmp_path / "dated.parquet")
        pq.write_table(plain, tmp_path / "plain.parquet")
        dated, plain = tmp_path / "dated.parquet", tmp_path / "plain.parquet"
    from_dated, from_plain = simulate(dated, MONTH, "lao"), simulate(plain, MONTH, "lao")
    assert from_dated.columns.keys() == from_plain.columns.keys()
    for name, values in from_plain.columns.items():
        assert np.array_equal(from_dated.columns[name], values, equal_nan=values.dtype.kind in "fmM"), name
    if not stored:  # with both, the history column wins: the plain column's other wages change nothing
        from_both = simulate(both, MONTH, "lao")
        for name, values in from_plain.columns.items():
            assert np.array_equal(from_both.columns[name], values, equal_nan=values.dtype.kind in "fmM"), name
