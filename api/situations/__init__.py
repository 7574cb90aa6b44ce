"""OpenFisca Web API situations (``/calculate``, ``/trace``) evaluated from arrays.

A situation in the usual form (persons and households with ``{period: value}``
inputs, ``null`` where a result is wanted) is turned into arrays and one
simulation, which grows linearly with the number of persons. Anything this
fast path does not fully understand (axes, shorthand syntaxes, values of the
wrong type …) goes to openfisca-core's own builder, so that answers and error
messages stay those of ``openfisca serve``. Two deliberate differences, both
on inputs the reference mishandles:

* a period that does not fit a variable answers 400 with the path of the
  value, where the reference answers 500;
* a text given for a number is refused (400), where the reference evaluates it
  as an expression: code from a request is never evaluated here.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from dpath.exceptions import InvalidKeyName
from openfisca_core import periods
from openfisca_core.errors import PeriodMismatchError, SituationParsingError
from openfisca_core.indexed_enums import Enum

from openfisca_sp.rules.periods import parse_period
from openfisca_sp.rules.simulations import build_simulation, set_input

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class NotOnFastPathError(Exception):
    """The fast path does not handle this situation; openfisca-core's builder will."""


class SituationError(Exception):
    """A client error in a situation, located by its path (as openfisca's errors are)."""

    def __init__(self, path: list[str], message: str, code: int = 400) -> None:
        self.path = [str(item) for item in path]
        self.message = message
        self.code = code
        error: dict[str, Any] = {}
        node = error
        for key in self.path[:-1]:
            node = node.setdefault(key, {})
        if self.path:
            node[self.path[-1]] = message
        else:
            error["error"] = message
        self.error = error
        super().__init__(message)

    @classmethod
    def from_reference(cls, error: SituationParsingError) -> SituationError:
        """The same error body and code as openfisca-core's parsing error."""
        result = cls([], str(error), error.code or 400)
        result.error = _numeric_keys_repaired(error.error)
        return result


def _numeric_keys_repaired(node: Any) -> Any:
    """openfisca-core builds error paths with dpath, which turns a numeric key ("2024") into a
    list index padded with nulls; give back the object keyed by the text the client sent."""
    if isinstance(node, dict):
        return {key: _numeric_keys_repaired(value) for key, value in node.items()}
    if isinstance(node, list):
        return {str(index): _numeric_keys_repaired(value) for index, value in enumerate(node) if value is not None}
    return node


_JSON_TYPES = {bool: (bool,), float: (int, float), int: (int,), datetime.date: (str,), Enum: (str,), str: (str,)}


def _value_check(variable: Any) -> tuple[tuple[type, ...], Any]:
    """The JSON types a variable's inputs may have (exact types: no bool for a number, no text for a number)
    and, for dates and enums, a test of the text. Nothing is converted or evaluated."""
    test = None
    if variable.value_type is datetime.date:
        test = _DATE.match
    elif variable.value_type is Enum:
        test = variable.possible_values.__members__.__contains__
    return _JSON_TYPES.get(variable.value_type, ()), test


def _column(variable: Any, count: int, rows: dict[int, Any]) -> np.ndarray:
    """An input array: the variable's default, with the stated values."""
    if variable.value_type is Enum:
        array = np.full(count, variable.default_value.index, dtype=np.int16)
        members = variable.possible_values.__members__
        for row, value in rows.items():
            array[row] = members[value].index
        return array
    array = np.full(count, variable.default_value, dtype=variable.dtype)
    if variable.value_type is datetime.date:
        positions = np.fromiter(rows.keys(), dtype=np.int64, count=len(rows))
        array[positions] = np.array(list(rows.values()), dtype="datetime64[D]")
        return array
    try:
        array[np.fromiter(rows.keys(), dtype=np.int64, count=len(rows))] = list(rows.values())
    except (OverflowError, ValueError) as error:
        raise NotOnFastPathError(str(error)) from None
    return array


def _period_fits(variable: Any, period: periods.Period) -> bool:
    definition = variable.definition_period
    return definition == periods.DateUnit.ETERNITY or (period.unit == definition and period.size == 1)


