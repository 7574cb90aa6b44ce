"""Decisions per person and branch: eligible or not, why, how much, for how long, on what law.

A decision is built from the branch's variables (the rules), the facts the
caller stated, and the provenance of the parameters in force. It is
*undetermined* when a fact needed to reach it was not stated
(:mod:`~openfisca_sp.decisions.missing_facts`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from openfisca_core.simulations import Simulation

from openfisca_sp import arguments
from openfisca_sp.decisions.age_changes import AgeChanges, age_changes
from openfisca_sp.decisions.amount_notes import amount_notes
from openfisca_sp.decisions.benefit_periods import FROM_READING, benefit_period, first_days, period_rules
from openfisca_sp.decisions.day_rate import DaysAMonth, days_a_month
from openfisca_sp.decisions.facts import optional_facts
from openfisca_sp.decisions.first_day_notes import first_day_notes
from openfisca_sp.decisions.lacking_facts import undecided_for_lack_of_facts
from openfisca_sp.decisions.missing_facts import (
    MissingFact,
    beyond_the_law,
    facts_beyond_conditions,
    not_modelled,
    period_facts,
)
from openfisca_sp.decisions.months_read import months_read
from openfisca_sp.decisions.outcomes import Outcome
from openfisca_sp.decisions.records import Columns
from openfisca_sp.decisions.results_missing import lump_sum_missing, results_missing
from openfisca_sp.decisions.schedules import NOT_A_DATE, Payments, payments_of
from openfisca_sp.decisions.uprating import InPaymentIndex, in_payment_index
from openfisca_sp.rules.branches import Branch
from openfisca_sp.rules.enums import COUNTED_DURATION_UNITS, NOT_MODELLED, DurationUnit
from openfisca_sp.rules.enums import IneligibilityReason as Reason
from openfisca_sp.rules.formulas import among, decision_basis_keys, lump_sum_provided
from openfisca_sp.rules.formulas import provisional as formulas_provisional
from openfisca_sp.rules.legal_basis import LegalBasis, legal_basis
from openfisca_sp.rules.periods import parse_period
from openfisca_sp.rules.small_arrays import anyone, as_day, constant

COUNTED_UNITS = COUNTED_DURATION_UNITS
NOT_APPLICABLE = DurationUnit.not_applicable.name  # the duration unit of a person not eligible


@dataclass
class BranchDecisions:
    """A branch's decisions for every person, as arrays (one row per person)."""

    branch: Branch
    outcome: np.ndarray  # Outcome values
    reason: np.ndarray  # IneligibilityReason index
    amount: np.ndarray  # float64; NaN where not determined
    duration: np.ndarray  # float64; NaN where not determined, or not a count (lifetime, not modelled …)
    duration_unit: np.ndarray  # names
    frequency: np.ndarray  # names; None unless eligible (told to the eligible only)
    waiting_days: np.ndarray | None  # float64; NaN where not determined or not modelled
    lump_sums: dict[str, np.ndarray]
    # int: the decision's key in its rules day's legal basis (:func:`~openfisca_sp.rules.legal_basis.basis_keys`):
    # its reason, a lump sum owed whose values it cites, the values the branch cites only for some persons
    basis_key: np.ndarray
    amount_modelled: np.ndarray  # whether the person's amount is modelled: its formula in force, the decision made
    provisional: np.ndarray
    missing_for_decision: list[MissingFact]  # among the persons whose decision they leave undetermined
    missing_for_amount: list[MissingFact]
    decided_on: np.ndarray  # datetime64[D]: the day whose law decided (the claim's event, or the date asked)
    rules_day: np.ndarray  # datetime64[D]: the day the rules in force on ``decided_on`` came into force (a key)
    event_date: np.ndarray  # datetime64[D]: the date of the claim's event; NaT where there is none
    bases: dict[str, LegalBasis]  # the legal basis in force from each rules day (YYYY-MM-DD)
    start: np.ndarray = None  # type: ignore[assignment]  # datetime64[D]: the first day paid; NaT if unknown
    end: np.ndarray = None  # type: ignore[assignment]  # datetime64[D]: the last day paid; NaT if open-ended
    index: InPaymentIndex | None = None  # the law's index of benefits in payment (:mod:`~.uprating`), if any
    # datetime64[D]: the first day a benefit may be paid, where the law lets it be claimed only once some days
    # have passed (Lao PDR's 30 days of unemployment); known even where the first day paid is not (its waiting
    # period not modelled). NaT where none is known
    earliest_start: np.ndarray = None  # type: ignore[assignment]
    day_rate: DaysAMonth | None = None  # the law's days a month, for a duration in days (:mod:`~.day_rate`)
    age_changes: AgeChanges | None = None  # where the amount follows age: when it changes (:mod:`~.age_changes`)
    # int8: what each first day paid rests on (:func:`~.benefit_periods.first_days`: the event's day, the law's other
    # day, or a reading of it), where the branch's law may pay from another day than the event's (``first_day``)
    first_day_rule: np.ndarray | None = None
    # object: what each amount rests on besides its rules day's legal basis (a maximum read on another day:
    # :mod:`~.amount_notes`), told first in its payments' method, else None; None for a branch that reads none
    amount_notes: np.ndarray | None = None
    # fact -> datetime64[M]: the oldest month of its history each person's results read, where the branch's read a
    # history from a month on only (``Branch.history_read_from``), found with the months not stated as 0 (the oldest
    # any wages of theirs make it, :mod:`~.months_read`); not told: it bounds the months a claim decided whatever
    # they hold is asked (:mod:`~.unstated_amounts`). None where not found (nobody paid)
    history_read_from: dict[str, np.ndarray] | None = None
    # bool: provisional for its amount alone (``Branch.amount_provisional``: a maximum that may cap it), where the
    # amount is told; a claim whose amount is not told is provisional for what it decides only. None where none is
    amount_provisional: np.ndarray | None = None

    @property
    def count(self) -> int:
        return len(self.outcome)

    def take(self, rows: np.ndarray) -> BranchDecisions:
        """The decisions of ``rows`` only (missing facts keep their order; legal bases are shared)."""
        return BranchDecisions(
            branch=self.branch,
            outcome=self.outcome[rows],
            reason=self.reason[rows],
            amount=self.amount[rows],
            duration=self.duration[rows],
            duration_unit=self.duration_unit[rows],
            frequency=self.frequency[rows],
            waiting_days=None if self.waiting_days is None else self.waiting_days[rows],
            lump_sums={name: values[rows] for name, values in self.lump_sums.items()},
            basis_key=self.basis_key[rows],
            amount_modelled=self.amount_modelled[rows],
            provisional=self.provisional[rows],
            missing_for_decision=[MissingFact(fact.label, fact.lacking[rows]) for fact in self.missing_for_decision],
            missing_for_amount=[MissingFact(fact.label, fact.lacking[rows]) for fact in self.missing_for_amount],
            decided_on=self.decided_on[rows],
            rules_day=self.rules_day[rows],
            event_date=self.event_date[rows],
            bases=self.bases,
            start=self.start[rows],
            end=self.end[rows],
            index=self.index,
            earliest_start=None if self.earliest_start is None else self.earliest_start[rows],
            day_rate=self.day_rate,
            age_changes=None if self.age_changes is None else self.age_changes.take(rows),
            first_day_rule=None if self.first_day_rule is None else self.first_day_rule[rows],
            amount_notes=None if self.amount_notes is None else self.amount_notes[rows],
            history_read_from=None
            if self.history_read_from is None
            else {fact: months[rows] for fact, months in self.history_read_from.items()},
            amount_provisional=None if self.amount_provisional is None else self.amount_provisional[rows],
        )

    def payments(self, as_of: Any, decimals: int = 0) -> list[Payments | None]:
        """Each claim's benefit period and payment schedule, and whether it is payable on ``as_of``.

        Lump sums fall due on the claim's event (a birth grant on the birth, an old-age lump sum on the claim); a
        provisional decision's schedule is provisional (what it pays rests on what the decision rests on)."""
        day = arguments.day("as_of", as_of)  # None gave "payable"
        decimals = arguments.whole_number("decimals", decimals, 0, 4, why="a currency's decimals")  # 10**6 overflowed
        payments = payments_of(
            *(self.amount, self.duration, self.duration_unit, self.start, self.end, self.lump_sums, self.decided_on),
            day,
            decimals,
            self.outcome == Outcome.eligible,
            self.index,
            self.earliest_start,
            None if self.day_rate is None else self.day_rate.at(self.decided_on),
            self.age_changes,
            *self._first_day_notes(),
            self.provisional,
        )
        if self.amount_notes is None:
            return payments
        return [
            dataclasses.replace(paid, method=f"{note}; {paid.method}") if note and paid and paid.method else paid
            for paid, note in zip(payments, self.amount_notes.tolist(), strict=True)
        ]

    def _first_day_notes(self) -> tuple[np.ndarray | None, np.ndarray | None]:
        """What each claim's first day paid rests on, where not the event's day (the branch's ``first_day``
        texts under the law of its day; None elsewhere), and whether it is a reading of the law (provisional)."""
        first_day, rule = self.branch.first_day, self.first_day_rule
        if rule is None or first_day is None:
            return None, None
        return first_day_notes(first_day, self.branch.code, rule, self.rules_day, self.bases), rule == FROM_READING


