"""A household's certification as poor or near-poor, asked for where it would change the social pension.

Viet Nam pays the social pension from 70 rather than 75 to members of a household certified poor or near-poor
(SI Law 2024 Art 21(2)). Not stated (``poor_or_near_poor_household``), a person is taken as not certified, as on
the registry's list; but a person of 70 to 74 refused for the age may be one whose registry did not send the
status. Where the claim, decided again as if the household were certified, is not a refusal, it is undetermined
and lists the fact (as :mod:`~.claimed_reductions` does for a mother's reduction). Below the lower age, or where
the certification changes nothing (a pensioner), the refusal stands.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from openfisca_sp.decisions.as_if_stated import age_reached, refused_unstated, settled_as_if_claimed
from openfisca_sp.decisions.branch_decisions import BranchDecisions, Decisions
from openfisca_sp.decisions.records import RecordColumns
from openfisca_sp.decisions.unstated_choices import Decide, Households
from openfisca_sp.rules.branch_nodes import branch, has
from openfisca_sp.rules.enums import IneligibilityReason as Reason
from openfisca_sp.rules.small_arrays import anyone

BRANCH = "social_pension"
FACT = "poor_or_near_poor_household"
LOWER_AGE = "poor_household_minimum_age_months"


def _lower_age_in(tax_benefit_system: Any) -> bool:
    """Whether a system's social pension sets a lower age for certified households at some date."""
    node = getattr(getattr(tax_benefit_system, "parameters", None), "children", {}).get(BRANCH)
    return node is not None and LOWER_AGE in getattr(node, "children", {})


def _at_the_lower_age(tax_benefit_system: Any, columns: RecordColumns, decisions: BranchDecisions) -> np.ndarray:
    """Who has reached the lower age on the day decided (only they can be changed by the certification)."""

    def lower_age(period: Any) -> int | None:
        node = branch(tax_benefit_system.get_parameters_at_instant, period, BRANCH)
        return int(node[LOWER_AGE]) if node is not None and has(node, LOWER_AGE) else None

    reached, known = age_reached(columns, decisions, lower_age)
    return known & reached


def settle_certified_households(
    tax_benefit_system: Any, decisions: Decisions, columns: RecordColumns, households: Households | None, decide: Decide
) -> Decisions:
    """``decisions`` with each social pension refused for the age that a certified household would turn into
    something else than a refusal undetermined, listing the certification not stated (and what the decision as
    if certified lacks)."""
    pension = decisions.branches.get(BRANCH)
    if pension is None or not _lower_age_in(tax_benefit_system):
        return decisions
    unstated, candidates = refused_unstated(columns, pension, FACT, Reason.below_pensionable_age)
    if anyone(candidates):
        candidates &= _at_the_lower_age(tax_benefit_system, columns, pension)
    if not anyone(candidates):
        return decisions
    return settled_as_if_claimed(decisions, BRANCH, {FACT: True}, unstated, candidates, columns, households, decide)
