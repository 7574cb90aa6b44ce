"""Months insured as a wage history states them, counted as the rules count a month contributed
(``contributed_in_month``: an insured wage above 0), before each person's month.

The career total ``contribution_months`` counts every month contributed before the month a claim is decided in,
so it holds at least these months: fewer is a contradiction (:mod:`.consistency`), and a month of wages not
stated can be one contributed only while the career total leaves room for it (:mod:`.career_bound`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

from openfisca_sp.decisions.records import RecordColumns

WAGE = "insured_wage"
MONTH = re.compile(r"[0-9]{4}-[0-9]{2}")


def most_wage_months(columns: RecordColumns) -> int:
    """At most how many months of wages a person states (the history keys of ``insured_wage``, counted without
    reading them): a career total of at least this many is contradicted by none."""
    return sum(1 for name, _ in columns.histories if name == WAGE)


def insured_months_counter(columns: RecordColumns) -> Callable[[np.ndarray], np.ndarray] | None:
    """A counter of each person's months with an insured wage above 0 stated before their month (an array of
    ``datetime64[M]``, NaT counting none); None where nobody states a month of wages."""
    found = sorted((period, pair) for (name, period), pair in columns.histories.items() if name == WAGE)
    found = [(period, pair) for period, pair in found if MONTH.fullmatch(period)]
    if not found:
        return None
    periods = np.array([period for period, _ in found], dtype="datetime64[M]")[:, None]
    insured = np.array([(values > 0) & stated for _, (values, stated) in found], dtype=bool)

    def before(months: np.ndarray) -> np.ndarray:
        return (insured & (periods < np.asarray(months, dtype="datetime64[M]")[None, :])).sum(axis=0)

    return before
