"""Request and response models of the eligibility endpoint, built from the rules' own inputs.

A person record takes the DCI Social Registry fields as they come
(``identifier``, ``birth_date``, ``sex``, ``is_disabled``,
``household_identifier``, ``relationship_head`` …; the other fields of a DCI
person record, ``DCI_PERSON_FIELDS``, are accepted and ignored) plus the
social-insurance facts, each named after the input variable it sets. Any other
field is refused with its name and the closest known one (a mistyped fact must
not be silently dropped). Monthly facts are stated as of the claim's event,
except histories (``insured_wage``), stated month by month. Values in DCI forms
(dates and times, ``F``/``M``, ``"0"``/``"1"``) and DCI records other than flat
persons (groups, members, IBR beneficiaries …) are read by
:mod:`openfisca_sp.decisions.dci_values` and :mod:`~openfisca_sp.decisions.dci_records`.
"""

from __future__ import annotations

import datetime
from functools import cache
from typing import Annotated, Any, Literal, get_args

from openfisca_core.indexed_enums import Enum
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    StrictBool,
    StrictInt,
    StringConstraints,
    ValidationError,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    create_model,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError
from pydantic_core.core_schema import ErrorType

from openfisca_sp.api.group_limits import too_many_persons
from openfisca_sp.api.person_columns import (
    MAX_AMOUNT,
    MAX_COUNT,
    MAX_FACT_TEXT,
    MAX_IDENTIFIER,
    MAX_TEXT,
    DeclinedError,
    PersonBatch,
    RecordReader,
)
from openfisca_sp.api.request_schema import (
    CalendarDate,
    dci_input_type,
    identifier_input_type,
    person_record_schema,
    persons_input_type,
    without_calendar_bounds,
)
from openfisca_sp.decisions import Fact, facts_of
from openfisca_sp.decisions.dci_identifiers import MAX_IDENTIFIERS
from openfisca_sp.decisions.dci_records import PersonRecords, RecordError, is_dci_shaped, person_records
from openfisca_sp.decisions.dci_values import CODES, DCIValueError, decode, needs_decoding
from openfisca_sp.decisions.facts import FIRST_DATE, LAST_DATE, MONTH_PATTERN
from openfisca_sp.decisions.record_checks import IDENTITY_FIELDS
from openfisca_sp.rules.branches import BRANCHES
from openfisca_sp.rules.parameter_checks import DATE

# a month: four ASCII digits (a pattern's \d takes any script's digits, which periods cannot parse), in the
# calendar the service reads (a year before 1000 is no period at all)
Month = Annotated[str, StringConstraints(pattern=MONTH_PATTERN)]

# The fields of a DCI person record (DCI v1.0.0: dci_PersonRecord of the registry APIs, and the SRPerson and
# Member examples of the social registry) that the rules do not read: accepted, ignored, never logged. A record
# stating ``birthdate`` or ``deathdate`` is first read as a DCI record (decisions.dci_records): its birth and death.
DCI_PERSON_FIELDS = frozenset(
    {
        "@type", "@id", "@context", "name", "address", "phone_number", "phone_number_verified", "email",
        "email_verified", "birthdate", "birthplace", "deathdate", "deathplace", "marital_status", "marriagedate",
        "divorcedate", "parent1_identifier", "parent2_identifier", "identifier_type", "registration_date",
        "member_identifier", "demographic_info", "related_persons", "additional_attributes", "locale",
        "employment_status", "occupation", "income_level", "language_code", "education_level",
        # of the IBR's Member and the Disability Registry's person (openfisca_sp.decisions.dci_records)
        "related_person", "disability_info", "last_update", "last_updated", "programme_identifier",
        "disability_support", "transport_requirement", "housing_type", "programs_enrollments",
    }
)  # fmt: skip
REQUEST_FIELDS = ("as_of", "branches", "persons")  # an eligibility request's own, beside its persons
ERROR_TYPES = frozenset(get_args(ErrorType))  # pydantic's own kinds of error
BranchCode = Literal[tuple(BRANCHES)]  # type: ignore[valid-type]


