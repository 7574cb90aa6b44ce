"""A fact of two values that a person did not state, and the decisions that do not turn on it.

A fact that a condition reads is needed, and a person who does not state it is
undetermined (:mod:`~.missing_facts`). A fact with only two values (``sex``)
lets the claim be decided under each of them instead: where both give the same
decision, whole (outcome, reason, amount, duration, benefit period, lump sums,
rules day, provisional or not) and with no other fact missing, that decision
stands and the fact was not needed, citing every value either rests on (a
woman at the lower age of arduous work refused for too few months rests on the
qualifying period, a man of her age below his lower age not: the refusal
stands, and cites it). A Lao claimant of 70 with 30 years of
contributions is eligible as a man and as a woman (60 and 55 years, Law on
Social Security 2018); one of 24 is below either age. Where the two decisions
differ (a woman of 57 has reached her age, a man has not), or either lacks
another fact, the decision stays as it was: undetermined, or its amount
unknown, listing the fact and every fact either decision lacks (asked at once:
a person of 52 in 2024 is asked coal mining's months as a man, and arduous
work's too as a woman).

A person is decided again with their household, so that the decision is the
one the batch would give had they stated the fact.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

import numpy as np

from openfisca_sp.decisions.branch_decisions import BranchDecisions, Decisions
from openfisca_sp.decisions.facts import Fact, facts_of
from openfisca_sp.decisions.missing_facts import MissingFact
from openfisca_sp.decisions.outcomes import Outcome
from openfisca_sp.decisions.records import RecordColumns
from openfisca_sp.decisions.row_fields import ROW_FIELDS, row_arrays
from openfisca_sp.decisions.scattering import keeping_order, scatter_decisions
from openfisca_sp.rules.legal_basis import cited_by_any
from openfisca_sp.rules.small_arrays import anyone

CHOICES = 2  # a fact decided under each of its values: an enumeration of at most this many values, stated once

Households = tuple[Sequence[str | None], Sequence[bool]]
Decide = Callable[..., Decisions]  # (records, households[, branch codes]): the same batch's decisions of others

# What two decisions of one claim must share to stand whichever value the fact has.


# What decisions under each value must share to stand as one: every row field (:mod:`~.row_fields`) but the rule of
# the first day paid, which :func:`_surest_first_day` takes from the one resting on a reading of the law, and the key
# of the legal basis, which cites what any of them rests on (:func:`~openfisca_sp.rules.legal_basis.cited_by_any`)
COMPARED_FIELDS = tuple(name for name in ROW_FIELDS if name not in ("first_day_rule", "basis_key"))


@cache
def choice_facts(tax_benefit_system: Any) -> tuple[Fact, ...]:
    """The facts a claim is decided under each value of, where they are not stated: enumerations of at most
    :data:`CHOICES` values, stated once (eternal), whose absence the rules do not handle themselves."""
    return tuple(
        fact
        for fact in facts_of(tax_benefit_system).values()
        if fact.enum_names and len(fact.enum_names) <= CHOICES and fact.eternal and not fact.optional
    )


def settle_unstated_choices(
    tax_benefit_system: Any,
    decisions: Decisions,
    columns: RecordColumns,
    households: Households | None,
    decide: Decide,
) -> Decisions:
    """``decisions`` with each claim that lacks a fact of :func:`choice_facts` decided under each of its values,
    and the decision both give where they agree (``decide``: the same batch's decisions of other records)."""
    for fact in choice_facts(tax_benefit_system):
        stated = columns.values.get(fact.name)
        if stated is not None and stated[1].all():
            continue
        lacking = np.ones(columns.count, dtype=bool) if stated is None else ~stated[1]
        listed = {code: lacking & _listing(part, fact.name) for code, part in decisions.branches.items()}
        candidates = np.logical_or.reduce(list(listed.values())) if listed else lacking & False
        if anyone(candidates):
            decisions = _settled(decisions, columns, households, decide, fact, listed, candidates)
    return decisions


def _settled(
    decisions: Decisions,
    columns: RecordColumns,
    households: Households | None,
    decide: Decide,
    fact: Fact,
    listed: dict[str, np.ndarray],
    candidates: np.ndarray,
) -> Decisions:
    """``decisions`` where the candidates' claims, decided again under each value of ``fact``, agree."""
    rows = with_households(candidates, households)
    part = columns.take(rows)
    part_households = None if households is None else tuple([column[row] for row in rows] for column in households)
    under = [decide(stating(part, fact.name, value), part_households) for value in fact.enum_names]
    return asking_under_each(settled_where_alike(decisions, listed, rows, under), fact.name, listed, rows, under)


def asking_under_each(
    decisions: Decisions, name: str, listed: dict[str, np.ndarray], rows: np.ndarray, under: list[Decisions]
) -> Decisions:
    """``decisions`` where a claim of ``listed`` still lacking ``name`` (the decisions ``under`` each value, made for
    ``rows``, differ) also lists every fact a decision under either value lacks, in the list that lists ``name``:
    asked at once, not once ``name`` is stated (a person of 52 in 2024 with 20 years of contributions, sex not
    stated: underground coal mining months as a man, those and arduous work's as a woman)."""
    settled = Decisions(as_of=decisions.as_of, count=decisions.count, branches=dict(decisions.branches))
    for code, branch_decisions in decisions.branches.items():
        if code not in listed:
            continue
        taken = np.zeros(decisions.count, dtype=bool)  # a row lacking ``name`` for the decision is told there only
        changes = {}
        for field in ("missing_for_decision", "missing_for_amount"):
            facts = getattr(branch_decisions, field)
            lacking = listed[code] & ~taken & _listed_in(facts, name, decisions.count)
            taken |= lacking
            if anyone(lacking[rows]):
                changes[field] = _with_facts_under_each(facts, lacking, code, rows, under)
        if changes:
            settled.branches[code] = dataclasses.replace(branch_decisions, **changes)
    return settled


def _with_facts_under_each(
    facts: list[MissingFact], lacking: np.ndarray, code: str, rows: np.ndarray, under: list[Decisions]
) -> list[MissingFact]:
    """``facts`` with, for the rows of ``lacking``, every fact a decision of ``code`` under each value lacks: each
    row's own facts in an order that keeps each of its lists' (:func:`~.scattering.keeping_order`), whoever else
    the batch holds (rows told the same facts share their entries, as answers are grouped by them)."""
    count = len(lacking)
    lists = [[(fact.label, fact.lacking & lacking) for fact in facts]]
    for decided in under:
        entries = []
        for fact in (*decided.branches[code].missing_for_decision, *decided.branches[code].missing_for_amount):
            lacks = np.zeros(count, dtype=bool)
            lacks[rows[fact.lacking]] = True
            entries.append((fact.label, lacks & lacking))
        lists.append(entries)
    kept = [MissingFact(fact.label, fact.lacking & ~lacking) for fact in facts]
    told = [fact for fact in kept if anyone(fact.lacking)]
    who = np.flatnonzero(lacking)
    table = np.column_stack([lacks[who] for entries in lists for _, lacks in entries])
    patterns, group = np.unique(table, axis=0, return_inverse=True)
    asked: dict[tuple[str, ...], np.ndarray] = {}  # rows told the same facts share their entries
    for number, pattern in enumerate(patterns.tolist()):
        flags, own = iter(pattern), []
        for entries in lists:
            own.append([label for label, _ in entries if next(flags)])
        members = asked.setdefault(tuple(keeping_order(own)), np.zeros(count, dtype=bool))
        members[who[group.reshape(-1) == number]] = True
    return told + [MissingFact(label, members) for labels, members in asked.items() for label in labels]


def settled_where_alike(
    decisions: Decisions, listed: dict[str, np.ndarray], rows: np.ndarray, under: list[Decisions]
) -> Decisions:
    """``decisions`` where each branch's claims of ``listed`` (a mask over every row, by branch code) that the
    decisions ``under`` (each made for ``rows``, under another value of what was not stated) all decide alike
    (:func:`alike`) take that decision."""
    settled = Decisions(as_of=decisions.as_of, count=decisions.count)
    everyone = np.arange(decisions.count)
    for code, branch_decisions in decisions.branches.items():
        alike_rows = (
            listed[code][rows] & alike([decided.branches[code] for decided in under]) if code in listed else None
        )
        if alike_rows is None or not anyone(alike_rows):
            settled.branches[code] = branch_decisions
            continue
        changed = rows[alike_rows]
        kept = np.setdiff1d(everyone, changed)
        taken = _surest_first_day([decided.branches[code] for decided in under], np.flatnonzero(alike_rows))
        keys = [decided.branches[code].basis_key[np.flatnonzero(alike_rows)] for decided in under]
        taken = dataclasses.replace(taken, basis_key=cited_by_any(keys))
        settled.branches[code] = scatter_decisions(
            [(kept, branch_decisions.take(kept)), (changed, taken)], decisions.count, branch_decisions.branch
        )
    return settled


def _surest_first_day(decided: list[BranchDecisions], rows: np.ndarray) -> BranchDecisions:
    """The first of ``decided``'s decisions of ``rows``, alike, whose first day paid rests on a reading of the law
    where any of them does (a woman's pension claim long after her age, a man's in the month of his: the same day,
    the woman's a reading): the schedule is then provisional, whichever was meant."""
    taken = decided[0].take(rows)
    if taken.first_day_rule is None:
        return taken
    rules = [one.first_day_rule[rows] for one in decided if one.first_day_rule is not None]
    return dataclasses.replace(taken, first_day_rule=np.maximum.reduce(rules))


def _listing(decisions: BranchDecisions, label: str) -> np.ndarray:
    """Who is told that ``label`` is missing, for the decision or for its amount."""
    return _listed_in([*decisions.missing_for_decision, *decisions.missing_for_amount], label, decisions.count)


def _listed_in(facts: list[MissingFact], label: str, count: int) -> np.ndarray:
    """Who of ``count`` persons a list of missing facts says lacks ``label``."""
    found = np.zeros(count, dtype=bool)
    for fact in facts:
        if fact.label == label:
            found |= fact.lacking
    return found


def with_households(candidates: np.ndarray, households: Households | None) -> np.ndarray:
    """The candidates' rows, and those of every member of their households."""
    if households is None:
        return np.flatnonzero(candidates)
    ids = households[0]
    wanted = {ids[row] for row in np.flatnonzero(candidates).tolist()} - {None}
    members = np.fromiter((key is not None and key in wanted for key in ids), dtype=bool, count=len(ids))
    return np.flatnonzero(candidates | members)


def stating(columns: RecordColumns, name: str, value: Any) -> RecordColumns:
    """``columns`` with ``value`` stated for ``name`` wherever it was not."""
    values = dict(columns.values)
    if name in values:
        array, stated = values[name]
        values[name] = (np.where(stated, array, value), np.ones(columns.count, dtype=bool))
    else:
        values[name] = (np.full(columns.count, value), np.ones(columns.count, dtype=bool))
    return RecordColumns(columns.count, columns.facts, values, columns.histories)


def alike(decided: list[BranchDecisions]) -> np.ndarray:
    """Whose decisions are the same under every value, none of them undetermined or lacking a fact."""
    first = decided[0]
    alike = np.ones(first.count, dtype=bool)
    for one in decided:
        alike &= one.outcome != Outcome.undetermined
        for fact in (*one.missing_for_decision, *one.missing_for_amount):
            alike &= ~fact.lacking
    for other in decided[1:]:
        for name in COMPARED_FIELDS:  # every part of the decision, the schedule's age changes too
            mine, theirs = row_arrays(getattr(first, name)), row_arrays(getattr(other, name))
            if len(mine) != len(theirs):  # a part one decision has and the other has not (waiting days)
                return np.zeros(first.count, dtype=bool)
            for values, others in zip(mine, theirs, strict=True):
                alike &= alike_values(values, others)
    return alike


def alike_values(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Equal, row by row, with two NaN or two NaT equal."""
    first, second = np.asarray(first), np.asarray(second)
    equal = first == second
    if first.dtype.kind == "f":
        equal |= np.isnan(first) & np.isnan(second)
    elif first.dtype.kind == "M":
        equal |= np.isnat(first) & np.isnat(second)
    return np.asarray(equal, dtype=bool)
