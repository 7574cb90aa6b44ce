"""One side of a comparison: a figure, what it rests on, and how sure it is.

A side read from a parameter carries the value in force on the date, its unit,
its verification status and its legal references (``instrument, article``), as
the provenance index gives them. A side the rules compute carries the statuses
of every parameter the computation read; its status is the least sure of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from openfisca_core.parameters import ParameterScale

from openfisca_sp.rules.parameter_checks import PROPOSAL, STATUSES
from openfisca_sp.rules.provenance import ValueProvenance, provenance_of

SURE = ("verified", "verified_2nd")  # a comparison resting only on these is not provisional
# The least sure first: a side's status is the first of these that any value it rests on has.
ORDER = ("unverified", PROPOSAL, "none", "verified_2nd", "verified")


@dataclass(frozen=True)
class Side:
    """A figure of one side: its value (None when there is none), its unit, status and sources."""

    value: Any
    unit: str | None
    status: str  # the least sure status of the values it rests on
    sources: tuple[str, ...] = ()  # "instrument: article", one per legal reference
    rests_on: dict[str, str] = field(default_factory=dict)  # parameter name -> its status
    computed: str | None = None  # how the rules computed it (None: read from a parameter)

    @property
    def provisional(self) -> bool:
        return self.status not in SURE

    def to_dict(self) -> dict[str, Any]:
        value = self.value
        if isinstance(value, tuple):  # a range, or a scale's (threshold, amount) brackets: lists, as JSON has them
            value = [list(item) if isinstance(item, tuple) else item for item in value]
        return {
            "value": value,
            "unit": self.unit,
            "status": self.status,
            "sources": list(self.sources),
            "rests_on": dict(self.rests_on),
            "computed": self.computed,
        }


def least_sure(statuses: Any) -> str:
    """The least sure of ``statuses`` (``none`` for a value without a status; ``none`` when there is none)."""
    found = {status if status in (*STATUSES, PROPOSAL) else "none" for status in statuses}
    return next((status for status in ORDER if status in found), "none")


def _source(reference: dict[str, Any]) -> str:
    instrument = " ".join(str(reference.get("instrument", "")).split())
    article = " ".join(str(reference.get("article", "")).split())
    return f"{instrument}: {article}" if article else instrument


def sources_of(records: list[ValueProvenance]) -> tuple[str, ...]:
    """The distinct legal references of ``records``, in order."""
    return tuple(dict.fromkeys(_source(reference) for record in records for reference in record.reference))


def _node(system: Any, path: str) -> Any | None:
    node = system.parameters
    for key in path.split("."):
        children = getattr(node, "children", None)
        if children is None or key not in children:
            return None
        node = children[key]
    return node


def unit_of(system: Any, path: str) -> str | None:
    """The unit a parameter's file states (a scale's ``amount_unit``)."""
    node = _node(system, path)
    metadata = getattr(node, "metadata", None) or {}
    return metadata.get("amount_unit") or metadata.get("unit")


def records_under(system: Any, path: str, date: str) -> list[ValueProvenance]:
    """The values in force on ``date`` at ``path`` or under it (a scale's brackets, values by sex)."""
    return provenance_of(system).in_force(path, date)


def parameter_side(system: Any, path: str, date: str) -> Side | None:
    """The value of the parameter at ``path`` in force on ``date`` (None: not in force).

    A scale gives the list of its brackets' ``(threshold, amount)``; a folder by sex is not read here.
    """
    index = provenance_of(system)
    record = index.at(path, date)
    unit = unit_of(system, path)
    if record is not None:
        return Side(record.value, unit, least_sure([record.status]), sources_of([record]), {path: record.status or ""})
    node = _node(system, path)
    if not isinstance(node, ParameterScale):
        return None
    records = records_under(system, path, date)
    thresholds = {
        r.parameter.split("[")[1].split("]")[0]: r.value for r in records if r.parameter.endswith("threshold")
    }
    amounts = {
        r.parameter.split("[")[1].split("]")[0]: r.value for r in records if not r.parameter.endswith("threshold")
    }
    brackets = tuple(sorted((thresholds[key], amounts[key]) for key in amounts if key in thresholds))
    if not brackets:
        return None
    statuses = {r.parameter: r.status or "" for r in records}
    return Side(brackets, unit, least_sure(statuses.values()), sources_of(records), statuses)


def by_sex_side(system: Any, path: str, sex: str, date: str) -> Side | None:
    """A parameter that may be one value, or a folder of ``men`` and ``women``: the value for ``sex``."""
    return parameter_side(system, path, date) or parameter_side(system, f"{path}.{sex}", date)
