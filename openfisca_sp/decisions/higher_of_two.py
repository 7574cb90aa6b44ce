"""The social pension beside the disability allowance, each decided on its own day (Viet Nam, SI Law 2024 Art 22(2):
a person entitled to both is paid the higher).

The social pension's refusal for a higher allowance reads the allowance the rules give on the social pension's
own day; the disability branch decides its claim on the day of its assessment, whose rules may not be modelled
(before Decree 20/2021, 1 July 2021) or may lack a fact. Where the allowance's own decision is not modelled, or
undetermined, so is the social pension's refusal resting on it: one answer never refuses a pension for an allowance
it cannot decide. The allowance is decided for this even where the request does not ask for it.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from openfisca_sp.decisions.as_if_stated import undetermined
from openfisca_sp.decisions.branch_decisions import BranchDecisions, Decisions
from openfisca_sp.decisions.missing_facts import MissingFact
from openfisca_sp.decisions.outcomes import Outcome
from openfisca_sp.decisions.records import RecordColumns
from openfisca_sp.decisions.unstated_choices import Decide, Households, with_households
from openfisca_sp.rules.enums import IneligibilityReason as Reason
from openfisca_sp.rules.small_arrays import anyone

PENSION, ALLOWANCE = "social_pension", "disability"


def settle_higher_of_two(
    decisions: Decisions, columns: RecordColumns, households: Households | None, decide: Decide
) -> Decisions:
    """``decisions`` with each social pension refused for a higher allowance that the allowance's own decision
    does not support (not modelled, or undetermined) made so too."""
    pension = decisions.branches.get(PENSION)
    if pension is None:
        return decisions
    resting = (pension.outcome == Outcome.not_eligible) & (
        pension.reason == Reason.receives_higher_social_allowance.index
    )
    if not anyone(resting):
        return decisions
    outcome, missing = _allowance(decisions, resting, columns, households, decide)
    unknown = resting & (outcome == Outcome.not_modelled)
    open_ = resting & (outcome == Outcome.undetermined)
    if not anyone(unknown | open_):
        return decisions
    settled = _not_modelled(pension, unknown)
    if anyone(open_):
        lacking = [MissingFact(fact.label, fact.lacking & open_) for fact in missing]
        settled = undetermined(settled, open_, [fact for fact in lacking if anyone(fact.lacking)])
    found = Decisions(as_of=decisions.as_of, count=decisions.count, branches=dict(decisions.branches))
    found.branches[PENSION] = settled
    return found


def _allowance(
    decisions: Decisions, rows: np.ndarray, columns: RecordColumns, households: Households | None, decide: Decide
) -> tuple[np.ndarray, list[MissingFact]]:
    """The allowance's outcome for every person and the facts its decisions lack (decided for ``rows`` where the
    request did not ask for it)."""
    if ALLOWANCE in decisions.branches:
        decided = decisions.branches[ALLOWANCE]
        return decided.outcome, decided.missing_for_decision
    taken = with_households(rows, households)
    part_households = None if households is None else tuple([column[row] for row in taken] for column in households)
    part = decide(columns.take(taken), part_households, (ALLOWANCE,)).branches[ALLOWANCE]
    outcome = np.full(decisions.count, Outcome.eligible)
    outcome[taken] = part.outcome
    missing = []
    for fact in part.missing_for_decision:
        lacking = np.zeros(decisions.count, dtype=bool)
        lacking[taken[fact.lacking]] = True
        missing.append(MissingFact(fact.label, lacking))
    return outcome, missing


def _not_modelled(decisions: BranchDecisions, rows: np.ndarray) -> BranchDecisions:
    """``decisions`` with the claims of ``rows`` (a mask) not modelled."""
    if not anyone(rows):
        return decisions
    return dataclasses.replace(
        decisions,
        outcome=np.where(rows, Outcome.not_modelled, decisions.outcome),
        reason=np.where(rows, Reason.not_modelled.index, decisions.reason).astype(decisions.reason.dtype),
        amount=np.where(rows, np.nan, decisions.amount),
        duration=np.where(rows, np.nan, decisions.duration),
        amount_modelled=np.where(rows, False, decisions.amount_modelled),
        provisional=np.where(rows, False, decisions.provisional),
    )
