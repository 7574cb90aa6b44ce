"""The day of death a person's own record states: ``deathdate`` of the registry core's ``dci_PersonRecord`` (a
person as a CRVS writes it), ``death_date`` of the IBR's person (``member.demographic_info.person``).

Such a day is the person's death, as a CRVS death event states it (:mod:`~openfisca_sp.decisions.crvs_events`):
echoed ``deceased_on``, the decisions rewritten from that day (:mod:`~openfisca_sp.decisions.deaths`); never
accepted and ignored, which decided a dead person as living. Null, or the IBR's empty text for what it does not
know, states no death. The day must be a real one, not before the person's birth, and one: two fields stating two
days are refused naming both, as a CRVS death of the same person on another day is
(:mod:`~openfisca_sp.decisions.attached_records`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openfisca_sp.decisions.attached_records import field_name
from openfisca_sp.decisions.crvs_events import day_of

Location = tuple[Any, ...]
DEATH_FIELDS = ("deathdate", "death_date")  # the dci_PersonRecord's, the IBR person's
Death = tuple[str, Location]  # the day, and where it is written


def stated_death(written: Sequence[tuple[dict[str, Any], Location]], error: type[ValueError]) -> Death | None:
    """The day of death the objects of one person state (each with its location), or None; ``error`` is
    :class:`~openfisca_sp.decisions.dci_records.RecordError`."""
    found: Death | None = None
    for record, at in written:
        for name in DEATH_FIELDS:
            if record.get(name) is None or record[name] == "":
                continue
            day = day_of(record[name], (*at, name), error)
            if found is not None and found[0] != day:
                raise error(
                    (*at, name),
                    f"contradicts {field_name(found[1])}: two fields state the death differently",
                    "one day of death: the same in both fields, or only one of them",
                )
            found = found or (day, (*at, name))
    return found


def with_death(
    echo: dict[str, Any] | None,
    death: Death | None,
    flat: dict[str, Any],
    origins: dict[str, Location],
    base: Location,
    error: type[ValueError],
) -> dict[str, Any] | None:
    """What a person's answer echoes (``echo``), with the day of its ``death`` as ``deceased_on``; a death before
    the person's ``birth_date`` (of its ``flat`` record at ``base``, written where ``origins`` say), or beside
    another death echoed, is refused."""
    if death is None:
        return echo
    day, where = death
    born, born_at = flat.get("birth_date"), origins.get("birth_date", (*base, "birth_date"))
    try:
        birth = day_of(born, born_at, error) if born is not None else None
    except ValueError:  # no day: refused where the birth_date fact is read
        birth = None
    if birth is not None and day < birth:
        raise error(
            where,
            f"the death on {day} is before the person's birth on {birth} ({field_name(born_at)})",
            "on or after the person's birth_date",
        )
    if echo and echo.get("deceased_on", day) != day:
        raise error(where, f"another death of this person is on {echo['deceased_on']}", echo["deceased_on"])
    return {**(echo or {}), "deceased_on": day}
