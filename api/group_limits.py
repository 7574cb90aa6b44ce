"""The refusal (413) of a request whose Groups' members take it over the most persons one request may hold: it
counts persons, not the records sent, and names the Groups that make the count."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

from openfisca_sp.decisions.dci_records import PersonRecords
from openfisca_sp.rules.wording import counted

GROUPS_NAMED = 5  # the largest Groups a refusal for too many persons names


def too_many_persons(records: list[Any], flat: PersonRecords, limit: int) -> ValidationError:
    """The refusal (413) of records whose Groups' members take the persons over ``limit``: how many persons the
    records give, the largest Groups (each one's position and persons), and how to split the request."""
    count = len(flat.records)
    groups = sorted(flat.persons_by_record().items(), key=lambda item: (-item[1], item[0]))
    named = ", ".join(f"persons[{record}] (a Group) holds {persons:,}" for record, persons in groups[:GROUPS_NAMED])
    if len(groups) > GROUPS_NAMED:
        named += f", and {len(groups) - GROUPS_NAMED:,} more Groups"
    sent = counted(len(records), "record", form=",")
    message = f"{counted(count, 'person', form=',')} once each Group's members are counted ({sent} sent)"
    message += f": {named}" if named else ""
    expected = f"at most {counted(limit, 'person')}, each member of a Group counted: split the request between Groups"
    if groups and groups[0][1] > limit:
        expected += f" (persons[{groups[0][0]}] alone is over the limit: send its members in several requests)"
    context = {"max_length": limit, "expected": expected}
    kind = PydanticCustomError("too_long", message, context)
    problem = InitErrorDetails(type=kind, loc=(), input=f"{sent} giving {counted(count, 'person', form=',')}")
    return ValidationError.from_exception_data("persons", [problem])