def _json_values(variable: Any, array: Any) -> list[Any]:
    """Results as the reference serialises them (float32 shortest text, enum names, ISO dates)."""
    if variable.value_type is Enum:
        return array.decode_to_str().tolist()
    if variable.value_type is float:
        unique, inverse = np.unique(np.asarray(array, dtype=np.float32), return_inverse=True)
        texts = [float(str(value)) for value in unique]
        return [texts[index] for index in inverse.tolist()]
    if variable.value_type is datetime.date:
        return np.datetime_as_string(np.asarray(array, dtype="datetime64[D]")).tolist()
    if variable.value_type is str:
        return [str(value) for value in array]
    return np.asarray(array).tolist()


def _plan(tax_benefit_system: Any, situation: Any) -> tuple:
    """Validate and arrange a situation for the fast path, or raise :class:`NotOnFastPathError`."""
    if not isinstance(situation, dict):
        raise NotOnFastPathError("not an object")
    person_entity = tax_benefit_system.person_entity
    groups = {entity.plural: entity for entity in tax_benefit_system.group_entities}
    if set(situation) - {person_entity.plural, *groups}:
        raise NotOnFastPathError("axes, singular shortcuts or unknown keys")
    persons = situation.get(person_entity.plural)
    if not isinstance(persons, dict) or not persons:
        raise NotOnFastPathError("no persons")
    ids = list(persons)
    row_of = {person_id: row for row, person_id in enumerate(ids)}
    stated: dict[str, dict[str, dict[int, Any]]] = {}  # variable -> period -> row -> value
    wanted: dict[tuple[str, str, str], list[int]] = {}  # (entity plural, variable, period) -> rows
    checks: dict[tuple[str, str], tuple] = {}

    def read(entity: Any, entity_id: str, row: int, name: str, values: Any) -> None:
        check = checks.get((entity.key, name))
        if check is None:
            variable = tax_benefit_system.variables.get(name)
            if variable is None or variable.entity.key != entity.key:
                raise NotOnFastPathError(name)
            check = checks[(entity.key, name)] = _value_check(variable)
        if type(values) is not dict:
            raise NotOnFastPathError(name)
        accepted, test = check
        by_period = stated.get(name)
        if by_period is None:
            by_period = stated[name] = {}
        for period, value in values.items():
            if value is None:
                wanted.setdefault((entity.plural, name, period), []).append(row)
            elif type(value) in accepted and (test is None or test(value)):
                rows = by_period.get(period)
                if rows is None:
                    rows = by_period[period] = {}
                rows[row] = value
            else:
                raise NotOnFastPathError(name)

    # the loop over persons is the hot path of large requests: read() inlined, lookups hoisted
    person_key, person_plural = person_entity.key, person_entity.plural
    person_checks: dict[str, tuple] = {}
    wanted_by_name: dict[str, dict[str, list[int]]] = {}
    for row, variables in enumerate(persons.values()):
        if type(variables) is not dict:
            raise NotOnFastPathError(ids[row])
        for name, values in variables.items():
            check = person_checks.get(name)
            if check is None or type(values) is not dict:
                read(person_entity, ids[row], row, name, values)
                person_checks[name] = checks[(person_key, name)]
                continue
            accepted, test = check
            by_period = stated[name]
            for period, value in values.items():
                if value is None:
                    by_wanted = wanted_by_name.get(name)
                    if by_wanted is None:
                        by_wanted = wanted_by_name[name] = {}
                    rows = by_wanted.get(period)
                    if rows is None:
                        rows = by_wanted[period] = []
                    rows.append(row)
                elif type(value) in accepted and (test is None or test(value)):
                    rows = by_period.get(period)
                    if rows is None:
                        rows = by_period[period] = {}
                    rows[row] = value
                else:
                    raise NotOnFastPathError(name)
    for name, by_wanted in wanted_by_name.items():
        for period, rows in by_wanted.items():
            wanted.setdefault((person_plural, name, period), []).extend(rows)
    memberships = {}
    for plural, entity in groups.items():
        if plural not in situation:
            memberships[plural] = None
            continue
        instances = situation[plural]
        if not isinstance(instances, dict):
            raise NotOnFastPathError(plural)
        roles = {role.plural or role.key: role for role in entity.roles}
        group_of = np.full(len(ids), -1, dtype=np.int64)
        role_of: list[Any] = [None] * len(ids)
        group_ids = list(instances)
        for index, (group_id, members) in enumerate(instances.items()):
            if not isinstance(members, dict):
                raise NotOnFastPathError(group_id)
            for key, value in members.items():
                if key in roles:
                    listed = [value] if isinstance(value, str) else value
                    role = roles[key]
                    if not isinstance(listed, list) or (role.max is not None and len(listed) > role.max):
                        raise NotOnFastPathError(key)
                    for person_id in listed:
                        row = row_of.get(person_id) if isinstance(person_id, str) else None
                        if row is None or group_of[row] != -1:
                            raise NotOnFastPathError(str(person_id))
                        group_of[row] = index
                        role_of[row] = role.key
                else:
                    read(entity, group_id, index, key, value)
        if (group_of < 0).any():
            raise NotOnFastPathError("persons outside any group")
        memberships[plural] = (group_of, np.array(group_ids), np.array([role == "head" for role in role_of]))
    inputs = {(name, period): rows for name, by_period in stated.items() for period, rows in by_period.items() if rows}
    return ids, inputs, wanted, memberships


