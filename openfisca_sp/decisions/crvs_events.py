"""CRVS vital events read as facts: a live birth gives the mother's confinement, a death ends benefits.

DCI v1.0.0 has no CRVS record schema of its own: a CRVS answers a search (``/registry/sync/search``) or notifies
an event with ``data`` of the registry core API, ``{reg_type, reg_event_type, reg_record_type, reg_records}``,
whose ``reg_records`` are ``dci_PersonRecord`` (one, or a list). Such a ``data`` object is accepted as a record
of ``persons`` (``@type: VitalEvent``, or no ``@type`` and a ``reg_event_type``). ``reg_event_type`` is a code of
``dci_VitalEvents`` (``live_birth``, ``death``, ``fetal_death``; or their numbers ``1`` to ``3``), or a
``RegistryEventType`` such as ``spdci-common:RegistryEventType:LiveBirth`` (the part after the last ``:``).
``marriage``, ``divorce`` and ``adoption`` (``4`` to ``6``) are refused: no rule reads them.

- **live birth** (``reg_records``: the child or children): the mother, the person among ``persons`` named by
  the child's ``parent1_identifier`` or ``parent2_identifier`` (``{identifier_type, identifier}``) who is not
  recorded as a man, gets ``child_birth_date`` (the child's ``birthdate``, its day as written),
  ``pregnancy_outcome: live_birth`` and ``number_of_children_born`` (the children of those parents born that
  day: 2 for twins). The children are those of every CRVS birth record of the request, whichever ``data``
  object holds them (a registry answering in pages, one twin a page, gives one confinement of two). A child is
  one child however often it is recorded: records naming the same identifier (the same type and value, as
  :func:`~openfisca_sp.decisions.attached_records.identifier_keys` reads them) are one child, and must state the
  same event, day and parents, else the later is refused naming both; a child record with no identifier is a
  child of its own, each time. A ``data`` object found again, the same JSON, is read once. Births on several
  days for the same parents: the latest is the confinement decided;
- **fetal death**: likewise, ``pregnancy_outcome: pregnancy_loss`` on the record's ``deathdate`` (else its
  ``birthdate``); a child recorded both as a live birth and as a fetal death is refused;
- **death** (``reg_records``: the deceased, ``deathdate`` required, a real day): the person of that identifier
  (a person of its own when none is among ``persons``, with its ``sex`` and ``birthdate``) is echoed
  ``deceased_on``; a death before the person's birth, or another on a different day, is refused. The
  rules do not model death: the answer says, per branch, that no entitlement runs from that day
  (:mod:`openfisca_sp.decisions.deaths`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from openfisca_sp.decisions.attached_records import Attached, IdentifierKey, field_name, identifier_keys
from openfisca_sp.decisions.dci_values import CODES, DATE_EXPECTED, DCIValueError, calendar_day

EVENTS = {
    **dict.fromkeys(("live_birth", "1", "LiveBirth"), "live_birth"),
    **dict.fromkeys(("death", "2", "Death"), "death"),
    **dict.fromkeys(("fetal_death", "3", "FetalDeath"), "fetal_death"),
}
NOT_READ = frozenset({"marriage", "divorce", "adoption", "4", "5", "6", "Marriage", "Divorce", "Adoption"})
EVENT_EXPECTED = (
    "a dci_VitalEvents code read by the rules: live_birth, death or fetal_death (1, 2, 3), "
    "or a RegistryEventType ending with LiveBirth, Death or FetalDeath"
)
PARENTS = ("parent1_identifier", "parent2_identifier")
Located = tuple[tuple[Any, ...], dict[str, Any]]  # a person record of reg_records, and where it is
MOTHER_MISSING = (
    "the mother of this birth is not among the persons",
    "the mother's person record, its identifier_value the child's parent1_identifier or parent2_identifier",
)


def event_kind(written: Any, location: tuple[Any, ...], error: type[ValueError]) -> str:
    """The vital event a ``reg_event_type`` names (see the module), or ``error``."""
    code = written.rsplit(":", 1)[-1] if type(written) is str else written
    if type(code) is str and code in EVENTS:
        return EVENTS[code]
    if type(code) is str and code in NOT_READ:
        raise error(location, f"vital event {code!r} is read by no rule", EVENT_EXPECTED)
    raise error(location, f"vital event {str(code)[:40]!r} not understood", EVENT_EXPECTED)


def day_of(value: Any, location: tuple[Any, ...], error: type[ValueError]) -> str:
    """The day of a date (or a date and time) written at ``location``, or ``error`` saying what was expected."""
    if type(value) is not str:
        raise error(location, "not a date", DATE_EXPECTED)
    try:
        return calendar_day(value)
    except DCIValueError as problem:
        raise error(location, str(problem), problem.expected) from None


def _is_not_a_man(record: dict[str, Any]) -> bool:
    sex = record.get("sex")
    return CODES["sex"].get(sex, sex) != "male" if type(sex) is str else True


def person_identifier(person: dict[str, Any]) -> Any:
    """A ``dci_PersonRecord``'s identifier: a text ``identifier`` of the record's ``identifier_type`` as a DCI
    identifier (a text alone names every scheme); any other as written."""
    value, kind = person.get("identifier"), person.get("identifier_type")
    if type(value) is str and type(kind) is str:
        return [{"identifier_type": kind, "identifier_value": value}]
    return value


@dataclass(frozen=True)
class Birth:
    """A child's record of a birth event (live birth or fetal death), as read: each is counted with those of the
    request's other events (:meth:`Births.confinements`)."""

    kind: str  # live_birth or fetal_death
    base: tuple[Any, ...]  # the event's data object
    location: tuple[Any, ...]  # the child's record
    parents: frozenset[IdentifierKey]
    day: str
    origin: tuple[Any, ...]  # where the day is written
    child: frozenset[IdentifierKey]  # the child's identifiers (none: a child of its own)


