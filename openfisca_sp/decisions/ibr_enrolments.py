"""Entitlements as enrolments in a DCI Integrated Beneficiary Registry (IBR, DCI v1.0.0 ``ibr_api``), web-free.

From an eligibility answer (the JSON of ``/eligibility``), each person found
``eligible`` for a branch becomes one IBR ``Beneficiary`` record, shaped as the
specification's example record (``SearchResponse … reg_records``, also the
items of ``EnrollmentUpdatesRequest.enrolled_updates.beneficiaries``)::

    {"@type": "Beneficiary",
     "member": {"member_identifier": …,
                "demographic_info": {"person": {"identifier_type": …, "identifier_value": …}},
                "programme_identifier": {
                    "programme": {"programme_identifier": "lao.maternity",
                                  "programme_name": "Lao PDR: Maternity benefit"},
                    "enrolment_date": as_of, "enrolment_status": "Active", "status_change_date": "",
                    "benefits": {"benefit_type": "Cash", "benefit_date": …, "benefit_value": "LAK 2400000",
                                 "benefit_frequency": "Monthly"}}}}

- ``programme_identifier`` is ``<jurisdiction>.<branch>``; the enrolment date is the date asked (``as_of``, the
  date of the decision); the status is ``Active`` while the benefit is payable or not yet payable, ``Inactive``
  (``status_change_date``: the last day paid) once it has ended;
- ``benefits`` is the periodic benefit (``benefit_date``: the first day paid, ``benefit_value`` and
  ``benefit_frequency`` as ``dci_benefit``), else the first lump sum (``benefit_frequency: One-off``, dated when
  due); a value not determined is written ``""``, as the IBR writes what it does not know;
- only the identifiers go: no name, sex or date of birth (the IBR needs none of them to record an enrolment).
  A person without an identifier is not enrolled.

Dates are ISO 8601 (``2024-05-28``), as the DCI specifications require.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

CONTEXT = {"@vocab": "https://schema.spdci.org/extensions/ibr/v1"}
NOTIFY = "notify"  # the action of an IBR enrolment update (``/registry/sync/enrollment/updates``)
ONE_OFF = "One-off"
ACTIVE, INACTIVE = "Active", "Inactive"


def _identifier(value: Any) -> tuple[str, str] | None:
    """A person's identifier as ``(identifier_type, identifier_value)``: a text has no type (``""``)."""
    if isinstance(value, str) and value:
        return "", value
    if isinstance(value, list) and value and isinstance(value[0], dict) and value[0].get("identifier_value"):
        return str(value[0].get("identifier_type") or ""), str(value[0]["identifier_value"])
    return None


def _money(currency: str, amount: Any) -> str:
    if not isinstance(amount, int | float) or amount != amount:
        return ""
    return f"{currency} {int(amount) if float(amount).is_integer() else amount}"


def benefit(decision: dict[str, Any], currency: str, as_of: str) -> dict[str, str]:
    """The IBR ``benefits`` of an eligible decision (see the module)."""
    payments = decision.get("payments") or {}
    dci = decision.get("dci_benefit") or {}
    frequency = decision.get("frequency")
    if frequency or dci:
        return {
            "benefit_type": dci.get("benefit_type", "Cash"),
            "benefit_date": payments.get("start") or (decision.get("event") or {}).get("date") or as_of,
            "benefit_value": dci.get("benefit_value") or _money(currency, decision.get("amount")),
            "benefit_frequency": dci.get("benefit_frequency") or str(frequency).capitalize(),
        }
    lump = next(iter(payments.get("lump_sums") or []), None)
    amount = lump.get("amount") if lump else next(iter((decision.get("lump_sums") or {}).values()), None)
    return {
        "benefit_type": "Cash",
        "benefit_date": (lump or {}).get("due") or as_of,
        "benefit_value": _money(currency, amount),
        "benefit_frequency": ONE_OFF,
    }


def _status(decision: dict[str, Any]) -> tuple[str, str]:
    payments = decision.get("payments") or {}
    if payments.get("status") == "ended":
        return INACTIVE, payments.get("end") or ""
    return ACTIVE, ""


def entitlements(answer: dict[str, Any]) -> Iterator[tuple[dict[str, Any], str, dict[str, Any]]]:
    """Each ``(person, branch, decision)`` of an eligibility answer whose decision is ``eligible``."""
    for person in answer.get("persons") or []:
        for code, decision in (person.get("benefits") or {}).items():
            if isinstance(decision, dict) and decision.get("decision") == "eligible":
                yield person, code, decision


def beneficiaries(answer: dict[str, Any]) -> list[dict[str, Any]]:
    """The IBR ``Beneficiary`` enrolment of each entitlement of an eligibility answer (see the module)."""
    rules = answer.get("rules") or {}
    jurisdiction, label = str(rules.get("jurisdiction", "")), rules.get("jurisdiction_label")
    currency, as_of = str(rules.get("currency", "")), str(answer.get("as_of", ""))
    branches = answer.get("branches") or {}
    found = []
    for person, code, decision in entitlements(answer):
        identifier = _identifier(person.get("identifier"))
        if identifier is None:
            continue
        member_identifier = _identifier(person.get("member_identifier")) or identifier
        status, changed = _status(decision)
        name = (branches.get(code) or {}).get("label", code)
        found.append(
            {
                "@context": CONTEXT,
                "@type": "Beneficiary",
                "member": {
                    "member_identifier": member_identifier[1],
                    "demographic_info": {
                        "person": {"identifier_type": identifier[0], "identifier_value": identifier[1]}
                    },
                    "programme_identifier": {
                        "programme": {
                            "programme_identifier": f"{jurisdiction}.{code}",
                            "programme_name": f"{label}: {name}" if label else name,
                        },
                        "enrolment_date": as_of,
                        "enrolment_status": status,
                        "status_change_date": changed,
                        "benefits": benefit(decision, currency, as_of),
                    },
                },
            }
        )
    return found


def enrolment_request(transaction_id: str, records: list[dict[str, Any]]) -> dict[str, Any]:
    """An IBR ``EnrollmentUpdatesRequest`` (the message of ``/registry/sync/enrollment/updates``)."""
    return {"transaction_id": transaction_id, "enrolled_updates": {"beneficiaries": records}}


def notify_header(
    message_id: str, message_ts: str, count: int, sender_id: str, receiver_id: str | None = None
) -> dict[str, Any]:
    """The header of an IBR enrolment update: a ``MsgCallbackHeader_V1.0.0`` with ``action: notify``, as the
    specification's ``/registry/sync/enrollment/updates`` says."""
    header: dict[str, Any] = {
        "version": "1.0.0",
        "message_id": message_id,
        "message_ts": message_ts,
        "action": NOTIFY,
        "status": "succ",
        "total_count": count,
        "completed_count": count,
        "sender_id": sender_id,
    }
    if receiver_id:
        header["receiver_id"] = receiver_id
    header["is_msg_encrypted"] = False
    return header
