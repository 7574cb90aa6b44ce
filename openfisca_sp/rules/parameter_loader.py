"""Load a jurisdiction's parameter tree from YAML, strictly.

Every file is read safely with its line numbers (:mod:`~openfisca_sp.rules.yaml_files`)
and checked against the house rules (:mod:`~openfisca_sp.rules.parameter_checks`)
before openfisca-core builds its nodes. Any breach raises
:class:`~openfisca_sp.rules.yaml_files.ParameterFileError` naming the file, the line and
what was expected, so a drafter can fix it in one step.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from openfisca_core.parameters import Parameter, ParameterNode, ParameterScale

from openfisca_sp.rules.parameter_checks import INHERITED_KEYS, NODE_KEYS, STATUSES, Checker
from openfisca_sp.rules.yaml_files import Mapping, ParameterFileError, read_yaml


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