MAX_PERSONS = 10_000
MAX_PERIOD_DAYS = 100 * 366  # no input or result spans more than a century


def check_size(situation: Any, max_persons: int = MAX_PERSONS, periods_used: Any = None) -> None:
    """Refuse situations that would be too costly: too many persons (axes included), periods too long.

    ``periods_used`` (the distinct period texts, when already known) spares a walk through the situation.
    """
    if not isinstance(situation, dict):
        return
    persons = situation.get("persons")
    count = len(persons) if isinstance(persons, dict) else 1
    axes = situation.get("axes")
    for parallel in axes if isinstance(axes, list) else ():
        if not isinstance(parallel, list):
            continue  # the builder reports a malformed axis
        counts = [axis.get("count") for axis in parallel if isinstance(axis, dict)]
        if not all(isinstance(value, int) and not isinstance(value, bool) and value > 0 for value in counts):
            raise SituationError(["axes"], "Each axis needs a positive integer 'count'.")
        count *= max(counts, default=1)
    if count > max_persons:
        raise SituationError(
            ["persons"], f"At most {max_persons} persons per request (axes included); this one has {count}.", 413
        )
    if periods_used is None:
        periods_used = {period_text for _, _, _, period_text, _ in _entries(situation)}
    if any(_too_long(period_text) for period_text in periods_used):
        for plural, entity_id, name, period_text, _ in _entries(situation):
            if _too_long(period_text):
                raise SituationError(
                    [plural, entity_id, name, period_text], "Periods longer than a century are refused."
                )


@lru_cache(maxsize=8192)
def _too_long(period_text: Any) -> bool:
    """Whether a period spans more than a century (unparsable ones are reported later, with their path)."""
    try:
        period = parse_period(period_text)
    except (ValueError, TypeError):
        return False
    return period.unit != periods.DateUnit.ETERNITY and period.size_in_days > MAX_PERIOD_DAYS


@dataclass
class Plan:
    """A situation read for the fast path: ids, inputs and wanted results by row."""

    situation: dict[str, Any]
    ids: list[str]
    inputs: dict[tuple[str, str], dict[int, Any]]  # (variable, period) -> row -> value
    wanted: dict[tuple[str, str, str], list[int]]  # (entity plural, variable, period) -> rows
    households: tuple[np.ndarray, np.ndarray, np.ndarray] | None
    signature: frozenset  # inputs that replace a formula: plans merge only when these are the same


