"""Reductions a person claims with proof, asked for where they would change the decision.

Tajikistan lowers the pensionable age and period of a mother of five children raised to the age of 8, or of a
disabled child (``old_age.reduced_conditions.mothers``). The mother claims them with proof: not stated
(``children_raised``, ``raised_disabled_child``), the general age and period apply. But a woman refused on those
may be one who did not say: where the claim, decided again as if she claimed the reduction, is decided otherwise,
it is undetermined and lists the two facts, never refused on a count read as zero. Where claiming would change
nothing (a woman of 40, a man), the refusal stands.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from openfisca_sp.decisions.as_if_stated import age_reached, settled_as_if_claimed, stated_anyhow
from openfisca_sp.decisions.branch_decisions import BranchDecisions, Decisions
from openfisca_sp.decisions.outcomes import Outcome
from openfisca_sp.decisions.records import RecordColumns
from openfisca_sp.decisions.unstated_choices import Decide, Households
from openfisca_sp.rules.enums import IneligibilityReason as Reason
from openfisca_sp.rules.formulas import reduced_conditions_for_mothers
from openfisca_sp.rules.small_arrays import anyone

BRANCH = "old_age"
CLAIMED = {"children_raised": 99, "raised_disabled_child": True}  # as if the mother claimed the reduction
REFUSED_ON = (Reason.below_pensionable_age.index, Reason.insufficient_contributions.index)


def _reductions_in(tax_benefit_system: Any) -> bool:
    """Whether a system's old-age rules set reduced conditions for mothers at some date."""
    node = getattr(getattr(tax_benefit_system, "parameters", None), "children", {}).get(BRANCH)
    return node is not None and "reduced_conditions" in getattr(node, "children", {})


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
