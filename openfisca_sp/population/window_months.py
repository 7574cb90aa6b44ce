"""The months a window ended by a stated date reads: the end of a labour contract ends the unemployment branch's
windows at its month (Viet Nam Employment Law 2013 Art 49(2): the 24 months before the contract ended).

The columns a table must give are found by tracing the rules on a person who states nothing
(:func:`~openfisca_sp.population.columns.needed_columns`), whose windows end the month before the claim's. A person
whose contract ended earlier reads earlier months (:func:`~openfisca_sp.rules.windows.window_sum`): those
months' columns are read only if a trace reads them, here a trace at the month after each month in which such a
window ends. Without it, a table's months before the usual window were not read, and the rules counted them as
months without contributions.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from openfisca_sp.rules.branches import Branch
from openfisca_sp.rules.windows import earliest_window_end


def anchor_facts(branches: Iterable[Branch]) -> dict[str, str]:
    """The input date that, stated, ends each branch's windows at its month (by branch code)."""
    return {
        branch.code: branch.event.windows_end_with
        for branch in branches
        if branch.event is not None and branch.event.windows_end_with
    }


def decision_months(month: str, event_months: Iterable[str]) -> list[str]:
    """The months whose windows a branch's claims read: the month evaluated, and each month of their events (a
    claim made once days have passed since its event is still decided on its event's rules and windows:
    :func:`~openfisca_sp.decisions.claims.claimable_days`)."""
    return sorted({str(np.datetime64(item, "M")) for item in (month, *event_months)})


def window_months(ends: Iterable[str], decisions: Iterable[str]) -> list[str]:
    """The months after the last month of each window that a stated date ends early, for claims decided in the
    months ``decisions``: a date of a month in ``ends`` before a decision month's usual window end (the month
    before it) ends the window at its own month, or ``MAX_SHIFT_MONTHS`` months earlier at most; the rules traced
    at the month after that end read that window's months."""
    ends = sorted({np.datetime64(end, "M") for end in ends})
    found: set[np.datetime64] = set()
    for decision in decisions:
        usual_end = np.datetime64(decision, "M") - 1
        earliest = earliest_window_end(decision)
        found.update(max(end, earliest) + 1 for end in ends if end < usual_end)
    return sorted(str(item) for item in found)


def ended_window_months(ends: Iterable[str], event_months: Iterable[str], month: str) -> list[str]:
    """The months, other than ``month``, at which to trace a branch's claims so that the windows a stated date
    ends early are read: :func:`window_months` of the dates' months ``ends`` for claims decided in ``month`` and
    in their events' months ``event_months`` (a claim decided after ``month`` may close a window in it)."""
    return [item for item in window_months(ends, decision_months(month, event_months)) if item != month]
