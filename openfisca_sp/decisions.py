"""Decisions per person and branch: eligible or not, why, how much, for how long, on what law.

A decision is built from the branch's variables (the rules), the facts the
caller stated, and the provenance of the parameters in force. It is
*undetermined* when a fact needed to reach it was not stated: the conditions
are checked in the law's order, so a person refused at the first condition
needs only that condition's facts, while an eligible person needs them all.
The facts each condition and amount reads are found by tracing the rules
themselves, so they cannot drift from the formulas.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
from openfisca_core.simulations import Simulation

from openfisca_sp.enums import IneligibilityReason as Reason
from openfisca_sp.facts import Columns, fact_label, facts_of
from openfisca_sp.populations import build_simulation, parse_period, set_inputs
from openfisca_sp.provenance import UNVERIFIED, provenance_of


@dataclass(frozen=True)
class Condition:
    """A condition of entitlement, in the law's order: what refuses it, what it reads, where it is set."""

    reasons: tuple[Reason, ...]
    reads: tuple[str, ...]  # variables whose input facts the condition needs
    parameters: tuple[str, ...] = ()  # parameter paths under the branch that set it


@dataclass(frozen=True)
class Branch:
    """A branch of social protection and the variables that decide it."""

    code: str
    label: str
    benefit: str
    conditions: tuple[Condition, ...]
    lump_sums: tuple[str, ...] = ()
    amount_modelled: str | None = None
    waiting_days: str | None = None
    coverage_group: str | None = None  # the SDG 1.3.1 group this benefit covers (see ``coverage.GROUPS``)

    @property
    def eligible(self) -> str:
        return f"{self.benefit}_eligible"

    @property
    def reason(self) -> str:
        return f"{self.benefit}_ineligibility_reason"

    @property
    def amount_variables(self) -> tuple[str, ...]:
        names = (self.benefit, f"{self.benefit}_duration", *self.lump_sums)
        return names + ((self.waiting_days,) if self.waiting_days else ())


_CONTRIBUTIONS = (Reason.insufficient_contributions, Reason.insufficient_recent_contributions)

BRANCHES: dict[str, Branch] = {
    branch.code: branch
    for branch in (
        Branch(
            code="old_age",
            label="Old-age pension",
            benefit="old_age_pension",
            conditions=(
                Condition((Reason.below_pensionable_age,), ("old_age_pensionable_age_reached",), ("pensionable_age",)),
                Condition(_CONTRIBUTIONS, ("old_age_qualifying_period_met",), ("qualifying_period",)),
            ),
            lump_sums=("old_age_lump_sum",),
            amount_modelled="old_age_pension_amount_modelled",
            coverage_group="older_persons",
        ),
        Branch(
            code="maternity",
            label="Maternity benefit",
            benefit="maternity_benefit",
            conditions=(
                Condition((Reason.not_female,), ("sex",), ("provided",)),
                Condition(
                    (Reason.no_confinement, Reason.outcome_not_covered), ("pregnancy_outcome",), ("qualifying_period",)
                ),
                Condition(_CONTRIBUTIONS, ("maternity_qualifying_period_met",), ("qualifying_period",)),
            ),
            lump_sums=("birth_grant",),
            coverage_group="mothers_of_newborns",
        ),
        Branch(
            code="unemployment",
            label="Unemployment benefit",
            benefit="unemployment_benefit",
            conditions=(
                Condition(
                    (Reason.not_separated, Reason.separation_reason_not_covered),
                    ("separation_reason",),
                    ("covered_separation_reasons",),
                ),
                Condition(
                    (Reason.not_registered_unemployed, Reason.unemployment_too_short),
                    ("days_registered_unemployed",),
                    ("minimum_days_unemployed",),
                ),
                Condition((Reason.not_available_for_work,), ("is_available_for_work",), ("provided",)),
                Condition(_CONTRIBUTIONS, ("unemployment_qualifying_period_met",), ("qualifying_period",)),
            ),
            waiting_days="unemployment_benefit_waiting_days",
            coverage_group="unemployed",
        ),
        Branch(
            code="disability",
            label="Disability (invalidity) benefit",
            benefit="disability_benefit",
            conditions=(
                Condition((Reason.not_disabled,), ("is_disabled",), ("provided",)),
                Condition(
                    (Reason.disability_degree_too_low,),
                    ("disability_severity_met",),
                    ("minimum_degree", "maximum_category"),
                ),
                Condition((Reason.above_age_limit,), ("old_age_pension_eligible",), ("ends_at_pensionable_age",)),
                Condition(_CONTRIBUTIONS, ("disability_qualifying_period_met",), ("qualifying_period",)),
            ),
            coverage_group="persons_with_severe_disabilities",
        ),
    )
}

