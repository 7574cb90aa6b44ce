"""Months of contributions since 2014 that the calendar cannot hold: ``contribution_months`` less those paid for the
years before 2014 (``contribution_months_before_2014``, a part of them) more than the months from January 2014 to
the month asked, both counted: a contradiction of the record, never decided.

One definition, on whole columns, for ``/eligibility`` and the Python API (:mod:`.consistency`, against the date
asked) and the population engine (:mod:`openfisca_sp.population.contradictions`, against the month evaluated).
"""

from __future__ import annotations

import numpy as np

FIELD = "contribution_months_before_2014"
FIRST_MONTH = 2014 * 12  # January 2014, in months since the year 0


def months_since_2014(year: int, month: int) -> int:
    """The months from January 2014 to ``month`` of ``year`` (1 to 12), both counted."""
    return year * 12 + month - 1 - FIRST_MONTH + 1


def expected(since: int) -> str:
    """What a record of ``since`` months from January 2014 expects."""
    return f"at least contribution_months less {since}"


def more_since_2014(months: np.ndarray, before: np.ndarray, stated: np.ndarray, since: int) -> np.ndarray:
    """The persons who stated both counts (``stated``) whose months since 2014 (``months`` less ``before``, where
    ``before`` is no more than ``months``: a part larger than its whole is its own contradiction) pass ``since``."""
    return stated & (before <= months) & (months - before > since)