class Births:
    """The children of a request's CRVS birth events, read together (see the module)."""

    def __init__(self) -> None:
        self.found: list[Birth] = []
        self.events: set[str] = set()  # each data object read, as JSON: one found again is read once

    def add(
        self, kind: str, event: dict[str, Any], base: tuple[Any, ...], located: list[Located], error: type[ValueError]
    ) -> None:
        """The children of one event's ``data`` object (``located``: each child's record and where it is)."""
        written = json.dumps(event, sort_keys=True, default=repr)  # at most json_depth.MAX_DEPTH levels (dci_records)
        if written in self.events:
            return
        self.events.add(written)
        for location, child in located:
            parents = frozenset().union(*(identifier_keys(child.get(name)) for name in PARENTS))
            if not parents:
                raise error(
                    (*location, PARENTS[0]), "a birth that names no parent", "parent1_identifier or parent2_identifier"
                )
            field = "deathdate" if kind == "fetal_death" and "deathdate" in child else "birthdate"
            if field not in child:
                raise error((*location, "birthdate"), "a birth with no birthdate", "birthdate: the day of the birth")
            day = day_of(child[field], (*location, field), error)
            identity = identifier_keys(person_identifier(child))
            self.found.append(Birth(kind, base, location, parents, day, (*location, field), identity))

    def confinements(self, error: type[ValueError]) -> list[Attached]:
        """One confinement per event and set of parents: the latest day, and the distinct children born that day."""
        by_parents: dict[tuple[str, frozenset[IdentifierKey]], list[Birth]] = {}
        for birth in _children(self.found, error):
            by_parents.setdefault((birth.kind, birth.parents), []).append(birth)
        found = []
        for (kind, parents), births in by_parents.items():
            day = max(birth.day for birth in births)
            first = next(birth for birth in births if birth.day == day)
            facts = {
                "child_birth_date": day,
                "pregnancy_outcome": "live_birth" if kind == "live_birth" else "pregnancy_loss",
            }
            origins = {"child_birth_date": first.origin, "pregnancy_outcome": (*first.base, "reg_event_type")}
            if kind == "live_birth":
                facts["number_of_children_born"] = sum(1 for birth in births if birth.day == day)
                origins["number_of_children_born"] = (*first.base, "reg_records")
            found.append(
                Attached(
                    "VitalEvent", parents, facts, origins, first.base, chooses=_is_not_a_man, missing=MOTHER_MISSING
                )
            )
        return found


