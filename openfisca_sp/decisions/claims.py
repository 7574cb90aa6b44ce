"""Claims: each branch decided on the date of its event, with the rules in force that day.

A delivery system asks on any date (``as_of``); the law decides a maternity
benefit on the confinement, an unemployment benefit on the claim, a pension on
the date it is claimed. Each person's claim is decided on its event's date
(:class:`~openfisca_sp.rules.branches.Event`): its windows end before the
event's month, ages are taken on the event's day, and the parameter values in
force on that day apply (a value in force from 11 January applies to a birth on
the 20th). Claims are grouped by the day whose rules apply, one vectorised
simulation a group.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from openfisca_core import periods

from openfisca_sp.decisions.arduous_work import settle_arduous_work
from openfisca_sp.decisions.branch_decisions import BranchDecisions, Decisions, decide_branch
from openfisca_sp.decisions.certified_households import settle_certified_households
from openfisca_sp.decisions.claimed_reductions import settle_claimed_reductions
from openfisca_sp.decisions.facts import facts_of
from openfisca_sp.decisions.higher_of_two import settle_higher_of_two
from openfisca_sp.decisions.households import group_households
from openfisca_sp.decisions.period_order import check_period_order
from openfisca_sp.decisions.prescribed_rest import settle_prescribed_rest
from openfisca_sp.decisions.record_checks import check_branch_codes, check_records
from openfisca_sp.decisions.records import Columns, RecordColumns, read_records
from openfisca_sp.decisions.scattering import scatter_decisions
from openfisca_sp.decisions.unstated_amounts import settle_unstated_amounts
from openfisca_sp.decisions.unstated_choices import settle_unstated_choices
from openfisca_sp.rules import formulas
from openfisca_sp.rules.branches import BRANCHES, Branch, decided_branches
from openfisca_sp.rules.provenance import provenance_of
from openfisca_sp.rules.simulations import build_simulation, dismantle, set_input, set_inputs
from openfisca_sp.rules.small_arrays import anyone, as_day, constant, everyone

NOT_A_DATE = np.datetime64("NaT", "D")
PREFIXES = ("insured_wage", "reference_amounts")  # what every branch reads besides its own parameters


def event_dates(columns: RecordColumns, branch: Branch) -> np.ndarray:
    """The date of each person's event for ``branch`` as stated (NaT where it is not)."""
    stated = columns.values.get(branch.event.date_fact) if branch.event is not None else None
    if stated is None:
        return constant(columns.count, NOT_A_DATE)
    day, mask = stated
    return np.where(mask, day.astype("datetime64[D]"), NOT_A_DATE)


def claimable_days(tax_benefit_system: Any, branch: Branch, events: np.ndarray) -> np.ndarray:
    """The day each claim can be made: its event, or, where the law lets it be claimed only once some days have
    passed since the event (:attr:`~openfisca_sp.rules.branches.Event.completed_after`, as in force on the
    event's day), the last of those days. NaT stays NaT.

    The claim is still decided on its event's rules and windows; the days the law
    counts (days of registered unemployment) run to this day, and the benefit
    cannot start before it."""
    path = branch.event.completed_after if branch.event is not None else None
    known = ~np.isnat(events)
    if path is None or not anyone(known):
        return events
    claimable = events.copy()
    rules = rules_days(tax_benefit_system, branch.code, events[known])  # each day's values are its rules day's
    added = np.zeros(len(rules), dtype=np.int64)
    for day in np.unique(rules):
        node = formulas.branch(tax_benefit_system.get_parameters_at_instant, _period(day), branch)
        if node is not None and formulas.has(node, *path.split(".")):
            value = node
            for key in path.split("."):
                value = value[key]
            added[rules == day] = max(int(value) - 1, 0)
    claimable[known] = events[known] + added
    return claimable


def _period(day: np.datetime64) -> Any:
    return periods.period(str(day))


@lru_cache(maxsize=256)
def changes_within_months(tax_benefit_system: Any, branch_code: str) -> np.ndarray:
    """The days, other than the first of a month, on which a value a branch reads comes into force (sorted)."""
    index = provenance_of(tax_benefit_system)
    days = {
        record.start
        for prefix in (branch_code, *PREFIXES)
        for name, records in index.history.items()
        if name == prefix or name.startswith((f"{prefix}.", f"{prefix}["))
        for record in records
        if not record.start.endswith("-01")
    }
    return np.array(sorted(days), dtype="datetime64[D]")