def plan(tax_benefit_system: Any, situation: Any, max_persons: int = MAX_PERSONS) -> Plan | None:
    """The fast-path plan of a situation, or None if it needs openfisca-core's builder."""
    check_size(situation, max_persons, periods_used=())
    try:
        ids, inputs, wanted, memberships = _plan(tax_benefit_system, situation)
    except NotOnFastPathError:
        check_size(situation, max_persons)
        return None
    check_size(situation, max_persons, {key[-1] for key in inputs} | {key[-1] for key in wanted})
    variables = tax_benefit_system.variables
    for name, period_text in inputs:
        try:
            period = parse_period(period_text)
        except ValueError:
            return None
        variable = variables[name]
        if (not _period_fits(variable, period) and not variable.set_input) or variable.is_neutralized:
            return None  # the reference reports the mismatch with its own message
    for plural, name, period_text in wanted:
        try:
            period = parse_period(period_text)
        except ValueError:
            return None
        if not _period_fits(variables[name], period):
            entity_id = list(situation[plural])[wanted[(plural, name, period_text)][0]]
            raise SituationError([plural, entity_id, name, period_text], _mismatch(variables[name], period_text))
    signature = frozenset(key for key in inputs if variables[key[0]].formulas)
    return Plan(situation, ids, inputs, wanted, memberships.get("households"), signature)


def execute(tax_benefit_system: Any, plans: list[Plan]) -> list[dict[str, Any]]:
    """Evaluate plans with the same signature as one simulation; each situation gets its own results."""
    person_offsets, group_offsets = [], []
    ids, group_of, group_ids, heads = [], [], [], []
    persons = groups = 0
    for each in plans:
        person_offsets.append(persons)
        group_offsets.append(groups)
        count = len(each.ids)
        ids.extend(each.ids)
        if each.households is None:
            group_of.append(np.arange(count) + groups)
            group_ids.append(np.array(each.ids))
            heads.append(np.ones(count, dtype=bool))
            groups += count
        else:
            members_of, names, head = each.households
            group_of.append(members_of + groups)
            group_ids.append(names)
            heads.append(head)
            groups += len(names)
        persons += count
    simulation = build_simulation(
        tax_benefit_system,
        np.array(ids),
        np.concatenate(group_of),
        np.concatenate(group_ids),
        np.concatenate(heads),
    )
    counts = {population.entity.plural: population.count for population in simulation.populations.values()}
    offsets = {tax_benefit_system.person_entity.plural: person_offsets}
    for entity in tax_benefit_system.group_entities:
        offsets[entity.plural] = group_offsets

    merged: dict[tuple[str, str], dict[int, Any]] = {}
    for index, each in enumerate(plans):
        for key, rows in each.inputs.items():
            shift = offsets[tax_benefit_system.variables[key[0]].entity.plural][index]
            target = merged.setdefault(key, {})
            if shift:
                target.update({row + shift: value for row, value in rows.items()})
            else:
                target.update(rows)
    for (name, period_text), rows in merged.items():
        variable = tax_benefit_system.variables[name]
        set_input(simulation, name, period_text, _column(variable, counts[variable.entity.plural], rows))

    results: dict[tuple[str, str], list[Any]] = {}
    for index, each in enumerate(plans):
        keys_of: dict[str, list[str]] = {}
        for (plural, name, period_text), rows in each.wanted.items():
            values = results.get((name, period_text))
            if values is None:
                variable = tax_benefit_system.variables[name]
                values = _json_values(variable, simulation.calculate(name, parse_period(period_text)))
                results[(name, period_text)] = values
            shift = offsets[plural][index]
            instances = each.situation[plural]
            keys = keys_of.get(plural)
            if keys is None:
                keys = keys_of[plural] = list(instances)
            for row in rows:
                instances[keys[row]][name][period_text] = values[row + shift]
    return [each.situation for each in plans]


def calculate(tax_benefit_system: Any, situation: Any, max_persons: int = MAX_PERSONS) -> dict[str, Any]:
    """The situation with every ``null`` replaced by its computed value."""
    planned = plan(tax_benefit_system, situation, max_persons)
    if planned is None:
        return reference_calculate(tax_benefit_system, situation)
    return execute(tax_benefit_system, [planned])[0]


def _mismatch(variable: Any, period: str) -> str:
    return (
        f"Unable to compute variable '{variable.name}' for period {period}: "
        f"'{variable.name}' must be computed for a whole {variable.definition_period}."
    )


