"""The JSON Schema of an eligibility request as wide as what the server reads, and no wider where JSON Schema can
say so: only the published document (``/openapi.json``) changes, never what is validated.

pydantic describes the types it validates into; a delivery system generating a client from the document, or
checking its requests against it, must also find the forms the server reads before them:

- values in DCI forms (:mod:`openfisca_sp.decisions.dci_values`): dates with a time and an offset, ``sex`` as a
  DCI code (``M``, ``F``, ``unknown`` …), flags as ``"0"``/``"1"`` (:func:`dci_input_type`);
- the DCI fields a person record may carry and the rules ignore, and its fields written with the Social
  Registry's prefix (``spdci:sex``) (:func:`person_record_schema`);
- the DCI records other than flat persons (:data:`DCI_RECORDS`: Members, Groups, IBR Beneficiaries …) as
  alternatives of an item of ``persons``;
- the calendar of dates (1900-01-01 to 2199-12-31, a pattern where pydantic writes ``ge``/``le``, which are no
  JSON Schema), the months of a history (no other key), identifiers' lengths and counts.
"""

from __future__ import annotations

import copy
import datetime
import json
import re
from typing import Annotated, Any, Literal

from openfisca_core.indexed_enums import Enum
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StringConstraints, create_model

from openfisca_sp.decisions import Fact
from openfisca_sp.decisions.contribution_records import SCHEMA as CONTRIBUTION_RECORD
from openfisca_sp.decisions.crvs_events import EVENTS
from openfisca_sp.decisions.dci_identifiers import IDENTIFIER_LIMITS, MAX_IDENTIFIERS
from openfisca_sp.decisions.dci_records import DISABILITY_FIELDS, DISABILITY_MAPPINGS, PERSON_TYPES, PREFIX, SHAPES
from openfisca_sp.decisions.dci_values import CODES, FLAGS

YEAR, MONTH, DAY = r"(19[0-9]{2}|2[01][0-9]{2})", r"(0[1-9]|1[0-2])", r"(0[1-9]|[12][0-9]|3[01])"
DATE_PATTERN = rf"^{YEAR}-{MONTH}-{DAY}$"  # 1900-01-01 to 2199-12-31, as FIRST_DATE and LAST_DATE; format: date
# dci_values.DATE_TIME with its bounds: hours to 23, minutes and seconds to 59, offsets to ±23:59
DATE_TIME_PATTERN = (
    rf"^{YEAR}-{MONTH}-{DAY}T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{{1,9}})?)?"
    r"(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])?$"
)
CalendarDate = Annotated[
    str, StringConstraints(pattern=DATE_PATTERN), Field(json_schema_extra={"format": "date"})
]  # fmt: skip
DateTime = Annotated[
    str,
    StringConstraints(pattern=DATE_TIME_PATTERN),
    Field(description="A DCI date and time (1985-05-20T00:00:00Z): the date as written, in its own offset"),
]
Flag = Literal[tuple(FLAGS)]  # type: ignore[valid-type]
TextIdentifier = Annotated[str, StringConstraints(min_length=1, max_length=IDENTIFIER_LIMITS["identifier_value"])]
IGNORED = "A DCI field of the person record: accepted and ignored (never logged)"
DATED = {  # the days of birth and death a DCI person record writes under names of its own (dci_records)
    "birthdate": "The dci_PersonRecord's day of birth: read as birth_date (both stated: the same day)",
    "deathdate": "The dci_PersonRecord's day of death: the person's death (deceased_on), as a CRVS death",
    "death_date": "The IBR person's day of death (an empty text: not known): the person's death (deceased_on)",
}
PREFIXED = f"A field written with the Social Registry's prefix ({PREFIX}sex): read as the field without it"


def dci_input_type(fact: Fact) -> Any:
    """What a fact with DCI forms takes as it comes (its own values, and the DCI forms it reads), for the
    JSON Schema (``json_schema_input_type``)."""
    kind = fact.value_type
    if kind is datetime.date:
        return CalendarDate | DateTime
    if kind is bool:
        return StrictBool | Flag
    if kind is Enum and fact.name in CODES:
        return Literal[(*fact.enum_names, *(code for code in CODES[fact.name] if code not in fact.enum_names))]
    raise ValueError(f"{fact.name} has no DCI form")


