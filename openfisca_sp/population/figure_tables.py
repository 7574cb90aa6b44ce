"""Tables of figures as DataFrames, with a figure that has no value spelt one way: NaN in a float64 column.

A table's rows give ``None`` where a figure is not modelled or has no denominator (the average of no one);
``pd.DataFrame`` read that ``None`` as NaN in a column that held a number elsewhere, and kept it ``None`` in a
column that held none (an ``average_gain`` where nobody wins, a ``cost`` no branch models): one table said NaN,
the next ``None``. Here every figure column is float64, its missing figures NaN (``pd.isna`` tells them); the
JSON of a table (``json_records``) writes them ``null``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

# figures of the tables of simulate, compare and project: a column named so, or ending with _ and the name
FIGURES = (
    "beneficiaries",
    "average_beneficiaries",
    "beneficiaries_change",
    "periodical_benefits",
    "lump_sums",
    "cost",
    "cost_change",
    "average_benefit",
    "winners",
    "losers",
    "gains",
    "losses",
    "average_gain",
    "average_loss",
    "population",
    "covered",
    "rate",
    "line_value",
    "gini_error",
)
RATES = ("headcount_", "gap_", "gini_")  # poverty's series: headcount_before, gap_reform, gini_baseline …


def is_figure(name: str) -> bool:
    """Whether a table's column holds figures (numbers, NaN where there is none), not text or flags."""
    if name in FIGURES or name.endswith(tuple(f"_{figure}" for figure in FIGURES)):
        return True
    return name.startswith(RATES) and not name.endswith("_note")


def figure_table(records: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """The DataFrame of a table's rows, each figure column float64 with NaN where a row gives ``None``."""
    table = pd.DataFrame(list(records))
    figures = [name for name in table.columns if is_figure(name) and table[name].dtype == object]
    return table.astype(dict.fromkeys(figures, np.float64)) if figures else table
