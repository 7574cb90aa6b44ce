"""Decisions as the answer of ``/eligibility``: one JSON-ready record per person and branch, with its DCI benefit."""

from __future__ import annotations

from typing import Any

import numpy as np

from openfisca_sp.decisions import BranchDecisions, Outcome
from openfisca_sp.decisions.branch_decisions import COUNTED_UNITS
from openfisca_sp.rules.enums import IneligibilityReason as Reason

REASON_NAMES = tuple(item.name for item in Reason)
DCI_FREQUENCIES = {"monthly": "Monthly"}  # DCI Integrated Beneficiary Registry ``benefit_frequency``


def _money(value: float, decimals: int) -> float | None:
    return None if value != value else round(value, decimals)  # NaN: not determined


def dci_benefit(currency: str, amount: float, decimals: int, frequency: str) -> dict[str, str]:
    """A cash benefit in the DCI Integrated Beneficiary Registry shape."""
    return {
        "benefit_type": "Cash",
        "benefit_value": f"{currency} {amount:.{decimals}f}",
        "benefit_frequency": DCI_FREQUENCIES.get(frequency, frequency.capitalize()),
    }


def _duration(outcome: Outcome, value: float, unit: str) -> dict[str, Any] | None:
    """A duration with its unit; no count (null) for lifetime, until pensionable age or not modelled.

    Null as a whole when not eligible, or when a count the law sets is not determined (a fact is missing).
    """
    if outcome is not Outcome.eligible:
        return None
    if unit in COUNTED_UNITS:
        return None if value != value else {"value": value, "unit": unit}
    return {"value": None, "unit": unit}


def _missing_by_person(decisions: BranchDecisions) -> list[list[str]]:
    missing: list[list[str]] = [[] for _ in range(len(decisions.outcome))]
    for fact in decisions.missing_for_decision + decisions.missing_for_amount:
        for row in np.flatnonzero(fact.lacking).tolist():
            missing[row].append(fact.label)
    return missing


def branch_records(decisions: BranchDecisions, currency: str, decimals: int) -> list[dict[str, Any]]:
    """One JSON-ready answer per person for a branch."""
    missing = _missing_by_person(decisions)
    basis = decisions.basis.by_reason
    lumps = {name: values.tolist() for name, values in decisions.lump_sums.items()}
    waiting = decisions.waiting_days.tolist() if decisions.waiting_days is not None else None
    modelled = decisions.amount_modelled.tolist()
    records = []
    for row, (code, reason, amount, duration, unit, frequency, provisional) in enumerate(
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
        outcome = Outcome(code)
        eligible = outcome is Outcome.eligible
        money = _money(amount, decimals)
        record = {
            "decision": outcome.name,
            "eligible": eligible if outcome.decided else None,
            "reason": None if eligible or outcome is Outcome.undetermined else REASON_NAMES[reason],
            "amount": money,
            "amount_modelled": modelled[row],
            "frequency": frequency if eligible else None,
            "duration": _duration(outcome, duration, unit),
            "lump_sums": {name: _money(values[row], decimals) for name, values in lumps.items()},
            "provisional": provisional,
            "missing_facts": missing[row],
            "legal_basis": basis.get(reason, ()) if outcome is not Outcome.undetermined else (),
            "dci_benefit": None,
        }
        if eligible and money is not None:
            record["dci_benefit"] = dci_benefit(currency, money, decimals, frequency)
        if waiting is not None:
            record["waiting_days"] = None if waiting[row] != waiting[row] else int(waiting[row])
        records.append(record)
    return records
