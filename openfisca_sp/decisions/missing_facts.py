"""Which facts a decision lacks, and who cannot be decided for lack of them.

The conditions are checked in the law's order, so a person refused at the first
condition needs only that condition's facts, while an eligible person needs them
all. The facts each condition reads are found by tracing the rules themselves
(:mod:`~openfisca_sp.decisions.tracing`), so they cannot drift from the formulas.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache, lru_cache
from typing import Any, NamedTuple

import numpy as np

from openfisca_sp.decisions.facts import fact_label
from openfisca_sp.decisions.months_read import MonthsRead
from openfisca_sp.decisions.records import Columns
from openfisca_sp.decisions.tracing import call_graph, called_by, traced_facts
from openfisca_sp.rules.branches import BRANCHES, Branch
from openfisca_sp.rules.enums import NOT_MODELLED
from openfisca_sp.rules.enums import IneligibilityReason as Reason
from openfisca_sp.rules.small_arrays import anyone

FactKey = tuple[str, str]  # (variable, period)


class MissingFact(NamedTuple):
    """A fact that was needed and not stated: how it is named to the caller, and who lacks it."""

    label: str
    lacking: np.ndarray  # bool per person


def missing_facts(
    columns: Columns, keys: Sequence[FactKey], month: str, optional: frozenset[str], read: MonthsRead | None = None
) -> list[MissingFact]:
    """The facts of ``keys`` that some persons did not state (facts the rules treat as optional aside, and the
    months of a history a person's rules do not read: ``read``, :func:`~.months_read.months_read`)."""
    return [fact for _, fact in missing_by_key(columns, keys, month, optional, read)]


def missing_by_key(
    columns: Columns, keys: Sequence[FactKey], month: str, optional: frozenset[str], read: MonthsRead | None = None
) -> list[tuple[FactKey, MissingFact]]:
    """:func:`missing_facts`, each fact with its key."""
    found = []
    for key in keys:
        if key[0] not in optional:
            lacking = columns.lacking(key)
            unread = read.unread(key, month) if lacking is not None and read is not None else None
            if unread is not None:
                lacking = lacking & ~unread  # a month this person's rules do not read
                if not lacking.any():
                    continue
            if lacking is not None:
                found.append((key, MissingFact(fact_label(key[0], key[1], month), lacking)))
    return found


_BEYOND_THE_LAW = np.zeros(len(Reason), dtype=bool)
_BEYOND_THE_LAW[[Reason.not_provided_by_law.index, *(reason.index for reason in NOT_MODELLED)]] = True


def beyond_the_law(reason: np.ndarray) -> np.ndarray:
    """Whether each reason says the branch is not modelled or not provided by the law (looked up by index)."""
    return _BEYOND_THE_LAW.take(reason)


_NOT_MODELLED = np.zeros(len(Reason), dtype=bool)
_NOT_MODELLED[[reason.index for reason in NOT_MODELLED]] = True


def not_modelled(reason: np.ndarray) -> np.ndarray:
    """Whether each reason says the decision is not modelled (the branch, or the person's case: no source)."""
    return _NOT_MODELLED.take(reason)


def refusing_conditions(reason: np.ndarray, branch: Branch) -> np.ndarray:
    """Which of the branch's conditions may have refused each person: a row a condition, a column a person (none
    for an eligible person). Two conditions may refuse for one reason (Viet Nam's maternity benefit: too few months
    of contributions under the general minimum, or under the lower one after a prescribed rest): each of them."""
    return _conditions_by_reason(branch)[:, reason]


@cache
def _conditions_by_reason(branch: Branch) -> np.ndarray:
    """For each condition of the branch (a row) and each reason (a column, by its index), whether the condition
    refuses with that reason."""
    table = np.zeros((len(branch.conditions), len(Reason)), dtype=bool)
    for position, condition in enumerate(branch.conditions):
        table[position, [reason.index for reason in condition.reasons]] = True
    return table


def undecided_in_law_order(
    reason: np.ndarray,
    branch: Branch,
    lacking_of: Callable[[int], list[MissingFact]],
    conditions: int,
    event_missing: np.ndarray | None = None,
) -> tuple[np.ndarray, list[MissingFact]]:
    """Who cannot be decided for lack of a fact, and the facts they lack; ``lacking_of(position)``: the facts
    the branch's condition at ``position`` (of ``conditions``) lacks, looked up only where they can matter.

    A refusal stands when the condition that refused rests on stated facts only
    (whatever the earlier conditions, the person is refused); an eligibility
    needs every condition's facts. Otherwise the decision is undetermined, and
    every missing fact of the conditions is listed. A claim whose event date is
    missing is undetermined, with the date listed, unless a condition before the
    one that first needs it refuses it on stated facts (a refusal there that rests
    on a missing fact, such as a sex not stated, leaves the date needed too).

    So where nobody is eligible only the refusing conditions' facts decide who is undetermined; the other
    conditions' facts are looked up only if someone is, to tell them all they lack.
    """
    count = len(reason)
    eligible = reason == Reason.eligible.index
    refused_by = refusing_conditions(reason, branch)[:conditions]  # a row a condition
    deciding = range(conditions) if anyone(eligible) else np.flatnonzero(refused_by.any(axis=1)).tolist()
    lacking = {position: lacking_of(position) for position in deciding}
    event_asked = event_missing is not None and branch.event is not None
    if not any(lacking.values()) and not (event_asked and anyone(event_missing)):
        return np.zeros(count, dtype=bool), []  # every fact deciding stated: every decision stands
    beyond_law = beyond_the_law(reason)
    facts = _in_order(lacking)
    table = _table(facts, count)  # fact by person
    if facts:
        positions = np.array([position for position, _ in facts], dtype=np.int64)
        refusal_uncertain = (table & refused_by[positions]).any(axis=0)
        undecided = ~beyond_law & np.where(eligible, table.any(axis=0), refusal_uncertain)
    else:  # only the event's date is missing
        refusal_uncertain, undecided = np.zeros(count, dtype=bool), np.zeros(count, dtype=bool)
    event: list[MissingFact] = []  # the date, listed in the law's order: before the condition that first needs it
    needed_from = conditions
    if event_asked:
        needed_from = branch.event.needed_from
        # a refusal before that condition spares the date only when it rests on stated facts (a man)
        needed = eligible | refused_by[needed_from:].any(axis=0) | refusal_uncertain
        needs_event = event_missing & ~beyond_law & needed
        undecided |= needs_event
        if anyone(needs_event):
            event.append(MissingFact(branch.event.date_fact, needs_event))
    if not anyone(undecided):
        return undecided, []
    if len(lacking) < conditions:  # the undecided are told every fact they lack, of every condition
        lacking.update({position: lacking_of(position) for position in range(conditions) if position not in lacking})
        if len(every := _in_order(lacking)) > len(facts):  # else the table holds them already
            facts, table = every, _table(every, count)
    if not facts:
        return undecided, event
    undecided_lacking = table & undecided  # who lacks each fact among the undecided
    # a fact two conditions read (Viet Nam's lower ages of old age and its qualifying period both read
    # contribution_months) is asked of whoever either asks it of, at its first place in the law's order
    asked: dict[str, np.ndarray] = {}
    for index, (_, fact) in enumerate(facts):
        asked[fact.label] = (
            asked[fact.label] | undecided_lacking[index] if fact.label in asked else undecided_lacking[index]
        )
    missing: list[MissingFact] = []
    seen: set[str] = {fact.label for fact in event}
    for position, fact in facts:
        if position >= needed_from:  # the date before the facts of the condition that first needs it
            missing += event
            event = []
        if fact.label not in seen:
            seen.add(fact.label)
            if asked[fact.label].any():
                missing.append(MissingFact(fact.label, asked[fact.label]))
    return undecided, missing + event


def _table(facts: list[tuple[int, MissingFact]], count: int) -> np.ndarray:
    """Who lacks each of ``facts``: a row a fact, a column a person."""
    return np.array([fact.lacking for _, fact in facts], dtype=bool).reshape(len(facts), count)


def _in_order(lacking: dict[int, list[MissingFact]]) -> list[tuple[int, MissingFact]]:
    """Each condition's missing facts, with its position, in the conditions' order."""
    return [(position, fact) for position in sorted(lacking) for fact in lacking[position]]


@lru_cache(maxsize=1024)
def facts_of_conditions(tax_benefit_system: Any, branch: Branch, month: str) -> tuple[tuple[FactKey, ...], ...]:
    """The facts each condition reads, as the jurisdiction's own formula decides it in ``month``.

    A condition whose variables the formula does not call there (a condition the
    law of that jurisdiction does not have) needs no facts.
    """
    called = called_by(tax_benefit_system, branch.reason, month)
    found = []
    for condition in branch.conditions:
        reads = tuple(name for name in condition.reads if name in called)
        found.append(traced_facts(tax_benefit_system, reads, month) if reads else ())
    return tuple(found)


@lru_cache(maxsize=1024)
def facts_beyond_conditions(
    tax_benefit_system: Any, branch: Branch, variables: tuple[str, ...], month: str
) -> tuple[FactKey, ...]:
    """The facts computing ``variables`` (an amount, a lump sum) reads in ``month`` that no condition of the branch
    reads, in order: those whose lack is told with the amount, not the decision."""
    conditions = {key for keys in facts_of_conditions(tax_benefit_system, branch, month) for key in keys}
    return tuple(key for key in traced_facts(tax_benefit_system, variables, month) if key not in conditions)


@lru_cache(maxsize=1024)
def period_facts(tax_benefit_system: Any, branch: Branch, month: str) -> frozenset[FactKey]:
    """The facts the duration or waiting period of ``branch`` reads in ``month`` (a fact missing for the amount
    that is among them leaves the benefit period untold too)."""
    return frozenset(traced_facts(tax_benefit_system, branch.period_variables, month))


@lru_cache(maxsize=1024)
def facts_asked_only_where(tax_benefit_system: Any, branch: Branch, month: str) -> frozenset[str]:
    """The facts ``branch`` needs only of the persons a condition with ``only_where`` may concern (Viet Nam's old-age
    pension asks a loss of working capacity only below the pensionable age): another branch that reads its decision
    lacks them only where that decision does."""
    facts = facts_of_conditions(tax_benefit_system, branch, month)
    restricted = {
        key[0] for condition, keys in zip(branch.conditions, facts, strict=True) if condition.only_where for key in keys
    }
    if not restricted:
        return frozenset()
    everywhere = {
        key[0]
        for condition, keys in zip(branch.conditions, facts, strict=True)
        if not condition.only_where
        for key in keys
    }
    return frozenset(restricted - everywhere)


@lru_cache(maxsize=1024)
def branches_reached(tax_benefit_system: Any, reads: tuple[str, ...], month: str) -> tuple[Branch, ...]:
    """The branches whose decision (their reason) computing ``reads`` in ``month`` asks for, directly or not."""
    names = {name for name, _ in call_graph(tax_benefit_system).reached(reads, month)}
    return tuple(branch for branch in BRANCHES.values() if branch.reason in names)
