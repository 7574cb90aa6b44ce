"""Records that add facts to a person named by an identifier: an insurer's contribution record, a CRVS vital event.

Such a record is not a person of its own. Its facts go to the person of the same request whose identifier has
the same ``identifier_value`` (a text identifier is its own value) and a type that can name the same number: the
types of DCI's code list (``dci_IdentifierType``: ``UIN``, ``BRN``, ``MRN``, ``DRN``) are distinct schemes, so
a birth registration number ``BRN`` 1001 never names the person of ``UIN`` 1001; any other type (a registry's
``NationalID`` or ``NID``, as in DCI's own examples) may be a ``UIN`` and is matched by value, and where a person's
identifier has the record's very type, that person is the one. A record that more than one person could be is
refused, naming them, never credited to each. A fact the person already states must be the same
(dates compared by their day, sex codes by what they mean), else the record is refused naming both fields;
histories (``insured_wage``) are merged month by month. With no such person, the record is a person of its own
(``alone``), or refused (a live birth whose mother is not among the persons). Two persons of a request that
this matching could not tell apart are one person stated twice (:func:`one_person_twice`, refused by
:func:`~openfisca_sp.decisions.consistency.check_identifiers`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from openfisca_sp.decisions.dci_values import CODES, DATE_TIME, DAY, DCIValueError, date_part

Location = tuple[Any, ...]
PersonRecords = Any  # openfisca_sp.decisions.dci_records.PersonRecords (which imports this module)
ONE_PERSON = "one person record only with the identifier this record names"


@dataclass
class Attached:
    """Facts for the person an identifier names, where each came from, and what the answer echoes."""

    kind: str  # the record type, as an answer echoes it when the record is a person of its own
    identifiers: frozenset[IdentifierKey]  # identifiers naming the person (types and values)
    facts: dict[str, Any]
    origins: dict[str, Location]
    base: Location
    echo: dict[str, Any] = field(default_factory=dict)
    person: dict[str, Any] | None = None  # the person it is with no person of that identifier; None: refused
    chooses: Callable[[dict[str, Any]], bool] | None = None  # among the persons named, who takes the facts
    missing: tuple[str, str] = ("no person of this identifier among the persons", "a person record with it")


# DCI's identifier types (registry core, ``dci_IdentifierType``): each names a number of its own scheme.
DCI_TYPES = frozenset({"UIN", "BRN", "MRN", "DRN"})

IdentifierKey = tuple[str | None, str]  # (type, or None where the identifier states none; value)


def identifier_values(identifier: Any) -> frozenset[str]:
    """The values of an identifier: a text, or DCI identifiers (``identifier_value``, or a CRVS ``identifier``)."""
    return frozenset(value for _, value in identifier_keys(identifier))


def identifier_keys(identifier: Any) -> frozenset[IdentifierKey]:
    """The types and values of an identifier: a text (no type), or DCI identifiers (``identifier_type`` and
    ``identifier_value``, or a CRVS ``identifier``)."""
    if type(identifier) is str:
        return frozenset({(None, identifier)})
    if type(identifier) is dict:
        identifier = [identifier]
    if type(identifier) is not list:
        return frozenset()
    found = set()
    for item in identifier:
        if type(item) is dict and type(value := item.get("identifier_value", item.get("identifier"))) is str:
            kind = item.get("identifier_type")
            found.add((kind if type(kind) is str else None, value))
    return frozenset(found)


def may_name_the_same(one: str | None, other: str | None) -> bool:
    """Whether identifiers of these two types can be one number: not two distinct DCI schemes."""
    return one is None or other is None or one == other or not (one in DCI_TYPES and other in DCI_TYPES)


def named_rows(index: dict[str, list[tuple[int, str | None]]], keys: frozenset[IdentifierKey]) -> list[int]:
    """The rows ``keys`` can name (``index``: each value's rows and their types): for each key, those whose
    identifier has its very type where any has, else those of a type that may name the same number (a record
    naming two persons by two keys names both: it is refused as one that more than one person could be)."""
    found: set[int] = set()
    for kind, value in keys:
        exact, possible = set(), set()
        for row, theirs in index.get(value, ()):
            if kind is not None and theirs == kind:
                exact.add(row)
            elif may_name_the_same(kind, theirs):
                possible.add(row)
        found |= exact or possible
    return sorted(found)


def one_person_twice(identifiers: Sequence[Any]) -> Iterator[tuple[int, int]]:
    """Each person the record matching could not tell from an earlier person, with the earlier one's row: by
    :func:`named_rows`, one of the two, named by its own identifier, names the other too (a record of either would
    be refused as naming both). Where a person's identifier has a type, that very type names it and leaves the
    other types aside, so two persons are one when they share a type and value, or a value that one of them
    states with no type (the text ``P1`` and the ``UIN`` ``P1``); two DCI schemes (``UIN`` 1001 and ``BRN``
    1001), or ``UIN`` and a registry's ``NID``, are told apart by a record's type. ``identifiers``: each person's
    (None: none, not compared). One pass: each type and value looked up once, whatever the number of persons."""
    typed: dict[IdentifierKey, int] = {}  # (type, value) -> the first row with it
    untyped: dict[str, int] = {}  # value -> the first row stating it with no type
    valued: dict[str, int] = {}  # value -> the first row with it, whatever its type
    for row, identifier in enumerate(identifiers):
        if type(identifier) is str:  # most requests: a text, no type (as identifier_keys reads it)
            other = valued.setdefault(identifier, row)
            untyped.setdefault(identifier, row)
            if other != row:
                yield row, other
            continue
        if identifier is None:
            continue
        keys = identifier_keys(identifier)
        earlier = []
        for kind, value in keys:  # no type names every type; a type, the same type (or no type names it)
            earlier += [valued.get(value)] if kind is None else [typed.get((kind, value)), untyped.get(value)]
        named = [other for other in earlier if other is not None]
        if named:
            yield row, min(named)
        for kind, value in keys:
            valued.setdefault(value, row)
            if kind is None:
                untyped.setdefault(value, row)
            else:
                typed.setdefault((kind, value), row)


def _plain(name: str, value: Any) -> Any:
    """A value as compared: a date and time as its day, a sex code as what it means."""
    if type(value) is str and len(value) > 10 and DATE_TIME.fullmatch(value):
        try:
            return date_part(value)
        except DCIValueError:  # not a real time: compared as written, and refused where the fact is read
            return value
    if name in CODES and type(value) is str:
        return CODES[name].get(value, value)
    return value


def same_value(name: str, one: Any, other: Any) -> bool:
    """Whether two values of fact ``name`` say the same (a date and time as its day, a sex code as what it means,
    identifiers by their values)."""
    if name == "identifier":
        return identifier_values(one) == identifier_values(other)
    return _plain(name, one) == _plain(name, other)


def field_name(location: Location) -> str:
    """A location as the errors name fields: ``persons[0].member.birth_date``."""
    text = "persons"
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def attach(found: PersonRecords, attached: list[Attached], error: type[ValueError]) -> None:
    """Add each attached record's facts to the person it names in ``found`` (see the module); ``error`` is
    :class:`~openfisca_sp.decisions.dci_records.RecordError`."""
    index: dict[str, list[tuple[int, str | None]]] = {}
    for row, record in enumerate(found.records):
        if type(record) is dict:
            for kind, value in identifier_keys(record.get("identifier")):
                index.setdefault(value, []).append((row, kind))
    for item in attached:
        rows = named_rows(index, item.identifiers)
        if item.chooses is not None:  # after each key's rows: a father named by his very type leaves the mother
            rows = [row for row in rows if item.chooses(found.records[row])]
        if len(rows) > 1:  # never credited to each: the record is one person's
            persons = " and ".join(field_name(found.bases[row]) for row in rows[:2]) + (
                f" (and {len(rows) - 2} more)" if len(rows) > 2 else ""
            )
            raise error(item.base, f"more than one person could be the one this record names: {persons}", ONE_PERSON)
        if not rows:
            if item.person is None:
                raise error(item.base, *item.missing)
            found.add(
                {**item.person, **item.facts}, item.base, dict(item.origins), {"record_type": item.kind, **item.echo}
            )
            for kind, value in identifier_keys(item.person.get("identifier")):
                index.setdefault(value, []).append((len(found.records) - 1, kind))
            rows = [len(found.records) - 1]
        else:
            _merge(found, rows[0], item, error)
        if "deceased_on" in item.echo:
            _not_before_birth(found, rows[0], item, error)


def _not_before_birth(found: PersonRecords, row: int, item: Attached, error: type[ValueError]) -> None:
    """A death is refused when it is before the person's birth (both read as days; a date that is none is
    refused where the fact is read)."""
    born, died = _plain("birth_date", found.records[row].get("birth_date")), item.echo["deceased_on"]
    if type(born) is str and DAY.fullmatch(born) and DAY.fullmatch(died) and died < born:
        raise error(
            (*item.base, "deathdate"),
            f"the death on {died} is before the person's birth on {born} "
            f"({field_name(found.location(row, ('birth_date',)))})",
            "on or after the person's birth_date",
        )


def _merge(found: PersonRecords, row: int, item: Attached, error: type[ValueError]) -> None:
    record = found.records[row]
    for name, value in item.facts.items():
        stated = record.get(name)
        if stated is None:
            record[name] = value
            found.origins[row][name] = item.origins[name]
        elif type(value) is dict and type(stated) is dict:
            for month, amount in value.items():
                if stated.get(month) is not None and _plain(name, stated[month]) != _plain(name, amount):
                    raise error(
                        item.origins.get(f"{name}.{month}", (*item.origins[name], month)),
                        f"contradicts {field_name(found.location(row, (name, month)))}",
                        "the same value in both records",
                    )
            record[name] = {**stated, **value}
        elif _plain(name, stated) != _plain(name, value):
            raise error(
                item.origins[name], f"contradicts {field_name(found.location(row, (name,)))}", "the same value in both"
            )
    echoed = found.echoes[row] or {}
    earlier, death = echoed.get("deceased_on"), item.echo.get("deceased_on")
    if earlier is not None and death is not None and earlier != death:  # two deaths: never the one read last
        raise error((*item.base, "deathdate"), f"another death of this person is on {earlier}", f"{earlier}")
    if item.echo:
        found.echoes[row] = {**echoed, **item.echo}
