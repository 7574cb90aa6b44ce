"""DCI registry records as they come, read as person records: Social Registry persons, members and groups, IBR
beneficiaries, Disability Registry persons.

:func:`person_records` turns a list of records into flat person records (the facts under the names of our input
variables, ``identifier``, ``household_identifier``, ``relationship_head``), with, for each, where each of its
fields came from (to name the field of an error as the caller wrote it) and what the answer echoes of the DCI
record (``record_type``, ``member_identifier``, ``group_identifier``). A record is read by its ``@type`` (a prefix
such as ``spdci:`` is dropped), or, without one, by its shape:

- ``SRPerson``, ``Person`` or none: a person record as it is; a ``dci_PersonRecord``'s ``birthdate`` is its
  ``birth_date``, its ``deathdate`` its death (:mod:`~openfisca_sp.decisions.recorded_deaths`), as is an IBR
  person's ``death_date``, and its text ``identifier`` one of its ``identifier_type``;
- ``Member`` (``demographic_info`` holds the person, an ``SRPerson``); facts and ``is_disabled`` beside it;
- ``Group``: each member of ``member_list`` (and ``group_head_info``, the head, when it is not in the list) is a
  person; they form one household, named by the group's first ``group_identifier`` (else its ``@id``);
- ``Beneficiary`` (IBR): its ``member``, whose ``demographic_info.person`` holds
  ``identifier_type``/``identifier_value``, ``sex`` and ``birth_date``;
- ``DisabledPerson`` (Disability Registry): ``personal_details`` (``identifier``,
  ``date_of_birth``, ``gender``). ``disability_status``, ``disability_level`` and
  ``disability_details`` (impairments) are refused as unmappable for every
  jurisdiction: no source found maps the DCI codes to a jurisdiction's
  assessment (degree of incapacity, category or group).

- ``VitalEvent`` (a CRVS search or notification's ``data``, ``reg_event_type``):
  :mod:`~openfisca_sp.decisions.crvs_events`; ``ContributionRecord`` (the insurer's):
  :mod:`~openfisca_sp.decisions.contribution_records`. Both add facts to the person
  their identifier names (:mod:`~openfisca_sp.decisions.attached_records`).

Any other ``@type`` is refused, never read as an empty person. A fact written twice (``sex`` and ``spdci:sex``,
a Member's ``sex`` beside its ``demographic_info``) must say the same, else the record is refused naming both.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from openfisca_sp.decisions.attached_records import Attached, attach, field_name, same_value
from openfisca_sp.decisions.contribution_records import contribution_record
from openfisca_sp.decisions.crvs_events import Births, person_identifier, vital_events
from openfisca_sp.decisions.dci_identifiers import echoed_identifiers
from openfisca_sp.decisions.facts import facts_of
from openfisca_sp.decisions.json_depth import MAX_DEPTH, nested_deeper
from openfisca_sp.decisions.recorded_deaths import DEATH_FIELDS, stated_death, with_death
from openfisca_sp.rules.system import tax_benefit_system

Location = tuple[Any, ...]
PREFIX = "spdci:"  # the namespace the Social Registry's @context declares for its terms
PERSON_TYPES = frozenset({"SRPerson", "Person"})
TYPES = ("SRPerson", "Person", "Member", "Group", "Beneficiary", "DisabledPerson", "VitalEvent", "ContributionRecord")
SHAPES = {  # a record without @type, by the fields only its type has
    "member_list": "Group", "group_head_info": "Group", "group_identifier": "Group",
    "demographic_info": "Member", "member": "Beneficiary", "personal_details": "DisabledPerson",
    "reg_event_type": "VitalEvent",
}  # fmt: skip
PERSON_FIELDS = ("identifier", "sex", "birth_date")  # what an SRPerson gives the rules
BIRTH = (("birth_date", "birthdate"),)  # the dci_PersonRecord's name of a fact (its deathdate: recorded_deaths)
PERSON_RECORD = frozenset({"birthdate", "identifier_type", *DEATH_FIELDS})  # a dci_PersonRecord's, read (not flat)
MEMBER_ECHOED = ("member_identifier",)
BENEFICIARY_FIELDS = frozenset({"@type", "@id", "@context", "member", "assistance_unit"})  # DCI's, not facts
DISABILITY_FIELDS = ("disability_status", "disability_level", "disability_details")
# DCI disability codes mapped to a jurisdiction's facts, with the mapping's source; none is known (docs/api.md)
DISABILITY_MAPPINGS: dict[str, dict[str, Any]] = {}


class RecordError(ValueError):
    """A record that cannot be read: where (within the list of records), why, and what was expected."""

    def __init__(self, location: Location, message: str, expected: str) -> None:
        super().__init__(message)
        self.location, self.expected = location, expected


@dataclass
class PersonRecords:
    """Flat person records, where each field came from, and what each answer echoes (None: nothing more)."""

    records: list[Any] = field(default_factory=list)
    origins: list[dict[str, Location]] = field(default_factory=list)  # field -> its location as written
    bases: list[Location] = field(default_factory=list)  # where a record's other fields are
    echoes: list[dict[str, Any] | None] = field(default_factory=list)

    def add(self, record: Any, base: Location, origins: dict[str, Location], echo: dict[str, Any] | None) -> None:
        self.records.append(record)
        self.bases.append(base)
        self.origins.append(origins)
        self.echoes.append(echo)

    def persons_by_record(self) -> dict[int, int]:
        """How many persons each record of the request gave, where it gave more than one (a Group's members and
        head), by the record's position."""
        given: dict[int, int] = {}
        for base in self.bases:
            given[base[0]] = given.get(base[0], 0) + 1
        return {record: count for record, count in given.items() if count > 1}

    def location(self, row: int, path: Location) -> Location:
        """Where the caller wrote the field at ``path`` of flat record ``row``."""
        if not path or not isinstance(path[0], str):
            return (*self.bases[row], *path)
        found = self.origins[row].get(path[0])
        return (*found, *path[1:]) if found is not None else (*self.bases[row], *path)