@dataclass
class Decisions:
    """Every requested branch decided for every person of a batch, each claim on the date of its event."""

    as_of: str  # the date asked (YYYY-MM-DD)
    count: int
    branches: dict[str, BranchDecisions] = field(default_factory=dict)


def _outcomes_by_reason() -> np.ndarray:
    """Each outcome by whether the decision is undetermined (0 or 1) and by reason: not modelled, else not provided
    by law, else undetermined, else eligible or not (the first that holds)."""
    table = np.full((2, len(Reason)), int(Outcome.not_eligible), dtype=np.int64)
    table[:, Reason.eligible.index] = Outcome.eligible
    table[1, :] = Outcome.undetermined
    table[:, Reason.not_provided_by_law.index] = Outcome.not_provided_by_law
    table[:, [reason.index for reason in NOT_MODELLED]] = Outcome.not_modelled
    return table


_OUTCOMES = _outcomes_by_reason()


def _outcome(reason: np.ndarray, undecided: np.ndarray) -> np.ndarray:
    """Each decision's outcome, looked up (:func:`_outcomes_by_reason`: one step, where comparing each reason took
    six, most of a one-person decision's outcome)."""
    return _OUTCOMES.take(reason + undecided * _OUTCOMES.shape[1])  # the row of undetermined decisions is the second


