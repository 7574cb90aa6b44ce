"""The records of a DCI eligibility message read one by one where they must be (``docs/dci.md``, "Partial answers").

DCI allows a message to be completed in part: each request of a batch carries its
own ``status`` and ``status_reason_code`` (a ``SearchResponse``'s items), and the
header counts them. A message whose ``eligibility_request.persons`` holds records
that cannot be read (a field of the wrong type, a required field missing, facts
that contradict each other) is decided without them: those records are rejected,
each with ``rjct.search_criteria.invalid`` and a message naming its field (from
the record: ``persons[1].sex``) and what was expected; so are the records decided
together with one of them (the same ``household_identifier`` or identifier: a
household is not decided without a member, a contribution record not made a
person of its own). What is wrong with the message as a whole (``as_of``,
``branches``, ``transaction_id``, too many persons, nested deeper than any DCI
record), or with every record, is refused as before (:class:`~fastapi.exceptions.RequestValidationError`,
:class:`~openfisca_sp.decisions.consistency.ContradictoryFactsError`).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel

from openfisca_sp.api.dci_intake import validated
from openfisca_sp.api.eligibility_answers import Claims, EligibilityAnswers
from openfisca_sp.api.errors import field_path, problem_of
from openfisca_sp.api.models import known_fields
from openfisca_sp.decisions.consistency import ContradictoryFactsError
from openfisca_sp.decisions.dci_records import RecordError, is_dci_shaped, person_records
from openfisca_sp.decisions.json_depth import MAX_DEPTH, nested_deeper

ITEM_INVALID = "rjct.search_criteria.invalid"  # SearchStatusReasonCode: the request (here a record) is not valid
PERSONS = ("body", "message", "eligibility_request", "persons")
MAX_ROUNDS = 4  # readings of a message without its rejected records, at most (then it is refused as a whole)
LINKS = frozenset({"identifier", "identifier_value", "household_identifier", "member_identifier", "group_identifier"})
MAX_MESSAGE = 999  # SearchResponse's status_reason_message: maxLength 999


@dataclass(frozen=True)
class ReadMessage:
    """A message read: the message validated without its rejected records, their claims, and each record's
    status (None: every record read)."""

    message: Any
    claims: Claims
    statuses: list[dict[str, Any]] | None = None


def _links(record: Any) -> set[str]:
    """The identifiers a record joins others by (its own, its household's, its parents', its group's), read
    without recursion and no deeper than a DCI record nests (a record nested deeper is refused at it)."""
    found: set[str] = set()
    stack: list[tuple[Any, str, int]] = [(record, "", 0)]
    while stack:
        value, key, depth = stack.pop()
        if isinstance(value, str):
            if key in LINKS and value:
                found.add(value)
        elif depth < MAX_DEPTH and isinstance(value, dict):
            stack.extend((inner, name, depth + 1) for name, inner in value.items())
        elif depth < MAX_DEPTH and isinstance(value, list):
            stack.extend((inner, key, depth + 1) for inner in value)
    return found


def _linked(records: list[Any], rejected: dict[int, str]) -> dict[int, str]:
    """The records decided together with a rejected one (sharing an identifier with it, step by step), each with
    why it is rejected."""
    names = {index: _links(record) for index, record in enumerate(records)}
    found: dict[int, str] = {}
    reached = {name: index for index in rejected for name in names[index]}
    changed = True
    while changed:
        changed = False
        for index, own in names.items():
            if index in rejected or index in found:
                continue
            if shared := next((name for name in own if name in reached), None):
                cause = reached[shared]
                found[index] = (
                    f"persons[{index}]: decided together with persons[{cause}] (an identifier or household_identifier "
                    f"in common), which is rejected; expected: persons[{cause}] corrected, or this record sent alone"
                )
                reached.update(dict.fromkeys(own - reached.keys(), index))
                changed = True
    return found


def _problem_text(index: int, problems: list[dict[str, Any]]) -> str:
    """A record's problems as one ``status_reason_message``: each field from the record, and what was expected."""
    parts = [f"persons[{index}]{problem['field']}: {problem['message']}; expected: {problem['expected']}"
             for problem in problems]  # fmt: skip
    text = " | ".join(parts)
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 3] + "..."


