"""The house rules of a parameter file: dated values, each with a legal reference and a verification status.

* values are dated (``YYYY-MM-DD``) and of the kind their parameter holds: a
  number (never negative), a boolean, a name, a list of names, a scale (see
  :mod:`~openfisca_sp.rules.parameter_kinds`); ``null`` ends a value and is
  written out, a value left empty is refused;
* every value resolves to a legal reference (``metadata.reference``, a list of
  ``{instrument, article, href, source}``) and a verification status
  (``metadata.status``: ``verified``, ``verified_2nd`` or ``unverified``), either
  on the value itself or inherited from the parameter, scale or group;
* no duplicate keys, no unknown keys.

Any breach raises :class:`~openfisca_sp.rules.yaml_files.ParameterFileError`
naming the file, the line and what was expected.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from openfisca_sp.rules.branches import ParameterName
from openfisca_sp.rules.branches.model import NUMBER, SCALE, ValueKind
from openfisca_sp.rules.date_forms import meant, why_no_such_day, write_instead
from openfisca_sp.rules.missing_colons import missing_colon_in_text
from openfisca_sp.rules.parameter_kinds import (
    empty_problem,
    expected,
    implausible,
    is_number_unit,
    unit_of,
    value_problem,
)
from openfisca_sp.rules.periods import FIRST_DATE, LAST_DATE
from openfisca_sp.rules.provenance_checks import PROPOSAL as PROPOSAL
from openfisca_sp.rules.provenance_checks import STATUSES, ProvenanceChecks, is_text, unknown_key_message
from openfisca_sp.rules.sources import SourceRegistry
from openfisca_sp.rules.value_order import date_out_of_order, threshold_not_rising
from openfisca_sp.rules.whole_amounts import thousandfold
from openfisca_sp.rules.yaml_files import Mapping, ParameterFileError, is_empty, written_as

PARAMETER_KEYS = {"description", "metadata", "values", "documentation", "unit", "reference"}
SCALE_KEYS = {"description", "metadata", "brackets", "documentation", "unit", "reference"}
NODE_KEYS = {"description", "metadata", "documentation", "reference"}
VALUE_KEYS = {"value", "metadata"}
BRACKET_KEYS = {"threshold", "amount", "rate", "average_rate", "base"}
VALUE_TYPES = (bool, int, float, str, list, type(None))
_FILE_HOLDS = {  # what a file that is no mapping holds, in a drafter's words
    type(None): "the file is empty (or holds comments only)",
    str: "the file holds a line of text, not keys",
    list: "the file holds a list ('- ' items), not keys",
}
_A_PARAMETER_FILE = (
    "a parameter file holds 'description:', 'metadata:' (its unit) and 'values:' (its dated values, each with its "
    "reference and status), as in docs/drafting.md §2"
)
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# A value dated further than this after today is most often a mistyped year (2150 for 2015), unless its note says
# the law schedules it that far ahead, in the word the check looks for
FAR_AHEAD_YEARS = 30
SCHEDULED = re.compile(r"scheduled", re.IGNORECASE)


def latest_plausible(today: datetime.date) -> datetime.date:
    """The last day a value may be dated without a note saying why: :data:`FAR_AHEAD_YEARS` years after today."""
    year = today.year + FAR_AHEAD_YEARS
    return today.replace(year=year) if (today.month, today.day) != (2, 29) else datetime.date(year, 2, 28)


NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
BRACKET_UNITS = {"threshold": "threshold_unit", "amount": "amount_unit", "rate": "rate_unit"}
Declarations = Callable[[str], ParameterName | None]  # a parameter's dotted name -> its declaration, if any


def _number(entry: Any) -> Any:
    """The value of a dated entry (``value:`` under its date, or written beside it)."""
    return entry.get("value") if isinstance(entry, dict) else entry


def _bracket_values(brackets: list[Any]) -> Iterator[Mapping]:
    """The mappings of dated values of a scale's brackets (thresholds, amounts, rates)."""
    for bracket in brackets:
        if isinstance(bracket, dict):
            yield from (values for values in bracket.values() if isinstance(values, dict))


def _dated_values(child: Any) -> bool:
    """Whether a group's child is a mapping of dates (a parameter's values written under another key)."""
    return isinstance(child, Mapping) and bool(child) and all(isinstance(key, str) and DATE.match(key) for key in child)


