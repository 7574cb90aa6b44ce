"""Load a jurisdiction's parameter tree from YAML, strictly.

Every file is read with a *safe* YAML loader that remembers line numbers, then
checked against the house rules before openfisca-core builds its nodes:

* values are dated (``YYYY-MM-DD``) and of an allowed type;
* every value resolves to a legal reference (``metadata.reference``, a list of
  ``{instrument, article, href}``) and a verification status
  (``metadata.status``: ``verified``, ``verified_2nd`` or ``unverified``), either
  on the value itself or inherited from the parameter or scale;
* no duplicate keys, no unknown keys.

Any breach raises :class:`ParameterFileError` naming the file, the line and what
was expected, so a drafter can fix it in one step.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from openfisca_core.parameters import Parameter, ParameterNode, ParameterScale

STATUSES = ("verified", "verified_2nd", "unverified")
PROPOSAL = "proposal"  # a reform's value: a proposed rule, not law in force
PARAMETER_KEYS = {"description", "metadata", "values", "documentation", "unit", "reference"}
SCALE_KEYS = {"description", "metadata", "brackets", "documentation", "unit", "reference"}
NODE_KEYS = {"description", "metadata", "documentation", "reference"}
VALUE_KEYS = {"value", "metadata"}
BRACKET_KEYS = {"threshold", "amount", "rate", "average_rate", "base"}
REFERENCE_KEYS = {"instrument", "article", "href", "source", "note"}
METADATA_ALLOWED_TYPES = (str, int, float, bool, list, dict, type(None))
VALUE_TYPES = (bool, int, float, str, list, type(None))
INHERITED_KEYS = ("reference", "status")  # what a group or parameter passes down to its values
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ParameterFileError(ValueError):
    """A parameter file breaks a rule; the message starts with ``path:line:``."""

    def __init__(self, path: Path | str, line: int | None, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.reason = message
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")


class Mapping(dict):
    """A dict that remembers the line of each key and of itself (1-based)."""

    line: int = 0
    key_lines: dict[Any, int]


class _LineLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader: dates stay strings, duplicate keys fail, lines are kept."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> Mapping:
    loader.flatten_mapping(node)
    result = Mapping()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)):
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a plain scalar", key_node.start_mark
            )
        if key in result:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key '{key}'", key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode) -> str:
    return str(node.value)


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def read_yaml(path: Path) -> Any:
    """Read one YAML file safely, turning syntax errors into ParameterFileError."""
    try:
        with path.open(encoding="utf-8") as stream:
            return yaml.load(stream, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        raise ParameterFileError(path, line, f"invalid YAML: {error.problem or error}") from error
    except UnicodeDecodeError as error:
        raise ParameterFileError(path, None, f"not UTF-8 text: {error}") from error


def _line(mapping: Any, key: Any = None) -> int | None:
    if isinstance(mapping, Mapping):
        if key is not None and key in mapping.key_lines:
            return mapping.key_lines[key]
        return mapping.line
    return None


class Checker:
    """Checks one file's content against the house rules."""

    def __init__(self, path: Path, statuses: tuple[str, ...] = STATUSES) -> None:
        self.path = path
        self.statuses = statuses

    def fail(self, where: Any, key: Any, message: str) -> None:
        raise ParameterFileError(self.path, _line(where, key), message)

    def keys(self, mapping: Mapping, allowed: set[str], what: str) -> None:
        for key in mapping:
            if key not in allowed:
                self.fail(mapping, key, f"unexpected key '{key}' in {what}; expected one of {sorted(allowed)}")

    def metadata(self, owner: Mapping, inherited: dict[str, Any], what: str) -> dict[str, Any]:
        """Check ``owner['metadata']`` and return the metadata in force (inherited + own)."""
        own = owner.get("metadata", {})
        if own is None:
            own = {}
        if not isinstance(own, dict):
            self.fail(owner, "metadata", f"'metadata' of {what} must be a mapping")
        for key, value in own.items():
            if not isinstance(value, METADATA_ALLOWED_TYPES):
                self.fail(own, key, f"metadata '{key}' has an unsupported type")
        if "status" in own and own["status"] not in self.statuses:
            self.fail(own, "status", f"status '{own['status']}' of {what} must be one of {list(self.statuses)}")
        if "reference" in own:
            self.references(own, own["reference"], what)
        merged = dict(inherited)
        merged.update({key: own[key] for key in INHERITED_KEYS if key in own})
        return merged

    def references(self, owner: Mapping, references: Any, what: str) -> None:
        if not isinstance(references, list) or not references:
            self.fail(
                owner, "reference", f"'reference' of {what} must be a non-empty list of {{instrument, article, href}}"
            )
        for item in references:
            if not isinstance(item, dict) or not item.get("instrument"):
                self.fail(
                    item if isinstance(item, Mapping) else owner,
                    None,
                    f"each reference of {what} needs an 'instrument' (the law or source cited)",
                )
            for key in item:
                if key not in REFERENCE_KEYS:
                    expected = sorted(REFERENCE_KEYS)
                    self.fail(item, key, f"unexpected key '{key}' in a reference; expected one of {expected}")

    def require_provenance(self, where: Mapping, key: Any, metadata: dict[str, Any], what: str) -> None:
        missing = [name for name in ("reference", "status") if not metadata.get(name)]
        if missing:
            self.fail(
                where,
                key,
                f"{what} has no {' and no '.join(missing)}: give metadata.reference "
                f"(instrument, article) and metadata.status ({', '.join(self.statuses)}) "
                "on the value or on its parameter",
            )

    def values(self, owner: Mapping, key: str, inherited: dict[str, Any], what: str) -> None:
        values = owner.get(key)
        if not isinstance(values, dict) or not values:
            self.fail(owner, key, f"'{key}' of {what} must be a mapping of dates (YYYY-MM-DD) to values")
        for date, entry in values.items():
            if not isinstance(date, str) or not DATE.match(date):
                self.fail(values, date, f"'{date}' is not a date in the form YYYY-MM-DD")
            try:
                datetime.date.fromisoformat(date)
            except ValueError:
                self.fail(values, date, f"'{date}' is not a valid calendar date")
            label = f"the value of {what} at {date}"
            if isinstance(entry, dict):
                self.keys(entry, VALUE_KEYS, label)
                if "value" not in entry:
                    self.fail(entry, None, f"{label} has no 'value'")
                value = entry["value"]
                metadata = self.metadata(entry, inherited, label)
            else:
                value, metadata = entry, inherited
            if not isinstance(value, VALUE_TYPES) or (
                isinstance(value, list) and not all(isinstance(item, (str, int, float)) for item in value)
            ):
                self.fail(values, date, f"{label} must be a number, a boolean, a string, a list of those, or null")
            if value is not None:
                self.require_provenance(values, date, metadata, label)

    def parameter(self, data: Mapping, name: str, inherited: dict[str, Any]) -> None:
        self.keys(data, PARAMETER_KEYS, f"parameter '{name}'")
        if not data.get("description"):
            self.fail(data, None, f"parameter '{name}' needs a 'description'")
        metadata = self.metadata(data, inherited, f"parameter '{name}'")
        self.values(data, "values", metadata, f"parameter '{name}'")

    def scale(self, data: Mapping, name: str, inherited: dict[str, Any]) -> None:
        self.keys(data, SCALE_KEYS, f"scale '{name}'")
        if not data.get("description"):
            self.fail(data, None, f"scale '{name}' needs a 'description'")
        metadata = self.metadata(data, inherited, f"scale '{name}'")
        brackets = data["brackets"]
        if not isinstance(brackets, list) or not brackets:
            self.fail(data, "brackets", f"'brackets' of scale '{name}' must be a non-empty list")
        for index, bracket in enumerate(brackets):
            label = f"bracket {index + 1} of scale '{name}'"
            if not isinstance(bracket, dict):
                self.fail(data, "brackets", f"{label} must be a mapping")
            self.keys(bracket, BRACKET_KEYS, label)
            if "threshold" not in bracket:
                self.fail(bracket, None, f"{label} needs a 'threshold'")
            for key in bracket:
                self.values(bracket, key, metadata, f"the {key} of {label}")

    def node(self, data: Any, name: str, inherited: dict[str, Any]) -> None:
        if not isinstance(data, dict):
            self.fail(data, None, f"'{name}' must be a mapping (a parameter, a scale or a group)")
        if "values" in data:
            self.parameter(data, name, inherited)
        elif "brackets" in data:
            self.scale(data, name, inherited)
        else:
            metadata = self.metadata(data, inherited, f"group '{name}'")
            for key, child in data.items():
                if key in NODE_KEYS:
                    continue
                if not isinstance(key, str) or not re.match(r"^[a-z_][a-z0-9_]*$", key):
                    self.fail(data, key, f"'{key}' is not a valid parameter name (lower_snake_case)")
                self.node(child, f"{name}.{key}" if name else key, metadata)