def is_dci_shaped(records: Sequence[Any]) -> bool:
    """Whether any record is typed or shaped as a DCI record other than a flat person, names a field of the
    ``dci_PersonRecord`` (``birthdate``, ``deathdate``, ``identifier_type``), or a field with the Social Registry's
    prefix (``spdci:sex``)."""
    named = set().union(*(record for record in records if type(record) is dict))  # each field once
    if "@type" in named or not named.isdisjoint(SHAPES) or not named.isdisjoint(PERSON_RECORD):
        return True
    return any(type(key) is str and key.startswith(PREFIX) for key in named)


def record_type(record: dict[str, Any]) -> str | None:
    """The DCI type of a record: its ``@type`` without prefix, else what its shape says; None for a flat person."""
    written = record.get("@type")
    if written is None:
        return next((SHAPES[key] for key in record if key in SHAPES), None)
    return written.rsplit(":", 1)[-1] if isinstance(written, str) else written


def _unprefixed(record: dict[str, Any], location: Location) -> dict[str, Any]:
    """The record with its fields' prefixes dropped; a field written both ways (``sex`` and ``spdci:sex``) must
    say the same, else it is refused naming both."""
    if not any(type(key) is str and key.startswith(PREFIX) for key in record):
        return record
    found: dict[Any, Any] = {}
    written: dict[Any, Any] = {}  # each field as the record spells it
    for key, value in record.items():
        name = key.removeprefix(PREFIX) if type(key) is str else key
        if name in found:
            _same(name, found[name], value, (*location, written[name]), (*location, key))
            if value is None:
                continue
        found[name], written[name] = value, key
    return found


def _lift(nested: dict, names: Any, at: Location, flat: dict, origins: dict, base: Location) -> None:
    """Each fact of ``nested`` (at ``at``) named in ``names`` (our name, theirs) into ``flat``; one stated beside
    it too must be the same, or it is refused naming both."""
    for ours, theirs in names:
        if theirs in nested:
            where = (*at, theirs)
            if ours in flat:
                _same(ours, flat[ours], nested[theirs], (*base, ours), where)
                if nested[theirs] is None:
                    continue
            flat[ours], origins[ours] = nested[theirs], where


