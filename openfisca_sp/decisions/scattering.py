"""A branch's decisions for a whole batch, put together from the decisions of its groups of rows.

A batch is decided in groups (the claims decided on the same day's rules, the
persons decided again under each value of a fact they did not state); each
group's decisions are scattered back to their rows, and each person's missing
facts keep the order they had in the group that decided them.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import Any

import numpy as np

from openfisca_sp.decisions.age_changes import scattered
from openfisca_sp.decisions.branch_decisions import BranchDecisions, MissingFact
from openfisca_sp.decisions.schedules import NOT_A_DATE
from openfisca_sp.rules.branches import Branch


def keeping_order(sequences: Sequence[Sequence[str]]) -> list[str]:
    """Every name of ``sequences`` once, in an order that keeps each sequence's own (first listed first where
    they do not say), so that a person's missing facts come in the same order whatever batch decided them."""
    names = list(dict.fromkeys(name for sequence in sequences for name in sequence))
    following: dict[str, set[str]] = {name: set() for name in names}
    preceding = dict.fromkeys(names, 0)
    for sequence in sequences:
        for earlier, later in pairwise(sequence):
            if later not in following[earlier]:
                following[earlier].add(later)
                preceding[later] += 1
    order: list[str] = []
    left = names
    while left:
        name = next((name for name in left if not preceding[name]), left[0])  # left[0]: sequences disagree
        order.append(name)
        left = [other for other in left if other != name]
        for later in following[name]:
            preceding[later] -= 1
    return order


def scatter_decisions(parts: list[tuple[np.ndarray, BranchDecisions]], count: int, branch: Branch) -> BranchDecisions:
    """One branch's decisions for the whole batch, from the decisions of its groups of rows."""
    if len(parts) == 1:  # every claim decided on the same rules: the group is the batch, in its order
        return parts[0][1]

    def full(name: str, fill: Any, dtype: Any = None) -> np.ndarray:
        sample = getattr(parts[0][1], name)
        array = np.full(count, fill, dtype=dtype or sample.dtype)
        for rows, part in parts:
            array[rows] = getattr(part, name)
        return array

    def missing(name: str) -> list[MissingFact]:
        found: dict[str, np.ndarray] = {}
        for rows, part in parts:
            for fact in getattr(part, name):
                found.setdefault(fact.label, np.zeros(count, dtype=bool))[rows] |= fact.lacking
        order = keeping_order([[fact.label for fact in getattr(part, name)] for _, part in parts])
        return [MissingFact(label, found[label]) for label in order if found[label].any()]  # a row decided again: none

    first = parts[0][1]
    waiting = full("waiting_days", np.nan) if first.waiting_days is not None else None
    lump_sums = {}
    for name in first.lump_sums:
        lump_sums[name] = np.full(count, np.nan)
        for rows, part in parts:
            lump_sums[name][rows] = part.lump_sums[name]
    return BranchDecisions(
        branch=branch,
        outcome=full("outcome", 0),
        reason=full("reason", 0),
        amount=full("amount", np.nan),
        duration=full("duration", np.nan),
        duration_unit=full("duration_unit", "", object),
        frequency=full("frequency", "", object),
        waiting_days=waiting,
        lump_sums=lump_sums,
        basis_key=full("basis_key", 0),
        amount_modelled=full("amount_modelled", False),
        provisional=full("provisional", False),
        missing_for_decision=missing("missing_for_decision"),
        missing_for_amount=missing("missing_for_amount"),
        decided_on=full("decided_on", NOT_A_DATE),
        rules_day=full("rules_day", NOT_A_DATE),
        event_date=full("event_date", NOT_A_DATE),
        start=full("start", NOT_A_DATE),
        end=full("end", NOT_A_DATE),
        bases={day: basis for _, part in parts for day, basis in part.bases.items()},
        index=first.index,
        day_rate=first.day_rate,
        earliest_start=full("earliest_start", NOT_A_DATE)
        if all(part.earliest_start is not None for _, part in parts)
        else None,
        age_changes=scattered([(rows, part.age_changes) for rows, part in parts], count),
        first_day_rule=full("first_day_rule", 0) if all(part.first_day_rule is not None for _, part in parts) else None,
        amount_notes=_from_groups([(rows, part.amount_notes) for rows, part in parts], count, None, object),
        history_read_from=_months_from([(rows, part.history_read_from) for rows, part in parts], count),
        amount_provisional=_from_groups([(rows, part.amount_provisional) for rows, part in parts], count, False, bool),
    )


def _from_groups(
    parts: list[tuple[np.ndarray, np.ndarray | None]], count: int, fill: Any, dtype: Any
) -> np.ndarray | None:
    """Each row's value from its group's (an amount note, :mod:`~.amount_notes`; whether it is provisional for its
    amount alone), ``fill`` where its group has none; None where no group has any."""
    if all(values is None for _, values in parts):
        return None
    found = np.full(count, fill, dtype=dtype)
    for rows, values in parts:
        if values is not None:
            found[rows] = values
    return found


def _months_from(
    parts: list[tuple[np.ndarray, dict[str, np.ndarray] | None]], count: int
) -> dict[str, np.ndarray] | None:
    """Each row's oldest month of each history its results read (``BranchDecisions.history_read_from``) from its
    group's, NaT where its group found none; None where no group found any."""
    if all(months is None for _, months in parts):
        return None
    found: dict[str, np.ndarray] = {}
    for rows, months in parts:
        for fact, oldest in (months or {}).items():
            found.setdefault(fact, np.full(count, np.datetime64("NaT"), dtype="datetime64[M]"))[rows] = oldest
    return found
