"""Reading a scenario file: each key checked, a mistake raised as ``file:line: what is wrong``
(:class:`ScenarioError`); every assumption states its value, its source and its status (:class:`Sourced`)."""

from __future__ import annotations

import datetime
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openfisca_sp.decisions.facts import Fact
from openfisca_sp.projection import scenario_keys as keys
from openfisca_sp.projection.assumed import Assumed, check_value
from openfisca_sp.projection.indexation_entries import Indexation, indexed_twice
from openfisca_sp.rules.large_numbers import as_float
from openfisca_sp.rules.wording import abridged
from openfisca_sp.rules.yaml_files import ParameterFileError, line_of

STATUSES = ("verified", "verified_2nd", "unverified", "assumption")
INDICES = ("prices", "wages")
PRODUCTIVITY = "productivity"  # real wages grow as real GDP per person aged 15-64
RATE_BOUNDS = (-0.5, 2.0)  # a yearly rate outside this is a typo (a percentage written as a number, say)


class ScenarioError(ParameterFileError):
    """A scenario file breaks a rule; the message starts with ``path:line:``."""


@dataclass(frozen=True)
class Sourced:
    """A number and where it comes from."""

    value: float
    source: str
    status: str
    year: int  # the year it holds from (a rate step), or is for (a level, a target)
    method: str | None = None  # a rate given by a method instead of a number (``productivity``)


