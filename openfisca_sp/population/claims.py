"""A person table's claims decided on the dates of their events, as ``/eligibility`` decides them.

A person table may carry each branch's event date (``child_birth_date``,
``unemployment_registration_date``, ``old_age_claim_date``,
``disability_assessment_date``). The month's pass decides everyone on the first
day of the month evaluated, as OpenFisca does; each claim whose event falls on
another day is then decided again on that day (its windows end before the
event's month, ages are taken on its day, the rules in force that day apply), in
small simulations grouped by the day whose rules apply, and its results replace
the first pass's. A claim without an event date stays decided on the first day
of the month evaluated: for a pension or a disability benefit, one in payment.

A plain column states a fact as of the claim's event; a history column
(``insured_wage.2026-03``) states its own month, and wins over the plain column
for that month.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from openfisca_sp.decisions.age_changes import age_changes, reaching_in
from openfisca_sp.decisions.benefit_periods import benefit_period, first_days, last_day_rule, old_age_payable_on
from openfisca_sp.decisions.claims import PREFIXES, claimable_days, rules_days
from openfisca_sp.decisions.day_rate import days_a_month
from openfisca_sp.decisions.schedules import NOT_A_DATE
from openfisca_sp.decisions.uprating import paid_from, raised_in
from openfisca_sp.population.claim_rounds import ClaimsAgain, rounds_of, union_of_rows
from openfisca_sp.population.inputs import PopulationInputs
from openfisca_sp.population.outputs import branch_outputs
from openfisca_sp.rules.branches import Branch
from openfisca_sp.rules.computed_values import Values, computed_values, seed_values
from openfisca_sp.rules.enums import COUNTED_DURATION_UNITS, DurationUnit
from openfisca_sp.rules.periods import parse_period
from openfisca_sp.rules.recording import Reads, recording
from openfisca_sp.rules.simulations import build_simulation, release_arrays, set_inputs

NO_DATE = np.datetime64("1970-01-01", "D")  # the default of every event date: no event
SCHEDULE_SUFFIXES = ("claim_date", "start", "end", "days_a_month")
UNIT_NAMES = np.array([unit.name for unit in DurationUnit], dtype=object)


def schedule_columns(branch: Branch) -> tuple[str, ...]:
    """The per-person columns of a branch's claims that are not variables: the claim's event date (NaT when
    not stated), the first and last day of the benefit period (NaT when unknown, or open-ended), and what the law
    divides a monthly amount by to pay a day (:mod:`~openfisca_sp.decisions.day_rate`; NaN where it sets none)."""
    return tuple(f"{branch.benefit}_{suffix}" for suffix in SCHEDULE_SUFFIXES)


def event_facts(branches: Iterable[Branch]) -> dict[str, str]:
    """The event date fact of each branch that has one (by branch code)."""
    return {branch.code: branch.event.date_fact for branch in branches if branch.event is not None}


def month_start(month: str) -> np.datetime64:
    return np.datetime64(str(parse_period(month).start), "D")


def claim_dates(inputs: Mapping[tuple[str, str], np.ndarray], branch: Branch, month: str, count: int) -> np.ndarray:
    """Each person's event date for ``branch`` (NaT where the table states none)."""
    if branch.event is None or (dates := inputs.get((branch.event.date_fact, month))) is None:
        return np.full(count, NOT_A_DATE)
    dates = dates.astype("datetime64[D]", copy=False)
    return np.where(dates == NO_DATE, NOT_A_DATE, dates)


def event_months(dates: Iterable[np.ndarray], month: str) -> list[str]:
    """The months other than ``month`` in which some claim's event falls, oldest first.

    Each column's distinct days are found first, by hashing (Arrow's ``unique``): a table holds a few thousand
    distinct days however many rows, and masking every row first took two and a half times as long."""
    found: set[np.datetime64] = set()
    for days in dates:
        days = np.asarray(days, dtype="datetime64[D]")
        distinct = pc.unique(pa.array(days.view(np.int64))).to_numpy().view("datetime64[D]")  # NaT included
        found.update(np.unique(distinct[~np.isnat(distinct) & (distinct != NO_DATE)].astype("datetime64[M]")).tolist())
    evaluated = np.datetime64(month, "M")
    return sorted(str(np.datetime64(item, "M")) for item in found if np.datetime64(item, "M") != evaluated)


def placed_at(inputs: Mapping[tuple[str, str], np.ndarray], month: str, event_month: str) -> dict:
    """The inputs of a simulation of ``event_month``: plain columns (keyed at the month evaluated) are facts
    as of the event, unless a history column gives that month. A claim decided after the month evaluated keeps
    that month's values too: its windows read it (a wage of October for a claim of November)."""
    placed = {}
    for (variable, period), values in inputs.items():
        if period == month and event_month != month:
            if (variable, event_month) not in inputs:
                placed[(variable, event_month)] = values
            if event_month > month:
                placed[(variable, period)] = values
        else:
            placed[(variable, period)] = values
    return placed


