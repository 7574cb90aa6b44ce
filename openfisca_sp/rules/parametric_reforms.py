"""Parametric reforms written in YAML: read, checked against the baseline, applied as an OpenFisca reform.

A parametric reform is a YAML file that changes dated values of the rules'
parameters, each change carrying its rationale and reference::

    label: Maternity benefit after 6 months of contributions
    jurisdiction: lao
    description: Why, and what the change does.
    reference:
      - instrument: ILO Maternity Protection Convention, 2000 (No. 183)
        article: Art 6(5)
    parameters:
      maternity.qualifying_period.minimum_months.live_birth:
        2027-01-01: 6

A reform may also give values to a parameter the jurisdiction's rules lack, if
its branch declares it (:mod:`openfisca_sp.rules.branches`): a rule the law
in force does not state (Tajikistan's maternity benefit rate) proposed by the
reform. The parameter is added under its branch, its values checked against
the kind the branch declares; a number states its unit on its first value::

      maternity.benefit_rate:
        2026-01-01: {value: 0.6667, metadata: {unit: /1}}

It is checked before anything runs: an unknown parameter path, a value of the
wrong kind or out of its unit's range (the checks of the parameter files, see
:mod:`~openfisca_sp.rules.parameter_kinds`), a value left empty, a bad date or
key is a :class:`~openfisca_sp.rules.yaml_files.ParameterFileError` naming the
file and line. Values carry the status ``proposal`` unless they say otherwise,
so the provenance of every reformed value is visible in results.

The shipped reforms, and how to name one, are in :mod:`openfisca_sp.reforms`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openfisca_core import periods
from openfisca_core.parameters import Parameter, ParameterNode, ParameterScale
from openfisca_core.reforms import Reform

from openfisca_sp.rules import jurisdictions
from openfisca_sp.rules.branches.model import NUMBER, ValueKind
from openfisca_sp.rules.parameter_checks import BRACKET_UNITS, PROPOSAL, STATUSES, Checker
from openfisca_sp.rules.parameter_kinds import implausible, is_number_unit, unit_of, value_problem
from openfisca_sp.rules.parameter_names import Location, check_names, declarations
from openfisca_sp.rules.sources import load_sources
from openfisca_sp.rules.suggestions import closest_name
from openfisca_sp.rules.yaml_files import Mapping, ParameterFileError, read_yaml, written_as

REFORM_KEYS = {"label", "description", "jurisdiction", "reference", "parameters"}
REFORM_STATUSES = (*STATUSES, PROPOSAL)
BRACKET_VALUE = re.compile(r"^(?P<scale>.+)\.brackets\[\d+\]\.(?P<key>[a-z_]+)$")


@dataclass(frozen=True)
class ParameterChange:
    """One dated value a reform gives a parameter."""

    path: str
    start: str
    value: Any
    metadata: dict[str, Any]
    line: int | None
    written: str | None = None  # a decimal number's text in the file (``600.000``, read as 600.0)


@dataclass(frozen=True)
class ParametricReformDefinition:
    """A YAML parametric reform, read and checked for structure."""

    name: str
    label: str
    description: str
    jurisdiction: str
    reference: tuple[dict[str, Any], ...]
    changes: tuple[ParameterChange, ...]
    path: Path


def read_parametric_reform(path: Path | str) -> ParametricReformDefinition:
    """Read a YAML parametric reform; any breach of its format names the file and line."""
    path = Path(path)
    data = read_yaml(path)
    checker = Checker(path, REFORM_STATUSES, reasoned_nulls=False, oldest_first=True)
    checker.linked_references = False  # a proposal (a drafter's own, say) may have no published text to link
    if not isinstance(data, Mapping):
        checker.fail(data, None, f"a reform is a mapping with keys {sorted(REFORM_KEYS)}")
    checker.keys(data, REFORM_KEYS, "a reform")
    for key in ("label", "jurisdiction", "reference", "parameters"):
        if key not in data:
            checker.fail(data, None, f"a reform needs '{key}'")
    if not isinstance(data["jurisdiction"], str) or data["jurisdiction"] not in jurisdictions.registry():
        known = ", ".join(sorted(jurisdictions.registry()))
        checker.fail(data, "jurisdiction", f"unknown jurisdiction {data['jurisdiction']!r}; expected one of {known}")
    checker.sources = load_sources(jurisdictions.registry()[data["jurisdiction"]].parameters_dir)
    checker.references(data, data["reference"], "the reform")
    inherited = {"reference": data["reference"], "status": PROPOSAL}
    parameters = data["parameters"]
    if not isinstance(parameters, Mapping) or not parameters:
        checker.fail(data, "parameters", "'parameters' maps parameter paths to dated values")
    changes = []
    for name, values in parameters.items():
        if not isinstance(name, str):
            checker.fail(parameters, name, f"'{name}' is not a parameter path")
        if not isinstance(values, Mapping) or not values:
            checker.fail(parameters, name, f"'{name}' needs dated values (YYYY-MM-DD: value)")
        checker.values(parameters, name, inherited, f"parameter '{name}'")
        for start, entry in values.items():
            value, own = (entry.get("value"), entry.get("metadata") or {}) if isinstance(entry, dict) else (entry, {})
            metadata = {**inherited, **own}
            written = written_as(entry, "value") if isinstance(entry, dict) else written_as(values, start)
            changes.append(ParameterChange(name, start, value, metadata, values.key_lines.get(start), written))
    return ParametricReformDefinition(
        name=path.stem,
        label=str(data["label"]),
        description=str(data.get("description", "")).strip(),
        jurisdiction=data["jurisdiction"],
        reference=tuple(dict(item) for item in data["reference"]),
        changes=tuple(sorted(changes, key=lambda change: (change.path, change.start))),
        path=path,
    )


def resolve_parameter(root: ParameterNode, path: str) -> Parameter | None:
    """The parameter at a dotted path (``a.b.c``, or ``a.scale.brackets[0].rate``), or None."""
    node: Any = root
    for part in path.split("."):
        if isinstance(node, ParameterNode) and part in node.children:
            node = node.children[part]
        elif isinstance(node, ParameterScale) and part.startswith("brackets[") and part.endswith("]"):
            index = part[len("brackets[") : -1]
            if not index.isdigit() or int(index) >= len(node.brackets):
                return None
            node = node.brackets[int(index)]
        elif hasattr(node, "children") and part in getattr(node, "children", {}):
            node = node.children[part]  # a scale bracket's threshold, rate or amount
        else:
            return None
    return node if isinstance(node, Parameter) else None


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    return "a string" if isinstance(value, str) else "null"


def expectation(baseline: Any, path: str, parameter: Parameter) -> tuple[ValueKind | None, str | None]:
    """What a value of the parameter at ``path`` must be, and its unit: as for the values of its file."""
    bracket = BRACKET_VALUE.match(path)
    if bracket is not None:
        scale = resolve_node(baseline.parameters, bracket["scale"])
        key = BRACKET_UNITS.get(bracket["key"], "unit")
        return NUMBER, unit_of(getattr(scale, "metadata", None), key)
    unit = unit_of(parameter.metadata)
    declaration = declarations(getattr(baseline, "extra_branches", ()))(path)
    if declaration is not None:
        return declaration.value_kind, unit
    return (NUMBER, unit) if is_number_unit(unit) else (None, unit)


def resolve_node(root: ParameterNode, path: str) -> Any:
    """The node, parameter or scale at a dotted path, or None."""
    node: Any = root
    for part in path.split("."):
        children = getattr(node, "children", None)
        if not isinstance(children, dict) or part not in children:
            return None
        node = children[part]
    return node


def addable(root: ParameterNode, path: str) -> bool:
    """Whether a parameter can be added at ``path``: its branch is in the rules, and no parameter or scale stands
    where a group would be, nor a group where the parameter would be."""
    node: Any = root
    parts = path.split(".")
    for depth, part in enumerate(parts):
        if not isinstance(node, ParameterNode):
            return False
        if part not in node.children:
            return depth > 0
        node = node.children[part]
    return False


def _check_added_names(definition: ParametricReformDefinition, baseline: Any, added: list[ParameterChange]) -> None:
    """The parameters a reform adds are named as their branch declares them (keyed by an outcome, by sex …)."""
    if not added:
        return
    amounts = getattr(baseline.parameters.children.get("reference_amounts"), "children", {})
    names = {f"reference_amounts.{name}": Location(str(definition.path), None, group=False) for name in amounts}
    for change in added:
        parts = change.path.split(".")
        for depth in range(1, len(parts)):
            names.setdefault(".".join(parts[:depth]), Location(str(definition.path), change.line, group=True))
        names[change.path] = Location(str(definition.path), change.line, group=False)
    check_names(names, getattr(baseline, "extra_branches", ()))


def _closest_parameter(root: ParameterNode, path: str) -> str:
    """``; did you mean '…'?`` with the rules' parameter closest to ``path``, or nothing."""
    names = [node.name for node in root.get_descendants() if isinstance(node, Parameter)]
    closest = closest_name(path, names, cutoff=0.8)
    return f"; did you mean '{closest}'?" if closest else ""


