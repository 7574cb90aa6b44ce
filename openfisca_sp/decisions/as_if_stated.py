"""A fact a person did not state, decided as if stated: the shared steps of the decisions asked again.

A claim refused where a fact the person may prove was read as its default (a mother's reduction in Tajikistan,
:mod:`~.claimed_reductions`; a household certified poor in Viet Nam, :mod:`~.certified_households`) is decided
again as if stated; where that is not a refusal, it is undetermined and lists the fact, never refused on a
default. An answer resting on a decision it cannot make is undetermined too (:mod:`~.higher_of_two`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import numpy as np

from openfisca_sp.decisions.branch_decisions import BranchDecisions, Decisions
from openfisca_sp.decisions.missing_facts import MissingFact
from openfisca_sp.decisions.outcomes import Outcome
from openfisca_sp.decisions.records import RecordColumns
from openfisca_sp.decisions.unstated_choices import Decide, Households, stating, with_households
from openfisca_sp.rules.periods import parse_period
from openfisca_sp.rules.small_arrays import anyone
from openfisca_sp.rules.windows import add_months


def stated_anyhow(columns: RecordColumns, name: str) -> np.ndarray:
    """Who states ``name``, as one value or in a history."""
    stated = np.zeros(columns.count, dtype=bool)
    if name in columns.values:
        stated |= columns.values[name][1]
    for (fact, _), (_, mask) in columns.histories.items():
        if fact == name:
            stated |= mask
    return stated


def refused_unstated(
    columns: RecordColumns, decisions: BranchDecisions, fact: str, reason: Any
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Who does not state ``fact`` (by its name, as :func:`settled_as_if_claimed` takes it), and who of them is
    refused for ``reason``: the claims stating it might change."""
    unstated = {fact: ~stated_anyhow(columns, fact)}
    return unstated, unstated[fact] & (decisions.outcome == Outcome.not_eligible) & (decisions.reason == reason.index)


def age_reached(
    columns: RecordColumns,
    decisions: BranchDecisions,
    age_on: Callable[[Any], int | None],
    by_month: Callable[[Any], bool] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Who has reached, on the day decided, the age in months ``age_on(period)`` gives for that day's month, and
    for whom it is known (a birth date stated, an age in force that day); where ``by_month(period)`` is true, an
    age reached by the end of the claim's month counts (Viet Nam's pension paid from the month after
    retirement)."""
    reached = np.zeros(columns.count, dtype=bool)
    known = np.zeros(columns.count, dtype=bool)
    if "birth_date" not in columns.values:
        return reached, known
    births, stated = columns.values["birth_date"]
    days = decisions.decided_on
    for day in np.unique(days[~np.isnat(days)]):
        period = parse_period(str(day)[:7])
        months = age_on(period)
        if months is not None:
            on_day = (days == day) & stated
            known |= on_day
            if by_month is not None and by_month(period):  # the month the age is reached, the claim's or before
                at_age = births.astype("datetime64[M]") + np.int64(months) <= day.astype("datetime64[M]")
            else:
                at_age = add_months(births, np.full(len(births), months)) <= day
            reached |= on_day & at_age
    return reached, known


def settled_as_if_claimed(
    decisions: Decisions,
    branch: str,
    claimed_values: dict[str, Any],
    unstated: dict[str, np.ndarray],
    candidates: np.ndarray,
    columns: RecordColumns,
    households: Households | None,
    decide: Decide,
) -> Decisions:
    """``decisions`` with each claim of ``branch`` among ``candidates`` (a refusal, or a claim not modelled) that,
    decided again as if the person stated ``claimed_values`` where they did not (``unstated``), would be decided
    otherwise (a refusal no longer one, a reduced pension not modelled granted at a lower age) made undetermined,
    listing the facts claimed not stated and those the claimed decision lacks."""
    rows = with_households(candidates, households)
    part = columns.take(rows)
    for name, value in claimed_values.items():  # set where not stated only
        part = stating(part, name, value)
    part_households = None if households is None else tuple([column[row] for row in rows] for column in households)
    claimed = decide(part, part_households, (branch,)).branches[branch]
    changed = np.zeros(decisions.count, dtype=bool)  # claiming would decide otherwise: the answer is not certain
    changed[rows[(claimed.outcome != decisions.branches[branch].outcome[rows]) & candidates[rows]]] = True
    if not anyone(changed):
        return decisions
    lacking = [
        MissingFact(name, changed & unstated[name]) for name in claimed_values if anyone(changed & unstated[name])
    ]
    for fact in (*claimed.missing_for_decision, *claimed.missing_for_amount):  # asked at once, not one after another
        also = np.zeros(decisions.count, dtype=bool)
        also[rows[fact.lacking]] = True
        if anyone(also & changed):
            lacking.append(MissingFact(fact.label, also & changed))
    settled = Decisions(as_of=decisions.as_of, count=decisions.count, branches=dict(decisions.branches))
    settled.branches[branch] = undetermined(decisions.branches[branch], changed, lacking)
    return settled


def undetermined(decisions: BranchDecisions, rows: np.ndarray, lacking: list[MissingFact]) -> BranchDecisions:
    """``decisions`` with the claims of ``rows`` (a mask) undetermined, lacking the facts ``lacking`` (not
    provisional: nothing decided rests on an unverified value)."""
    outcome = np.where(rows, Outcome.undetermined, decisions.outcome)
    nothing = {name: np.where(rows, np.nan, values) for name, values in decisions.lump_sums.items()}
    return dataclasses.replace(
        decisions,
        outcome=outcome,
        amount=np.where(rows, np.nan, decisions.amount),
        duration=np.where(rows, np.nan, decisions.duration),
        lump_sums=nothing,
        provisional=np.where(rows, False, decisions.provisional),
        missing_for_decision=[*decisions.missing_for_decision, *lacking],
    )