def _date_text(value: Any) -> Any:
    """A date written YYYY-MM-DD (pydantic would read "19600110" as seconds since 1970 and say it has a time)."""
    if not isinstance(value, str) or not DATE.fullmatch(value):
        raise PydanticCustomError("date_type", "Input should be a date as text, YYYY-MM-DD")
    return value


def _dci_value(fact: Fact) -> BeforeValidator:
    """A fact's value written in a DCI form (a date and time, a code, a flag "0"/"1") read as its value
    (:mod:`~openfisca_sp.decisions.dci_values`); refused with what was expected otherwise."""

    def read(value: Any) -> Any:
        if not needs_decoding(fact, value):
            return value
        try:
            return decode(fact, value)
        except DCIValueError as error:
            raise PydanticCustomError("dci_value", str(error), {"expected": error.expected}) from None

    return BeforeValidator(read, json_schema_input_type=dci_input_type(fact))  # the forms read, documented


IN_CALENDAR = Field(ge=FIRST_DATE, le=LAST_DATE)  # the dates the service reads (documented by CalendarDate)
DecisionDate = Annotated[datetime.date, BeforeValidator(_date_text, json_schema_input_type=CalendarDate), IN_CALENDAR]


class Identifier(BaseModel):
    """A DCI identifier (``identifier_type``: UIN, BRN …)."""

    identifier_type: str = Field(max_length=MAX_IDENTIFIER["identifier_type"])
    identifier_value: str = Field(max_length=MAX_IDENTIFIER["identifier_value"])


IDENTIFIER_EXPECTED = "text, or a list of {identifier_type, identifier_value}"