@lru_cache(maxsize=1024)
def changes_in_month(tax_benefit_system: Any, month: str) -> tuple[str, ...]:
    """The days of ``month``, other than its 1st, on which a value some branch reads comes into force (sorted): the
    other days whose rules decide claims of that month."""
    days = {
        str(day)
        for branch in decided_branches(tax_benefit_system)
        for day in changes_within_months(tax_benefit_system, branch.code)
        if str(day).startswith(month)
    }
    return tuple(sorted(days))


def rules_days(tax_benefit_system: Any, branch_code: str, days: np.ndarray) -> np.ndarray:
    """For each day, the day whose rules apply: the last change in its month on or before it, else the 1st."""
    month_start = days.astype("datetime64[M]").astype("datetime64[D]")
    changes = changes_within_months(tax_benefit_system, branch_code)
    if not len(changes):
        return month_start
    latest = np.searchsorted(changes, days, side="right") - 1
    candidate = changes[np.maximum(latest, 0)]
    within = (latest >= 0) & (candidate >= month_start)
    return np.where(within, candidate, month_start)


@lru_cache(maxsize=1024)
def _rules_day(tax_benefit_system: Any, branch_code: str, day: np.datetime64) -> np.datetime64:
    """:func:`rules_days` of one day."""
    return rules_days(tax_benefit_system, branch_code, np.array([day], dtype="datetime64[D]"))[0]


def distinct_days(days: np.ndarray) -> np.ndarray:
    """The days of ``days``, each once, in order: one day, the usual case, found without sorting."""
    if len(days) and everyone(days == days[0]):
        return days[:1]
    return np.unique(days)


def _by_rules_day(rules_day: np.ndarray) -> list[tuple[np.datetime64, np.ndarray | None]]:
    """Each day whose rules decide claims, and the rows of those claims (None: every row, the usual case)."""
    days = distinct_days(rules_day)
    if len(days) == 1 and not np.isnat(days[0]):
        return [(days[0], None)]
    return [(day, np.flatnonzero(rules_day == day)) for day in days]


def _simulation(
    tax_benefit_system: Any,
    columns: RecordColumns,
    rules_day: np.datetime64,
    claimable: np.ndarray,
    households: tuple[Sequence[str | None], Sequence[bool]] | None,
) -> tuple[Any, Columns, str]:
    """A simulation of the claims decided with the rules of ``rules_day``, in its month."""
    month = str(rules_day.astype("datetime64[M]"))
    placed = columns.at(month)
    grouped = group_households(*households) if households is not None else None
    simulation = build_simulation(
        tax_benefit_system, np.arange(columns.count), *(grouped or ()), event_date=rules_day.astype(datetime.date)
    )
    set_inputs(simulation, placed.inputs)
    set_input(simulation, "event_date", month, claimable)
    return simulation, placed, month


@dataclass(frozen=True)
class _Timing:
    """When one branch's claims are decided: each claim's event, the day whose law decides it (the event, or
    the date asked), the day it can be claimed (:func:`claimable_days`), and the day whose rules apply."""

    events: np.ndarray
    decided_on: np.ndarray
    claimable: np.ndarray
    rules_day: np.ndarray
    event_missing: np.ndarray

    def key(self) -> tuple[bytes, bytes]:
        return self.claimable.tobytes(), self.rules_day.tobytes()


def _timing(tax_benefit_system: Any, columns: RecordColumns, branch: Branch, asked: Any) -> _Timing:
    events = event_dates(columns, branch)
    unstated = np.isnat(events)
    event_missing = unstated & (branch.event is not None and not branch.event.on_the_date_asked)
    if everyone(unstated):  # every claim decided on the date asked, on that day's rules
        on_asked = constant(len(events), asked)
        rules_day = constant(len(events), _rules_day(tax_benefit_system, branch.code, asked))
        return _Timing(events, on_asked, on_asked, rules_day, event_missing)
    decided_on = np.where(unstated, asked, events)
    claimable = np.where(unstated, asked, claimable_days(tax_benefit_system, branch, events))
    rules = rules_days(tax_benefit_system, branch.code, decided_on)
    return _Timing(events, decided_on, claimable, rules, event_missing)


