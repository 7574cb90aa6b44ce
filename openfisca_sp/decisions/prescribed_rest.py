"""A prescribed rest during pregnancy, asked for where it would change the maternity decision.

Viet Nam lowers the months of contributions required before a birth, from 6 to 3 in the 12 before it, for a woman
who has contributed 12 months in all and had to rest from work during her pregnancy on a medical prescription
(SI Law 2014 Art 31(3); SI Law 2024 Art 50(3)). Not stated (``rested_during_pregnancy_on_prescription``), she is
taken as not having rested, as the general rule reads her; but a woman refused for her months before the birth may
be one who did not say. Where the claim, decided again as if she had rested, is not a refusal, it is undetermined
and lists the fact (as :mod:`~.certified_households` does for a household's certification). Where the rest changes
nothing (fewer than 3 months before the birth, or fewer than 12 in all), the refusal stands.
"""

from __future__ import annotations

from typing import Any

from openfisca_sp.decisions.as_if_stated import refused_unstated, settled_as_if_claimed
from openfisca_sp.decisions.branch_decisions import Decisions
from openfisca_sp.decisions.records import RecordColumns
from openfisca_sp.decisions.unstated_choices import Decide, Households
from openfisca_sp.rules.enums import IneligibilityReason as Reason
from openfisca_sp.rules.small_arrays import anyone

BRANCH = "maternity"
FACT = "rested_during_pregnancy_on_prescription"


def _lower_minimum_in(tax_benefit_system: Any) -> bool:
    """Whether a system's maternity rules set a lower minimum after a prescribed rest at some date."""
    node = getattr(getattr(tax_benefit_system, "parameters", None), "children", {}).get(BRANCH)
    period = getattr(node, "children", {}).get("qualifying_period")
    return period is not None and "prescribed_rest" in getattr(period, "children", {})


def settle_prescribed_rest(
    tax_benefit_system: Any, decisions: Decisions, columns: RecordColumns, households: Households | None, decide: Decide
) -> Decisions:
    """``decisions`` with each maternity claim refused for the months before the birth that a prescribed rest would
    turn into something else than a refusal undetermined, listing the rest not stated (and what the decision as if
    she had rested lacks)."""
    maternity = decisions.branches.get(BRANCH)
    if maternity is None or not _lower_minimum_in(tax_benefit_system):
        return decisions
    unstated, candidates = refused_unstated(columns, maternity, FACT, Reason.insufficient_recent_contributions)
    if not anyone(candidates):
        return decisions
    return settled_as_if_claimed(decisions, BRANCH, {FACT: True}, unstated, candidates, columns, households, decide)