def _index_metadata(path: Path, inherited: dict[str, Any], name: str) -> tuple[Mapping, dict[str, Any]]:
    index = path / "index.yaml"
    if not index.exists():
        return Mapping(), inherited
    data = read_yaml(index) or Mapping()
    checker = Checker(index)
    if not isinstance(data, dict):
        checker.fail(data, None, "index.yaml must be a mapping with description and metadata")
    checker.keys(data, NODE_KEYS, f"index of '{name or path.name}'")
    return data, checker.metadata(data, inherited, f"group '{name or path.name}'")


def _files(directory: Path) -> Iterator[Path]:
    for path in sorted(directory.iterdir()):
        if path.name.startswith((".", "_")):
            continue
        if path.is_dir() or (path.suffix in (".yaml", ".yml") and path.stem != "index"):
            yield path


def _build(directory: Path, name: str, inherited: dict[str, Any]) -> ParameterNode:
    index, metadata = _index_metadata(directory, inherited, name)
    node = ParameterNode(name, data={key: value for key, value in index.items()}, file_path=str(directory))
    for path in _files(directory):
        child_name = path.stem
        full_name = f"{name}.{child_name}" if name else child_name
        if path.is_dir():
            child = _build(path, full_name, metadata)
        else:
            data = read_yaml(path)
            checker = Checker(path)
            checker.node(data, full_name, metadata)
            child = _instantiate(full_name, data, path, metadata)
        node.add_child(child_name, child)
    return node