def _waiting_days(simulation: Simulation, branch: Branch, month: str, known: np.ndarray) -> np.ndarray | None:
    """The waiting period in days, NaN where it is not determined or not modelled."""
    if branch.waiting_days is None:
        return None
    modelled = np.asarray(simulation.calculate(branch.waiting_days_modelled, parse_period(month)), dtype=bool)
    return _calculated(simulation, branch.waiting_days, month, known & modelled)


def _benefit_period(
    simulation: Simulation, branch: Branch, month: str, duration: np.ndarray, unit: np.ndarray, waiting: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The first and last day of each entitlement (see :func:`~.benefit_periods.benefit_period`), from the day the
    law pays from (:func:`~.benefit_periods.first_days`), and what that day rests on."""
    event = np.asarray(simulation.calculate("event_date", parse_period(month)), dtype="datetime64[D]")
    first, rule = first_days(simulation, branch, month, event)
    start, end = benefit_period(first, waiting, duration, unit, *period_rules(simulation, branch, month, unit))
    return start, end, rule


def _basis_keys(simulation: Simulation, branch: Branch, month: str, basis: LegalBasis) -> np.ndarray:
    """Each decision's key in its legal basis (:func:`~openfisca_sp.rules.formulas.decision_basis_keys`, as the branch's
    ``provisional`` reads it): who is owed a lump sum it cites, and whose the values cited for some persons only are."""
    owed = bool(branch.cited_lump_sums)
    return decision_basis_keys(simulation.persons, parse_period(month), branch, owed, basis.where_cited)


def _provision_unknown(simulation: Simulation, month: str) -> bool:
    """Whether no source says if the law of ``month`` provides an old-age lump sum (read once, not per person)."""
    return lump_sum_provided(simulation.tax_benefit_system.get_parameters_at_instant, parse_period(month)) is None


def _unit_and_frequency(
    simulation: Simulation, branch: Branch, month: str, eligible: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each person's duration unit (``not_applicable`` unless eligible, as every ``*_duration_unit`` formula gives
    it) and how often the benefit is paid (None unless eligible: it is told to the eligible only); neither is
    computed where nobody is eligible."""
    count = len(eligible)
    if not anyone(eligible):
        return constant(count, NOT_APPLICABLE, object), constant(count, None, object)
    unit = simulation.calculate(f"{branch.benefit}_duration_unit", parse_period(month)).decode_to_str()
    frequency = simulation.calculate(f"{branch.benefit}_frequency", parse_period(month)).decode_to_str()
    return unit, np.where(eligible, frequency, None)