# A decision's outcome, by index (BranchDecisions.outcome holds these indices).
OUTCOMES = ("eligible", "not_eligible", "undetermined", "not_modelled", "not_provided_by_law")


@lru_cache(maxsize=1024)
def traced_facts(tax_benefit_system: Any, variables: tuple[str, ...], month: str) -> tuple[tuple[str, str], ...]:
    """The stated facts (variable, period) that computing ``variables`` in ``month`` reads.

    Found by running the rules once, traced, on one person: formulas are
    vectorised, so every person's computation reads the same facts.
    """
    facts = facts_of(tax_benefit_system)
    simulation = build_simulation(tax_benefit_system, np.arange(1))
    simulation.trace = True
    for variable in variables:
        simulation.calculate(variable, month)
    found: set[tuple[str, str]] = set()
    stack = list(simulation.tracer.trees)
    while stack:
        node = stack.pop()
        fact = facts.get(node.name)
        if fact is not None:
            found.add((node.name, "ETERNITY" if fact.eternal else str(node.period)))
        stack.extend(node.children)
    return tuple(sorted(found))


@dataclass(frozen=True)
class LegalBasis:
    """The parameter values in force behind a branch's decisions at a month."""

    values: dict[str, dict[str, Any]]  # parameter name -> value, start, status, reference
    by_reason: dict[int, tuple[str, ...]]  # reason index -> parameter names
    unverified: tuple[str, ...]


def _citation(record: Any) -> dict[str, Any]:
    return {
        "value": record.value,
        "in_force_from": record.start,
        "status": record.status,
        "reference": [dict(reference) for reference in record.reference],
        **({"note": record.note} if record.note else {}),
    }


@lru_cache(maxsize=1024)
def legal_basis(tax_benefit_system: Any, branch_code: str, month: str) -> LegalBasis:
    """Parameter values in force for a branch at ``month``, and which of them each reason rests on."""
    branch = BRANCHES[branch_code]
    index = provenance_of(tax_benefit_system)
    instant = str(parse_period(month).start)
    in_force = index.in_force(branch_code, instant)
    for prefix in ("insured_wage", "reference_amounts"):
        in_force += index.in_force(prefix, instant)
    values = {record.parameter: _citation(record) for record in in_force}

    def under(*paths: str) -> tuple[str, ...]:
        prefixes = tuple(f"{branch_code}.{path}" for path in paths)
        return tuple(name for name in values if name.startswith(prefixes))

    by_reason = {Reason.not_provided_by_law.index: under("provided"), Reason.not_modelled.index: ()}
    for condition in branch.conditions:
        for reason in condition.reasons:
            by_reason[reason.index] = under(*condition.parameters) or under("provided")
    by_reason[Reason.eligible.index] = tuple(values)
    unverified = tuple(name for name, value in values.items() if value["status"] == UNVERIFIED)
    return LegalBasis(values, by_reason, unverified)


@dataclass
class BranchDecisions:
    """A branch's decisions for every person, as arrays (one row per person)."""

    branch: Branch
    outcome: np.ndarray  # index into OUTCOMES
    reason: np.ndarray  # IneligibilityReason index
    amount: np.ndarray  # float64; NaN where not determined
    duration: np.ndarray
    duration_unit: np.ndarray  # names
    frequency: np.ndarray  # names
    waiting_days: np.ndarray | None
    lump_sums: dict[str, np.ndarray]
    amount_modelled: np.ndarray
    provisional: np.ndarray
    missing_for_decision: list[tuple[str, np.ndarray]]  # fact label, who lacks it (among those it decides)
    missing_for_amount: list[tuple[str, np.ndarray]]
    basis: LegalBasis