def _entries(situation: Any) -> Iterator[tuple[str, str, str, str, Any]]:
    """Every ``(entity plural, id, variable, period, value)`` of a situation, skipping malformed parts
    (the builder reports those)."""
    if not isinstance(situation, dict):
        return
    for plural, instances in situation.items():
        for entity_id, variables in instances.items() if isinstance(instances, dict) else ():
            for name, values in variables.items() if isinstance(variables, dict) else ():
                for period, value in values.items() if isinstance(values, Mapping) else ():
                    yield plural, entity_id, name, period, value


def _refuse_what_the_reference_mishandles(tax_benefit_system: Any, situation: Any) -> None:
    """Refuse, with their path, text given for a number (the reference would evaluate it as an
    expression) and requested periods that do not fit their variable (the reference answers 500)."""
    for plural, entity_id, name, period_text, value in _entries(situation):
        variable = tax_benefit_system.variables.get(name)
        if variable is None:
            continue
        if isinstance(value, str) and variable.value_type in (int, float):
            raise SituationError(
                [plural, entity_id, name, period_text],
                f"Expected a number (JSON {variable.json_type}), got the text '{value[:40]}'; "
                "expressions are not evaluated.",
            )
        if value is None:
            try:
                period = parse_period(period_text)
            except (ValueError, TypeError):
                continue  # the reference builder reports it
            if not _period_fits(variable, period):
                raise SituationError([plural, entity_id, name, period_text], _mismatch(variable, period_text))


LARGEST_NUMERIC_KEY = 99_999


def _refuse_large_numeric_keys(situation: Any, path: tuple[str, ...] = ()) -> None:
    """openfisca-core writes error paths with dpath, which turns a numeric key into a list index:
    an id or period like "999999999999" would allocate that many items. Refuse such keys first."""
    if not isinstance(situation, dict) or len(path) > 3:
        return
    for key, value in situation.items():
        if isinstance(key, str) and key.isascii() and key.isdigit() and int(key) > LARGEST_NUMERIC_KEY:
            raise SituationError(
                [*path, key],
                f"Numeric keys above {LARGEST_NUMERIC_KEY} are refused in a situation outside the fast path.",
            )
        _refuse_large_numeric_keys(value, (*path, str(key)))


def _reference(handler: Any, tax_benefit_system: Any, situation: Any) -> dict[str, Any]:
    from openfisca_web_api import handlers  # the reference implementation, for situations outside the fast path

    _refuse_large_numeric_keys(situation)
    _refuse_what_the_reference_mishandles(tax_benefit_system, situation)
    if not isinstance(situation, dict):
        raise SituationError([], "Invalid situation: expected a JSON object whose keys are entity plurals.")
    try:
        return getattr(handlers, handler)(tax_benefit_system, situation)
    except SituationParsingError as error:
        raise SituationError.from_reference(error) from None
    except PeriodMismatchError as error:
        raise SituationError([error.variable_name, str(error.period)], error.message.replace("\n", " ")) from None
    except InvalidKeyName as error:  # dpath refuses empty keys (the reference answers 500)
        raise SituationError([], f"Invalid situation: {error}") from None
    except (ValueError, TypeError, KeyError, AttributeError, IndexError) as error:
        raise SituationError([], f"Invalid situation: {error}") from None


def reference_calculate(tax_benefit_system: Any, situation: Any) -> dict[str, Any]:
    """Calculate with openfisca-core's own builder and handler (same answers as ``openfisca serve``)."""
    if isinstance(situation, dict) and "axes" in situation:
        # the reference handler looks results up by the ids of the situation, which axes multiply: it fails (500)
        raise SituationError(["axes"], "Axes are not supported by /calculate (use /trace, or the Python API).")
    return _reference("calculate", tax_benefit_system, situation)


def trace(tax_benefit_system: Any, situation: Any, max_persons: int = MAX_PERSONS) -> dict[str, Any]:
    """The reference ``/trace`` answer, with the same client-error mapping as :func:`calculate`."""
    check_size(situation, max_persons)
    return _reference("trace", tax_benefit_system, situation)