def _provisional(
    simulation: Simulation, branch: Branch, month: str, outcome: np.ndarray, untold: np.ndarray
) -> tuple[np.ndarray, np.ndarray | None]:
    """Whether each decision is provisional (never where undetermined: nothing decided rests on a value), not for
    an assumption of its amount's own (``Branch.amount_provisional``) where its amount is not told (``untold``), and
    where it is provisional for that alone, its amount told (None where the branch makes no such assumption)."""
    period = parse_period(month)
    provisional = np.asarray(simulation.calculate(branch.provisional, period), dtype=bool)
    provisional = provisional & (outcome != Outcome.undetermined)
    if branch.amount_provisional is None or not anyone(provisional):
        return provisional, None
    own = np.asarray(simulation.calculate(branch.amount_provisional, period), dtype=bool)
    amount_alone = provisional & own & ~formulas_provisional(simulation.persons, period, branch.code)
    return provisional & ~(amount_alone & untold), amount_alone & ~untold


def _calculated(simulation: Simulation, variable: str, month: str, where: np.ndarray) -> np.ndarray:
    """A result in float64, NaN where it is not determined (not computed where nobody's is)."""
    if not anyone(where):
        return constant(len(where), np.nan)
    return np.where(where, simulation.calculate(variable, parse_period(month)).astype(np.float64), np.nan)