@dataclass
class Evaluation:
    """Every requested branch decided for every person of a batch, in one simulation."""

    month: str
    count: int
    branches: dict[str, BranchDecisions] = field(default_factory=dict)


def _condition_facts(tax_benefit_system: Any, branch: Branch, month: str) -> list[tuple[tuple[str, str], ...]]:
    return [traced_facts(tax_benefit_system, condition.reads, month) for condition in branch.conditions]


def _missing(columns: Columns, keys: Sequence[tuple[str, str]], month: str, optional: frozenset) -> list:
    found = []
    for key in keys:
        if key[0] in optional:
            continue
        lacking = ~columns.is_stated(key)
        if lacking.any():
            found.append((fact_label(key[0], key[1], month), lacking))
    return found


def decide_branch(simulation: Simulation, columns: Columns, branch: Branch, month: str) -> BranchDecisions:
    """The decisions of one branch for every person of a simulation."""
    tax_benefit_system = simulation.tax_benefit_system
    optional = frozenset(name for name, fact in facts_of(tax_benefit_system).items() if fact.optional)
    reason = np.asarray(simulation.calculate(branch.reason, month))
    eligible = reason == Reason.eligible.index
    count = len(reason)

    # A refusal stands when the condition that refused rests on stated facts only (whatever the
    # earlier conditions, the person is refused); an eligibility needs every condition's facts.
    # Otherwise the decision is undetermined, and every missing fact of the conditions is listed.
    refused_at = np.full(count, -1)
    for position, condition in enumerate(branch.conditions):
        refused_at = np.where(np.isin(reason, [r.index for r in condition.reasons]), position, refused_at)
    beyond_law = np.isin(reason, [Reason.not_modelled.index, Reason.not_provided_by_law.index])
    condition_facts = _condition_facts(tax_benefit_system, branch, month)
    lacking_by_condition = [_missing(columns, keys, month, optional) for keys in condition_facts]
    lacking_any = np.zeros(count, dtype=bool)
    refusal_uncertain = np.zeros(count, dtype=bool)
    for position, lacking in enumerate(lacking_by_condition):
        for _, mask in lacking:
            lacking_any |= mask
            refusal_uncertain |= mask & (refused_at == position)
    undecided = ~beyond_law & np.where(eligible, lacking_any, refusal_uncertain)
    missing_for_decision = []
    seen: set[str] = set()
    for lacking in lacking_by_condition:
        for label, mask in lacking:
            if label not in seen and (mask & undecided).any():
                seen.add(label)
                missing_for_decision.append((label, mask & undecided))

    condition_keys = {key for keys in condition_facts for key in keys}
    amount_keys = [
        key for key in traced_facts(tax_benefit_system, branch.amount_variables, month) if key not in condition_keys
    ]
    amount_unknown = np.zeros(count, dtype=bool)
    missing_for_amount = []
    for label, lacking in _missing(columns, amount_keys, month, optional):
        lacking = lacking & eligible & ~undecided
        if lacking.any():
            missing_for_amount.append((label, lacking))
            amount_unknown |= lacking

    outcome = np.select(
        [reason == Reason.not_modelled.index, reason == Reason.not_provided_by_law.index, undecided, eligible],
        [OUTCOMES.index("not_modelled"), OUTCOMES.index("not_provided_by_law"), 2, 0],
        default=1,
    )
    modelled = (
        np.asarray(simulation.calculate(branch.amount_modelled, month), dtype=bool)
        if branch.amount_modelled
        else np.ones(count, dtype=bool)
    )
    settled = eligible & ~undecided & ~amount_unknown
    known = settled & modelled
    amount = np.where(known, simulation.calculate(branch.benefit, month).astype(np.float64), np.nan)
    duration = np.where(settled, simulation.calculate(f"{branch.benefit}_duration", month).astype(np.float64), np.nan)
    lump_sums = {}
    for name in branch.lump_sums:
        known_lump = ~undecided & ~amount_unknown
        if f"{name}_modelled" in tax_benefit_system.variables:  # no formula in force: not modelled, never 0
            known_lump &= np.asarray(simulation.calculate(f"{name}_modelled", month), dtype=bool)
        lump_sums[name] = np.where(known_lump, simulation.calculate(name, month).astype(np.float64), np.nan)
    waiting = None
    if branch.waiting_days:
        waiting = np.where(known, simulation.calculate(branch.waiting_days, month).astype(np.float64), np.nan)
    return BranchDecisions(
        branch=branch,
        outcome=outcome,
        reason=reason,
        amount=amount,
        duration=duration,
        duration_unit=simulation.calculate(f"{branch.benefit}_duration_unit", month).decode_to_str(),
        frequency=simulation.calculate(f"{branch.benefit}_frequency", month).decode_to_str(),
        waiting_days=waiting,
        lump_sums=lump_sums,
        amount_modelled=modelled,
        provisional=np.asarray(simulation.calculate(f"{branch.benefit}_provisional", month), dtype=bool),
        missing_for_decision=missing_for_decision,
        missing_for_amount=missing_for_amount,
        basis=legal_basis(tax_benefit_system, branch.code, month),
    )


