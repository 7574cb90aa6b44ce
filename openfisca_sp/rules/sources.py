"""The sources a jurisdiction's parameters cite: ``metadata.sources`` of ``parameters/<jurisdiction>/index.yaml``.

A reference in a parameter file may name its source by a short id
(``source: S26``, or a list of ids); the registry, in the metadata of the
jurisdiction's root node, says what that source is::

    metadata:
      sources:
        S26:
          instrument: Lao NSSF/LSSO official benefit pages (maternity, unemployment …)
          date: null        # as the source gives it: YYYY, YYYY-MM, YYYY-MM-DD, or null if undated
          link: http://nssf.gov.la/…
          language: lo      # ISO 639-1 code, or a list of codes

The registry is metadata, not a parameter: it holds no value of the law, so it
has no verification status (each value that cites a source carries its own).
Every id a parameter file cites must be in its jurisdiction's registry: the
loader refuses an unknown id with the file, the line and the closest id.

Trees written before openfisca-sp 0.10.2 kept the registry in a file of its own,
``parameters/<jurisdiction>/sources.yaml``; it is still read where the index has
none, so that a law diff can load an older revision.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openfisca_sp.rules.suggestions import closest_name
from openfisca_sp.rules.yaml_files import Mapping, ParameterFileError, line_of, read_yaml

INDEX_FILE = "index.yaml"
METADATA_KEY = "sources"
LEGACY_FILE_NAME = "sources.yaml"  # the registry's own file, before 0.10.2
SOURCE_KEYS = ("instrument", "date", "link", "language", "note")
REQUIRED_KEYS = ("instrument", "date", "link", "language")
IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
LANGUAGE = re.compile(r"^[a-z]{2}$")
PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(frozen=True)
class Source:
    """One source: what it is, when it is dated, where to read it, in which language."""

    id: str
    instrument: str
    date: str | None
    link: str
    language: tuple[str, ...]
    note: str | None = None
    line: int | None = None

    @property
    def earliest_day(self) -> str | None:
        """The first day its date may be (``2024``: ``2024-01-01``, ``2024-06``: ``2024-06-01``); None if undated."""
        if self.date is None:
            return None
        return self.date + "-01-01"[: 10 - len(self.date)]


@dataclass(frozen=True)
class SourceRegistry:
    """The sources of one jurisdiction, by id, and the file that lists them."""

    path: str
    sources: dict[str, Source] = field(default_factory=dict)
    file: str | None = None  # the file that lists them (the jurisdiction's index.yaml)

    def __contains__(self, identifier: object) -> bool:
        return identifier in self.sources

    def check(self, where: Any, key: Any, cited: Any, file: Path | str) -> None:
        """Refuse a ``source`` entry that is not an id (or list of ids) of this registry."""
        identifiers = cited if isinstance(cited, list) else [cited]
        for identifier in identifiers:
            if not isinstance(identifier, str) or not IDENTIFIER.match(identifier):
                raise ParameterFileError(
                    file, line_of(where, key), f"'source' names a source by its id (e.g. S26), not {identifier!r}"
                )
            if identifier not in self.sources:
                raise ParameterFileError(file, line_of(where, key), self._unknown(identifier))

    def _unknown(self, identifier: str) -> str:
        if not self.sources:
            return f"unknown source '{identifier}': this jurisdiction's index.yaml has no metadata.sources"
        closest = closest_name(identifier, self.sources, cutoff=0.5)
        hint = f"did you mean '{closest}'?" if closest else f"known: {', '.join(sorted(self.sources))}"
        return f"unknown source '{identifier}': {self.path} does not list it; {hint}"


def _languages(value: Any) -> tuple[str, ...] | None:
    values = value if isinstance(value, list) else [value]
    if values and all(isinstance(item, str) and LANGUAGE.match(item) for item in values):
        return tuple(values)
    return None


def _date(value: Any) -> bool:
    if value is None:
        return True
    if not isinstance(value, str) or not PARTIAL_DATE.match(value):
        return False
    try:
        datetime.date.fromisoformat((value + "-01-01")[:10] if len(value) < 10 else value)
    except ValueError:
        return False
    return True


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _web_address(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(("https://", "http://"))


# What each field of an entry must be, and how the error says it.
FIELD_CHECKS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "instrument": (_text, "the text that names it"),
    "date": (_date, "YYYY, YYYY-MM or YYYY-MM-DD (null if undated)"),
    "link": (_web_address, "a web address (http:// or https://)"),
    "language": (lambda value: _languages(value) is not None, "an ISO 639-1 code (en, lo, vi …) or a list"),
    "note": (lambda value: value is None or isinstance(value, str), "text"),
}


def _source(path: Path, identifier: Any, entry: Any, data: Mapping) -> Source:
    """The source ``identifier`` of ``data``, or its first problem raised."""
    for problem in source_problems(path, identifier, entry, data):
        raise problem
    return Source(
        identifier,
        entry["instrument"].strip(),
        entry["date"],
        entry["link"],
        _languages(entry["language"]) or (),
        entry.get("note"),
        line_of(data, identifier),
    )


def source_problems(path: Path, identifier: Any, entry: Any, data: Mapping) -> Iterator[ParameterFileError]:
    """Every problem of one entry of a registry: its id, each key, each field."""

    def problem(where: Any, key: Any, message: str) -> ParameterFileError:
        return ParameterFileError(path, line_of(where, key), message)

    if not isinstance(identifier, str) or not IDENTIFIER.match(identifier):
        yield problem(data, identifier, f"'{identifier}' is not a source id (a letter, then letters, digits, - or _)")
    if not isinstance(entry, dict):
        yield problem(data, identifier, f"source '{identifier}' needs {', '.join(REQUIRED_KEYS)}")
        return
    for key in entry:
        if key not in SOURCE_KEYS:
            closest = closest_name(str(key), SOURCE_KEYS)
            hint = f"did you mean '{closest}'? " if closest else ""
            yield problem(
                entry,
                key,
                f"unexpected key '{key}' in source '{identifier}'; {hint}expected one of {list(SOURCE_KEYS)}",
            )
    for key in REQUIRED_KEYS:
        if key not in entry:
            yield problem(entry, None, f"source '{identifier}' needs '{key}'")
    for key, (valid, expected) in FIELD_CHECKS.items():
        if key in entry and not valid(entry[key]):
            written = entry[key]
            if key == "date" and isinstance(written, str) and PARTIAL_DATE.match(written):
                yield problem(entry, key, f"the date of source '{identifier}', '{written}', does not exist")
            else:
                yield problem(entry, key, f"the {key} of source '{identifier}' is {expected}")


def registry_problems(directory: Path | str) -> list[ParameterFileError]:
    """Every problem of the registry of the jurisdiction folder ``directory`` (:func:`load_sources` raises the
    first), each entry and field checked."""
    try:
        load_sources(directory)
    except ParameterFileError as first:
        index = Path(directory) / INDEX_FILE
        try:
            metadata = _index_metadata(index)
        except ParameterFileError:  # the index itself does not read (a tab, a key written twice): that is all
            return [first]
        entries = metadata.get(METADATA_KEY) if metadata is not None else None
        if not isinstance(entries, Mapping) or not entries:
            return [first]
        found = [each for key, entry in entries.items() for each in source_problems(index, key, entry, entries)]
        return found or [first]
    return []


def load_sources(directory: Path | str) -> SourceRegistry:
    """The registry of the jurisdiction folder ``directory``: its index's ``metadata.sources`` (else, in a tree
    written before 0.10.2, its ``sources.yaml``); empty if it has neither."""
    index = Path(directory) / INDEX_FILE
    metadata = _index_metadata(index)
    if metadata is not None and METADATA_KEY in metadata:
        return _registry(index, metadata[METADATA_KEY], f"{index} (metadata.sources)", metadata)
    legacy = Path(directory) / LEGACY_FILE_NAME
    if legacy.exists():
        return _registry(legacy, read_yaml(legacy), str(legacy), None)
    return SourceRegistry(f"{index} (metadata.sources)")


def _index_metadata(index: Path) -> Mapping | None:
    if not index.exists():
        return None
    data = read_yaml(index)
    metadata = data.get("metadata") if isinstance(data, dict) else None
    return metadata if isinstance(metadata, dict) else None


def _registry(path: Path, data: Any, name: str, owner: Mapping | None) -> SourceRegistry:
    if not isinstance(data, Mapping) or not data:
        line = line_of(owner, METADATA_KEY) if owner is not None else None
        raise ParameterFileError(path, line, "the sources map source ids to {instrument, date, link, language}")
    sources = {str(key): _source(path, key, entry, data) for key, entry in data.items()}
    return SourceRegistry(name, sources, str(path))


def cited(references: Iterable[dict[str, Any]]) -> list[str]:
    """The source ids a list of references cites."""
    found = []
    for reference in references:
        value = reference.get("source")
        found.extend(value if isinstance(value, list) else [value] if value else [])
    return found
