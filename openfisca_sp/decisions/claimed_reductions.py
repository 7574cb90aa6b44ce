"""Reductions a person claims with proof, asked for where they would change the decision.

Tajikistan lowers the pensionable age and period of a mother of five children raised to the age of 8, or of a
disabled child (``old_age.reduced_conditions.mothers``). The mother claims them with proof: not stated
(``children_raised``, ``raised_disabled_child``), the general age and period apply. But a woman refused on those
may be one who did not say: where the claim, decided again as if she claimed the reduction, is decided otherwise,
it is undetermined and lists the two facts, never refused on a count read as zero. Where claiming would change
nothing (a woman of 40, a man), the refusal stands.
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
from openfisca_sp.rules.enums import IneligibilityReason as Reason
from openfisca_sp.rules.formulas import reduced_conditions_for_mothers
from openfisca_sp.rules.periods import parse_period
from openfisca_sp.rules.small_arrays import anyone
from openfisca_sp.rules.windows import add_months

BRANCH = "old_age"
CLAIMED = {"children_raised": 99, "raised_disabled_child": True}  # as if the mother claimed the reduction
REFUSED_ON = (Reason.below_pensionable_age.index, Reason.insufficient_contributions.index)


def _reductions_in(tax_benefit_system: Any) -> bool:
    """Whether a system's old-age rules set reduced conditions for mothers at some date."""
    node = getattr(getattr(tax_benefit_system, "parameters", None), "children", {}).get(BRANCH)
    return node is not None and "reduced_conditions" in getattr(node, "children", {})


def stated_anyhow(columns: RecordColumns, name: str) -> np.ndarray:
    """Who states ``name``, as one value or in a history."""
    stated = np.zeros(columns.count, dtype=bool)
    if name in columns.values:
        stated |= columns.values[name][1]
    for (fact, _), (_, mask) in columns.histories.items():
        if fact == name:
            stated |= mask
    return stated


def _not_a_man(columns: RecordColumns) -> np.ndarray:
    if "sex" not in columns.values:
        return np.ones(columns.count, dtype=bool)
    values, stated = columns.values["sex"]
    return ~stated | (values != "male")


def _too_young(tax_benefit_system: Any, columns: RecordColumns, decisions: BranchDecisions) -> np.ndarray:
    """Who is below the mothers' reduced age itself on the day decided (a woman of 40): claiming changes nothing
    for them, so they are not decided again."""

    def mothers_age(period: Any) -> int | None:
        mothers = reduced_conditions_for_mothers(tax_benefit_system.get_parameters_at_instant, period)
        return None if mothers is None else int(mothers.pensionable_age)

    reached, known = age_reached(columns, decisions, mothers_age)
    return known & ~reached


def age_reached(
    columns: RecordColumns, decisions: BranchDecisions, age_on: Callable[[Any], int | None]
) -> tuple[np.ndarray, np.ndarray]:
    """Who has reached, on the day decided, the age in months ``age_on(period)`` gives for that day's month, and
    for whom it is known (a birth date stated, an age in force that day)."""
    reached = np.zeros(columns.count, dtype=bool)
    known = np.zeros(columns.count, dtype=bool)
    if "birth_date" not in columns.values:
        return reached, known
    births, stated = columns.values["birth_date"]
    days = decisions.decided_on
    for day in np.unique(days[~np.isnat(days)]):
        months = age_on(parse_period(str(day)[:7]))
        if months is not None:
            on_day = (days == day) & stated
            known |= on_day
            reached |= on_day & (add_months(births, np.full(len(births), months)) <= day)
    return reached, known


def settle_claimed_reductions(
    tax_benefit_system: Any, decisions: Decisions, columns: RecordColumns, households: Households | None, decide: Decide
) -> Decisions:
    """``decisions`` with each old-age refusal that claiming the mothers' reduction would turn into something else
    than a refusal (eligible, or undetermined for another fact) undetermined, listing the facts of the claim not
    stated, and those the claimed decision lacks (``decide``: the same batch's decisions of other records, of the
    branches named)."""
    old_age = decisions.branches.get(BRANCH)
    if old_age is None or not _reductions_in(tax_benefit_system):
        return decisions
    unstated = {name: ~stated_anyhow(columns, name) for name in CLAIMED}  # each on its own: one stated, the other asked
    candidates = np.logical_or.reduce(list(unstated.values())) & _not_a_man(columns)
    candidates &= (old_age.outcome == Outcome.not_eligible) & np.isin(old_age.reason, REFUSED_ON)
    if anyone(candidates):
        candidates &= ~_too_young(tax_benefit_system, columns, old_age)
    if not anyone(candidates):
        return decisions
    return settled_as_if_claimed(decisions, BRANCH, CLAIMED, unstated, candidates, columns, households, decide)


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
    """``decisions`` with each refusal of ``branch`` among ``candidates`` that, decided again as if the person
    stated ``claimed_values`` where they did not (``unstated``), would not be a refusal made undetermined, listing
    the facts claimed not stated and those the claimed decision lacks."""
    rows = with_households(candidates, households)
    part = columns.take(rows)
    for name, value in claimed_values.items():  # set where not stated only
        part = stating(part, name, value)
    part_households = None if households is None else tuple([column[row] for row in rows] for column in households)
    claimed = decide(part, part_households, (branch,)).branches[branch]
    changed = np.zeros(decisions.count, dtype=bool)  # claiming would not refuse: a refusal is not certain
    changed[rows[(claimed.outcome != Outcome.not_eligible) & candidates[rows]]] = True
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
    """``decisions`` with the claims of ``rows`` (a mask) undetermined, lacking the facts ``lacking``."""
    outcome = np.where(rows, Outcome.undetermined, decisions.outcome)
    nothing = {name: np.where(rows, np.nan, values) for name, values in decisions.lump_sums.items()}
    return dataclasses.replace(
        decisions,
        outcome=outcome,
        amount=np.where(rows, np.nan, decisions.amount),
        duration=np.where(rows, np.nan, decisions.duration),
        lump_sums=nothing,
        missing_for_decision=[*decisions.missing_for_decision, *lacking],
    )