def _children(births: list[Birth], error: type[ValueError]) -> list[Birth]:
    """Each child once, by its first record: records sharing an identifier are one child, and must say the same
    (else ``error`` naming both); a record with no identifier is a child of its own."""
    children: list[Birth] = []
    identities: list[set[IdentifierKey]] = []
    named: dict[IdentifierKey, int] = {}  # an identifier -> its child's index
    merged: set[int] = set()  # children found to be another (a record naming both by two identifiers)
    for birth in births:
        same = sorted({named[key] for key in birth.child if key in named})
        for index in same:
            _same_child(children[index], birth, error)
        if not same:
            children.append(birth)
            identities.append(set())
            same = [len(children) - 1]
        kept = same[0]
        for index in same[1:]:
            identities[kept] |= identities[index]
            merged.add(index)
        identities[kept] |= birth.child
        named.update(dict.fromkeys(identities[kept], kept))
    return [child for index, child in enumerate(children) if index not in merged]


def _same_child(first: Birth, other: Birth, error: type[ValueError]) -> None:
    """Two records of one child: the same event, day and parents, else ``other`` is refused naming ``first``."""
    event, parents = "reg_event_type", PARENTS[0]
    for differs, ours, theirs, what in (
        (first.kind != other.kind, (*other.base, event), (*first.base, event), "recorded as another event"),
        (first.day != other.day, other.origin, first.origin, "born on another day"),
        (first.parents != other.parents, (*other.location, parents), (*first.location, parents), "of other parents"),
    ):
        if differs:
            raise error(
                ours,
                f"contradicts {field_name(theirs)}: one child (the same identifier) {what}",
                "one child's records alike (event, day, parents), or another identifier for another child",
            )


def vital_events(
    record: dict[str, Any], base: tuple[Any, ...], error: type[ValueError], births: Births
) -> list[Attached]:
    """The deaths a CRVS ``data`` object gives (see the module); its births' children go to ``births``, read
    with the request's others. ``error`` is :class:`~openfisca_sp.decisions.dci_records.RecordError`."""
    kind = event_kind(record.get("reg_event_type"), (*base, "reg_event_type"), error)
    people = record.get("reg_records")
    people = [people] if type(people) is dict else people
    if type(people) is not list or not people or any(type(person) is not dict for person in people):
        raise error((*base, "reg_records"), "no person records", "reg_records: a dci_PersonRecord or a list of them")
    where = (*base, "reg_records") if type(record.get("reg_records")) is dict else None
    located = [(where or (*base, "reg_records", row), person) for row, person in enumerate(people)]
    if kind == "death":
        return [_death(person, location, error) for location, person in located]
    births.add(kind, record, base, located, error)
    return []


def _death(person: dict[str, Any], location: tuple[Any, ...], error: type[ValueError]) -> Attached:
    if "deathdate" not in person:
        raise error((*location, "deathdate"), "a death with no deathdate", "deathdate: the day of the death")
    day = day_of(person["deathdate"], (*location, "deathdate"), error)
    identifiers = identifier_keys(person_identifier(person))
    if not identifiers:
        raise error((*location, "identifier"), "a death with no identifier", "identifier: the deceased's")
    facts, origins = {}, {}
    for ours, theirs in (("sex", "sex"), ("birth_date", "birthdate")):
        if person.get(theirs) is not None:
            facts[ours], origins[ours] = person[theirs], (*location, theirs)
    alone = {"identifier": person_identifier(person)}
    return Attached("VitalEvent", identifiers, facts, origins, location, {"deceased_on": day}, alone)