def _households(population: PopulationInputs, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The households of ``rows`` (re-indexed), their ids, and who heads each one within them (where none of its
    rows is its head, its first row)."""
    household_ids, first, household_of = np.unique(
        population.household_of[rows], return_index=True, return_inverse=True
    )
    is_head = population.is_head[rows].copy()
    has_head = np.zeros(len(household_ids), dtype=bool)
    has_head[household_of[is_head]] = True
    firsts = np.zeros(len(rows), dtype=bool)
    firsts[first] = True
    return household_of, population.household_ids[household_ids], np.where(has_head[household_of], is_head, firsts)


def _decided_again(
    system: Any,
    population: PopulationInputs,
    month: str,
    rows: np.ndarray,
    rules_day: np.datetime64,
    event_days: np.ndarray,
    reads: Reads | None = None,
) -> tuple[Any, str]:
    """A simulation of ``rows`` whose claims are decided with the rules of ``rules_day``, in its month, and can
    be made on ``event_days`` (recording into ``reads`` if given)."""
    event_month = str(rules_day.astype("datetime64[M]"))
    household_of, household_ids, is_head = _households(population, rows)
    simulation = build_simulation(
        system, population.person_ids[rows], household_of, household_ids, is_head, rules_day.astype(datetime.date)
    )
    if reads is not None:
        recording(simulation, reads)
    inputs = {key: values[rows] for key, values in population.inputs.items()}
    set_inputs(simulation, placed_at(inputs, month, event_month))
    simulation.set_input("event_date", event_month, event_days)
    return simulation, event_month


def _period(simulation: Any, branch: Branch, month: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The first and last day of each person's benefit period in ``simulation`` (NaT where not eligible), from the
    day the law pays from (:func:`~openfisca_sp.decisions.benefit_periods.first_days`, as ``/eligibility`` gives
    it), and the days a month its law pays a day at, on the claim's event (NaN where not eligible, or the law sets
    none). A first day that rests on a reading of the law is the schedule's to tell (``/eligibility``'s
    ``payments.provisional``), not the decision's ``<benefit>_provisional`` (docs/population.md)."""
    eligible = np.flatnonzero(np.asarray(simulation.calculate(branch.eligible, month), dtype=bool))
    start = np.full(simulation.persons.count, NOT_A_DATE)
    end = start.copy()
    days = np.full(simulation.persons.count, np.nan)
    if not len(eligible):
        return start, end, days

    def value(name: str) -> np.ndarray:
        return np.asarray(simulation.calculate(name, month))[eligible]

    unit = UNIT_NAMES[value(f"{branch.benefit}_duration_unit").astype(np.int64)]
    counted = np.isin(unit, COUNTED_DURATION_UNITS)
    duration = np.where(counted, value(f"{branch.benefit}_duration").astype(np.float64), np.nan)
    waiting = None
    if branch.waiting_days is not None:
        modelled = value(branch.waiting_days_modelled).astype(bool)
        waiting = np.where(modelled, value(branch.waiting_days).astype(np.float64), np.nan)
    reached = None
    if (unit == "until_pensionable_age").any():  # as /eligibility tells it: when an old-age benefit is payable
        reached = old_age_payable_on(
            value("birth_date"), value("old_age_pensionable_age_months"), value("old_age_qualifying_period_met")
        )
    event = value("event_date").astype("datetime64[D]")
    paid_from, _ = first_days(simulation, branch, month, event, eligible)
    last_day = last_day_rule(simulation.tax_benefit_system, branch, parse_period(month).start)
    first, last = benefit_period(paid_from, waiting, duration, unit, reached, last_day)
    start[eligible], end[eligible] = first, last
    days[eligible] = days_a_month(simulation.tax_benefit_system, branch.code).at(event)
    return start, end, days


def _write(results: dict[str, np.ndarray], name: str, rows: np.ndarray | None, values: np.ndarray) -> None:
    if rows is None:
        results[name] = values
    else:
        results[name][rows] = values


def untold_amounts(simulation: Any, branch: Branch, month: str) -> np.ndarray:
    """The branch's amounts in ``simulation``, NaN for an eligible person whose amount is not modelled (the
    formula's 0 there is no amount: an amount that cannot be told is empty, never 0, as a rise of unknown size
    leaves it, and as ``decide_claims`` tells it); a refusal's 0 stays 0. The simulation's own array is not
    written over: other formulas may read it."""
    amounts = np.asarray(simulation.calculate(branch.benefit, month))
    if not branch.amount_modelled:
        return amounts
    eligible = np.asarray(simulation.calculate(branch.eligible, month), dtype=bool)
    untold = eligible & ~np.asarray(simulation.calculate(branch.amount_modelled, month), dtype=bool)
    return np.where(untold, np.nan, amounts).astype(amounts.dtype, copy=False) if untold.any() else amounts


def _branch_results(
    simulation: Any,
    branch: Branch,
    month: str,
    names: Sequence[str],
    results: dict,
    rows: np.ndarray | None,
) -> None:
    reads = getattr(simulation, "reads", None)
    if reads is not None:  # what follows is this branch's computation
        reads.group = branch.code
        reads.reached([branch.code, *PREFIXES])  # its claims' rules days and claimable days read these
    for name in names:
        _write(results, name, rows, np.asarray(simulation.calculate(name, month)))
    if branch.amount_modelled in names and branch.benefit in names:
        _write(results, branch.benefit, rows, untold_amounts(simulation, branch, month))
    start, end, days = _period(simulation, branch, month)
    _write(results, f"{branch.benefit}_start", rows, start)
    _write(results, f"{branch.benefit}_end", rows, end)
    _write(results, f"{branch.benefit}_days_a_month", rows, days)


def month_pass(
    system: Any,
    population: PopulationInputs,
    month: str,
    outputs: Sequence[str],
    branches: Sequence[Branch],
    reads: Reads | None = None,
    seeded: Values | None = None,
    aged: bool = False,
) -> dict[str, np.ndarray]:
    """``outputs`` for every person of ``population``, every claim decided on the first day of ``month``, with
    each branch's claim date and benefit period (see :func:`schedule_columns`); with ``aged``, an amount that
    follows age paid as the person's age gives it in ``month`` (:func:`_aged`: from the month an age the law names
    is reached, where the law says so; without, as the rules decide it on the first day); recorded into ``reads`` if
    given, each branch's computation as its group, with the values computed of the variables ``reads.keeps``
    names (``reads.values``). ``seeded``: values another simulation of the same persons computed, which this
    one's formulas can only repeat (:func:`~openfisca_sp.population.reuse.wanted_values`)."""
    simulation = build_simulation(
        system, population.person_ids, population.household_of, population.household_ids, population.is_head
    )
    if reads is not None:
        recording(simulation, reads)
    set_inputs(simulation, population.inputs)
    if seeded:
        seed_values(simulation, seeded)
    wanted = set(outputs)
    results: dict[str, np.ndarray] = {}
    for branch in branches:
        names = [name for name in branch_outputs(branch) if name in wanted]
        if names:
            dates = claim_dates(population.inputs, branch, month, population.count)
            _branch_results(simulation, branch, month, names, results, None)
            results[f"{branch.benefit}_claim_date"] = dates
            if aged and branch.eligible in results:  # decided on the first day: its rules
                first_day = str(month_start(month))
                rows = reaching_in(simulation, branch, month, first_day, np.flatnonzero(results[branch.eligible]))
                if len(rows):
                    _aged(simulation, branch, month, first_day, month, results, (rows, rows))
    if reads is not None:
        reads.group = None  # the outputs of no branch
    for name in outputs:
        if name not in results:
            results[name] = np.asarray(simulation.calculate(name, month))
    if reads is not None and reads.keeps is not None:  # the month's results, written over later, are copied
        reads.values = computed_values(simulation, [results[name] for name in outputs], reads.keeps(reads))
    release_arrays(simulation)
    return results


def decide_dated_claims(
    system: Any,
    population: PopulationInputs,
    month: str,
    outputs: Sequence[str],
    branches: Sequence[Branch],
    results: dict[str, np.ndarray],
    reads: Reads | None = None,
    at_rows: np.ndarray | None = None,
) -> None:
    """Decide again, on their events, the claims :func:`month_pass` decided on another day than theirs, and
    write their results over ``results``. Claims decided again on the same rules day share a simulation,
    whatever their branch (recorded into ``reads`` if given). ``at_rows``: the rows of ``results`` that
    ``population``'s persons are, when ``results`` are a larger population's (by default, its own)."""
    wanted = set(outputs)
    first_day = month_start(month)
    by_day: dict[np.datetime64, list[ClaimsAgain]] = {}
    for branch in branches:
        names = [name for name in branch_outputs(branch) if name in wanted]
        if not names:
            continue
        dates = results[f"{branch.benefit}_claim_date"]
        dates = dates if at_rows is None else dates[at_rows]
        again = np.flatnonzero(~np.isnat(dates))
        claimable = claimable_days(system, branch, dates[again])
        moved = (dates[again] != first_day) | (claimable != first_day)
        again, claimable = again[moved], claimable[moved]
        days = rules_days(system, branch.code, dates[again])
        for day in np.unique(days):
            chosen = days == day
            by_day.setdefault(day, []).append(ClaimsAgain(branch, names, again[chosen], claimable[chosen]))
    for day, claims in sorted(by_day.items()):
        for members in rounds_of(claims):
            rows = union_of_rows([claim.rows for claim in members], population.count)
            claimable = np.full(len(rows), NOT_A_DATE)
            for claim in members:
                claimable[np.searchsorted(rows, claim.rows)] = claim.claimable
            decided, event_month = _decided_again(system, population, month, rows, day, claimable, reads)
            for claim in members:
                at = np.searchsorted(rows, claim.rows)
                part: dict[str, np.ndarray] = {}
                _branch_results(decided, claim.branch, event_month, claim.names, part, None)
                written = claim.rows if at_rows is None else at_rows[claim.rows]
                for name, values in part.items():
                    results[name][written] = values[at]
                _aged(decided, claim.branch, event_month, str(day), month, results, (written, at))
                _raised(system, claim.branch, month, results, written)
            release_arrays(decided)


def _aged(
    decided: Any, branch: Branch, event_month: str, rules_day: str, month: str, results: dict, rows: tuple
) -> None:
    """The amounts of claims decided on an earlier day, or on the month's first where an age is reached within it
    (:func:`month_pass`), as the person's age gives them in ``month`` where the amount follows age
    (:mod:`~openfisca_sp.decisions.age_changes`: a child's coefficient ends in the month it turns 16, or the month
    after, as the law says), provisional where that month rests on an unverified value; ``rows``: the
    claims' rows in ``results`` and in ``decided``."""
    written, at = rows
    if not branch.amount_ages or branch.benefit not in results:
        return
    paid = np.asarray(decided.calculate(branch.eligible, event_month), dtype=bool)[at]
    decided_amount = untold_amounts(decided, branch, event_month).astype(np.float64)[at]  # NaN: not modelled
    amount = np.where(paid, decided_amount, np.nan)  # these claims' alone: the simulation may be a whole chunk's
    end = results[f"{branch.benefit}_end"][written]
    changes = age_changes(decided, branch, event_month, rules_day, amount, end, at)
    if changes is None:
        return
    evaluated = np.array([month], dtype="datetime64[M]")
    now = changes.monthly(amount, evaluated)[0]
    changed = changes.within(np.datetime64(event_month, "M"), evaluated[0])
    results[branch.benefit][written] = np.where(changed, now, results[branch.benefit][written])
    if branch.provisional in results:  # paid by an unverified reading of when the amount changes
        unsure = changes.within(np.datetime64(event_month, "M"), evaluated[0], unverified=True)
        results[branch.provisional][written] |= unsure


def _raised(system: Any, branch: Branch, month: str, results: dict[str, np.ndarray], rows: np.ndarray) -> None:
    """The amounts of claims decided on another day, as paid in ``month`` with the law's rises of benefits in
    payment (:mod:`~openfisca_sp.decisions.uprating`; a Tajik pension of March 2024 is 30% higher from July)."""
    if branch.benefit in results:
        decided = results[f"{branch.benefit}_claim_date"][rows]
        start = results.get(f"{branch.benefit}_start")
        # raised if paid before a decree (a reference amount followed: from the day decided)
        decided = decided if start is None else paid_from(system, branch.code, decided, start[rows])
        raised, unsure = raised_in(system, branch.code, results[branch.benefit][rows], decided, month)
        # a rise raises a benefit paid: a refusal's 0 stays 0 where the rise's size is not known (0 × unknown)
        paid = results[branch.eligible][rows] if branch.eligible in results else np.ones(len(rows), dtype=bool)
        results[branch.benefit][rows] = np.where(paid, raised, results[branch.benefit][rows])
        if branch.provisional in results:  # a rise resting on an unverified value, of a benefit paid (as a schedule)
            results[branch.provisional][rows] |= unsure & paid
        if branch.amount_modelled in results:  # a rise of unknown size: the month's amount is not modelled
            results[branch.amount_modelled][rows] &= ~(np.isnan(raised) & paid)


def compute_claims(
    system: Any,
    population: PopulationInputs,
    month: str,
    outputs: Sequence[str],
    branches: Sequence[Branch],
    reads: Reads | None = None,
    claims_on_events: bool = True,
    seeded: Values | None = None,
) -> dict[str, np.ndarray]:
    """``outputs`` for every person of ``population``, each branch's claims decided on their events' dates (with
    ``claims_on_events`` False, on the first day of ``month``), with each branch's claim date and benefit period
    (see :func:`schedule_columns`); what the computation read is recorded into ``reads`` if given
    (:mod:`openfisca_sp.rules.recording`); ``seeded``: see :func:`month_pass`."""
    results = month_pass(system, population, month, outputs, branches, reads, seeded, claims_on_events)
    if claims_on_events:
        decide_dated_claims(system, population, month, outputs, branches, results, reads)
    return results
