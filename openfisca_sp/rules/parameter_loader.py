"""Load a jurisdiction's parameter tree from YAML, strictly.

Every file is read safely with its line numbers (:mod:`~openfisca_sp.rules.yaml_files`)
and checked against the house rules (:mod:`~openfisca_sp.rules.parameter_checks`)
before openfisca-core builds its nodes; every ``source`` a reference cites must
be in the jurisdiction's registry, ``metadata.sources`` of its ``index.yaml``
(:mod:`~openfisca_sp.rules.sources`); every file and group must be a name some
branch reads (:mod:`~openfisca_sp.rules.parameter_names`); and a duration's file
must state the unit its branch counts durations in
(:mod:`~openfisca_sp.rules.named_units`). Any breach raises
:class:`~openfisca_sp.rules.yaml_files.ParameterFileError` naming the file, the
line and what was expected, so a drafter can fix it in one step.

Each parameter keeps the line of each of its dated values (``value_lines``),
so that an index of the law can point at them, and the dates of its nulls whose
source was not found (:mod:`~openfisca_sp.rules.null_values`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from openfisca_core.parameters import Parameter, ParameterNode, ParameterScale

from openfisca_sp.rules import jurisdictions
from openfisca_sp.rules.branches import Branch, ParameterGroup
from openfisca_sp.rules.named_units import named_unit_problems
from openfisca_sp.rules.null_values import LawNode, keep_not_found
from openfisca_sp.rules.parameter_checks import NODE_KEYS, Checker, Declarations
from openfisca_sp.rules.parameter_names import Location, check_names, declarations
from openfisca_sp.rules.provenance_checks import INHERITED_KEYS, STATUSES
from openfisca_sp.rules.sources import LEGACY_FILE_NAME as LEGACY_SOURCES_FILE
from openfisca_sp.rules.sources import SourceRegistry, load_sources, registry_problems
from openfisca_sp.rules.yaml_files import Mapping, ParameterFileError, line_of, read_yaml


def _with_inherited(data: dict[str, Any], inherited: dict[str, Any]) -> dict[str, Any]:
    """Copy group metadata (reference, status) down so each value carries it."""
    if not inherited:
        return data
    merged = dict(data)
    metadata = dict(inherited)
    metadata.update(data.get("metadata") or {})
    merged["metadata"] = metadata
    return merged


def _keep_lines(parameter: Parameter, values: Any) -> Parameter:
    """Remember the line of each dated value of ``parameter`` (``value_lines``: date -> line)."""
    parameter.value_lines = dict(getattr(values, "key_lines", {}))  # type: ignore[attr-defined]
    return parameter


def _scale(name: str, data: dict[str, Any], path: Path, inherited: dict[str, Any]) -> ParameterScale:
    scale = ParameterScale(name, _with_inherited(data, inherited), str(path))
    for bracket, bracket_data in zip(scale.brackets, data["brackets"], strict=True):
        for key, child in bracket.children.items():
            _keep_lines(child, bracket_data.get(key))
    return scale


class _Loader:
    """Builds one tree, recording where each node is written."""

    def __init__(
        self,
        statuses: tuple[str, ...],
        sources: SourceRegistry | None,
        declared: Declarations | None = None,
        problems: list[ParameterFileError] | None = None,
    ) -> None:
        self.statuses = statuses
        self.sources = sources
        self.declared = declared
        self.problems = problems  # when given, problems are recorded there and loading goes on
        self.left_out: list[ParameterFileError] = []  # then, the problems that left a file out of the tree
        self.locations: dict[str, Location] = {}
        self.linked_references = True  # each reference gives its link (href or source)

    def checker(self, path: Path) -> Checker:
        checker = Checker(path, self.statuses, self.sources, self.declared, self.problems)
        checker.linked_references = self.linked_references
        checker.dated_after_sources = self.linked_references  # both relaxed for a law diff's older tree only
        return checker

    def index_metadata(self, path: Path, inherited: dict[str, Any], name: str) -> tuple[Mapping, dict[str, Any]]:
        index = path / "index.yaml"
        if not index.exists():
            return Mapping(), inherited
        data = read_yaml(index) or Mapping()
        checker = self.checker(index)
        if not isinstance(data, dict):
            checker.fail(data, None, "index.yaml must be a mapping with description and metadata")
        checker.keys(data, NODE_KEYS, f"index of '{name or path.name}'")
        return data, checker.metadata(data, inherited, f"group '{name or path.name}'", group=True)

    def folder(self, directory: Path, name: str, inherited: dict[str, Any]) -> ParameterNode:
        index, metadata = self.index_metadata(directory, inherited, name)
        node = LawNode(name, data={key: value for key, value in index.items()}, file_path=str(directory))
        if name:
            self.locations[name] = Location(str(directory), None, group=True)
        for path in _stray_files(directory, root=not name):
            problem = ParameterFileError(path, None, _not_read(path))
            if self.problems is None:
                raise problem
            self.problems.append(problem)
            self.left_out.append(problem)
        for path in _files(directory, root=not name):
            child_name = path.stem
            full_name = f"{name}.{child_name}" if name else child_name
            if child_name in node.children or full_name in self.locations:
                other = self.locations[full_name].path
                problem = ParameterFileError(
                    path, None, f"'{full_name}' is also defined by {other}: keep one of the two"
                )
                if self.problems is None:
                    raise problem
                self.problems.append(problem)
                self.left_out.append(problem)
                continue
            load = self.folder if path.is_dir() else self.file
            child = load(path, full_name, metadata)
            if child is not None:
                node.add_child(child_name, child)
        return node

    def file(self, path: Path, name: str, inherited: dict[str, Any]) -> Any:
        if self.problems is None:
            data = read_yaml(path)
            self.checker(path).node(data, name, inherited)
            return self.instantiate(name, data, path, inherited, line_of(data))
        found = len(self.problems)
        try:
            data = read_yaml(path)
            self.checker(path).node(data, name, inherited)
        except ParameterFileError as problem:
            self.problems.append(problem)
            self.left_out.append(problem)
            self.locations[name] = Location(str(path), None, group=True)  # its name is still checked
            return None
        try:
            return self.instantiate(name, data, path, inherited, line_of(data))
        except Exception:  # a file whose problems are recorded above: its name is still checked
            if len(self.problems) == found:
                raise
            self.left_out.append(self.problems[found])
            self.locations[name] = Location(str(path), line_of(data), group=True)
            return None

    def instantiate(
        self, name: str, data: dict[str, Any], path: Path, inherited: dict[str, Any], line: int | None
    ) -> Any:
        group = "values" not in data and "brackets" not in data
        self.locations[name] = Location(str(path), line, group=group)
        if "values" in data:
            parameter = Parameter(name, _with_inherited(data, inherited), str(path))
            return keep_not_found(_keep_lines(parameter, data["values"]), data["values"])
        if "brackets" in data:
            return _scale(name, data, path, inherited)
        own = data.get("metadata") or {}
        metadata = dict(inherited)
        metadata.update({key: own[key] for key in INHERITED_KEYS if key in own})
        node = LawNode(name, data={key: data[key] for key in data if key in NODE_KEYS}, file_path=str(path))
        for key, child in data.items():
            if key not in NODE_KEYS:
                child_line = line_of(data, key)
                node.add_child(key, self.instantiate(f"{name}.{key}", child, path, metadata, child_line))
        return node


def _is_parameter_file(path: Path, root: bool) -> bool:
    """A YAML file of parameters: not a folder's ``index.yaml``, nor the registry of sources that trees written
    before 0.10.2 kept in the jurisdiction's ``sources.yaml``."""
    return path.suffix in (".yaml", ".yml") and path.stem != "index" and not (root and path.name == LEGACY_SOURCES_FILE)


