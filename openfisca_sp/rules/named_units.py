"""A count read in the unit another parameter names: a duration file's own unit agrees with its branch's.

The formulas read a branch's durations (``maternity.duration.single_birth``, the
amounts of ``unemployment.duration.by_contribution_months``) in the unit
``<branch>.duration.unit`` names (``days``, ``weeks``, ``months``), whatever the
duration's file says. A file stating ``unit: week`` where the branch counts in
days is a value a drafter read in weeks and the rules pay in days: it is
refused, at the line of its unit, with both units. Which parameters this binds
is declared in the branch catalogue (:attr:`~openfisca_sp.rules.branches.model.Unit.named_by`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from openfisca_core.parameters import Parameter, ParameterNode, ParameterScale

from openfisca_sp.rules.branches.model import COUNTED_DURATION
from openfisca_sp.rules.parameter_checks import Declarations
from openfisca_sp.rules.parameter_names import Location
from openfisca_sp.rules.yaml_files import ParameterFileError, line_of, read_yaml

# A unit a parameter names (``days``) and the unit a file states for it (``day``).
STATED = {name: name.removesuffix("s") for name in COUNTED_DURATION.choices}


def _node(tree: ParameterNode, full: str) -> Any | None:
    node: Any = tree
    for key in full.split("."):
        children = getattr(node, "children", None)
        if not children or key not in children:
            return None
        node = children[key]
    return node


def _stated_unit(node: Parameter | ParameterScale) -> tuple[str, str | None]:
    """The key of the metadata that states the unit of ``node``'s counts, and the unit it states."""
    metadata = node.metadata or {}
    key = "amount_unit" if isinstance(node, ParameterScale) and "amount_unit" in metadata else "unit"
    unit = metadata.get(key)
    return key, str(unit) if unit is not None else None


def _counts(node: Parameter | ParameterScale) -> list[Parameter]:
    """The dated counts of ``node``: itself, or a scale's amounts."""
    if isinstance(node, ParameterScale):
        return [bracket.children["amount"] for bracket in node.brackets if "amount" in bracket.children]
    return [node]


def _disagreements(node: Any, namer: Parameter, unit: str) -> Iterator[tuple[str, str]]:
    """Each date a count of ``node`` is in force while ``namer`` names another unit than ``unit``: (date, name)."""
    counts = _counts(node)
    starts = {entry.instant_str for parameter in (namer, *counts) for entry in parameter.values_list}
    for start in sorted(starts):
        named = namer(start)
        if not isinstance(named, str):  # a namer of the wrong kind (a list): its own file's check says so
            continue
        if named in STATED and STATED[named] != unit and any(count(start) is not None for count in counts):
            yield start, named


def _line_of_unit(path: str, full: str, key: str) -> int | None:
    """The line of ``key`` in the metadata of parameter ``full``, written in ``path`` (a file of it, or of a group
    above it)."""
    try:
        data = read_yaml(Path(path))
    except ParameterFileError:
        return None
    parts = full.split(".")
    for first in range(len(parts)):
        found: Any = data
        for part in parts[first + 1 :]:
            found = found.get(part) if isinstance(found, dict) else None
        if isinstance(found, dict) and ("values" in found or "brackets" in found):
            metadata = found.get("metadata")
            return line_of(metadata, key) if isinstance(metadata, dict) and key in metadata else line_of(found)
    return None


def named_unit_problems(
    tree: ParameterNode, locations: Mapping[str, Location], declared: Declarations
) -> list[ParameterFileError]:
    """Every parameter of ``tree`` whose file states another unit than the one its branch names (one problem a
    file, at its first date of disagreement). ``locations``: where each node is written."""
    problems = []
    for full, location in sorted(locations.items()):
        declaration = declared(full)
        wanted = declaration.unit if declaration is not None else None
        node = _node(tree, full)
        if wanted is None or not wanted.named_by or not isinstance(node, (Parameter, ParameterScale)):
            continue
        namer_name = f"{full.split('.')[0]}.{wanted.named_by}"
        namer = _node(tree, namer_name)
        key, unit = _stated_unit(node)
        if not isinstance(namer, Parameter) or unit is None:  # no unit at all: the file's own check says so
            continue
        for start, named in _disagreements(node, namer, unit):
            namer_at = locations.get(namer_name)
            where = f", {namer_at.path}" if namer_at is not None else ""
            problems.append(
                ParameterFileError(
                    location.path,
                    _line_of_unit(location.path, full, key),
                    f"'{full}' is in '{unit}' (metadata.{key}), but its branch counts durations in {named} from "
                    f"{start} ('{namer_name}'{where}): the formulas read its values as {named}; write "
                    f"metadata.{key}: {STATED[named]} and the values in {named}, or correct '{namer_name}'",
                )
            )
            break
    return problems