def _validation_rejections(
    error: RequestValidationError, kept: list[int], known_fields: Callable[[], Iterable[str]]
) -> dict[int, str] | None:
    """Each record the errors are in, with its message; None when an error is not in one record."""
    by_record: dict[int, list[dict[str, Any]]] = {}
    for item in error.errors():
        location = tuple(item.get("loc", ()))
        if location[: len(PERSONS)] != PERSONS or len(location) == len(PERSONS) or type(location[4]) is not int:
            return None
        inner = location[len(PERSONS) + 1 :]
        problem = problem_of(item, known_fields)
        problem["field"] = field_path(("x", *inner))[1:] if inner else ""  # from the record: ".sex", "[0]…"
        by_record.setdefault(kept[location[4]], []).append(problem)
    return {index: _problem_text(index, problems) for index, problems in by_record.items()}


def _contradiction_rejections(
    error: ContradictoryFactsError, records: list[Any], kept: list[int], jurisdiction: str
) -> dict[int, str] | None:
    """Each record a contradiction is in (a flat person's row is its record; a DCI record's rows are read
    again to find it), with its message; None when a row cannot be placed."""
    bases: list[Any] | None = None
    if is_dci_shaped(records):
        try:
            bases = person_records(records, jurisdiction).bases
        except RecordError:
            return None
    by_record: dict[int, list[dict[str, Any]]] = {}
    for item in error.contradictions:
        if bases is not None and (item.row >= len(bases) or not bases[item.row]):
            return None
        position = bases[item.row][0] if bases is not None else item.row
        if type(position) is not int or position >= len(kept):
            return None
        problem = {"field": f".{item.field}", "message": item.message, "expected": item.expected}
        by_record.setdefault(kept[position], []).append(problem)
    return {index: _problem_text(index, problems) for index, problems in by_record.items()}


def statuses(count: int, rejected: dict[int, str]) -> list[dict[str, Any]]:
    """Each record's status, in the order sent: ``succ``, or ``rjct`` with its reason code and message (the
    items of a DCI ``SearchResponse``, ``reference_id`` the record's place)."""
    moment = datetime.datetime.now(datetime.UTC).isoformat(timespec="milliseconds")
    found = []
    for index in range(count):
        item: dict[str, Any] = {"reference_id": f"persons[{index}]", "timestamp": moment, "status": "succ"}
        if index in rejected:
            item.update(status="rjct", status_reason_code=ITEM_INVALID, status_reason_message=rejected[index])
        found.append(item)
    return found


def item_reader(model: type[BaseModel], answers: EligibilityAnswers) -> Callable[[dict[str, Any]], ReadMessage]:
    """How a DCI eligibility message (validated by ``model``) is read, its records rejected one by one where
    the others can be decided (see the module)."""
    system = answers.tax_benefit_system
    jurisdiction = getattr(getattr(system, "jurisdiction", None), "code", "system")

    def fields() -> list[str]:
        return known_fields([system])

    def read(raw: dict[str, Any]) -> ReadMessage:
        request = raw.get("eligibility_request")
        persons = request.get("persons") if isinstance(request, dict) else None
        records: list[Any] = persons if isinstance(persons, list) else []
        rejected: dict[int, str] = {}
        first: Exception | None = None
        for _ in range(MAX_ROUNDS):
            kept = [index for index in range(len(records)) if index not in rejected]
            candidate = raw
            if rejected:
                candidate = dict(raw, eligibility_request=dict(request, persons=[records[i] for i in kept]))
            found: dict[int, str] | None
            try:
                message = validated(model, candidate, ("message",))
                claims = answers.claims(message.eligibility_request)
            except RequestValidationError as error:
                first = first or error
                found = _validation_rejections(error, kept, fields)
            except ContradictoryFactsError as error:
                first = first or error
                found = _contradiction_rejections(error, [records[i] for i in kept], kept, jurisdiction)
            else:
                if not rejected:
                    return ReadMessage(message, claims)
                return ReadMessage(message, claims, statuses(len(records), rejected))
            if not found or nested_deeper(raw):  # a bound of the message's shape: refused as a whole
                raise first
            rejected.update(found)
            rejected.update(_linked(records, rejected))
            if len(rejected) >= len(records):  # every record: the message is refused as a whole
                raise first
        raise first  # type: ignore[misc]

    return read


def partial_header(answered: dict[str, Any], statuses: list[dict[str, Any]] | None) -> dict[str, Any]:
    """An answer's header saying how many records were rejected, when some were (``statuses``): still ``succ``
    (the message was answered; DCI's ``completed_count`` counts the requests rejected for their content as
    completed), its ``status_reason_message`` pointing at ``message.eligibility_status``."""
    if statuses is not None:
        rejected = sum(item["status"] == "rjct" for item in statuses)
        answered["status_reason_message"] = (
            f"{rejected} of {len(statuses)} records rejected, the others decided: see each record's status in "
            "message.eligibility_status"
        )
    return answered
