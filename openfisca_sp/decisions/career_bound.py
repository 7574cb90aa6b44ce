"""Months of wages not stated, bounded by the career total stated: the highest they can be.

A claim lacking months of ``insured_wage`` is decided again with them at 0 and at the highest amount
(:mod:`.unstated_amounts`). Every one of them at the highest amount is a month contributed (an insured wage above
0), and the career total ``contribution_months``, stated as of the claim's month, counts every month contributed
before it: where it leaves room for fewer of them than are missing, the months all contributed contradict it. A
career of 11 months, 11 of them among the 12 latest months stated, leaves none of the 13 older ones contributed,
and can never reach the 12 months of the 24 Viet Nam's unemployment benefit requires (Employment Law 2013 Art
49): the claim is not eligible, and asking for those months' wages decides nothing.

There, the highest a claim's missing months can be is the room the career leaves, taken by its latest missing
months (at the highest amount; the older ones at 0). The rules count months in windows that end with the claim
(or the labour contract), average the latest months' wages and pay more for more, so the latest months are
where a month contributed counts most: whatever the missing months hold within the career, a decision is at
most this one. Each branch takes its own missing months, on its own claim's month.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from openfisca_sp.decisions.branch_decisions import Decisions
from openfisca_sp.decisions.facts import LARGEST_AMOUNT
from openfisca_sp.decisions.insured_months import WAGE, insured_months_counter
from openfisca_sp.decisions.records import RecordColumns

Key = tuple[str, str]  # (fact, month)
CAREER = "contribution_months"
UNBOUNDED = np.iinfo(np.int64).max


def highest_within_career(
    decisions: Decisions, listed: Mapping[str, np.ndarray], columns: RecordColumns, months: Sequence[Key]
) -> dict[str, dict[Key, np.ndarray] | None] | None:
    """For each branch of ``listed`` (who lacks amounts only, by code), the amount each person's missing month of
    wages among ``months`` is decided under at the high end, over every row (None: each at
    :data:`~.facts.LARGEST_AMOUNT`, the career bounding none of its claims); None where the career bounds no
    claim of any branch."""
    keys = [key for key in months if key[0] == WAGE]
    career = columns.values.get(CAREER)
    if career is None or not keys:
        return None
    total, stated = career
    index = {f"{name}.{month}": row for row, (name, month) in enumerate(keys)}
    periods = np.array([month for _, month in keys], dtype="datetime64[M]")[:, None]
    counter = insured_months_counter(columns)
    found: dict[str, dict[Key, np.ndarray] | None] = {}
    for code, mask in listed.items():
        decided = decisions.branches[code]
        month = np.asarray(decided.decided_on, dtype="datetime64[D]").astype("datetime64[M]")
        missing = np.zeros((len(keys), decisions.count), dtype=bool)
        for fact in (*decided.missing_for_decision, *decided.missing_for_amount):
            if (row := index.get(fact.label)) is not None:
                missing[row] |= fact.lacking
        missing &= mask
        counted = missing & (periods < month[None, :])  # months the career total counts
        insured = counter(month) if counter is not None else 0
        room = np.where(stated & mask, np.maximum(total - insured, 0), UNBOUNDED)
        bound = counted.sum(axis=0) > room
        if not bound.any():
            found[code] = None
            continue
        from_latest = np.cumsum(counted[::-1], axis=0)[::-1]  # 1 for the latest missing month, 2 the one before …
        highest = (counted & (from_latest <= room)) | (missing & ~counted)
        found[code] = {key: np.where(bound & ~highest[row], 0.0, LARGEST_AMOUNT) for row, key in enumerate(keys)}
    return found if any(value is not None for value in found.values()) else None