def check_against(definition: ParametricReformDefinition, baseline: Any) -> None:
    """Check that every path exists in ``baseline`` (or is one its branch declares, which the reform adds) and
    every value is of its parameter's kind (the checks of the parameter files: a number 0 or more in its unit,
    a boolean, a name …)."""
    declared = declarations(getattr(baseline, "extra_branches", ()))
    added = []
    for change in definition.changes:
        if resolve_parameter(baseline.parameters, change.path) is None:
            if declared(change.path) is None or not addable(baseline.parameters, change.path):
                message = f"no such parameter in the rules of '{definition.jurisdiction}', nor one its branch declares"
                message += _closest_parameter(baseline.parameters, change.path)
                raise ParameterFileError(definition.path, change.line, f"{change.path} at {change.start}: {message}")
            added.append(change)
    _check_added_names(definition, baseline, added)
    for change in definition.changes:

        def fail(message: str, change: ParameterChange = change) -> None:
            raise ParameterFileError(definition.path, change.line, f"{change.path} at {change.start}: {message}")

        if change.value is None:
            continue
        parameter = resolve_parameter(baseline.parameters, change.path)
        if parameter is None:  # added: a value of the kind its branch declares, in the unit the reform states
            kind, unit = declared(change.path).value_kind, added_unit(definition, change.path)
            if kind == NUMBER and not unit:
                fail("a number the reform adds states its unit: metadata.unit on its first value (month, /1 …)")
        else:
            kind, unit = expectation(baseline, change.path, parameter)
        if kind is not None:
            problem = value_problem(change.value, kind, unit, change.written) or implausible(
                declared(change.path), unit, change.value
            )
            if problem:
                fail(problem)
            continue
        known = {_kind(item.value) for item in parameter.values_list if item.value is not None}
        if known and _kind(change.value) not in known:
            fail(f"expected {' or '.join(sorted(known))}, not {_kind(change.value)} ({change.value!r})")


