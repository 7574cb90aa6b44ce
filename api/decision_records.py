"""Decisions as the answer of ``/eligibility``: one JSON-ready record per person and branch, with its DCI benefit."""

from __future__ import annotations

from typing import Any

import numpy as np

from openfisca_sp.decisions import BranchDecisions, Outcome
from openfisca_sp.decisions.branch_decisions import COUNTED_UNITS
from openfisca_sp.decisions.schedules import Payments
from openfisca_sp.rules.enums import IneligibilityReason as Reason
from openfisca_sp.rules.formulas import among

REASON_NAMES = tuple(item.name for item in Reason)
OUTCOME_NAMES = tuple(outcome.name for outcome in Outcome)  # by value
DECIDED = tuple(outcome.decided for outcome in Outcome)
ELIGIBLE, UNDETERMINED = int(Outcome.eligible), int(Outcome.undetermined)
DCI_FREQUENCIES = {"monthly": "Monthly"}  # DCI Integrated Beneficiary Registry ``benefit_frequency``
FEW_PERSONS = 32  # up to this many, each person's missing facts are read in Python


def dci_benefit(currency: str, amount: float, decimals: int, frequency: str) -> dict[str, str]:
    """A cash benefit in the DCI Integrated Beneficiary Registry shape."""
    return {
        "benefit_type": "Cash",
        "benefit_value": f"{currency} {amount:.{decimals}f}",
        "benefit_frequency": DCI_FREQUENCIES.get(frequency, frequency.capitalize()),
    }


def _money(values: np.ndarray, decimals: int) -> list[float | None]:
    """Amounts rounded to the currency unit; None where not determined (NaN)."""
    return [None if value != value else value for value in np.round(values, decimals).tolist()]


def _durations(eligible: np.ndarray, values: np.ndarray, units: np.ndarray) -> list[dict[str, Any] | None]:
    """A duration with its unit; no count (null) for lifetime, until pensionable age or not modelled.

    Null as a whole when not eligible, or when a count the law sets is not determined (a fact is missing).
    """
    found: list[dict[str, Any] | None] = []
    for eligible_, value, unit in zip(eligible.tolist(), values.tolist(), units.tolist(), strict=True):
        if not eligible_ or (unit in COUNTED_UNITS and value != value):
            found.append(None)
        else:
            found.append({"value": value if unit in COUNTED_UNITS else None, "unit": unit})
    return found


def _missing_by_person(decisions: BranchDecisions) -> list[list[str]]:
    """Each person's missing facts; persons with the same missing facts share one list (built once)."""
    facts = decisions.missing_for_decision + decisions.missing_for_amount
    count = len(decisions.outcome)
    if not facts:
        return [[] for _ in range(count)]
    if count <= FEW_PERSONS:  # read in Python, without numpy's fixed costs
        lacking = [fact.lacking.tolist() for fact in facts]
        shared: dict[tuple[bool, ...], list[str]] = {}
        return [
            shared.setdefault(pattern, [fact.label for fact, lacks in zip(facts, pattern, strict=True) if lacks])
            for pattern in zip(*lacking, strict=True)
        ]
    if len(facts) <= 62:  # each person's facts as the bits of an int64: one sort of numbers
        codes = np.zeros(count, dtype=np.int64)
        for position, fact in enumerate(facts):
            codes = codes + np.where(fact.lacking, 1 << position, 0)
        patterns, inverse = np.unique(codes, return_inverse=True)
        labels = [[fact.label for position, fact in enumerate(facts) if int(code) >> position & 1] for code in patterns]
        return [labels[index] for index in inverse.tolist()]
    # more facts than an int64 holds (36 claims of Decree 207/PM lacked 118 wage months: it overflowed, a 500):
    # each person's row of bits packed into bytes, sorted as one value (np.unique by rows is 40 times slower)
    packed = np.packbits(np.column_stack([np.asarray(fact.lacking, dtype=bool) for fact in facts]), axis=1)
    rows = np.ascontiguousarray(packed).view(np.dtype((np.void, packed.shape[1]))).ravel()
    patterns, inverse = np.unique(rows, return_inverse=True)
    bits = np.unpackbits(np.frombuffer(patterns.tobytes(), dtype=np.uint8).reshape(len(patterns), -1), axis=1)
    labels = [[fact.label for fact, lacks in zip(facts, row, strict=False) if lacks] for row in bits.tolist()]
    return [labels[index] for index in inverse.reshape(-1).tolist()]


