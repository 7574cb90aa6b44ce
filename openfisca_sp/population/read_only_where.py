"""The facts a month's rules read only of the persons a condition may concern (``Condition.only_where``), whose
column a table may leave out where an empty cell is the absence of the event: ``/eligibility`` does not ask them of
a person who does not state them, and reads them as that absence (Viet Nam's ``disability_degree``: a reduced
pension below the pensionable age is considered only for a stated loss of working capacity)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from openfisca_sp.decisions.missing_facts import (
    branches_reached,
    facts_asked_only_where,
    facts_beyond_conditions,
    facts_of_conditions,
)
from openfisca_sp.population.columns import ABSENCE
from openfisca_sp.population.outputs import branches_of
from openfisca_sp.rules.branches import Branch


@lru_cache(maxsize=256)
def read_only_where(system: Any, month: str) -> frozenset[str]:
    """The facts among :data:`~.columns.ABSENCE` that the branches of ``system`` read in ``month`` only where a
    condition with ``only_where`` may concern the person: no other condition and no amount reads them, save through
    a decision of a branch that asks them only so."""
    branches = branches_of(system)
    restricted = set().union(*(facts_asked_only_where(system, branch, month) for branch in branches))
    everywhere = set().union(*(_read_everywhere(system, branch, month) for branch in branches))
    return frozenset((restricted & ABSENCE) - everywhere)


def _read_everywhere(system: Any, branch: Branch, month: str) -> set[str]:
    """The facts ``branch`` reads of every person in ``month``: those of its conditions without ``only_where``
    (less those a decision of another branch they read asks only where a condition may concern the person) and
    those its amounts, durations and lump sums read."""
    found = {key[0] for key in facts_beyond_conditions(system, branch, branch.amount_variables, month)}
    for condition, keys in zip(branch.conditions, facts_of_conditions(system, branch, month), strict=True):
        if condition.only_where is not None:
            continue
        reached = branches_reached(system, condition.reads, month) if condition.reads else ()
        asked_there = set().union(
            *(facts_asked_only_where(system, other, month) for other in reached if other is not branch)
        )
        found |= {key[0] for key in keys} - asked_there
    return found
