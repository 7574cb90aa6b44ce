"""Who cannot be decided for lack of a fact, and the facts they lack, condition by condition in the law's order; a
condition that reads another branch's decision lacks a fact only where that decision lacks it."""

from __future__ import annotations

import numpy as np
from openfisca_core.simulations import Simulation

from openfisca_sp.decisions.facts import optional_facts
from openfisca_sp.decisions.missing_facts import (
    MissingFact,
    branches_reached,
    facts_asked_only_where,
    facts_of_conditions,
    missing_facts,
    undecided_in_law_order,
)
from openfisca_sp.decisions.months_read import months_read
from openfisca_sp.decisions.records import Columns
from openfisca_sp.rules.branches import BRANCHES, Branch
from openfisca_sp.rules.periods import parse_period
from openfisca_sp.rules.small_arrays import anyone


def undecided_for_lack_of_facts(
    simulation: Simulation,
    columns: Columns,
    branch: Branch,
    month: str,
    reason: np.ndarray,
    event_missing: np.ndarray | None = None,
) -> tuple[np.ndarray, list[MissingFact]]:
    """Who cannot be decided for lack of a fact, and the facts they lack
    (:func:`~openfisca_sp.decisions.missing_facts.undecided_in_law_order`).

    A condition that reads another branch's decision (the social pension's: no old-age pension, no higher
    disability allowance) lacks a fact only for the persons whose decision in that branch lacks it: a person who
    states no disability (``is_disabled`` false) needs no disability category to be granted the social pension, nor
    one whose old-age claim lacks only its contributions a loss of working capacity (which that claim asks only
    below the pensionable age). A
    condition that may refuse some persons only (``only_where``: the disability allowance gives way to a higher
    social pension) lacks its facts for those alone.
    """
    tax_benefit_system = simulation.tax_benefit_system
    optional = optional_facts(tax_benefit_system)
    condition_facts = facts_of_conditions(tax_benefit_system, branch, month)
    read = months_read(simulation, columns, branch, month)  # a person's months her rules do not read

    def lacking_of(position: int) -> list[MissingFact]:
        found = missing_facts(columns, condition_facts[position], month, optional, read)
        condition = branch.conditions[position]
        if not found:
            return found
        if condition.only_where is not None:  # the condition may refuse these persons only
            where = np.asarray(simulation.calculate(condition.only_where, parse_period(month)), dtype=bool)
            found = [MissingFact(fact.label, fact.lacking & where) for fact in found]
        other = deciding_branch(condition.reads)
        if other is not None and other is not branch:
            found = _lacking_there(found, other)
        for reached in branches_reached(tax_benefit_system, condition.reads, month):  # a decision read through others
            asked = facts_asked_only_where(tax_benefit_system, reached, month)
            if reached not in (branch, other) and any(fact.label.split(".")[0] in asked for fact in found):
                theirs = _lacking_there([fact for fact in found if fact.label.split(".")[0] in asked], reached)
                found = [fact for fact in found if fact.label.split(".")[0] not in asked] + theirs
        return [fact for fact in found if anyone(fact.lacking)]

    def _lacking_there(found: list[MissingFact], other: Branch) -> list[MissingFact]:
        """Of ``found``, the facts ``other``'s own decision lacks, for those who lack them there."""
        other_reason = np.asarray(simulation.calculate(other.reason, parse_period(month)))
        _, theirs = undecided_for_lack_of_facts(simulation, columns, other, month, other_reason)
        there = {fact.label: fact.lacking for fact in theirs}  # a fact the other decision lacks, and who lacks it
        return [MissingFact(fact.label, fact.lacking & there[fact.label]) for fact in found if fact.label in there]

    return undecided_in_law_order(reason, branch, lacking_of, len(condition_facts), event_missing)


def deciding_branch(reads: tuple[str, ...]) -> Branch | None:
    """The catalogue's branch whose decision the variables ``reads`` are (its eligibility, reason or benefit), if
    they are all one branch's."""
    for other in BRANCHES.values():
        if reads and set(reads) <= {other.eligible, other.reason, other.benefit}:
            return other
    return None
