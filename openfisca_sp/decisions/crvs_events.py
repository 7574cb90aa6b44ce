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
  ``pregnancy_outcome: live_birth`` and ``number_of_children_born`` (the children of the event born that day:
  2 for twins). Births on several days for the same parents: the latest is the confinement decided;
- **fetal death**: likewise, ``pregnancy_outcome: pregnancy_loss`` on the record's ``deathdate`` (else its
  ``birthdate``);
- **death** (``reg_records``: the deceased, ``deathdate`` required): the person of that identifier (a person of
  its own when none is among ``persons``, with its ``sex`` and ``birthdate``) is echoed ``deceased_on``; a death
  before the person's birth, or another on a different day, is refused. The
  rules do not model death: the answer says, per branch, that no entitlement runs from that day
  (:mod:`openfisca_sp.decisions.deaths`).
"""

from __future__ import annotations

from typing import Any

from openfisca_sp.decisions.attached_records import Attached, identifier_keys
from openfisca_sp.decisions.dci_values import CODES, DATE_EXPECTED, DCIValueError, date_part

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


def _day(value: Any, location: tuple[Any, ...], error: type[ValueError]) -> str:
    if type(value) is not str:
        raise error(location, "not a date", DATE_EXPECTED)
    try:
        return date_part(value) if len(value) > 10 else value
    except DCIValueError as problem:
        raise error(location, str(problem), problem.expected) from None


def _is_not_a_man(record: dict[str, Any]) -> bool:
    sex = record.get("sex")
    return CODES["sex"].get(sex, sex) != "male" if type(sex) is str else True


def _identifier(person: dict[str, Any]) -> Any:
    value, kind = person.get("identifier"), person.get("identifier_type")
    if type(value) is str and type(kind) is str:
        return [{"identifier_type": kind, "identifier_value": value}]
    return value


def vital_events(record: dict[str, Any], base: tuple[Any, ...], error: type[ValueError]) -> list[Attached]:
    """The facts a CRVS ``data`` object gives (see the module); ``error`` is
    :class:`~openfisca_sp.decisions.dci_records.RecordError`."""
    kind = event_kind(record.get("reg_event_type"), (*base, "reg_event_type"), error)
    people = record.get("reg_records")
    people = [people] if type(people) is dict else people
    if type(people) is not list or not people or any(type(person) is not dict for person in people):
        raise error((*base, "reg_records"), "no person records", "reg_records: a dci_PersonRecord or a list of them")
    where = (*base, "reg_records") if type(record.get("reg_records")) is dict else None
    located = [(where or (*base, "reg_records", row), person) for row, person in enumerate(people)]
    if kind == "death":
        return [_death(person, location, error) for location, person in located]
    return _confinements(kind, located, base, error)


def _death(person: dict[str, Any], location: tuple[Any, ...], error: type[ValueError]) -> Attached:
    if "deathdate" not in person:
        raise error((*location, "deathdate"), "a death with no deathdate", "deathdate: the day of the death")
    day = _day(person["deathdate"], (*location, "deathdate"), error)
    identifiers = identifier_keys(_identifier(person))
    if not identifiers:
        raise error((*location, "identifier"), "a death with no identifier", "identifier: the deceased's")
    facts, origins = {}, {}
    for ours, theirs in (("sex", "sex"), ("birth_date", "birthdate")):
        if person.get(theirs) is not None:
            facts[ours], origins[ours] = person[theirs], (*location, theirs)
    alone = {"identifier": _identifier(person)}
    return Attached("VitalEvent", identifiers, facts, origins, location, {"deceased_on": day}, alone)


def _confinements(
    kind: str, located: list[tuple[tuple[Any, ...], dict[str, Any]]], base: tuple[Any, ...], error: type[ValueError]
) -> list[Attached]:
    """One confinement per set of parents: the latest day, and the children born that day."""
    by_parents: dict[frozenset[tuple[str | None, str]], list[tuple[str, tuple[Any, ...]]]] = {}
    for location, child in located:
        parents = frozenset().union(*(identifier_keys(child.get(name)) for name in PARENTS))
        if not parents:
            raise error(
                (*location, PARENTS[0]), "a birth that names no parent", "parent1_identifier or parent2_identifier"
            )
        written = "deathdate" if kind == "fetal_death" and "deathdate" in child else "birthdate"
        if written not in child:
            raise error((*location, "birthdate"), "a birth with no birthdate", "birthdate: the day of the birth")
        by_parents.setdefault(parents, []).append(
            (_day(child[written], (*location, written), error), (*location, written))
        )
    found = []
    for parents, births in by_parents.items():
        day, origin = max(births)
        facts = {
            "child_birth_date": day,
            "pregnancy_outcome": "live_birth" if kind == "live_birth" else "pregnancy_loss",
        }
        origins = {"child_birth_date": origin, "pregnancy_outcome": (*base, "reg_event_type")}
        if kind == "live_birth":
            facts["number_of_children_born"] = sum(1 for other, _ in births if other == day)
            origins["number_of_children_born"] = (*base, "reg_records")
        found.append(
            Attached("VitalEvent", parents, facts, origins, base, chooses=_is_not_a_man, missing=MOTHER_MISSING)
        )
    return found