def _same(name: str, one: Any, other: Any, where_one: Location, where_other: Location) -> None:
    """Two fields that state one fact: the same value (or one not stated), else refused naming both."""
    if one is not None and other is not None and not same_value(name, one, other):
        raise RecordError(
            where_other,
            f"contradicts {field_name(where_one)}: two fields state {name} differently",
            f"one value of {name}: the same in both fields, or only one of them",
        )


def _object(value: Any, location: Location, what: str) -> dict[str, Any]:
    if type(value) is not dict:
        raise RecordError(location, f"{what} is not an object", f"{what} as an object")
    return _unprefixed(value, location)


def person_records(records: Sequence[Any], jurisdiction: str) -> PersonRecords:
    """The flat person records of ``records`` (see the module), or :class:`RecordError`."""
    found = PersonRecords()
    facts = fact_names(jurisdiction)
    attached: list[Attached] = []  # records that add facts to a person (CRVS events, contribution records)
    births = Births()  # the children of every CRVS birth event, counted together once all are read
    for index, record in enumerate(records):
        if nested_deeper(record):  # never met by the code below, which recurses over a record's values
            raise RecordError(
                (index,), f"a record nested deeper than {MAX_DEPTH} levels", "a DCI record, as it is written"
            )
        if type(record) is not dict:
            found.add(record, (index,), {}, None)
            continue
        record = _unprefixed(record, (index,))
        if "@type" in record and type(record["@type"]) is not str:
            raise RecordError((index, "@type"), "a record type that is not a text", f"one of {', '.join(TYPES)}")
        kind = record_type(record)
        if kind is None or kind in PERSON_TYPES:
            flat = {key: value for key, value in record.items() if key not in ("@type", *DEATH_FIELDS)}
            origins: dict[str, Location] = {}
            _lift(record, BIRTH, (index,), flat, origins, (index,))
            flat["identifier"] = person_identifier(record)  # a text of its identifier_type: of that type
            echo = None if kind is None else {"record_type": kind}
            death = stated_death(((record, (index,)),), RecordError)
            found.add(flat, (index,), origins, with_death(echo, death, flat, origins, (index,), RecordError))
        elif kind == "Member":
            found.add(*_member(record, (index,), {}, facts=facts))
        elif kind == "Group":
            _group(record, (index,), found, facts)
        elif kind == "Beneficiary":
            found.add(*_beneficiary(record, (index,), facts))
        elif kind == "DisabledPerson":
            found.add(*_disabled_person(record, (index,), jurisdiction, facts))
        elif kind == "VitalEvent":
            attached.extend(vital_events(record, (index,), RecordError, births))
        elif kind == "ContributionRecord":
            attached.append(contribution_record(record, (index,), RecordError))
        else:
            raise RecordError(
                (index, "@type"), f"record type {str(kind)[:40]!r} not understood", f"one of {', '.join(TYPES)}"
            )
    attached += births.confinements(RecordError)
    if attached:
        attach(found, attached, RecordError)
    return found


@cache
def fact_names(jurisdiction: str) -> frozenset[str]:
    """The names of the facts a jurisdiction's rules read (its input variables)."""
    return frozenset(facts_of(tax_benefit_system(jurisdiction)))


def _member(
    member: dict[str, Any],
    base: Location,
    group: dict[str, Any],
    head: bool = False,
    facts: frozenset[str] = frozenset(),
) -> tuple[dict[str, Any], Location, dict[str, Location], dict[str, Any]]:
    """A Social Registry Member: the person of ``demographic_info`` (an SRPerson), the facts beside it."""
    flat = {key: value for key, value in member.items() if key not in ("@type", "@id", "demographic_info")}
    origins: dict[str, Location] = {}
    if "demographic_info" not in member:  # never read as a person with no facts
        raise RecordError(
            (*base, "demographic_info"), "a Member with no demographic_info", "demographic_info, the person"
        )
    person = _object(member["demographic_info"], (*base, "demographic_info"), "demographic_info")
    _no_facts_in(person, (*base, "demographic_info"), facts, PERSON_FIELDS, "demographic_info")
    _lift(person, ((name, name) for name in PERSON_FIELDS), (*base, "demographic_info"), flat, origins, base)
    _lift(person, BIRTH, (*base, "demographic_info"), flat, origins, base)
    death = stated_death(((person, (*base, "demographic_info")),), RecordError)
    if head and not flat.get("relationship_head"):
        flat["relationship_head"] = "head"
    if "household_identifier" in group:
        flat["household_identifier"] = group["household_identifier"]
    echo = {"record_type": "Member"}
    for name in MEMBER_ECHOED:
        if name in member:
            echo[name] = echoed_identifiers(member[name], (*base, name), RecordError)
    echo.update((name, value) for name, value in group.items() if name != "household_identifier")
    return flat, base, origins, with_death(echo, death, flat, origins, base, RecordError)