def identifier_input_type(identifier: type[BaseModel]) -> Any:
    """What ``identifier`` takes: a text, a DCI identifier or a list of them (none empty), or null."""
    many = Annotated[list[identifier], Field(min_length=1, max_length=MAX_IDENTIFIERS)]  # type: ignore[valid-type]
    return TextIdentifier | many | identifier | None


def typed(*kinds: str) -> dict[str, Any]:
    """``@type`` naming one of ``kinds``, with or without a prefix (``spdci:Group``)."""
    return {"type": "string", "pattern": rf"^(.*:)?({'|'.join(kinds)})$", "description": "The DCI record type"}


def _present(*names: str) -> list[dict[str, Any]]:
    """Alternatives: one of ``names`` is present, written with or without the prefix."""
    return [{"required": [spelt]} for name in names for spelt in (name, PREFIX + name)]


def without_calendar_bounds(schema: Any) -> None:
    """Drop the ``ge``/``le`` pydantic writes beside a date (no JSON Schema keywords: the pattern of
    :data:`CalendarDate` says the calendar); make a history's month patterns its only keys."""
    if isinstance(schema, dict):
        for bound in ("ge", "le"):
            if isinstance(schema.get(bound), str):
                del schema[bound]
        if "patternProperties" in schema:
            schema.setdefault("additionalProperties", False)
        for value in schema.values():
            without_calendar_bounds(value)
    elif isinstance(schema, list):
        for value in schema:
            without_calendar_bounds(value)


def person_record_schema(schema: dict[str, Any], ignored: frozenset[str]) -> None:
    """A person record's schema (pydantic's, changed in place): its ``ignored`` DCI fields declared (``@type``
    naming a person), its fields also written with the prefix, the calendar and months said."""
    without_calendar_bounds(schema)
    properties = schema.setdefault("properties", {})
    for name in sorted(ignored - set(properties) - set(SHAPES)):  # a shape's field makes it another record
        properties[name] = {"description": IGNORED}
    properties.update((name, {"type": ["string", "null"], "description": said}) for name, said in DATED.items())
    properties["@type"] = typed(*sorted(PERSON_TYPES)) | {"description": "A DCI person record (SRPerson, Person)"}
    by_schema: dict[str, list[str]] = {}  # fields whose values take the same schema, under one pattern
    for name, field in properties.items():
        if name.startswith("@"):  # JSON-LD's own keywords take no prefix
            continue
        bare = {key: value for key, value in field.items() if key not in ("title", "description", "default")}
        by_schema.setdefault(json.dumps(bare, sort_keys=True), []).append(name)
    schema["patternProperties"] = {
        f"^{PREFIX}({'|'.join(map(re.escape, names))})$": json.loads(bare) | {"description": PREFIXED}
        for bare, names in by_schema.items()
    }
    schema["additionalProperties"] = False