def decide_branch(
    simulation: Simulation,
    columns: Columns,
    branch: Branch,
    month: str,
    rules_day: str | None = None,
    event_missing: np.ndarray | None = None,
    decided_on: np.ndarray | None = None,
    event_date: np.ndarray | None = None,
) -> BranchDecisions:
    """The decisions of one branch for every person of a simulation, on the rules of ``rules_day``.

    ``rules_day`` (YYYY-MM-DD) is the day whose rules the simulation applies
    (the first day of ``month`` by default); ``event_missing`` marks the claims
    whose event date was not stated. ``decided_on`` and ``event_date`` are each
    claim's day of decision and of its event, where known (by default the rules
    day and none). The arrays returned are the caller's to read, not to change.
    """
    rules_day = rules_day or str(parse_period(month).start)
    tax_benefit_system = simulation.tax_benefit_system
    optional = optional_facts(tax_benefit_system)
    reason = np.asarray(simulation.calculate(branch.reason, parse_period(month)))
    eligible = reason == Reason.eligible.index
    undecided, missing_for_decision = undecided_for_lack_of_facts(
        simulation, columns, branch, month, reason, event_missing
    )
    paid = eligible & ~undecided
    anyone_paid = anyone(paid)  # else no amount, duration or period is told, nor a fact missing for them
    read = months_read(simulation, columns, branch, month, results=True) if anyone_paid else None  # months not read
    amount_keys = (
        facts_beyond_conditions(tax_benefit_system, branch, branch.benefit_variables, month) if anyone_paid else ()
    )
    period_keys = period_facts(tax_benefit_system, branch, month) if anyone_paid else frozenset()
    # the facts the amount itself reads: a fact only the duration reads (a maternity's number of children) leaves
    # the amount told, the duration and the benefit period not
    own_keys = set(facts_beyond_conditions(tax_benefit_system, branch, (branch.benefit,), month)) if anyone_paid else ()
    amount_unknown = np.zeros(len(reason), dtype=bool)
    period_unknown = np.zeros(len(reason), dtype=bool)  # the facts the duration or waiting period reads
    missing_for_amount = []
    for key, fact in results_missing(simulation, columns, branch, month, amount_keys, optional, read):
        lacking = fact.lacking & paid
        if anyone(lacking):
            missing_for_amount.append(MissingFact(fact.label, lacking))
            if key in own_keys:
                amount_unknown |= lacking
            if key in period_keys:
                period_unknown |= lacking

    modelled = (
        np.asarray(simulation.calculate(branch.amount_modelled, parse_period(month)), dtype=bool)
        if branch.amount_modelled
        else np.ones(len(reason), dtype=bool)
    )
    unit, frequency = _unit_and_frequency(simulation, branch, month, eligible)
    lump_sums = {}
    told, asked = (~undecided, set(amount_keys), paid), optional - branch.lump_sum_facts  # asked where it turns on it
    unmodelled = not_modelled(reason)  # no decision: no amount modelled, no lump sum told, not even 0
    for name in branch.lump_sums:
        keys = facts_beyond_conditions(tax_benefit_system, branch, (name,), month)
        lump_missing, lump_unknown = lump_sum_missing(simulation, columns, branch, name, month, keys, asked, told)
        missing_for_amount += lump_missing
        known_lump = ~undecided & ~lump_unknown & ~unmodelled
        if f"{name}_modelled" in tax_benefit_system.variables:  # no formula in force: not modelled, never 0
            known_lump &= np.asarray(simulation.calculate(f"{name}_modelled", parse_period(month)), dtype=bool)
        # not owed to a decided person it is not for (a pension instead): 0, even where its amount is not modelled;
        # not told where no source says whether the law provides it
        owed = np.asarray(simulation.calculate(f"{name}_entitled", parse_period(month)), dtype=bool)
        not_owed = ~undecided & ~owed & ~beyond_the_law(reason) & ~lump_unknown  # a fact not stated: not told
        if f"{name}_owed_unknown" in tax_benefit_system.variables and _provision_unknown(simulation, month):
            owed_unknown = np.asarray(simulation.calculate(f"{name}_owed_unknown", parse_period(month)), dtype=bool)
            not_owed &= ~owed_unknown
            known_lump &= ~owed_unknown  # neither owed nor 0, also where its amount's own values are in force
        lump_sums[name] = np.where(not_owed, 0.0, _calculated(simulation, name, month, known_lump & ~not_owed))
    if anyone_paid:
        counted = among(unit, COUNTED_UNITS)  # lifetime, until pensionable age, not modelled: no count
        # a duration that reads no fact missing is told though the amount cannot be (wages not stated)
        period_settled = paid & ~period_unknown
        duration = _calculated(simulation, f"{branch.benefit}_duration", month, period_settled & counted)
        waiting = _waiting_days(simulation, branch, month, period_settled & modelled)
        start, end, first_day_rule = _benefit_period(simulation, branch, month, duration, unit, waiting)
        start, end = np.where(paid, start, NOT_A_DATE), np.where(paid, end, NOT_A_DATE)
        first_day_rule = np.where(paid, first_day_rule, 0).astype(np.int8)
        claimable = np.asarray(simulation.calculate("event_date", parse_period(month)), dtype="datetime64[D]")
        decided = as_day(rules_day) if decided_on is None else decided_on
        earliest = np.where(paid & (claimable > decided), claimable, NOT_A_DATE)  # claimed later than the event
        amount = _calculated(simulation, branch.benefit, month, paid & ~amount_unknown & modelled)
        changes = age_changes(simulation, branch, month, rules_day, amount, end)
    else:  # nobody to pay: no amount, duration, waiting period or benefit period is told (not computed)
        amount = duration = constant(len(reason), np.nan)  # read-only: shared
        waiting = None if branch.waiting_days is None else amount
        start = end = earliest = constant(len(reason), NOT_A_DATE)
        changes = None
        first_day_rule = constant(len(reason), 0, np.int8)
    days = constant(len(reason), as_day(rules_day))
    outcome = _outcome(reason, undecided)
    provisional, amount_provisional = _provisional(simulation, branch, month, outcome, paid & np.isnan(amount))
    basis = legal_basis(tax_benefit_system, branch.code, rules_day)
    return BranchDecisions(
        branch=branch,
        outcome=outcome,
        reason=reason,
        amount=amount,
        duration=duration,
        duration_unit=unit,
        frequency=frequency,
        waiting_days=waiting,
        lump_sums=lump_sums,
        basis_key=_basis_keys(simulation, branch, month, basis),
        amount_modelled=modelled & ~unmodelled,
        provisional=provisional,
        missing_for_decision=missing_for_decision,
        missing_for_amount=missing_for_amount,
        decided_on=days if decided_on is None else decided_on,
        rules_day=days,
        event_date=constant(len(reason), NOT_A_DATE) if event_date is None else event_date,
        bases={rules_day: basis},
        start=start,
        end=end,
        index=in_payment_index(tax_benefit_system, branch.code),
        earliest_start=earliest,
        day_rate=days_a_month(tax_benefit_system, branch.code),
        age_changes=changes,
        first_day_rule=first_day_rule if branch.first_day is not None else None,
        amount_notes=amount_notes(simulation, branch, month, rules_day, paid & ~np.isnan(amount)),
        history_read_from=dict(read.first) if read is not None and read.first else None,
        amount_provisional=amount_provisional,
    )