def _files(directory: Path, root: bool) -> Iterator[Path]:
    for path in sorted(directory.iterdir()):
        if not path.name.startswith((".", "_")) and (path.is_dir() or _is_parameter_file(path, root)):
            yield path


def _stray_files(directory: Path, root: bool) -> Iterator[Path]:
    """Files of a parameter folder that are neither parameters nor its index: a parameter saved as
    ``minimum_months.yaml.txt`` or ``.YAML`` was left out without a word, and its rule with it."""
    for path in sorted(directory.iterdir()):
        if path.name.startswith((".", "_")) or not path.is_file() or _is_parameter_file(path, root):
            continue
        if path.name != "index.yaml" and not (root and path.name == LEGACY_SOURCES_FILE):
            yield path


def _not_read(path: Path) -> str:
    """Why a file of a parameter folder is not read, and what to do."""
    lowered = path.name.lower()
    if lowered.endswith((".yaml", ".yml")):
        why = "its ending is not .yaml in lower case"
    elif ".yaml." in lowered or ".yml." in lowered:
        why = f"its name ends in {path.suffix} after .yaml (added by an editor?)"
    else:
        why = "only files whose names end in .yaml are parameters"
    return f"not read: {why}; rename it, or move it out of the rules' folders (notes belong in a file's note)"


