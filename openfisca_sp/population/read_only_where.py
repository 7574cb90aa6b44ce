"""The facts a month's rules read only of the persons a condition may concern (``Condition.only_where``), whose
column a table may leave out where an empty cell is the absence of the event: ``/eligibility`` does not ask them of
a person who does not state them, and reads them as that absence (Viet Nam's ``disability_degree``: a reduced
pension below the pensionable age is considered only for a stated loss of working capacity). And the months of
wages the rules read only where a table holds them, a month left out read as one without contributions (Viet Nam's
maternity benefit: the month of a birth on or after the 15th, and the months before the 12 that a mother's latest
months with contributions reach, her amount then provisional; ``/eligibility`` asks for them where they matter)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Any

from openfisca_sp.decisions.insured_months import WAGE
from openfisca_sp.decisions.missing_facts import (
    branches_reached,
    facts_asked_only_where,
    facts_beyond_conditions,
    facts_of_conditions,
)
from openfisca_sp.decisions.months_read import MONTH_PERIOD
from openfisca_sp.decisions.tracing import traced_facts
from openfisca_sp.population.columns import ABSENCE, ColumnNeed
from openfisca_sp.population.outputs import branch_outputs, branches_of
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


Decided = Sequence[tuple[Any, tuple[str, ...], str]]  # (system, outputs, month): the outputs decided in a month


def marked_needs(needs: list[ColumnNeed], systems: Sequence[Any], month: str, decided: Decided) -> list[ColumnNeed]:
    """``needs`` with those a table may leave out marked: the facts every system reads only where a condition may
    concern the person (:func:`read_only_where`), and the months of wages the rules read only where a table holds
    them (``held_only``): the insured wage of the month evaluated where a system reads it only of a claim whose
    event's month counts (:func:`is_own_month_wage`), and the months only a branch's results read beyond those its
    conditions read, where it says they may be missing (:func:`months_held_only`, for the outputs ``decided`` in
    each month)."""
    only_where = set.intersection(*(set(read_only_where(system, month)) for system in systems))
    own_month = any(own_month_wage_read(system) for system in systems)
    held = months_held_only(decided)
    return [
        replace(
            need,
            only_where=need.variable in only_where,
            held_only=(own_month and is_own_month_wage(need, month)) or (need.variable, need.period) in held,
        )
        for need in needs
    ]


def months_held_only(decided: Decided) -> frozenset[tuple[str, str]]:
    """The months of wages that the outputs ``decided`` read only through a branch's results beyond the months its
    conditions read, where the branch says a table may lack them (``Branch.history_where_held``: Viet Nam's maternity
    benefit, whose latest months with contributions reach before the 12 months of its window): no other output, and
    no condition, reads them in any of those months."""
    held: set[tuple[str, str]] = set()
    needed: set[tuple[str, str]] = set()
    for system, names, month in decided:
        some, others = _held_and_needed(system, tuple(sorted(set(names))), month)
        held |= some
        needed |= others
    return frozenset(held - needed)


@lru_cache(maxsize=1024)
def _held_and_needed(system: Any, names: tuple[str, ...], month: str) -> tuple[frozenset, frozenset]:
    """Of the facts ``names`` read in ``month``: the months of wages read only where held, and every other fact."""
    every = frozenset(traced_facts(system, names, month)) if names else frozenset()
    flagged = [branch for branch in branches_of(system) if branch.history_where_held]
    theirs = {name for branch in flagged for name in branch_outputs(branch)}
    if not theirs & set(names):
        return frozenset(), every
    others = {name for name in names if name not in theirs} | {branch.eligible for branch in flagged}
    needed = frozenset(traced_facts(system, tuple(sorted(others)), month))
    held = frozenset(key for key in every - needed if key[0] == WAGE and MONTH_PERIOD.fullmatch(key[1]))
    return held, every - held


@lru_cache(maxsize=256)
def own_month_wage_read(system: Any) -> bool:
    """Whether a branch of ``system`` reads the wage of its event's own month where the law counts that month
    (``Event.own_month_read``: Viet Nam's month of a birth on or after the 15th)."""
    return any(branch.event is not None and branch.event.own_month_read for branch in branches_of(system))


def is_own_month_wage(need: ColumnNeed, month: str) -> bool:
    """Whether ``need`` is the insured wage of the month evaluated (or of a claim's event month, its plain column):
    a table's history ends before it, and the rules read it only of a claim whose event's month counts
    (:func:`own_month_wage_read`); no other rule reads it."""
    return need.variable == WAGE and need.period == month
