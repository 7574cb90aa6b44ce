"""Amounts of money a person did not state, and the decisions that do not turn on them.

A claim reads the insured wage of each month of its windows (the 12 months before a birth, the 24 before
unemployment …), a career-average wage or a pension capital, and a person who leaves one out is undetermined,
the facts listed as missing (:mod:`~.missing_facts`). Often what is stated decides it already: a mother states
the 6 months of wages before the birth and the law asks 6 contributed months in 12; a claimant with no month of
contributions is owed no one-off payment, whatever the average wage. Such a claim is decided again with the
missing amounts as 0, as the smallest amount above 0 (:data:`SMALLEST_AMOUNT`) and as
:data:`~.facts.LARGEST_AMOUNT`: where all three give the same decision, whole (outcome, reason, amount,
duration, benefit period, lump sums …) and with no other fact missing, that decision stands and the amounts
were not needed.

The rules count a month as contributed when its wage is above 0, average wages capped at a ceiling, and pay more
for more: above 0, a decision is monotone in each amount, and what holds at the smallest and the largest holds
for every amount between them. A month of 0 is a case of its own: where the law averages the latest months *with
contributions* (Viet Nam's maternity benefit, Circular 59/2015 Art 12(1)(a)), a month of 0 is skipped and an
older month averaged in its place, so a small wage can lower the average below both 0's and the largest
amount's (a month of 1 dong pushing out a month at the ceiling). Contributed or not, the months the rules count
rise with each amount, so a claim eligible at 0 and at the largest amount is eligible at every amount. A month
inside the window a reference wage averages changes the amount between the ends, so its claim stays as it was:
undetermined, or its amount unknown, listing the month. The months taken above 0 are bounded by the career total
stated (:mod:`.career_bound`): a career of 11 months leaves none of the missing months contributed.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from openfisca_sp.decisions.branch_decisions import BranchDecisions, Decisions
from openfisca_sp.decisions.career_bound import highest_within_career
from openfisca_sp.decisions.facts import LARGEST_AMOUNT
from openfisca_sp.decisions.missing_facts import MissingFact
from openfisca_sp.decisions.outcomes import Outcome
from openfisca_sp.decisions.records import RecordColumns
from openfisca_sp.decisions.scattering import scatter_decisions
from openfisca_sp.decisions.schedules import NOT_A_DATE
from openfisca_sp.decisions.unstated_choices import (
    Households,
    alike_values,
    settled_where_alike,
    stating,
    with_households,
)
from openfisca_sp.rules.small_arrays import anyone

Decide = Callable[..., Decisions]  # (records, households[, branch codes]): the same batch's decisions of others
LABEL = re.compile(r"^(?P<name>[a-z_]+)(\.(?P<month>[0-9]{4}-[0-9]{2}))?$")  # insured_wage.2024-05, pension_capital
SMALLEST_AMOUNT = float(np.finfo(np.float32).tiny)  # the smallest amount above 0 the rules store (float32)
ENDS = (0.0, SMALLEST_AMOUNT, LARGEST_AMOUNT)  # the amounts each missing one is decided under
MONEY = "currency"  # the unit of the facts that are amounts of money


def settle_unstated_amounts(
    decisions: Decisions, columns: RecordColumns, households: Households | None, decide: Decide
) -> Decisions:
    """``decisions`` with each claim that lacks only amounts of money (months of a history, or single values)
    decided under both :data:`ENDS`, and the decision both give where they agree (``decide``: the same batch's
    decisions of others)."""
    months: set[tuple[str, str]] = set()
    single: set[str] = set()
    listed: dict[str, np.ndarray] = {}
    for code, part in decisions.branches.items():
        only_amounts = _lacking_only_amounts(part, columns, months, single)
        if anyone(only_amounts):
            listed[code] = only_amounts
    if not listed:
        return decisions
    candidates = np.logical_or.reduce(list(listed.values()))
    rows = with_households(candidates, households)
    part = columns.take(rows)
    part_households = None if households is None else tuple([column[row] for row in rows] for column in households)
    codes = tuple(listed)  # the branches lacking amounts only are decided again
    bounded = highest_within_career(decisions, listed, columns, sorted(months))
    under = []
    for value in ENDS:
        if bounded is None or value == 0:
            under.append(decide(_stating_amounts(part, sorted(months), sorted(single), value), part_households, codes))
            continue
        each_branch = Decisions(as_of=decisions.as_of, count=len(rows))  # (:mod:`.career_bound`)
        for code in codes:  # the months the career leaves room for at ``value``, the others at 0
            amounts = {key: np.where(top[rows] > 0, value, 0.0) for key, top in (bounded[code] or {}).items()}
            stated = _stating_amounts(part, sorted(months), sorted(single), value, amounts)
            each_branch.branches[code] = decide(stated, part_households, (code,)).branches[code]
        under.append(each_branch)
    settled = settled_where_alike(decisions, listed, rows, under)
    return _eligible_amount_unknown(settled, listed, rows, under)


def _eligible_amount_unknown(
    decisions: Decisions, listed: dict[str, np.ndarray], rows: np.ndarray, under: list[Decisions]
) -> Decisions:
    """``decisions`` where a claim still undetermined is eligible under each of :data:`ENDS`, for the same reason
    and lacking no other fact for the decision: eligible, what differs between them (the amount, a lump sum, the
    period) not known, and the amounts it lacked asked for it (a month the reference wage averages), with those the
    amount lacks under any of them (Viet Nam's maternity benefit: the month of a birth on the 15th not stated, and
    the months before the 12 that her average may reach). A month of a history older than the oldest the results
    read with the amounts as 0 is not asked, though a condition lacked it: no amounts bring it into the results
    (:attr:`~.branch_decisions.BranchDecisions.history_read_from`: her 6 latest months with contributions are only
    later with more of them)."""
    found = Decisions(as_of=decisions.as_of, count=decisions.count, branches=dict(decisions.branches))
    everyone = np.arange(decisions.count)
    for code, mask in listed.items():
        kept = decisions.branches[code]
        each = [decided.branches[code] for decided in under]
        chosen = mask[rows] & (kept.outcome[rows] == Outcome.undetermined)
        for decided in each:
            chosen &= (decided.outcome == Outcome.eligible) & (decided.reason == each[0].reason)
            for fact in decided.missing_for_decision:
                chosen &= ~fact.lacking
        if not anyone(chosen):
            continue
        local = np.flatnonzero(chosen)
        changed = rows[local]
        read_from = each[0].history_read_from  # at ENDS[0], 0: the oldest month any amounts make the results read
        asked: dict[str, np.ndarray] = {}
        for fact in (*kept.missing_for_decision, *kept.missing_for_amount):
            lacking = fact.lacking[changed] & ~_before_read(fact.label, read_from, local)
            asked[fact.label] = asked.get(fact.label, False) | lacking
        for decided in each:
            for fact in decided.missing_for_amount:
                asked[fact.label] = asked.get(fact.label, False) | fact.lacking[local]
        eligible = dataclasses.replace(
            _unknown_where_they_differ([decided.take(local) for decided in each]),
            missing_for_decision=[],
            missing_for_amount=[MissingFact(label, lacking) for label, lacking in asked.items() if anyone(lacking)],
        )
        others = np.setdiff1d(everyone, changed)
        found.branches[code] = scatter_decisions(
            [(others, kept.take(others)), (changed, eligible)], decisions.count, kept.branch
        )
    return found


def _before_read(label: str, read_from: Mapping[str, np.ndarray] | None, rows: np.ndarray) -> np.ndarray:
    """Whether the month of ``label`` (``insured_wage.2023-06``) is older than the oldest of its history the results
    of each person at ``rows`` read (``read_from``, :attr:`~.branch_decisions.BranchDecisions.history_read_from`;
    none is where it is not found)."""
    found = LABEL.match(label)
    oldest = read_from.get(found["name"]) if read_from is not None and found and found["month"] else None
    if oldest is None:
        return np.zeros(len(rows), dtype=bool)
    return np.datetime64(found["month"], "M") < oldest[rows]


def _unknown_where_they_differ(each: list[BranchDecisions]) -> BranchDecisions:
    """The first of ``each``'s decisions with the amount, duration, lump sums and period not known where any other
    differs; an amount not known, provisional only for what it decides (not for its amount alone: Viet Nam's
    maternity benefit averaged over fewer months than the law's, the months not stated as 0)."""
    first, others = each[0], each[1:]

    def differ(values_of: Callable[[BranchDecisions], np.ndarray]) -> np.ndarray:
        return np.logical_or.reduce([~alike_values(values_of(first), values_of(other)) for other in others])

    untold = differ(lambda decided: decided.amount)
    alone = first.amount_provisional
    return dataclasses.replace(
        first,
        amount=np.where(untold, np.nan, first.amount),
        provisional=first.provisional if alone is None else first.provisional & ~(alone & untold),
        amount_provisional=None if alone is None else alone & ~untold,
        duration=np.where(differ(lambda decided: decided.duration), np.nan, first.duration),
        lump_sums={
            name: np.where(differ(lambda decided, name=name: decided.lump_sums[name]), np.nan, values)
            for name, values in first.lump_sums.items()
        },
        start=np.where(differ(lambda decided: decided.start), NOT_A_DATE, first.start),
        end=np.where(differ(lambda decided: decided.end), NOT_A_DATE, first.end),
    )


def _lacking_only_amounts(
    decisions: BranchDecisions, columns: RecordColumns, months: set[tuple[str, str]], single: set[str]
) -> np.ndarray:
    """Who lacks some facts of ``decisions``, all of them amounts of money (added to ``months``, a history's, or
    to ``single``, a fact stated as one value)."""
    lacking_amounts = np.zeros(decisions.count, dtype=bool)
    lacking_other = np.zeros(decisions.count, dtype=bool)
    for fact in (*decisions.missing_for_decision, *decisions.missing_for_amount):
        found = LABEL.match(fact.label)
        known = columns.facts.get(found["name"]) if found else None
        if known is not None and known.value_type is float and known.unit == MONEY:
            lacking_amounts |= fact.lacking
            if anyone(fact.lacking):
                if found["month"]:
                    months.add((found["name"], found["month"]))
                else:
                    single.add(found["name"])
        else:
            lacking_other |= fact.lacking
    return lacking_amounts & ~lacking_other


def _stating_amounts(
    columns: RecordColumns,
    months: Sequence[tuple[str, str]],
    single: Sequence[str],
    value: float,
    each: Mapping[tuple[str, str], np.ndarray] | None = None,
) -> RecordColumns:
    """``columns`` with ``value`` stated for each of ``months`` (fact, month) and each fact of ``single`` wherever
    it was not (each person's own value of a month of ``each``, where given)."""
    for name in single:
        columns = stating(columns, name, value)
    histories = dict(columns.histories)
    stated_everywhere = np.ones(columns.count, dtype=bool)
    for key in months:
        amount = value if each is None or key not in each else each[key]
        if key in histories:
            array, stated = histories[key]
            histories[key] = (np.where(stated, array, amount), stated_everywhere)
        else:
            histories[key] = (np.broadcast_to(amount, (columns.count,)).astype(np.float64), stated_everywhere)
    return RecordColumns(columns.count, columns.facts, columns.values, histories)