def load_parameters(
    directory: Path | str,
    check_names_read: bool = True,
    extra: Iterable[Branch | ParameterGroup] = (),
    linked_references: bool = True,
) -> ParameterNode:
    """Load and check the parameter tree rooted at ``directory`` (a jurisdiction's folder).

    References must cite sources of the registry in ``directory/index.yaml``, and
    with ``linked_references`` (the default) each gives its link (an ``href`` or a
    ``source``; a tree written before the rule, read by a law diff, may lack it); with
    ``check_names_read`` (the default), every file and group must be a name the
    branch catalogue declares (plus the ``extra`` branches a reform adds). Every
    value of a declared parameter must be of the kind its declaration gives
    (:mod:`~openfisca_sp.rules.parameter_kinds`).
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise ParameterFileError(directory, None, "parameter directory not found")
    declared = declarations(extra)
    loader = _Loader(STATUSES, load_sources(directory), declared)
    loader.linked_references = linked_references
    tree = loader.folder(directory, "", {})
    if check_names_read:
        check_names(loader.locations, extra)
    disagreements = named_unit_problems(tree, loader.locations, declared)
    if disagreements:
        raise disagreements[0]
    return tree


def parameter_tree_problems(directory: Path | str) -> list[ParameterFileError]:
    """Every problem of the parameter tree at ``directory`` (a jurisdiction's folder), as :func:`load_parameters`
    would find them one at a time: each file, each part of a file, each name, each source."""
    return checked_tree(directory)[1]


def checked_tree(
    directory: Path | str,
) -> tuple[ParameterNode | None, list[ParameterFileError], list[ParameterFileError]]:
    """The parameter tree at ``directory`` as far as it loads (None where its registry of sources or a folder's
    index does not read), every problem of it (:func:`parameter_tree_problems`), and those that left a file out of
    the tree (all of them where the tree is None): a tree whose problems left nothing out holds every value written."""
    directory = Path(directory)
    if not directory.is_dir():
        missing = [ParameterFileError(directory, None, "parameter directory not found")]
        return None, missing, missing
    problems: list[ParameterFileError] = registry_problems(directory)
    sources = None if problems else load_sources(directory)
    problems += jurisdictions.declaration_problems(directory)  # its label, currency, decimals, default
    declared = declarations()
    loader = _Loader(STATUSES, sources, declared, problems)
    tree = None
    try:
        tree = loader.folder(directory, "", {})
    except ParameterFileError as problem:  # a folder's index
        problems.append(problem)
    else:
        problems += named_unit_problems(tree, loader.locations, declared)
    check_names(loader.locations, (), problems)
    if tree is None or sources is None:  # no tree, or its references not read against their registry
        return None, problems, problems
    return tree, problems, loader.left_out


def load_parameter_file(
    path: Path | str,
    name: str,
    statuses: tuple[str, ...] = STATUSES,
    branch: Branch | None = None,
    sources: SourceRegistry | None = None,
) -> Any:
    """Load and check one YAML file as the parameter node, parameter or scale ``name``.

    ``branch`` (a reform's own branch) declares the names the file may hold;
    ``sources`` is the registry its references may cite.
    """
    path = Path(path)
    loader = _Loader(statuses, sources, declarations((branch,) if branch is not None else ()))
    node = loader.file(path, name, {})
    if branch is not None:
        check_names(loader.locations, (branch,))
    return node
