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
from typing import Any

import numpy as np

from openfisca_sp.decisions.branch_decisions import BranchDecisions, Decisions
from openfisca_sp.decisions.missing_facts import MissingFact
from openfisca_sp.decisions.outcomes import Outcome
from openfisca_sp.decisions.records import RecordColumns
from openfisca_sp.decisions.unstated_choices import Decide, Households, stating, with_households
from openfisca_sp.rules.enums import IneligibilityReason as Reason
from openfisca_sp.rules.small_arrays import anyone

BRANCH = "old_age"
CLAIMED = {"children_raised": 99, "raised_disabled_child": True}  # as if the mother claimed the reduction
REFUSED_ON = (Reason.below_pensionable_age.index, Reason.insufficient_contributions.index)


def _reductions_in(tax_benefit_system: Any) -> bool:
    """Whether a system's old-age rules set reduced conditions for mothers at some date."""
    node = getattr(getattr(tax_benefit_system, "parameters", None), "children", {}).get(BRANCH)
    return node is not None and "reduced_conditions" in getattr(node, "children", {})


def _stated(columns: RecordColumns, name: str) -> np.ndarray:
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


def settle_claimed_reductions(
    tax_benefit_system: Any, decisions: Decisions, columns: RecordColumns, households: Households | None, decide: Decide
) -> Decisions:
    """``decisions`` with each old-age refusal that claiming the mothers' reduction would change undetermined,
    listing the facts that claim it (``decide``: the same batch's decisions of other records)."""
    old_age = decisions.branches.get(BRANCH)
    if old_age is None or not _reductions_in(tax_benefit_system):
        return decisions
    unclaimed = ~np.logical_or.reduce([_stated(columns, name) for name in CLAIMED])
    candidates = unclaimed & _not_a_man(columns) & (old_age.outcome == Outcome.not_eligible)
    candidates &= np.isin(old_age.reason, REFUSED_ON)
    if not anyone(candidates):
        return decisions
    rows = with_households(candidates, households)
    part = columns.take(rows)
    for name, value in CLAIMED.items():
        part = stating(part, name, value)
    part_households = None if households is None else tuple([column[row] for row in rows] for column in households)
    claimed = decide(part, part_households).branches[BRANCH]
    otherwise = (claimed.outcome != old_age.outcome[rows]) | (claimed.reason != old_age.reason[rows])
    changed = np.zeros(decisions.count, dtype=bool)
    changed[rows[otherwise & candidates[rows]]] = True
    if not anyone(changed):
        return decisions
    settled = Decisions(as_of=decisions.as_of, count=decisions.count, branches=dict(decisions.branches))
    settled.branches[BRANCH] = undetermined(old_age, changed, tuple(CLAIMED))
    return settled


def undetermined(decisions: BranchDecisions, rows: np.ndarray, labels: tuple[str, ...]) -> BranchDecisions:
    """``decisions`` with the claims of ``rows`` (a mask) undetermined, lacking the facts ``labels``."""
    outcome = np.where(rows, Outcome.undetermined, decisions.outcome)
    nothing = {name: np.where(rows, np.nan, values) for name, values in decisions.lump_sums.items()}
    lacking = [MissingFact(label, rows.copy()) for label in labels]
    return dataclasses.replace(
        decisions,
        outcome=outcome,
        amount=np.where(rows, np.nan, decisions.amount),
        duration=np.where(rows, np.nan, decisions.duration),
        lump_sums=nothing,
        missing_for_decision=[*decisions.missing_for_decision, *lacking],
    )