def _same_member(one: dict[str, Any], other: dict[str, Any]) -> bool:
    """Whether two Member records are the same member (by ``@id``, else by ``member_identifier``)."""
    if one.get("@id") is not None and other.get("@id") is not None:
        return one["@id"] == other["@id"]
    return one.get("member_identifier") is not None and one.get("member_identifier") == other.get("member_identifier")


def _household(group: dict[str, Any]) -> str | None:
    identifiers = group.get("group_identifier")
    if isinstance(identifiers, list) and identifiers:
        return identifiers[0]["identifier_value"]
    if isinstance(identifiers, str):
        return identifiers
    return group.get("@id") if isinstance(group.get("@id"), str) else None


def _group(group: dict[str, Any], base: Location, found: PersonRecords, facts: frozenset[str]) -> None:
    """A Social Registry Group: its members (and its head) as persons of one household."""
    _no_facts_in(group, base, facts, (), "demographic_info, in the record of each member it is a fact of")
    members = group.get("member_list", [])
    if type(members) is not list:
        raise RecordError((*base, "member_list"), "member_list is not a list", "a list of Member records")
    echoed = {}
    if "group_identifier" in group:
        echoed["group_identifier"] = echoed_identifiers(
            group["group_identifier"], (*base, "group_identifier"), RecordError
        )
    household = _household(echoed | {"@id": group.get("@id")})
    if household is not None:
        echoed["household_identifier"] = household
    head = group.get("group_head_info")
    head = None if head is None else _object(head, (*base, "group_head_info"), "group_head_info")
    listed = [_object(member, (*base, "member_list", row), "a member") for row, member in enumerate(members)]
    if head is not None and not any(_same_member(head, member) for member in listed):
        found.add(*_member(head, (*base, "group_head_info"), echoed, head=True, facts=facts))
    if head is None and not listed:
        raise RecordError((*base, "member_list"), "a Group with no members", "member_list or group_head_info")
    for row, member in enumerate(listed):
        is_head = head is not None and _same_member(head, member)
        person = _member(member, (*base, "member_list", row), echoed, head=is_head, facts=facts)
        if is_head:
            _with_head(_member(head, (*base, "group_head_info"), echoed, head=True), person)
        found.add(*person)


def _with_head(head: tuple[Any, ...], member: tuple[Any, ...]) -> None:
    """The head, also listed as a member (``member``, changed in place), states each fact as the member does: one
    person stated twice with different values is refused naming both fields, never settled by whichever record is
    read (docs/api.md); a fact, or a death, only the head's record states is the member's."""
    (head_facts, head_base, head_origins, head_echo), (facts, _, origins, echo) = head, member
    for name, value in head_facts.items():
        if facts.get(name) is None and value is not None:
            facts[name], origins[name] = value, head_origins.get(name, (*head_base, name))
        elif name != "relationship_head" and value is not None and not same_value(name, facts[name], value):
            head_field, member_field = (_path(("persons", *where.get(name, ()))) for where in (head_origins, origins))
            raise RecordError(
                origins.get(name, ()),
                f"{head_field} ({value!r}) and {member_field} ({facts[name]!r}) state one person's {name} differently "
                "(the group's head is this member, by @id)",
                "the same value in both records of the head",
            )
    if (died := head_echo.get("deceased_on")) is not None and echo.get("deceased_on", died) != died:
        raise RecordError(head_base, f"the head's death on {died} and on {echo['deceased_on']}", "one day of death")
    echo.update({"deceased_on": died} if died else {})


def _path(location: Location) -> str:
    """A location as a request's field path: ``persons[0].group_head_info.demographic_info.sex``."""
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text


