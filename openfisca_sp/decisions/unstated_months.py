"""Months of a history a person did not state, and the decisions that do not turn on them.

A claim reads the insured wage of each month of its windows (the 12 months before a birth, the 24 before
unemployment …), and a person who leaves some out is undetermined, the months listed as missing
(:mod:`~.missing_facts`). Often the months stated decide it already: a mother states the 6 months of wages
before the birth and the law asks 6 contributed months in 12. Such a claim is decided again with the missing
months as 0 (nothing insured) and as :data:`~.facts.LARGEST_AMOUNT`: where both give the same decision, whole
(outcome, reason, amount, duration, benefit period, lump sums …) and with no other fact missing, that decision
stands and the months were not needed.

The rules count a month as contributed when its wage is above 0 and average wages capped at a ceiling, so a
decision is monotone in each month's wage: what holds at both ends holds for every wage between them. A month
inside the window a reference wage averages changes the amount between the two ends, so its claim stays as it
was: undetermined, or its amount unknown, listing the months.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np

from openfisca_sp.decisions.branch_decisions import BranchDecisions, Decisions
from openfisca_sp.decisions.facts import LARGEST_AMOUNT
from openfisca_sp.decisions.records import RecordColumns
from openfisca_sp.decisions.unstated_choices import Households, settled_where_alike, with_households
from openfisca_sp.rules.small_arrays import anyone

Decide = Callable[..., Decisions]  # (records, households[, branch codes]): the same batch's decisions of others
MONTH_LABEL = re.compile(r"^(?P<name>[a-z_]+)\.(?P<month>[0-9]{4}-[0-9]{2})$")  # insured_wage.2024-05
ENDS = (0.0, LARGEST_AMOUNT)  # the two wages each missing month is decided under


def settle_unstated_months(
    decisions: Decisions, columns: RecordColumns, households: Households | None, decide: Decide
) -> Decisions:
    """``decisions`` with each claim that lacks only months of a numeric history decided under both
    :data:`ENDS`, and the decision both give where they agree (``decide``: the same batch's decisions of others)."""
    months: set[tuple[str, str]] = set()
    listed: dict[str, np.ndarray] = {}
    for code, part in decisions.branches.items():
        only_months = _lacking_only_months(part, columns, months)
        if anyone(only_months):
            listed[code] = only_months
    if not listed:
        return decisions
    candidates = np.logical_or.reduce(list(listed.values()))
    rows = with_households(candidates, households)
    part = columns.take(rows)
    part_households = None if households is None else tuple([column[row] for row in rows] for column in households)
    under = [decide(stating_months(part, sorted(months), value), part_households) for value in ENDS]
    return settled_where_alike(decisions, listed, rows, under)


def _lacking_only_months(
    decisions: BranchDecisions, columns: RecordColumns, months: set[tuple[str, str]]
) -> np.ndarray:
    """Who lacks some facts of ``decisions``, all of them months of a numeric history (added to ``months``)."""
    lacking_months = np.zeros(decisions.count, dtype=bool)
    lacking_other = np.zeros(decisions.count, dtype=bool)
    for fact in (*decisions.missing_for_decision, *decisions.missing_for_amount):
        found = MONTH_LABEL.match(fact.label)
        known = columns.facts.get(found["name"]) if found else None
        if known is not None and not known.eternal and known.value_type in (int, float):
            lacking_months |= fact.lacking
            if anyone(fact.lacking):
                months.add((found["name"], found["month"]))
        else:
            lacking_other |= fact.lacking
    return lacking_months & ~lacking_other


def stating_months(columns: RecordColumns, months: Sequence[tuple[str, str]], value: float) -> RecordColumns:
    """``columns`` with ``value`` stated for each of ``months`` (fact, month) wherever it was not."""
    histories = dict(columns.histories)
    stated_everywhere = np.ones(columns.count, dtype=bool)
    for key in months:
        fact = columns.facts[key[0]]
        kind = np.float64 if fact.value_type is float else np.int64
        if key in histories:
            array, stated = histories[key]
            histories[key] = (np.where(stated, array, kind(value)), stated_everywhere)
        else:
            histories[key] = (np.full(columns.count, value, dtype=kind), stated_everywhere)
    return RecordColumns(columns.count, columns.facts, columns.values, histories)