def evaluate(
    tax_benefit_system: Any,
    columns: Columns,
    month: str,
    branch_codes: Sequence[str] = tuple(BRANCHES),
    household_of: np.ndarray | None = None,
    household_ids: np.ndarray | None = None,
    is_head: np.ndarray | None = None,
) -> Evaluation:
    """Decide ``branch_codes`` for every person of ``columns`` in ``month``, as one vectorised simulation."""
    month = str(parse_period(month))
    simulation = build_simulation(tax_benefit_system, np.arange(columns.count), household_of, household_ids, is_head)
    set_inputs(simulation, columns.inputs)
    evaluation = Evaluation(month=month, count=columns.count)
    for code in branch_codes:
        evaluation.branches[code] = decide_branch(simulation, columns, BRANCHES[code], month)
    return evaluation


def _money(value: float, decimals: int) -> float | None:
    return None if value != value else round(value, decimals)  # NaN: not determined


def _dci_value(currency: str, amount: float, decimals: int) -> str:
    return f"{currency} {amount:.{decimals}f}"


def branch_records(decisions: BranchDecisions, currency: str, decimals: int) -> list[dict[str, Any]]:
    """One JSON-ready answer per person for a branch (the API's and the reports' shape)."""
    count = len(decisions.outcome)
    missing: list[list[str]] = [[] for _ in range(count)]
    for label, lacking in decisions.missing_for_decision + decisions.missing_for_amount:
        for row in np.flatnonzero(lacking).tolist():
            missing[row].append(label)
    reason_names = [item.name for item in Reason]
    basis = decisions.basis.by_reason
    lumps = {name: values.tolist() for name, values in decisions.lump_sums.items()}
    waiting = decisions.waiting_days.tolist() if decisions.waiting_days is not None else None
    frequency_label = {"monthly": "Monthly"}
    modelled = decisions.amount_modelled.tolist()
    records = []
    for row, (outcome, reason, amount, duration, unit, frequency, provisional) in enumerate(
        zip(
            decisions.outcome.tolist(),
            decisions.reason.tolist(),
            decisions.amount.tolist(),
            decisions.duration.tolist(),
            decisions.duration_unit.tolist(),
            decisions.frequency.tolist(),
            decisions.provisional.tolist(),
            strict=True,
        )
    ):
        decided = outcome in (0, 1, 4)
        eligible = outcome == 0
        money = _money(amount, decimals)
        record = {
            "decision": OUTCOMES[outcome],
            "eligible": eligible if decided else None,
            "reason": None if eligible or outcome == 2 else reason_names[reason],
            "amount": money,
            "amount_modelled": modelled[row],
            "frequency": frequency if eligible else None,
            "duration": None if duration != duration else {"value": duration, "unit": unit},
            "lump_sums": {name: _money(values[row], decimals) for name, values in lumps.items()},
            "provisional": provisional,
            "missing_facts": missing[row],
            "legal_basis": basis.get(reason, ()) if outcome != 2 else (),
            "dci_benefit": None,
        }
        if waiting is not None:
            record["waiting_days"] = None if waiting[row] != waiting[row] else int(waiting[row])
        if eligible and money is not None:
            record["dci_benefit"] = {
                "benefit_type": "Cash",
                "benefit_value": _dci_value(currency, money, decimals),
                "benefit_frequency": frequency_label.get(frequency, frequency.capitalize()),
            }
        records.append(record)
    return records