def _beneficiary(record: dict[str, Any], base: Location, facts: frozenset[str]) -> tuple[Any, ...]:
    """An IBR Beneficiary: its member, whose ``demographic_info.person`` holds the person; facts beside the member
    are the person's too (stated twice, the same)."""
    if "member" not in record:
        raise RecordError((*base, "member"), "a Beneficiary with no member", "member, a Member record")
    member = _object(record["member"], (*base, "member"), "member")
    where = (*base, "member")
    info = member.get("demographic_info")
    if type(info) is dict and "person" in info:  # the IBR's shape: demographic_info.person
        where_person = (*where, "demographic_info", "person")
        person = _object(info["person"], where_person, "person")
        _no_facts_in(person, where_person, facts, PERSON_FIELDS, "the member")
        death = stated_death(((person, where_person),), RecordError)  # where the IBR writes it
        shaped = {name: value for name, value in person.items() if name not in DEATH_FIELDS}
        if "identifier_value" in person and "identifier" not in person:
            value, kind = person["identifier_value"], person.get("identifier_type")
            shaped["identifier"] = value if kind is None else [{"identifier_type": kind, "identifier_value": value}]
        member = {**member, "demographic_info": shaped}
    else:
        where_person, death = (*where, "demographic_info"), None
    flat, _, origins, echo = _member(member, where, {}, facts=facts)
    origins = {name: (*where_person, *location[len(where) + 1 :]) for name, location in origins.items()}
    echo = with_death(echo, death, flat, origins, where, RecordError)
    if "identifier" in origins:
        origins["identifier"] = (*where_person, "identifier_value")
    if flat.get("relationship_head") == "":  # the IBR writes empty texts for fields it does not know
        del flat["relationship_head"]
    for name, value in record.items():  # the Beneficiary's own fields: DCI's, and facts stated beside the member
        if name not in BENEFICIARY_FIELDS:
            if name in flat:
                _same(name, flat[name], value, origins.get(name, (*where, name)), (*base, name))
            if name not in flat or flat[name] is None:
                flat[name], origins[name] = value, (*base, name)
    return flat, where, origins, {**echo, "record_type": "Beneficiary"}


def _no_facts_in(nested: dict[str, Any], at: Location, facts: frozenset[str], read: Sequence[str], beside: str) -> None:
    """A fact written where the rules do not read it (in a person object, other than the fields ``read`` there;
    at a group's level) is refused, never dropped: the error says where it goes."""
    for name in nested:
        if name in facts and name not in read:
            raise RecordError(
                (*at, name), f"{name} is not read here: it is a fact of the person", f"{name} beside {beside}"
            )


def _disabled_person(
    record: dict[str, Any], base: Location, jurisdiction: str, facts: frozenset[str]
) -> tuple[Any, ...]:
    """A Disability Registry person: the person of ``personal_details``; its disability codes where a source maps
    them to the jurisdiction's facts (none is known: refused, see the module)."""
    for name in DISABILITY_FIELDS:
        if name in record and name not in DISABILITY_MAPPINGS.get(jurisdiction, {}):
            raise RecordError(
                (*base, name),
                f"unmappable for {jurisdiction}: no source maps the DCI Disability Registry's {name} to "
                f"{jurisdiction}'s disability assessment (degree of incapacity, category or group)",
                "is_disabled, disability_degree and disability_category as the jurisdiction's law assesses them",
            )
    if "personal_details" not in record:  # never read as a person with no facts
        raise RecordError(
            (*base, "personal_details"), "a DisabledPerson with no personal_details", "personal_details, the person"
        )
    details = _object(record["personal_details"], (*base, "personal_details"), "personal_details")
    flat = {key: value for key, value in record.items() if key not in ("@type", "@id", "personal_details")}
    origins: dict[str, Location] = {}
    named = (("identifier", "identifier"), ("birth_date", "date_of_birth"), ("sex", "gender"))
    _no_facts_in(details, (*base, "personal_details"), facts, [theirs for _, theirs in named], "personal_details")
    _lift(details, named, (*base, "personal_details"), flat, origins, base)
    return flat, base, origins, {"record_type": "DisabledPerson"}