def _legal_bases(decisions: BranchDecisions, rules_days: list[str], undetermined: np.ndarray) -> list[Any]:
    """Each decision's parameters (``branches.<branch>.rules_in_force.<rules_in_force_since>``): its reason's, and
    a lump sum's owed on it, and the values the branch cites only for some persons where they are the person's
    (:func:`~openfisca_sp.rules.legal_basis.basis_keys`)."""
    found: dict[tuple[str, int], tuple[str, ...]] = {}
    result: list[Any] = []
    keys = decisions.basis_key.tolist()
    for day, basis_key, unknown in zip(rules_days, keys, undetermined.tolist(), strict=True):
        if unknown:
            result.append(())
            continue
        key = (day, basis_key)
        if key not in found:
            found[key] = decisions.bases[day].by_key.get(basis_key, ())
        result.append(found[key])
    return result


def _events(decisions: BranchDecisions) -> list[dict[str, str] | None]:
    """Each claim's event; none for a branch whose claim has no event of its own (the social pension: decided on
    the date asked)."""
    if decisions.branch.event is None:
        return [None] * len(decisions.event_date)
    kind = decisions.branch.event.kind
    days = np.datetime_as_string(decisions.event_date).tolist()
    return [None if day == "NaT" else {"kind": kind, "date": day} for day in days]


def _payments(payments: Payments | None) -> dict[str, Any] | None:
    if payments is None:
        return None
    return {
        "start": payments.start,
        "end": payments.end,
        "status": payments.status,
        "months": None
        if payments.months is None
        else [
            {"month": month.month, "periodical": month.periodical, "lump_sums": month.lump_sums}
            for month in payments.months
        ],
        "periodical_total": payments.periodical_total,
        "lump_sums": [{"name": lump.name, "amount": lump.amount, "due": lump.due} for lump in payments.lump_sums],
        "total": payments.total,
        "provisional": payments.provisional,
        "method": payments.method,
    }


def branch_records(decisions: BranchDecisions, currency: str, decimals: int, as_of: Any) -> list[dict[str, Any]]:
    """One JSON-ready answer per person for a branch (built column by column: a batch is 10,000 persons)."""
    outcome = decisions.outcome
    eligible = outcome == ELIGIBLE
    undetermined = outcome == UNDETERMINED
    decided = among(outcome, [value for value, flag in enumerate(DECIDED) if flag])
    reasons = np.array(REASON_NAMES, dtype=object)[decisions.reason]
    reasons[eligible | undetermined] = None
    rules_days = np.datetime_as_string(decisions.rules_day).tolist()
    amounts = _money(decisions.amount, decimals)
    frequencies = decisions.frequency.tolist()
    lumps = {name: _money(values, decimals) for name, values in decisions.lump_sums.items()}
    columns = {
        "decision": np.array(OUTCOME_NAMES, dtype=object)[outcome].tolist(),
        "eligible": np.where(decided, eligible, None).tolist(),
        "reason": reasons.tolist(),
        "amount": amounts,
        "amount_modelled": decisions.amount_modelled.tolist(),
        "frequency": np.where(eligible, decisions.frequency, None).tolist(),
        "duration": _durations(eligible, decisions.duration, decisions.duration_unit),
        "lump_sums": [dict(zip(lumps, values, strict=True)) for values in zip(*lumps.values(), strict=True)]
        if lumps
        else [{} for _ in range(len(outcome))],
        "provisional": decisions.provisional.tolist(),
        "missing_facts": _missing_by_person(decisions),
        "legal_basis": _legal_bases(decisions, rules_days, undetermined),
        "event": _events(decisions),
        "rules_date": np.datetime_as_string(decisions.decided_on).tolist(),
        "rules_in_force_since": rules_days,
        "payments": [_payments(payments) for payments in decisions.payments(as_of, decimals)],
        "dci_benefit": [
            dci_benefit(currency, amount, decimals, frequency) if eligible_ and amount is not None else None
            for eligible_, amount, frequency in zip(eligible.tolist(), amounts, frequencies, strict=True)
        ],
    }
    waiting = None
    if decisions.waiting_days is not None:
        waiting = [None if days != days else int(days) for days in decisions.waiting_days.tolist()]
    return [
        {
            "decision": decision,
            "eligible": eligible_,
            "reason": reason,
            "amount": amount,
            "amount_modelled": amount_modelled,
            "frequency": frequency,
            "duration": duration,
            "lump_sums": lump_sums,
            "provisional": provisional,
            "missing_facts": missing,
            "legal_basis": basis,
            "event": event,
            "rules_date": rules_date,
            "rules_in_force_since": since,
            "payments": payments,
            "dci_benefit": dci,
            **({"waiting_days": waiting[row]} if waiting is not None else {}),
        }
        for row, (
            decision,
            eligible_,
            reason,
            amount,
            amount_modelled,
            frequency,
            duration,
            lump_sums,
            provisional,
            missing,
            basis,
            event,
            rules_date,
            since,
            payments,
            dci,
        ) in enumerate(zip(*columns.values(), strict=True))
    ]