class Checker(ProvenanceChecks):
    """Checks one file's content against the house rules."""

    def __init__(
        self,
        path: Path,
        statuses: tuple[str, ...] = STATUSES,
        sources: SourceRegistry | None = None,
        declared: Declarations | None = None,
        problems: list[ParameterFileError] | None = None,
        reasoned_nulls: bool = True,
        oldest_first: bool = False,
    ) -> None:
        self.path = path
        self.reasoned_nulls = reasoned_nulls  # a null says why (a reform's nulls: the reform's own reference)
        self.oldest_first = oldest_first  # dates run oldest first only (a reform's), not either way
        self.problems = problems  # when given, each part's first problem is recorded and the next part checked
        self.statuses = statuses
        self.sources = sources  # when given, every ``source`` a reference cites must be in it
        self.declared = declared  # when given, a declared parameter's values must be of its kind

    def kind_of(self, name: str, unit: str | None) -> ValueKind | None:
        """What the values of parameter ``name`` must be: as declared, else a number if its unit is one."""
        declaration = self.declared(name) if self.declared is not None else None
        if declaration is not None:
            return declaration.value_kind
        return NUMBER if is_number_unit(unit) else None

    @contextmanager
    def part(self) -> Iterator[None]:
        """One part of a file (a child, a dated value, a bracket): when problems are collected, its first problem
        is recorded and the check goes on with the next part; otherwise the problem is raised."""
        if self.problems is None:
            yield
            return
        try:
            yield
        except ParameterFileError as problem:
            self.problems.append(problem)

    def keys(self, mapping: Mapping, allowed: set[str], what: str) -> None:
        for key in mapping:
            if key in allowed:
                continue
            if "values" in allowed and (DATE.match(str(key)) or meant(key)):  # a dated value out of 'values:'
                self.fail(
                    mapping,
                    key,
                    f"'{key}' of {what} is a date, indented as a key of the parameter: a dated value goes under "
                    "'values:', indented below it (two spaces more)",
                )
            self.fail(mapping, key, unknown_key_message(key, allowed, what))

    def values(
        self,
        owner: Mapping,
        key: str,
        inherited: dict[str, Any],
        what: str,
        kind: ValueKind | None = None,
        unit: str | None = None,
    ) -> None:
        """Check the dated values ``owner[key]``; with ``kind``, each must be of it (``unit`` words the message)."""
        values = owner.get(key)
        if not isinstance(values, dict) or not values:
            self.fail(owner, key, f"'{key}' of {what} must be a mapping of dates (YYYY-MM-DD) to values")
        keys = [None, *values, None]
        for number, (date, entry) in enumerate(values.items(), 1):
            misplaced = date in VALUE_KEYS
            if (keys[number + 1] in VALUE_KEYS and not misplaced) or (misplaced and keys[number - 1] in VALUE_KEYS):
                continue  # a key of this value, or of the one above, written a level up: told once, at the first
            with self.part():
                self.value(values, date, entry, inherited, what, kind, unit)
        slip = thousandfold(((date, _number(entry)) for date, entry in values.items()), unit) if kind else None
        if slip is not None:
            with self.part():
                self.fail(values, slip[0], f"the value of {what} at {slip[0]} {slip[1]}")
        out_of_order = date_out_of_order(list(values), self.oldest_first)
        if out_of_order is not None:
            day, before, ascending = out_of_order
            order = f"{'oldest' if ascending else 'newest'} first{' in a reform' if self.oldest_first else ''}"
            self.fail(
                values,
                day,
                f"'{day}' is out of order among the dates of {what}, which run {order} ('{before}' comes before it): "
                "a mistyped year?",
            )

    def far_ahead(self, values: Mapping, date: str, day: datetime.date, note: Any, label: str) -> None:
        """A value (or a null ending one) dated more than :data:`FAR_AHEAD_YEARS` years after today is refused
        as a mistyped year, unless its note says the law schedules it (``scheduled …``): the calendar runs to
        2199, so 2150 for 2015 passed every other check."""
        latest = latest_plausible(datetime.date.today())
        if day > latest and not (isinstance(note, str) and SCHEDULED.search(note)):
            self.fail(
                values,
                date,
                f"{label} is dated more than {FAR_AHEAD_YEARS} years after today (after {latest}): a mistyped year "
                "(2150 for 2015?), or its metadata.note says why ('scheduled …' where the law sets a value that far "
                "ahead)",
            )

    def value(
        self,
        values: Mapping,
        date: Any,
        entry: Any,
        inherited: dict[str, Any],
        what: str,
        kind: ValueKind | None,
        unit: str | None,
    ) -> None:
        """Check one dated value of ``values``."""
        if date in VALUE_KEYS:
            self.fail(
                values,
                date,
                f"'{date}' is written at the level of the dates of {what}: it belongs to the dated value above it; "
                "indent it two spaces more than that date",
            )
        if not isinstance(date, str) or not DATE.match(date):
            self.fail(values, date, f"'{date}' is not a date in the form YYYY-MM-DD{write_instead(date)}")
        try:
            day = datetime.date.fromisoformat(date)
        except ValueError:
            self.fail(
                values,
                date,
                f"'{date}' is not a valid calendar date ({why_no_such_day(date)}): write a day that exists, YYYY-MM-DD",
            )
        if not FIRST_DATE <= day <= LAST_DATE:
            self.fail(
                values,
                date,
                f"'{date}' is outside the calendar the rules are asked in ({FIRST_DATE} to {LAST_DATE}): a mistyped "
                "year?",
            )
        label = f"the value of {what} at {date}"
        where, where_key = values, date
        if colon := missing_colon_in_text(entry, VALUE_KEYS):  # ``value 0.8`` alone under its date: text
            self.fail(values, date, colon)
        if isinstance(entry, dict):
            for key in entry:  # ``status:`` beside ``value:``: a key of the value's metadata, written a level up
                if key in {"status", "reference", "note"}:
                    self.fail(
                        entry,
                        key,
                        f"'{key}' of {label} goes under its 'metadata:', indented below it, not beside 'value:'",
                    )
            self.keys(entry, VALUE_KEYS, label)
            if "value" not in entry:
                self.fail(entry, None, f"{label} has no 'value'")
            value = entry["value"]
            where, where_key = entry, "value"
            metadata = self.metadata(entry, inherited, label)
        else:
            value, metadata = entry, inherited
        if is_empty(where, where_key):
            self.fail(where, where_key, empty_problem(kind, unit, label))
        if not isinstance(value, VALUE_TYPES) or (
            isinstance(value, list) and not all(isinstance(item, (str, int, float)) for item in value)
        ):
            wanted = f"; expected {expected(kind, unit)}" if kind is not None else ""
            self.fail(values, date, f"{label} must be a number, a boolean, a string, a list of those, or null{wanted}")
        problem = value_problem(value, kind, unit, written_as(where, where_key)) if kind is not None else None
        if problem:
            self.fail(where, where_key, problem)
        own = entry.get("metadata") if isinstance(entry, dict) else None
        own = own if isinstance(own, dict) else {}
        self.far_ahead(values, date, day, own.get("note"), label)
        if value is not None:
            self.require_provenance(values, date, metadata, label)
            self.dated_after_source(values, date, metadata, own, label)
            if "reference" in own and "status" not in own:  # else the parameter's status would vouch for it
                self.fail(
                    own,
                    "reference",
                    f"{label} cites its own reference but states no status: a value's status goes with the source "
                    f"it rests on; give metadata.status ({', '.join(self.statuses)}) beside its reference",
                )
        elif self.reasoned_nulls and not (is_text(own.get("note")) or "reference" in own):
            self.fail(
                where,
                where_key,
                f"{label} is null (the rule is not modelled from then) and does not say why: give metadata.note "
                "(the source not found) or metadata.reference (the instrument that ends it)",
            )

    def parameter(self, data: Mapping, name: str, inherited: dict[str, Any]) -> None:
        self.keys(data, PARAMETER_KEYS, f"parameter '{name}'")
        if not data.get("description"):
            self.fail(data, None, f"parameter '{name}' needs a 'description'")
        metadata = self.metadata(data, inherited, f"parameter '{name}'")
        unit = unit_of(data.get("metadata")) or unit_of(data)
        kind = self.kind_of(name, unit)
        if kind == SCALE:
            self.fail(data, "values", f"'{name}' is {expected(kind)}: write 'brackets', not 'values'")
        self.values(data, "values", metadata, f"parameter '{name}'", kind, unit)
        with self.part():
            values = data["values"]
            self.own_provenance(
                ((values, date, entry) for date, entry in values.items()), metadata, f"parameter '{name}'"
            )
        self.unit(data, name, unit)
        self.plausible(data["values"], name, unit)

    def plausible(self, values: Mapping, name: str, unit: str | None, label: str | None = None) -> None:
        """A number outside what a law can set in the parameter's unit is a slip (:func:`implausible`); ``label``
        names the values where they are not the parameter's own (a scale's bracket)."""
        declaration = self.declared(name) if self.declared is not None and label is None else None
        if not isinstance(values, Mapping):
            return  # said by the kind's check
        for date, entry in values.items():
            value = entry.get("value") if isinstance(entry, dict) else entry
            problem = implausible(declaration, unit, value)
            if problem:
                where, key = (entry, "value") if isinstance(entry, dict) else (values, date)
                with self.part():
                    self.fail(where, key, f"{label or f'the value of parameter {name!r}'} at {date} {problem}")

    def unit(self, data: Mapping, name: str, unit: str | None) -> None:
        """The file's unit is the one the formulas read the parameter in, where they fix it (a rate: ``/1``)."""
        declaration = self.declared(name) if self.declared is not None else None
        wanted = declaration.unit if declaration is not None else None
        if wanted is None or wanted.accepts(unit):
            return
        metadata = data.get("metadata")
        if unit is None:
            where, key = data, "metadata" if isinstance(metadata, dict) else None
            problem = "has no unit"
        else:
            where, key = (metadata, "unit") if isinstance(metadata, dict) and "unit" in metadata else (data, "unit")
            problem = f"is in '{unit}'"
        self.fail(
            where,
            key,
            f"parameter '{name}' {problem}; the formulas read it as {wanted.words}: "
            f"write metadata.unit: {wanted.example}",
        )

    def scale(self, data: Mapping, name: str, inherited: dict[str, Any]) -> None:
        self.keys(data, SCALE_KEYS, f"scale '{name}'")
        if not data.get("description"):
            self.fail(data, None, f"scale '{name}' needs a 'description'")
        metadata = self.metadata(data, inherited, f"scale '{name}'")
        declaration = self.declared(name) if self.declared is not None else None
        if declaration is not None and declaration.value_kind != SCALE:
            wanted = expected(declaration.value_kind, unit_of(data.get("metadata")))
            self.fail(data, "brackets", f"'{name}' is not a scale; expected 'values', each {wanted}")
        brackets = data["brackets"]
        if not isinstance(brackets, list) or not brackets:
            self.fail(data, "brackets", f"'brackets' of scale '{name}' must be a non-empty list")
        for index, bracket in enumerate(brackets):
            with self.part():
                self.bracket(data, bracket, f"bracket {index + 1} of scale '{name}'", metadata)
        with self.part():
            dated = [(values, date, entry) for values in _bracket_values(brackets) for date, entry in values.items()]
            self.own_provenance(dated, metadata, f"scale '{name}'")
        not_rising = threshold_not_rising(brackets)
        if not_rising is not None:
            index, since, problem = not_rising
            self.fail(brackets[index]["threshold"], since, f"scale '{name}': {problem}")

    def bracket(self, scale: Mapping, bracket: Any, label: str, metadata: dict[str, Any]) -> None:
        if not isinstance(bracket, dict):
            self.fail(scale, "brackets", f"{label} must be a mapping")
        self.keys(bracket, BRACKET_KEYS, label)
        if "threshold" not in bracket:
            self.fail(bracket, None, f"{label} needs a 'threshold'")
        for key in bracket:
            unit = unit_of(scale.get("metadata"), BRACKET_UNITS.get(key, "unit"))
            with self.part():
                self.values(bracket, key, metadata, f"the {key} of {label}", NUMBER, unit)
                self.plausible(bracket[key], label, unit, f"the {key} of {label}")

    def node(self, data: Any, name: str, inherited: dict[str, Any], parent: Any = None, key: Any = None) -> None:
        """Check a parameter, scale or group: a file's (no ``parent``) or ``parent[key]``."""
        if not isinstance(data, dict) and parent is None:
            holds = _FILE_HOLDS.get(type(data), "the file holds no keys")
            raise ParameterFileError(self.path, 1, f"{holds}: {_A_PARAMETER_FILE}")
        if not isinstance(data, dict):
            self.fail(parent, key, f"'{name}' must be a mapping (a parameter, a scale or a group)")
        if "values" in data:
            self.parameter(data, name, inherited)
        elif "brackets" in data:
            self.scale(data, name, inherited)
        else:
            metadata = self.metadata(data, inherited, f"group '{name}'", group=True)
            for key, child in data.items():
                if key in NODE_KEYS:
                    continue
                with self.part():
                    if _dated_values(child):  # ``value:`` for ``values:``: not a child named "value"
                        self.fail(
                            data,
                            key,
                            f"'{key}' holds dated values, so it is no parameter of its own: a parameter's dated "
                            f"values are under 'values' (did you mean 'values'?)",
                        )
                    if not isinstance(key, str) or not NAME.match(key):
                        self.fail(data, key, f"'{key}' is not a valid parameter name (lower_snake_case)")
                    self.node(child, f"{name}.{key}" if name else key, metadata, data, key)