def _identifier(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """A person's identifier: a text as given, one DCI identifier (put in a list) or a list of them; anything
    else is one error at ``identifier`` saying what it may be (not one per form it might have taken). An empty
    text or list identifies nobody: refused (null, or no field, is a person without an identifier)."""
    if value == "" or value == []:
        raise PydanticCustomError(
            "identifier_empty", "An empty identifier identifies nobody", {"expected": f"null, or {IDENTIFIER_EXPECTED}"}
        )
    if value is None:
        return value
    if isinstance(value, str):
        if len(value) > MAX_IDENTIFIER["identifier_value"]:
            raise PydanticCustomError(
                "identifier_too_long",
                "An identifier as text is at most {limit} characters",
                {"limit": MAX_IDENTIFIER["identifier_value"], "expected": IDENTIFIER_EXPECTED},
            )
        return value
    if isinstance(value, dict):
        return handler([value])
    if isinstance(value, list):
        if len(value) > MAX_IDENTIFIERS:
            raise PydanticCustomError(
                "identifier_too_many",
                "A person carries at most {limit} identifiers",
                {"limit": MAX_IDENTIFIERS, "expected": IDENTIFIER_EXPECTED},
            )
        return handler(value)
    raise PydanticCustomError("identifier_type", "Input should be {expected}", {"expected": IDENTIFIER_EXPECTED})


PersonIdentifier = Annotated[
    list[Identifier] | None,
    WrapValidator(_identifier, json_schema_input_type=identifier_input_type(Identifier)),
]


def _choice(fact: Fact, highest: int) -> Any:
    """A coded fact's value from 0 to ``highest``, refused with what each value means otherwise."""

    def check(value: int) -> int:
        if not 0 <= value <= highest:
            context = {"value": value, "expected": fact.choices}
            raise PydanticCustomError("fact_choice", "{value} is not a value of this fact", context)
        return value

    return check


def _scalar(fact: Fact) -> Any:
    if fact.value_type is bool:
        return Annotated[StrictBool, _dci_value(fact)]
    if fact.value_type is int:
        highest = int(fact.maximum) if fact.maximum is not None else MAX_COUNT
        if fact.choices:  # a code (a region): what each value means is what was expected
            schema = Field(json_schema_extra={"minimum": 0, "maximum": highest})
            return Annotated[StrictInt, AfterValidator(_choice(fact, highest)), schema]
        return Annotated[StrictInt, Field(ge=0, le=highest)]
    if fact.value_type is float:
        maximum = fact.maximum if fact.maximum is not None else MAX_AMOUNT
        return Annotated[float, Strict(), Field(ge=0, le=maximum, allow_inf_nan=False)]  # a number, never text
    if fact.value_type is datetime.date:
        return Annotated[datetime.date, BeforeValidator(_date_text), _dci_value(fact), IN_CALENDAR]
    if fact.value_type is Enum:
        return Literal[fact.enum_names]  # type: ignore[valid-type]
    return Annotated[str, Field(max_length=MAX_FACT_TEXT)]


def is_history(tax_benefit_system: Any, fact: Fact) -> bool:
    """Whether a fact is stated month by month (a variable that spreads inputs over months)."""
    return bool(tax_benefit_system.variables[fact.name].set_input) and not fact.eternal


def _describe(fact: Fact, history: bool) -> str:
    text = fact.label
    if fact.documentation:
        text += f". {fact.documentation}"
    if history:
        text += ' Stated month by month: {"YYYY-MM": value}.'
    elif not fact.eternal:
        text += " As of the month evaluated."
    return text


@cache
def person_record_model(tax_benefit_system: Any) -> type[BaseModel]:
    """The person record accepted for a system: DCI fields plus every fact of its rules."""
    fields: dict[str, Any] = {
        "identifier": (
            PersonIdentifier,
            Field(None, description="DCI identifiers, one DCI identifier, or an identifier as text; echoed"),
        ),
        "household_identifier": (
            Annotated[str, Field(max_length=MAX_TEXT["household_identifier"])] | None,
            Field(None, description="DCI household identifier: persons sharing it form one household"),
        ),
        "relationship_head": (
            Annotated[str, Field(max_length=MAX_TEXT["relationship_head"])] | None,
            Field(None, description='DCI relationship to the household head; "self" or "head" marks the head'),
        ),
    }
    for fact in facts_of(tax_benefit_system).values():
        history = is_history(tax_benefit_system, fact)
        kind = dict[Month, _scalar(fact) | None] if history else _scalar(fact)  # a month null: not stated
        if fact.name in CODES and not history:  # a code may read as not stated (None)
            kind = Annotated[kind | None, _dci_value(fact)]
        fields[fact.name] = (kind | None, Field(None, description=_describe(fact, history)))
    code = getattr(getattr(tax_benefit_system, "jurisdiction", None), "code", "system")
    return create_model(
        f"PersonRecord_{code}",
        __config__=ConfigDict(
            extra="forbid",
            title=f"Person record ({code})",
            json_schema_extra=lambda schema: person_record_schema(schema, DCI_PERSON_FIELDS),
        ),
        __validators__={"dci_fields_ignored": model_validator(mode="before")(_without_dci_fields)},
        **fields,
    )


def _without_dci_fields(cls: Any, data: Any) -> Any:
    """A record without the DCI fields the rules do not read (they are accepted and ignored)."""
    if isinstance(data, dict) and not DCI_PERSON_FIELDS.isdisjoint(data):
        return {key: value for key, value in data.items() if key not in DCI_PERSON_FIELDS}
    return data


def known_fields(tax_benefit_systems: Any) -> list[str]:
    """Every field an eligibility request may name (to suggest the closest to a mistyped one)."""
    names = {*REQUEST_FIELDS, *IDENTITY_FIELDS}
    for system in tax_benefit_systems:
        names.update(facts_of(system))
    return sorted(names)


def _read_in_columns(reader: RecordReader, jurisdiction: str, documented: Any) -> WrapValidator:
    """Persons read column by column (:mod:`~openfisca_sp.api.person_columns`) when the checks there accept
    them, else validated by pydantic, record by record, which names any error. DCI records other than flat
    persons (groups, members, beneficiaries …) are first read as flat persons
    (:mod:`~openfisca_sp.decisions.dci_records`), and errors name their fields as the caller wrote them.
    ``documented``: what the JSON Schema says persons are
    (:func:`~openfisca_sp.api.request_schema.persons_input_type`)."""

    def validate(records: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        if type(records) is not list or not is_dci_shaped(records):
            return _read(records, handler)
        try:
            flat = person_records(records, jurisdiction)
        except RecordError as error:
            kind = PydanticCustomError("dci_record", str(error), {"expected": error.expected})
            problem = InitErrorDetails(type=kind, loc=error.location, input=_at(records, error.location))
            raise ValidationError.from_exception_data("persons", [problem]) from None
        if len(flat.records) > reader.max_persons:
            raise too_many_persons(records, flat, reader.max_persons)
        try:
            persons = _read(flat.records, handler)
        except ValidationError as error:
            raise ValidationError.from_exception_data(
                "persons", [_relocated(item, flat) for item in error.errors()]
            ) from None
        if not isinstance(persons, PersonBatch):
            persons = PersonBatch.from_models(persons, reader.facts)
        persons.echoes = flat.echoes
        return persons

    def _read(records: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        try:
            return reader.read(records)
        except DeclinedError:
            return handler(records)

    return WrapValidator(validate, json_schema_input_type=documented)


def _at(records: Any, location: tuple[Any, ...]) -> Any:
    """The value at ``location`` in ``records`` (None where there is none)."""
    value = records
    for part in location:
        try:
            value = value[part]
        except (KeyError, IndexError, TypeError):
            return None
    return value


def _relocated(item: Any, flat: PersonRecords) -> InitErrorDetails:
    """A validation error of a flat person record, at the field as the caller wrote it."""
    location = tuple(item["loc"])
    if location and isinstance(location[0], int):
        location = flat.location(location[0], location[1:])
    kind = item["type"]
    if kind not in ERROR_TYPES:  # a custom error: its message and context kept
        kind = PydanticCustomError(kind, item["msg"], item.get("ctx"))
    details = InitErrorDetails(type=kind, loc=location, input=item.get("input"))
    if item.get("ctx") and isinstance(kind, str):
        details["ctx"] = item["ctx"]
    return details


AS_OF = (
    DecisionDate,
    Field(
        description=(
            "The date asked (YYYY-MM-DD). Each claim is decided on the date of its event, with the rules "
            "in force that day; a claim without an event (a pension, a disability) is made on this date."
        )
    ),
)
BRANCHES_ASKED = (list[BranchCode] | None, Field(None, min_length=1, description="Branches to decide (default: all)"))


@cache
def person_reader(tax_benefit_system: Any, max_persons: int) -> RecordReader:
    """The column reader of a system's person records (:mod:`~openfisca_sp.api.person_columns`)."""
    facts = facts_of(tax_benefit_system)
    histories = frozenset(name for name, fact in facts.items() if is_history(tax_benefit_system, fact))
    return RecordReader(facts, histories, DCI_PERSON_FIELDS, max_persons)


def _code(tax_benefit_system: Any) -> str:
    return getattr(getattr(tax_benefit_system, "jurisdiction", None), "code", "system")


@cache
def eligibility_request_model(tax_benefit_system: Any, max_persons: int) -> type[BaseModel]:
    """The eligibility request for a system, with its batch limit. Its ``persons`` are a
    :class:`~openfisca_sp.api.person_columns.PersonBatch` when read in columns, else a list of person records."""
    record = person_record_model(tax_benefit_system)
    reader = person_reader(tax_benefit_system, max_persons)
    code = _code(tax_benefit_system)
    return create_model(
        f"EligibilityRequest_{code}",
        __config__=ConfigDict(
            extra="forbid", title=f"Eligibility request ({code})", json_schema_extra=without_calendar_bounds
        ),
        as_of=AS_OF,
        branches=BRANCHES_ASKED,
        persons=(
            Annotated[list[record], _read_in_columns(reader, code, persons_input_type(record, max_persons))],
            Field(min_length=1, max_length=max_persons, description="Person records"),
        ),
    )


@cache
def eligibility_head_model(tax_benefit_system: Any, most_persons: int) -> type[BaseModel]:
    """An eligibility request's date asked and branches, validated as :func:`eligibility_request_model`
    validates them, and its persons a list of ``1`` to ``most_persons`` values left unread (read together with
    those of concurrent requests, :mod:`~openfisca_sp.api.reading_together`)."""
    return create_model(
        f"EligibilityHead_{_code(tax_benefit_system)}",
        __config__=ConfigDict(extra="forbid"),
        as_of=AS_OF,
        branches=BRANCHES_ASKED,
        persons=(list, Field(min_length=1, max_length=most_persons)),
    )