def added_unit(definition: ParametricReformDefinition, path: str) -> str | None:
    """The unit a reform states for a parameter it adds (``metadata.unit`` of its first value)."""
    first = next(change for change in definition.changes if change.path == path)
    return unit_of(first.metadata)


def add_parameter(
    parameters: ParameterNode, change: ParameterChange, definition: ParametricReformDefinition
) -> Parameter:
    """A parameter the rules lack, added at the change's path (its groups too) with the change's value."""
    node, parts = parameters, change.path.split(".")
    for depth, part in enumerate(parts[:-1], start=1):
        if part not in node.children:
            node.add_child(part, ParameterNode(".".join(parts[:depth]), data={}))
        node = node.children[part]
    data = {
        "description": f"Added by the reform {definition.name} (a rule the law in force does not state)",
        "metadata": {"unit": added_unit(definition, change.path)},
        "values": {change.start: {"value": change.value}},
    }
    parameter = Parameter(change.path, data, str(definition.path))
    parameter.value_lines = {}  # type: ignore[attr-defined]  # as the loader's parameters
    node.add_child(parts[-1], parameter)
    return parameter


class ParametricReform(Reform):
    """A reform that changes dated parameter values, from a checked YAML definition; checked against the
    baseline it is applied to (its jurisdiction, its parameters' names and kinds) before it changes anything."""

    definition: ParametricReformDefinition

    def __init__(self, baseline: Any) -> None:
        code = getattr(getattr(baseline, "jurisdiction", None), "code", None)
        if code is not None and code != self.definition.jurisdiction:
            raise ParameterFileError(
                self.definition.path, None, f"this reform is for '{self.definition.jurisdiction}', not for '{code}'"
            )
        check_against(self.definition, baseline)
        super().__init__(baseline)

    def apply(self) -> None:
        self.modify_parameters(self._modify)

    def _modify(self, parameters: ParameterNode) -> ParameterNode:
        for change in self.definition.changes:
            parameter = resolve_parameter(parameters, change.path)
            if parameter is None:
                parameter = add_parameter(parameters, change, self.definition)
            else:
                parameter.update(start=periods.instant(change.start), value=change.value)
            if parameter.file_path == str(self.definition.path):  # added by the reform: its lines are the reform's
                parameter.value_lines[change.start] = change.line
            for item in parameter.values_list:
                if item.instant_str == change.start:
                    item.metadata = dict(change.metadata)
        return parameters


