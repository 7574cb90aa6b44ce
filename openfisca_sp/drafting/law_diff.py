"""What a change of law changes: the parameter values, references and statuses of two versions of the rules.

Two versions are two parameter folders of one jurisdiction (:func:`diff_directories`), two git revisions
of a checkout materialised with ``git archive`` (:func:`materialised`; ``WORKTREE`` is the files as they
are now), or two dates under the same rules (:func:`in_force_changes`). Each change names the file and line
of the value on the new side (the old side for a value removed). What the change does to the law cases and
to a sample population is :mod:`~openfisca_sp.drafting.law_diff_outcomes`.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openfisca_core.parameters import ParameterNode

from openfisca_sp.rules.parameter_loader import checked_tree, load_parameters
from openfisca_sp.rules.provenance import ProvenanceIndex, ValueProvenance, build_index
from openfisca_sp.rules.yaml_files import ParameterFileError

WORKTREE = "WORKTREE"  # the revision of the files as they are now in the checkout
ASPECTS = ("value", "reference", "status")  # what may change of a dated value


class LawDiffError(ValueError):
    """A diff that cannot be made: an unknown revision, a folder not in it, not a git checkout."""


def plain(value: Any) -> Any:
    """``value`` as plain JSON-ready data (YAML mappings with lines become dicts)."""
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


@dataclass(frozen=True)
class Side:
    """One side of a change: a dated value, its reference and status, and where it is written."""

    start: str
    value: Any
    status: str | None
    reference: tuple[dict[str, Any], ...]
    file: str | None
    line: int | None

    @classmethod
    def of(cls, record: ValueProvenance, root: Path | None) -> Side:
        return cls(
            record.start, record.value, record.status, record.reference, _relative(record.file, root), record.line
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "value": plain(self.value),
            "status": self.status,
            "reference": plain(self.reference),
            "file": self.file,
            "line": self.line,
        }


@dataclass(frozen=True)
class ValueChange:
    """A dated value added, removed, or whose value, reference or status changed."""

    parameter: str
    start: str
    changes: tuple[str, ...]  # "added", "removed", or some of ASPECTS
    old: Side | None
    new: Side | None

    @property
    def where(self) -> Side:
        """The side that locates the change: the new one, else the old one."""
        return self.new or self.old  # type: ignore[return-value]

    def to_dict(self) -> dict[str, Any]:
        return {
            "parameter": self.parameter,
            "start": self.start,
            "changes": list(self.changes),
            "file": self.where.file,
            "line": self.where.line,
            "old": self.old.to_dict() if self.old else None,
            "new": self.new.to_dict() if self.new else None,
        }


def _relative(file: str | None, root: Path | None) -> str | None:
    if file is None or root is None:
        return file
    try:
        return str(Path(file).resolve().relative_to(root.resolve()))
    except ValueError:
        return file


def _aspects(old: Side, new: Side) -> tuple[str, ...]:
    return tuple(aspect for aspect in ASPECTS if getattr(old, aspect) != getattr(new, aspect))


def compare_sides(parameter: str, start: str, old: Side | None, new: Side | None) -> ValueChange | None:
    """The change from ``old`` to ``new`` (None if neither is there or nothing differs)."""
    if old is None and new is None:
        return None
    if old is None or new is None:
        return ValueChange(parameter, start, ("added",) if old is None else ("removed",), old, new)
    aspects = _aspects(old, new)
    return ValueChange(parameter, start, aspects, old, new) if aspects else None


def tree_index(directory: Path | str) -> ProvenanceIndex:
    """The provenance index of the parameter folder ``directory`` (loaded and checked as the rules load it,
    except for the names the current branches read and the link of each reference: an older tree may name others,
    and cite without a link, as Viet Nam's minimum wages once did; ``check`` asks the link of the new). A tree that
    fails another check (a value without its status, written before each value had to state one) is read as far as
    it loads (:func:`lenient_tree`); the diff lists every check a side fails."""
    try:
        return build_index(load_parameters(directory, check_names_read=False, linked_references=False))
    except ParameterFileError:
        return build_index(lenient_tree(directory))


def lenient_tree(directory: Path | str) -> ParameterNode:
    """The parameter tree at ``directory`` whatever this version's checks find in it, provided they leave none of its
    files out (a value of a kind no rule reads, a file that is not YAML): else the first such problem is raised, since
    the values of that file cannot be compared."""
    tree, problems, left_out = checked_tree(directory)
    if tree is None or left_out:
        raise (left_out or problems)[0]
    return tree


def value_changes(
    old: ProvenanceIndex, new: ProvenanceIndex, old_root: Path | None = None, new_root: Path | None = None
) -> list[ValueChange]:
    """Every dated value added, removed or changed from ``old`` to ``new``, by parameter and date; files are
    given relative to each side's root."""
    found = []
    for parameter in sorted(set(old.history) | set(new.history)):
        before = {record.start: Side.of(record, old_root) for record in old.history.get(parameter, ())}
        after = {record.start: Side.of(record, new_root) for record in new.history.get(parameter, ())}
        for start in sorted(set(before) | set(after)):
            change = compare_sides(parameter, start, before.get(start), after.get(start))
            if change is not None:
                found.append(change)
    return found


def diff_directories(
    old: Path | str, new: Path | str, old_root: Path | None = None, new_root: Path | None = None
) -> list[ValueChange]:
    """Every value, reference and status that differs between two parameter folders of a jurisdiction."""
    return value_changes(tree_index(old), tree_index(new), old_root, new_root)


def in_force_changes(index: ProvenanceIndex, first: str, second: str, root: Path | None = None) -> list[ValueChange]:
    """What differs between the values in force at ``first`` and at ``second`` (YYYY-MM-DD) under one tree:
    each change is dated by the value in force at ``second`` (``removed``: no value in force any more)."""
    found = []
    for parameter in sorted(index.history):
        before, after = index.at(parameter, first), index.at(parameter, second)
        old = Side.of(before, root) if before else None
        new = Side.of(after, root) if after else None
        start = (after or before).start if (after or before) else first
        if old is not None and new is not None and old.start == new.start:
            continue  # the same dated value in force at both dates
        change = compare_sides(parameter, start, old, new)
        if change is not None:
            found.append(change)
    return found


def _git(root: Path, *arguments: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", "-C", str(root), *arguments], capture_output=True, check=False)  # noqa: S603, S607
    except FileNotFoundError as error:
        raise LawDiffError("git is not installed: a diff of revisions needs it") from error


def repository_root(start: Path | str = ".") -> Path:
    """The top folder of the git checkout holding ``start``."""
    result = _git(Path(start), "rev-parse", "--show-toplevel")
    if result.returncode:
        raise LawDiffError(f"{start} is not in a git checkout: a diff of revisions needs one")
    return Path(result.stdout.decode().strip())


def resolve(root: Path, revision: str) -> str:
    """The commit ``revision`` names (``WORKTREE`` stays itself)."""
    if revision == WORKTREE:
        return WORKTREE
    result = _git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    if result.returncode or not result.stdout.strip():
        raise LawDiffError(f"unknown revision '{revision}' in {root} (a commit, branch, tag, or {WORKTREE})")
    return result.stdout.decode().strip()


@contextmanager
def materialised(root: Path, revision: str, folder: str) -> Iterator[Path]:
    """The folder ``folder`` (relative to ``root``) as it is at ``revision``: the checkout's own for
    ``WORKTREE``, else a temporary copy from ``git archive`` (removed afterwards). Yields the root of the copy."""
    if revision == WORKTREE:
        if not (root / folder).is_dir():
            raise LawDiffError(f"no folder {folder} in {root}")
        yield root
        return
    commit = resolve(root, revision)
    result = _git(root, "archive", "--format=tar", commit, "--", folder)
    if result.returncode:
        raise LawDiffError(f"no folder {folder} at revision '{revision}' ({commit[:12]})")
    with tempfile.TemporaryDirectory(prefix="openfisca-sp-diff-") as directory:
        with tarfile.open(fileobj=io.BytesIO(result.stdout)) as archive:
            archive.extractall(directory, filter="data")
        yield Path(directory)