class ScenarioReader:
    """Checks one scenario file, failing with its path and the line of what is wrong."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, mapping: Any, key: Any, message: str) -> ScenarioError:
        return ScenarioError(self.path, line_of(mapping, key), message)

    def known_keys(self, mapping: Any, allowed: tuple[str, ...], where: str, noun: str = "key") -> None:
        """Refuse a key of ``mapping`` not in ``allowed``, at its line (a misspelt one was ignored)."""
        if found := keys.unknown_key(mapping, allowed, where, noun):
            raise self.fail(mapping, *found)

    def get(self, mapping: Any, key: str, kind: type | tuple[type, ...], required: bool = True) -> Any:
        if not isinstance(mapping, dict):
            raise self.fail(mapping, None, f"expected a mapping with '{key}'")
        if key not in mapping or mapping[key] is None:
            if required:
                raise self.fail(mapping, None, f"'{key}' is missing")
            return None
        value = mapping[key]
        if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
            raise self.fail(mapping, key, f"'{key}' must be {keys.kind_name(kind)}, not {value!r}")
        if not isinstance(value, kind):
            raise self.fail(mapping, key, f"'{key}' must be {keys.kind_name(kind)}, not {value!r}")
        return value

    def year(self, mapping: Any, key: str) -> int:
        value = self.get(mapping, key, int)
        if not 1900 <= value <= 2300:
            raise self.fail(mapping, key, f"'{key}' must be a calendar year, not {value}")
        return value

    def source_and_status(self, mapping: Any) -> tuple[str, str]:
        """What every assumption states: its source (not empty) and its status."""
        source = self.get(mapping, "source", str).strip()
        if not source:
            raise self.fail(mapping, "source", "every assumption states its source")
        status = self.get(mapping, "status", str)
        if status not in STATUSES:
            raise self.fail(mapping, "status", f"status must be one of {', '.join(STATUSES)}, not {status!r}")
        return source, status

    def number(self, mapping: Any, kind: str, methods: tuple[str, ...]) -> tuple[float, str | None]:
        """The ``value``: a number (``kind``: a yearly rate, a share, a positive level), or one of ``methods``."""
        expected = " or ".join(["a number", *methods])
        if isinstance(mapping, dict) and isinstance(mapping.get("value"), bool):
            raise self.fail(mapping, "value", f"'value' must be {expected}, not {mapping['value']!r}")
        raw = self.get(mapping, "value", (int, float, str))
        if isinstance(raw, str):
            if raw in methods:
                return float("nan"), raw
            try:
                float(raw)
            except ValueError:
                raise self.fail(mapping, "value", f"'value' must be {expected}, not {raw!r}") from None
            hint = "YAML reads 1.0e16 as text: write 1.0e+16"
            raise self.fail(mapping, "value", f"'value' must be a number, not the text {raw!r} ({hint})")
        value = as_float(raw)
        if not math.isfinite(value):  # .inf, .nan or a number beyond a float's range: no level, rate or share
            raise self.fail(mapping, "value", f"'value' must be a finite number, not {abridged(raw)}")
        if kind == "share" and not 0 < value <= 1:  # 60 for 60% was told "a yearly rate is a fraction"
            raise self.fail(
                mapping, "value", f"a coverage target is a share above 0 and at most 1 (0.6 for 60%), not {value}"
            )
        if kind == "rate" and not RATE_BOUNDS[0] <= value <= RATE_BOUNDS[1]:
            raise self.fail(
                mapping, "value", f"a yearly rate is a fraction (0.035 for 3.5%), between {RATE_BOUNDS}, not {value}"
            )
        if kind == "level" and value <= 0:
            raise self.fail(mapping, "value", f"must be a positive number, not {value}")
        return value, None

    def sourced(self, mapping: Any, year_key: str, kind: str, where: str, methods: tuple[str, ...] = ()) -> Sourced:
        self.known_keys(mapping, (*keys.SOURCED, year_key), where)
        value, method = self.number(mapping, kind, methods)
        source, status = self.source_and_status(mapping)
        return Sourced(value, source, status, self.year(mapping, year_key), method)

    def steps(
        self,
        mapping: Any,
        key: str,
        required: bool = True,
        year_key: str = "from",
        methods: tuple[str, ...] = (),
        needed_from: int | None = None,
        kind: str = "rate",
    ) -> tuple[Sourced, ...]:
        """A rate's steps (or a share's); with ``needed_from``, the first year the rate is read, which its first step
        must cover (a first step later than that was carried back to the years before it, without a word)."""
        items = self.get(mapping, key, list, required) or []
        if required and not items:
            raise self.fail(mapping, key, f"'{key}' needs at least one step")
        steps = tuple(self.sourced(item, year_key, kind, f"an entry of '{key}'", methods) for item in items)
        years = [step.year for step in steps]
        if years != sorted(set(years)):
            raise self.fail(mapping, key, f"the steps of '{key}' must be in increasing years, each once: {years}")
        if steps and needed_from is not None and steps[0].year > needed_from:
            raise self.fail(
                items[0],
                year_key,
                f"'{key}' starts in {steps[0].year}, but the projection reads it from {needed_from}: give a step "
                f"from {needed_from} (or earlier), with its source",
            )
        return steps

    def coverage(self, assumptions: Any, base_year: int) -> tuple[Sourced, ...]:
        """The coverage path: shares of persons aged 15-64 contributing (above 0, at most 1), each for a year after
        the base year (whose share is the table's own: a target for it, or before it, reweighted the base)."""
        steps = self.steps(assumptions, "coverage", required=False, year_key="year", kind="share")
        for item, step in zip(self.get(assumptions, "coverage", list, False) or [], steps, strict=True):
            if step.year <= base_year:
                raise self.fail(
                    item, "year", f"a coverage target is for a year after {base_year}, whose share is the table's own"
                )
        return steps

    def indexation(self, item: Any, reader_years: range) -> Indexation:
        self.known_keys(item, keys.INDEXATION, "an entry of 'indexation'")
        index = self.get(item, "index", str)
        if index not in INDICES:
            raise self.fail(item, "index", f"index must be one of {', '.join(INDICES)}, not {index!r}")
        source, status = self.source_and_status(item)
        start = self.year(item, "from")
        if start < reader_years.start:
            raise self.fail(item, "from", f"indexation starts in a year of the projection, from {reader_years.start}")
        return Indexation(self.get(item, "parameter", str), index, start, source, status, line_of(item, "parameter"))

    def indexations(self, assumptions: Any, reader_years: range) -> tuple[Indexation, ...]:
        """The indexation entries, each parameter in one of them (:func:`~.indexation_entries.indexed_twice`)."""
        items = self.get(assumptions, "indexation", list, False) or []
        entries = tuple(self.indexation(item, reader_years) for item in items)
        if (twice := indexed_twice(entries)) is not None:
            raise ScenarioError(self.path, twice[0].line, twice[1])
        return entries

    def assumed(self, assumptions: Any, facts: Mapping[str, Fact], month: str) -> tuple[Assumed, ...]:
        """``assume``: for each column the person table lacks, the value stated for every person, with its source
        and status (:mod:`~.assumed`), each checked as a cell of the table would be, at its line."""
        entries = self.get(assumptions, "assume", dict, required=False) or {}
        found = []
        for column in entries:
            entry = entries[column]
            if not isinstance(entry, dict):
                expected = "a mapping of its value, source and status"
                raise self.fail(entries, column, f"the assumption for column '{column}' is {expected}, not {entry!r}")
            self.known_keys(entry, keys.ASSUMED, f"the assumption for column '{column}'")
            value = self.get(entry, "value", (int, float, str, bool, datetime.date))
            source, status = self.source_and_status(entry)
            try:
                check_value(str(column), value, facts, month)
            except ValueError as error:
                raise self.fail(entry, "value", str(error)) from None
            found.append(Assumed(str(column), value, source, status, line_of(entries, column)))
        return tuple(found)