def _with_inherited(data: dict[str, Any], inherited: dict[str, Any]) -> dict[str, Any]:
    """Copy group metadata (reference, status) down so each value carries it."""
    if not inherited:
        return data
    merged = dict(data)
    metadata = dict(inherited)
    metadata.update(data.get("metadata") or {})
    merged["metadata"] = metadata
    return merged


def _instantiate(name: str, data: dict[str, Any], path: Path, inherited: dict[str, Any]):
    if "values" in data:
        return Parameter(name, _with_inherited(data, inherited), str(path))
    if "brackets" in data:
        return ParameterScale(name, _with_inherited(data, inherited), str(path))
    own = data.get("metadata") or {}
    metadata = dict(inherited)
    metadata.update({key: own[key] for key in INHERITED_KEYS if key in own})
    node = ParameterNode(name, data={key: data[key] for key in data if key in NODE_KEYS}, file_path=str(path))
    for key, child in data.items():
        if key not in NODE_KEYS:
            node.add_child(key, _instantiate(f"{name}.{key}", child, path, metadata))
    return node


def load_parameters(directory: Path) -> ParameterNode:
    """Load and check the parameter tree rooted at ``directory``."""
    directory = Path(directory)
    if not directory.is_dir():
        raise ParameterFileError(directory, None, "parameter directory not found")
    return _build(directory, "", {})


def load_parameter_file(path: Path, name: str, statuses: tuple[str, ...] = STATUSES) -> Any:
    """Load and check one YAML file as the parameter node, parameter or scale ``name``."""
    path = Path(path)
    data = read_yaml(path)
    Checker(path, statuses).node(data, name, {})
    return _instantiate(name, data, path, {})
