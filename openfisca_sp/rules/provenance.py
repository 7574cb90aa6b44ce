"""Where each parameter value comes from, and how sure we are of it.

Builds, once per tax-benefit system, an index of every dated value with its
legal reference and verification status, so that formulas can tell in O(1)
whether a result depends on an ``unverified`` value (it is then provisional).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
from openfisca_core.parameters import Parameter, ParameterNode, ParameterScale

UNVERIFIED = "unverified"


@dataclass(frozen=True)
class ValueProvenance:
    """One dated value of a parameter, with its sources."""

    parameter: str
    start: str
    value: Any
    status: str | None
    reference: tuple[dict[str, Any], ...]
    note: str | None = None
    file: str | None = None  # the YAML file that sets the value
    line: int | None = None  # the line of its date in that file


@dataclass
class ProvenanceIndex:
    """Every dated value of a parameter tree, searchable by name and instant."""

    history: dict[str, list[ValueProvenance]] = field(default_factory=dict)
    # the parameters under each prefix asked about (:meth:`in_force`), found once: a projection asks on every day of
    # a claim, each day a scan of every parameter's name
    _under: dict[str, tuple[str, ...]] = field(default_factory=dict, init=False, repr=False, compare=False)

    def add(self, record: ValueProvenance) -> None:
        self.history.setdefault(record.parameter, []).append(record)
        self._under.clear()

    def finish(self) -> None:
        for records in self.history.values():
            records.sort(key=lambda record: record.start)
        self._under.clear()

    def at(self, parameter: str, instant: str) -> ValueProvenance | None:
        """The value of ``parameter`` in force at ``instant`` (YYYY-MM-DD), if any."""
        records = self.history.get(parameter)
        if not records:
            return None
        position = bisect.bisect_right(records, instant, key=_start) - 1
        if position < 0 or records[position].value is None:
            return None
        return records[position]

    def in_force(self, prefix: str, instant: str) -> list[ValueProvenance]:
        """All values in force at ``instant`` under a parameter path prefix."""
        names = self._under.get(prefix)
        if names is None:
            names = self._under[prefix] = tuple(name for name in self.history if _under(name, prefix))
        found = []
        for name in names:
            record = self.at(name, instant)
            if record is not None:
                found.append(record)
        return found

    def unverified(self, prefixes: tuple[str, ...], instant: str) -> tuple[str, ...]:
        """Names of the unverified values in force at ``instant`` under ``prefixes``."""
        return _unverified(self, prefixes, instant)


def _start(record: ValueProvenance) -> str:
    return record.start


def _under(name: str, prefix: str) -> bool:
    """Whether the parameter ``name`` is ``prefix`` or under it."""
    return name == prefix or name.startswith(prefix + ".") or name.startswith(prefix + "[")


def same_values_in_force(
    index: ProvenanceIndex, prefixes: tuple[str, ...], days: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Of ``days`` (``datetime64[D]``), one for each set of the values under ``prefixes`` in force on them
    (ascending), and each day's position among those: days between two starts of those values have the same values
    in force, and so the same :meth:`ProvenanceIndex.unverified` (asked once for each set, not once a day)."""
    which = np.searchsorted(_starts(index, prefixes), np.asarray(days, dtype="datetime64[D]"), side="right")
    _, first, position = np.unique(which, return_index=True, return_inverse=True)
    return days[first], position.ravel()


@lru_cache(maxsize=256)
def _starts(index: ProvenanceIndex, prefixes: tuple[str, ...]) -> np.ndarray:
    """The first days of every value under ``prefixes`` (``datetime64[D]``, ascending): the days on which the values
    :meth:`ProvenanceIndex.in_force` finds may change (the index is built once and never changes: a complete key)."""
    starts = {
        record.start
        for name, records in index.history.items()
        if any(_under(name, prefix) for prefix in prefixes)
        for record in records
    }
    return np.array(sorted(starts), dtype="datetime64[D]")


@lru_cache(maxsize=4096)
def _unverified(index: ProvenanceIndex, prefixes: tuple[str, ...], instant: str) -> tuple[str, ...]:
    names = []
    for prefix in prefixes:
        names.extend(record.parameter for record in index.in_force(prefix, instant) if record.status == UNVERIFIED)
    return tuple(sorted(set(names)))


ProvenanceIndex.__hash__ = object.__hash__  # type: ignore[method-assign]  # identity, for the cache


def _add_parameter(index: ProvenanceIndex, parameter: Parameter, inherited: dict[str, Any]) -> None:
    lines = getattr(parameter, "value_lines", {})  # kept by the loader: date -> line
    for value in parameter.values_list:
        metadata = dict(inherited)
        metadata.update(parameter.metadata or {})
        metadata.update(value.metadata or {})
        index.add(
            ValueProvenance(
                parameter=parameter.name,
                start=value.instant_str,
                value=value.value,
                status=metadata.get("status"),
                reference=tuple(metadata.get("reference") or ()),
                note=metadata.get("note"),
                file=getattr(parameter, "file_path", None),
                line=lines.get(value.instant_str),
            )
        )


def _walk(index: ProvenanceIndex, node: Any, inherited: dict[str, Any]) -> None:
    if isinstance(node, Parameter):
        _add_parameter(index, node, inherited)
    elif isinstance(node, ParameterScale):
        scale_metadata = dict(inherited)
        scale_metadata.update({key: node.metadata[key] for key in ("reference", "status") if key in node.metadata})
        for bracket in node.brackets:
            for child in bracket.children.values():
                _add_parameter(index, child, scale_metadata)
    elif isinstance(node, ParameterNode):
        for child in node.children.values():
            _walk(index, child, inherited)


def build_index(parameters: ParameterNode) -> ProvenanceIndex:
    """Index every dated value of ``parameters``."""
    index = ProvenanceIndex()
    _walk(index, parameters, {})
    index.finish()
    return index


def provenance_of(tax_benefit_system: Any) -> ProvenanceIndex:
    """The provenance index of a tax-benefit system, built on first use."""
    index = getattr(tax_benefit_system, "_provenance_index", None)
    if index is None or index[0] is not tax_benefit_system.parameters:
        index = (tax_benefit_system.parameters, build_index(tax_benefit_system.parameters))
        tax_benefit_system._provenance_index = index
    return index[1]