IDENTIFIERS = {
    "anyOf": [
        {"type": "string", "minLength": 1, "maxLength": IDENTIFIER_LIMITS["identifier_value"]},
        {"type": "array", "minItems": 1, "maxItems": MAX_IDENTIFIERS, "items": {"type": "object"}},
    ],
    "description": "DCI identifiers, or one as text: echoed",
}
BESIDE = "Facts of the person record (is_disabled, contribution_months …) may be stated beside it."
MEMBER: dict[str, Any] = {
    "title": "DCI Member",
    "description": "A Social Registry Member: the person of demographic_info (an SRPerson: identifier, sex and "
    f"birth_date read, in DCI forms too). {BESIDE} member_identifier echoed.",
    "type": "object",
    "anyOf": _present("demographic_info"),
    "properties": {
        "@type": typed("Member"),
        "demographic_info": {"type": "object", "description": "The person (an SRPerson)"},
        "member_identifier": IDENTIFIERS,
    },
}
MEMBER_IN_GROUP = {key: value for key, value in MEMBER.items() if key != "title"}
GROUP: dict[str, Any] = {
    "title": "DCI Group",
    "description": "A Social Registry Group: each member of member_list, and the head (group_head_info), a "
    "person of one household named by the first group_identifier (else @id). No fact at the group's level.",
    "type": "object",
    "anyOf": [
        {"required": ["member_list"], "properties": {"member_list": {"minItems": 1}}},
        {"required": [f"{PREFIX}member_list"], "properties": {f"{PREFIX}member_list": {"minItems": 1}}},
        *_present("group_head_info"),
    ],
    "properties": {
        "@type": typed("Group"),
        "member_list": {"type": "array", "items": MEMBER_IN_GROUP},
        "group_head_info": MEMBER_IN_GROUP,
        "group_identifier": IDENTIFIERS,
    },
}
BENEFICIARY: dict[str, Any] = {
    "title": "IBR Beneficiary",
    "description": "An IBR Beneficiary: its member, whose demographic_info.person gives identifier_type and "
    f"identifier_value, sex, birth_date. {BESIDE}",
    "type": "object",
    "anyOf": _present("member"),
    "properties": {"@type": typed("Beneficiary"), "member": {"type": "object"}},
}
UNMAPPED = [name for name in DISABILITY_FIELDS if not any(name in found for found in DISABILITY_MAPPINGS.values())]
DISABLED_PERSON: dict[str, Any] = {
    "title": "Disability Registry person",
    "description": "A Disability Registry person: personal_details (identifier, date_of_birth, gender). "
    f"{BESIDE} Its disability codes are refused: no source maps them to a jurisdiction's assessment.",
    "type": "object",
    "anyOf": _present("personal_details"),
    "properties": {"@type": typed("DisabledPerson"), "personal_details": {"type": "object"}}
    | dict.fromkeys(UNMAPPED, False),
}
EVENT_CODES = sorted(EVENTS)
VITAL_EVENT: dict[str, Any] = {
    "title": "CRVS vital event",
    "description": "A CRVS search answer's or notification's data: a live birth or a fetal death gives the mother "
    "(by the child's parent1_identifier or parent2_identifier) her confinement; a death is echoed.",
    "type": "object",
    "required": ["reg_event_type", "reg_records"],
    "properties": {
        "@type": typed("VitalEvent"),
        "reg_event_type": {"type": "string", "pattern": rf"^(.*:)?({'|'.join(EVENT_CODES)})$"},
        "reg_records": {
            "anyOf": [{"type": "object"}, {"type": "array", "minItems": 1, "items": {"type": "object"}}],
            "description": "The dci_PersonRecord, or a list of them",
        },
    },
}
CONTRIBUTIONS = copy.deepcopy({key: value for key, value in CONTRIBUTION_RECORD.items() if key != "$schema"})
CONTRIBUTIONS["properties"]["@type"] = typed("ContributionRecord")


def _model(name: str, schema: dict[str, Any]) -> type[BaseModel]:
    """A model that only documents (its JSON Schema is ``schema``): the route reads these records itself."""

    def described(found: dict[str, Any]) -> None:
        found.clear()
        found.update(copy.deepcopy(schema))

    return create_model(name, __config__=ConfigDict(extra="allow", json_schema_extra=described))


DCI_RECORDS = tuple(
    _model(name, schema)
    for name, schema in (
        ("DCIMember", MEMBER),
        ("DCIGroup", GROUP),
        ("IBRBeneficiary", BENEFICIARY),
        ("DCIDisabledPerson", DISABLED_PERSON),
        ("CRVSVitalEvent", VITAL_EVENT),
        ("ContributionRecord", CONTRIBUTIONS),
    )
)


def persons_input_type(record: type[BaseModel], max_persons: int) -> Any:
    """What ``persons`` takes: person records, or DCI records read as persons, 1 to ``max_persons`` of them."""
    item = record
    for shape in DCI_RECORDS:
        item = item | shape  # type: ignore[assignment]
    return Annotated[list[item], Field(min_length=1, max_length=max_persons)]  # type: ignore[valid-type]
