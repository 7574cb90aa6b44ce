"""Shape files: the numbers that shape a synthetic population, each with its source or labelled an assumption.

A shape file (``shapes/<jurisdiction>.yaml``) is a tree. Its leaves are
mappings with a ``value`` and its provenance: either ``source`` (a key of the
file's ``sources``) and ``says`` (what the source says), or ``assumption: true``
and ``reason``. A file may name a ``base`` shape whose tree it extends (leaves
it repeats replace the base's). :func:`shape` returns the tree with each leaf
replaced by its value; :func:`provenance` lists where each value comes from.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

SHAPES_DIR = Path(__file__).parent / "shapes"
SHAPES: dict[str, Path] = {path.stem: path for path in sorted(SHAPES_DIR.glob("*.yaml"))}
METADATA_KEYS = ("jurisdiction", "label", "currency", "currency_note", "base", "description", "sources")


class ShapeError(ValueError):
    """A shape file is malformed: which file, which leaf, and what is wrong."""


def _read(code: str) -> dict[str, Any]:
    if code not in SHAPES:
        known = ", ".join(sorted(SHAPES))
        raise KeyError(f"no synthetic population shape for '{code}'; known shapes: {known}")
    with SHAPES[code].open(encoding="utf-8") as stream:
        return yaml.safe_load(stream)


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """``override`` laid over ``base``: branches merge, leaves (and non-mappings) replace."""
    merged = dict(base)
    for key, value in override.items():
        both_branches = isinstance(value, dict) and isinstance(merged.get(key), dict)
        if both_branches and not is_leaf(value) and not is_leaf(merged[key]):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def is_leaf(node: Any) -> bool:
    """Whether a node of a shape tree is a value with its provenance."""
    return isinstance(node, dict) and "value" in node


@cache
def raw_shape(code: str) -> dict[str, Any]:
    """The shape tree of ``code`` with provenance, its base merged in and checked."""
    data = _read(code)
    base = data.get("base")
    if base:
        parent = raw_shape(base)
        data = _merge(parent, {key: value for key, value in data.items() if key != "base"})
        data["sources"] = {**parent.get("sources", {}), **data.get("sources", {})}
        data["base"] = base
    _check(code, data)
    return data


def _check(code: str, data: dict[str, Any]) -> None:
    sources = data.get("sources") or {}
    for key, source in sources.items():
        if not isinstance(source, dict) or not source.get("title") or not source.get("url"):
            raise ShapeError(f"{code}: source '{key}' needs a title and a url")
    for path, leaf in leaves(data):
        if leaf.get("assumption") is True:
            if not leaf.get("reason"):
                raise ShapeError(f"{code}: {path} is an assumption without a reason")
        elif leaf.get("source") not in sources or not leaf.get("says"):
            raise ShapeError(f"{code}: {path} needs a known source and what it says, or assumption: true")


def leaves(tree: dict[str, Any], prefix: str = "") -> list[tuple[str, dict[str, Any]]]:
    """Every (dotted path, leaf) of a shape tree, metadata excluded."""
    found = []
    for key, node in tree.items():
        if not prefix and key in METADATA_KEYS:
            continue
        path = f"{prefix}{key}"
        if is_leaf(node):
            found.append((path, node))
        elif isinstance(node, dict):
            found.extend(leaves(node, f"{path}."))
        else:
            raise ShapeError(f"{path}: expected a leaf (value with provenance) or a mapping, got {node!r}")
    return found


def _values(node: Any) -> Any:
    if is_leaf(node):
        return node["value"]
    if isinstance(node, dict):
        return {key: _values(child) for key, child in node.items()}
    return node


@cache
def _shape(code: str) -> dict[str, Any]:
    data = raw_shape(code)
    plain = {key: _values(node) for key, node in data.items() if key not in ("sources",)}
    plain["sources"] = data.get("sources", {})
    return plain


def shape(code: str) -> dict[str, Any]:
    """The shape of jurisdiction ``code``: the tree of plain values (a fresh copy each call)."""
    return _copy(_shape(code))


def _copy(node: Any) -> Any:
    if isinstance(node, dict):
        return {key: _copy(child) for key, child in node.items()}
    if isinstance(node, list):
        return [_copy(child) for child in node]
    return node


def provenance(code: str) -> list[dict[str, Any]]:
    """One row per value of the shape: path, value, and its source (title, url, says) or assumption reason."""
    data = raw_shape(code)
    rows = []
    for path, leaf in leaves(data):
        row = {"path": path, "value": leaf["value"]}
        if leaf.get("assumption") is True:
            row.update(assumption=True, reason=leaf["reason"])
        else:
            source = data["sources"][leaf["source"]]
            row.update(assumption=False, source=leaf["source"], title=source["title"], url=source["url"])
            row["says"] = leaf["says"]
        rows.append(row)
    return rows