def decision_rules_days(tax_benefit_system: Any, columns: RecordColumns, branch: Branch, asked: Any) -> np.ndarray:
    """The day whose rules decide each person's claim to ``branch`` (the ``rules_day`` of :func:`_timing`, without
    the rest of its work): one simulation is built per distinct day."""
    events = event_dates(columns, branch)
    return rules_days(tax_benefit_system, branch.code, np.where(np.isnat(events), asked, events))


def decide_claims(
    tax_benefit_system: Any,
    records: Sequence[Mapping[str, Any]] | RecordColumns,
    as_of: datetime.date,
    branch_codes: Sequence[str] | None = None,
    households: tuple[Sequence[str | None], Sequence[bool]] | None = None,
) -> Decisions:
    """:func:`decided_claims`, no eligible claim's benefit period ending before it starts
    (:func:`~.period_order.check_period_order`: raised, never answered)."""
    decisions = decided_claims(tax_benefit_system, records, as_of, branch_codes, households)
    check_period_order(decisions)
    return decisions


def decided_claims(
    tax_benefit_system: Any,
    records: Sequence[Mapping[str, Any]] | RecordColumns,
    as_of: datetime.date,
    branch_codes: Sequence[str] | None = None,
    households: tuple[Sequence[str | None], Sequence[bool]] | None = None,
) -> Decisions:
    """Decide each person's claim to each branch of ``branch_codes`` (by default, every branch the system decides:
    :func:`~openfisca_sp.rules.branches.decided_branches`) on the date of its event.

    ``records`` map fact names to values (a monthly fact as of the event's month,
    or a ``{"YYYY-MM": value}`` history), or are already read
    (:func:`~.records.read_records`). ``households`` gives each person's
    household identifier and whether they are declared its head. Branches whose
    claims fall on the same days share their simulations.
    """
    if not isinstance(records, RecordColumns):
        check_records(records, tax_benefit_system)
    columns = records if isinstance(records, RecordColumns) else read_records(records, facts_of(tax_benefit_system))
    count = columns.count
    asked = as_day(as_of)
    if branch_codes is None:
        branch_codes = tuple(branch.code for branch in decided_branches(tax_benefit_system))
    check_branch_codes(branch_codes, BRANCHES)
    timings = {code: _timing(tax_benefit_system, columns, BRANCHES[code], asked) for code in branch_codes}
    together: dict[tuple[bytes, bytes], list[str]] = {}
    for code, timing in timings.items():
        together.setdefault(timing.key(), []).append(code)
    parts: dict[str, list[tuple[np.ndarray, BranchDecisions]]] = {code: [] for code in branch_codes}
    for codes in together.values():
        timing = timings[codes[0]]
        for day, rows in _by_rules_day(timing.rules_day):
            subset = households
            if households is not None and rows is not None:
                subset = tuple([column[row] for row in rows] for column in households)
            chosen = slice(None) if rows is None else rows  # rows None, the usual case: no copy of the records
            simulation, placed, month = _simulation(
                tax_benefit_system,
                columns if rows is None else columns.take(rows),
                day,
                timing.claimable[chosen],
                subset,
            )
            for code in codes:
                missing = timings[code].event_missing[chosen]
                decided_on = timing.decided_on[chosen]
                event_date = decided_on.copy()  # the event's date, where it was stated
                event_date[missing] = NOT_A_DATE
                part = decide_branch(
                    simulation, placed, BRANCHES[code], month, str(day), missing, decided_on, event_date
                )
                parts[code].append((np.arange(count) if rows is None else rows, part))
            dismantle(simulation)
    decisions = Decisions(as_of=str(as_of), count=count)
    for code in branch_codes:
        decisions.branches[code] = scatter_decisions(parts[code], count, BRANCHES[code])

    def decide(
        part: RecordColumns, part_households: tuple[Sequence[str | None], Sequence[bool]] | None, codes: tuple = ()
    ) -> Decisions:
        return decided_claims(tax_benefit_system, part, as_of, codes or branch_codes, part_households)  # hypotheses

    decisions = settle_unstated_amounts(decisions, columns, households, decide)
    decisions = settle_unstated_choices(tax_benefit_system, decisions, columns, households, decide)
    decisions = settle_claimed_reductions(tax_benefit_system, decisions, columns, households, decide)
    decisions = settle_certified_households(tax_benefit_system, decisions, columns, households, decide)
    decisions = settle_prescribed_rest(tax_benefit_system, decisions, columns, households, decide)
    decisions = settle_arduous_work(tax_benefit_system, decisions, columns, households, decide)
    return settle_higher_of_two(decisions, columns, households, decide)