def earliest_change(system: Any) -> str | None:
    """The first day (YYYY-MM-DD) a parametric reform's values start on; None for another system."""
    definition = getattr(system, "definition", None)
    if not isinstance(definition, ParametricReformDefinition) or not definition.changes:
        return None
    return min(change.start for change in definition.changes)


def values_as_the_law(system: Any, first_day: str, last_day: str) -> list[str] | None:
    """Where a parametric reform has values in force from ``first_day`` to ``last_day`` (a month) and each equals
    the law's on every day either changes: each parameter and its value (``old_age.pensionable_age.men = 756``).
    None for another system, where no value is in force by ``last_day``, or where one differs."""
    definition = getattr(system, "definition", None)
    if not isinstance(definition, ParametricReformDefinition):
        return None
    paths = list(dict.fromkeys(change.path for change in definition.changes if change.start <= last_day))
    same = []
    for path in paths:
        reformed = resolve_parameter(system.parameters, path)
        law = resolve_parameter(system.baseline.parameters, path)
        if reformed is None or law is None:  # a parameter the reform adds: a rule the law does not state
            return None
        starts = {item.instant_str for item in [*reformed.values_list, *law.values_list]}
        days = [first_day, *sorted(day for day in starts if first_day < day <= last_day)]
        if any(reformed(day) != law(day) for day in days):
            return None
        same.append(f"{path} = {reformed(first_day)}")
    return same or None


def parametric_reform_class(definition: ParametricReformDefinition) -> type[ParametricReform]:
    """A Reform class for one YAML definition (what openfisca-core expects of a reform)."""
    return type(
        definition.name,
        (ParametricReform,),
        {"definition": definition, "name": definition.label, "__doc__": definition.description},
    )


def build_parametric_reform(path: Path | str, baseline: Any) -> Reform:
    """Read, check and apply a YAML parametric reform to ``baseline``."""
    return parametric_reform_class(read_parametric_reform(path))(baseline)
