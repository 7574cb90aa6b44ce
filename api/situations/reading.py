"""Reading a situation for the fast path: persons, groups and their members, stated inputs and wanted results.

Rows are positions in the situation's order (persons for person variables, groups for group variables).
Values are read column by column: for each variable, then each of its periods, every row's value at once,
their types and texts checked on the whole column (C loops: ``map``, ``set``, numpy), never one by one.
Whatever the fast path does not fully understand raises :class:`NotOnFastPathError`, before any work; more
than :data:`MAX_VARIABLE_PERIODS` inputs and results (each variable and period once) raise :class:`SituationError`
before they are read (each costs a call into openfisca-core).
"""

from __future__ import annotations

from itertools import chain, compress, repeat
from operator import is_, itemgetter
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from openfisca_sp.api.situations.errors import NotOnFastPathError, SituationError
from openfisca_sp.api.situations.values import NUMBER_TYPES, Column, ValueCheck, accepted_values, value_check

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from openfisca_core.entities import Entity, GroupEntity, Role
    from openfisca_core.taxbenefitsystems import TaxBenefitSystem

    from openfisca_sp.api.situations.uniform import UniformBody

Inputs = dict[tuple[str, str], Column]
"""(variable, period) -> the rows it is stated for, and their values"""
Wanted = dict[tuple[str, str, str], "Cells"]
"""(entity plural, variable, period) -> the rows that want it, and where their results go"""
Membership = tuple[np.ndarray, np.ndarray, np.ndarray]
"""Each person's group (an index), the groups' ids, and each person's role (openfisca Role objects)."""
MAX_VARIABLE_PERIODS = 5_000
_NONE = type(None)


class Cells(NamedTuple):
    """The rows that want a result, and the ``{period: null}`` objects of the situation it is written into."""

    rows: np.ndarray  # int64 positions in the entity
    targets: list[dict[str, Any]] | np.ndarray  # {period: null} objects, or the cells of a uniform body


class Reading(NamedTuple):
    """A situation as read: person ids, stated inputs, wanted results, and each group entity's membership
    (None for a group entity the situation leaves out)."""

    ids: list[str]
    inputs: Inputs
    wanted: Wanted
    memberships: dict[str, Membership | None]


def read_situation(tax_benefit_system: TaxBenefitSystem, situation: Any) -> Reading:
    """Read a situation in the usual form (entity plurals, then ids, variables, ``{period: value}``)."""
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
    reader = _Reader(tax_benefit_system)
    reader.read_entity(person_entity, list(persons.values()), ids)
    row_of = {person_id: row for row, person_id in enumerate(ids)} if set(situation) & set(groups) else {}
    memberships = {
        plural: reader.read_group(entity, situation[plural], row_of) if plural in situation else None
        for plural, entity in groups.items()
    }
    return Reading(ids, reader.inputs, reader.wanted, memberships)


def read_uniform_situation(tax_benefit_system: TaxBenefitSystem, body: UniformBody) -> Reading:
    """A body whose persons all share one shape (:mod:`.uniform`), read as :func:`read_situation` reads it."""
    person_entity = tax_benefit_system.person_entity
    if "" in body.ids:  # as :meth:`_Reader.read_entity`
        raise NotOnFastPathError("an empty id")
    reader = _Reader(tax_benefit_system)
    for name, periods, columns, cells in body.columns():
        reader.read_columns(person_entity, name, periods, columns, cells)
    memberships: dict[str, Membership | None] = {entity.plural: None for entity in tax_benefit_system.group_entities}
    return Reading(body.ids, reader.inputs, reader.wanted, memberships)


class _Reader:
    """What has been read so far: stated inputs and wanted results, in the order they first appear."""

    def __init__(self, tax_benefit_system: TaxBenefitSystem) -> None:
        self.variables = tax_benefit_system.variables
        self.inputs: Inputs = {}
        self.wanted: Wanted = {}
        self.variable_periods = 0  # distinct (variable, period) read so far, stated or wanted
        self.plural = ""  # the entity being read, where a refusal of the whole situation points

    def _count_variable_periods(self, count: int) -> None:
        """``count`` more distinct variables and periods: refused (413) past :data:`MAX_VARIABLE_PERIODS`."""
        self.variable_periods += count
        if self.variable_periods > MAX_VARIABLE_PERIODS:
            raise SituationError(
                [self.plural],
                f"At most {MAX_VARIABLE_PERIODS} inputs and results (each variable and period counted once) per "
                "request; split the request.",
                413,
            )

    def _check(self, entity: Entity, name: str) -> ValueCheck:
        variable = self.variables.get(name)
        if variable is None or variable.entity.key != entity.key:
            raise NotOnFastPathError(name)
        return value_check(variable)

    def read_entity(self, entity: Entity, rows: list[Any], ids: Sequence[str]) -> None:
        """Every row's variables (``rows``: each row's ``{variable: {period: value}}``), variable by variable,
        in the order they first appear."""
        self.plural = entity.plural
        if "" in ids:  # an id openfisca-core cannot take: the usual reading refuses it at its place
            raise NotOnFastPathError("an empty id")
        if rows and set(map(type, rows)) != {dict}:
            raise NotOnFastPathError(str(next(ids[row] for row, each in enumerate(rows) if type(each) is not dict)))
        checks: dict[str, ValueCheck] = {}
        names, columns = _columns(rows, lambda found: checks.update((key, self._check(entity, key)) for key in found))
        everyone = np.arange(len(rows))
        for name in names:
            if columns is not None:
                at, column = everyone, columns[name]
            else:  # not every row names the same variables: this one's rows found one by one
                at = np.flatnonzero([name in each for each in rows])
                column = [rows[row][name] for row in at.tolist()]
            if set(map(type, column)) != {dict}:
                raise NotOnFastPathError(name)
            self._read_variable(entity.plural, name, checks[name], at, column)

    def _read_variable(self, plural: str, name: str, check: ValueCheck, at: np.ndarray, by_row: list[dict]) -> None:
        """One variable's ``{period: value}`` for the rows ``at``: its wanted rows and its stated columns, by
        period, the periods in the order a reading row by row first meets their values (an eternal variable
        stated under several periods of one length keeps the last one set)."""
        if self._read_table(name, check, at, by_row):
            return
        keys, periods = _columns(by_row, lambda keys: self._count_variable_periods(len(keys)))
        partial = None  # period -> the positions in by_row that state it, when not every row does
        if periods is None:
            partial = {}
            for index, each in enumerate(by_row):
                for period in each:
                    partial.setdefault(period, []).append(index)
        stated: list[tuple[tuple[int, int], str, Column]] = []
        order_in_row: dict[int, dict[str, int]] = {}
        for period in keys:
            if partial is None:
                rows, targets, values = at, by_row, periods[period]
            else:
                rows, targets = at[partial[period]], [by_row[index] for index in partial[period]]
                values = list(map(itemgetter(period), targets))
            column = self._period_column(plural, name, check, period, rows, targets, values)
            if column is None:
                continue
            first = 0 if column.rows is at else int(np.searchsorted(at, column.rows[0]))
            order = order_in_row.get(first)
            if order is None:
                order = order_in_row[first] = {key: position for position, key in enumerate(by_row[first])}
            stated.append(((first, order[period]), period, column))
        for _, period, column in sorted(stated, key=itemgetter(0)):
            self.inputs[(name, period)] = column

    def read_columns(
        self, entity: Entity, name: str, periods: Sequence[str], columns: list[list[Any]], cells: list[np.ndarray]
    ) -> None:
        """A variable every row states for the same ``periods``, in order: ``columns``, each period's value
        row by row, and ``cells``, where each row's result is written (:mod:`.uniform`)."""
        check = self._check(entity, name)
        plural = self.plural = entity.plural
        at = np.arange(len(columns[0]))
        if self._may_be_table(name, periods) and self._table(
            name, check, at, periods, list(chain.from_iterable(columns)), rows_first=False
        ):
            return
        self._count_variable_periods(len(periods))
        for period, values, targets in zip(periods, columns, cells, strict=True):
            column = self._period_column(plural, name, check, period, at, targets, values)
            if column is not None:
                self.inputs[(name, period)] = column

    def _period_column(
        self, plural: str, name: str, check: ValueCheck, period: str, rows: np.ndarray, targets: Any, values: list
    ) -> Column | None:
        """One period's values for ``rows``: those ``null`` are wanted (their results go to ``targets``), the
        others returned as read (None if every row wants it)."""
        types = set(map(type, values))
        if _NONE in types:
            if types == {_NONE}:
                self.wanted[(plural, name, period)] = Cells(rows, targets)
                return None
            wanted = np.fromiter(map(is_, values, repeat(None)), dtype=bool, count=len(values))
            self.wanted[(plural, name, period)] = Cells(rows[wanted], _picked(targets, wanted))
            types.discard(_NONE)
            rows, values = rows[~wanted], [value for value in values if value is not None]
        read = accepted_values(check, types, values)
        if read is None:
            raise NotOnFastPathError(name)
        return Column(rows, read)

    def _read_table(self, name: str, check: ValueCheck, at: np.ndarray, by_row: list[dict]) -> bool:
        """Whether a history of numbers was read as one table (True) or is left to the reading period by period
        (False): every row states the same periods (more than one: a wage's months), every value is a number
        the variable accepts, within its bounds. One pass over every value, where the other reading makes a
        list per period first; the periods are counted before any value is read."""
        keys = list(by_row[0]) if by_row else []
        if not self._may_be_table(name, keys) or sum(map(len, by_row)) != len(keys) * len(by_row):
            return False
        try:
            values = list(chain.from_iterable(map(itemgetter(*keys), by_row)))
        except KeyError:  # a row states other periods
            return False
        return self._table(name, check, at, keys, values, rows_first=True)

    def _may_be_table(self, name: str, periods: Sequence[str]) -> bool:
        """Whether a variable's history may be read as one table: numbers, more than one period (a wage's months),
        within the budget of periods (past it, the other reading refuses it, with its message)."""
        return (
            self.variables[name].value_type in NUMBER_TYPES
            and len(periods) > 1
            and self.variable_periods + len(periods) <= MAX_VARIABLE_PERIODS
        )

    def _table(
        self, name: str, check: ValueCheck, at: np.ndarray, periods: Sequence[str], values: list, rows_first: bool
    ) -> bool:
        """A history's ``values`` (row by row, or period by period) stored as one block per period, if every one
        is a number the variable accepts, within its bounds (None, a result wanted, is not accepted)."""
        read = accepted_values(check, set(map(type, values)), values)
        if not isinstance(read, np.ndarray):
            return False  # refused, or a number beyond its bounds (named by the planning as sent)
        self._count_variable_periods(len(periods))
        # a block per period
        by_period = read.reshape(len(at), len(periods)).T.copy() if rows_first else read.reshape(len(periods), len(at))
        for period, values_of_period in zip(periods, by_period, strict=True):
            self.inputs[(name, period)] = Column(at, values_of_period)
        return True

    def read_group(self, entity: GroupEntity, instances: Any, row_of: dict[str, int]) -> Membership:
        """A group entity's instances: their members by role, and their own variables.

        Every person must belong to exactly one instance, and every instance have a member. A role with
        sub-roles gives its members the sub-roles in order, as openfisca-core's builder does.
        """
        if not isinstance(instances, dict):
            raise NotOnFastPathError(entity.plural)
        roles = roles_by_key(entity)
        group_of = np.full(len(row_of), -1, dtype=np.int64)
        role_of = np.empty(len(row_of), dtype=object)
        group_ids = list(instances)
        variables = []
        for index, (group_id, members) in enumerate(instances.items()):
            if not isinstance(members, dict):
                raise NotOnFastPathError(group_id)
            for key, value in members.items():
                if key in roles:
                    _read_members(roles[key], key, value, index, row_of, group_of, role_of)
            variables.append({key: value for key, value in members.items() if key not in roles})
        self.read_entity(entity, variables, group_ids)
        if (group_of < 0).any():
            raise NotOnFastPathError("persons outside any group")
        if group_ids and np.bincount(group_of, minlength=len(group_ids)).min() == 0:
            raise NotOnFastPathError("a group without members")  # openfisca-core's sums then go wrong
        return group_of, np.array(group_ids), role_of


def _picked(targets: list[dict[str, Any]] | np.ndarray, wanted: np.ndarray) -> list[dict[str, Any]] | np.ndarray:
    """The targets of the rows ``wanted``."""
    if isinstance(targets, np.ndarray):
        return targets[wanted]
    return list(compress(targets, wanted.tolist()))


def roles_by_key(entity: GroupEntity) -> dict[str, Role]:
    """A group entity's roles by the key under which a group lists their members (the role's plural, or its key)."""
    return {role.plural or role.key: role for role in entity.roles}


def _columns(
    rows: list[dict[str, Any]], check: Callable[[list[str]], Any]
) -> tuple[list[str], dict[str, list[Any]] | None]:
    """The keys of ``rows`` in the order they first appear, checked by ``check`` (which raises) before any
    value is read, and each key's values row by row when every row has the same keys (the usual shape,
    found at C speed: every row as long as the first, and every key of the first in every row), else None."""
    if rows and sum(map(len, rows)) == len(rows[0]) * len(rows):
        keys = list(rows[0])
        check(keys)
        try:
            # a pass per key: faster than transposing the rows (zip) at every width measured
            return keys, {key: list(map(itemgetter(key), rows)) for key in keys}
        except KeyError:
            pass
    else:
        keys = []
    every = list(dict.fromkeys(chain.from_iterable(rows)))
    check(every[len(keys) :] if every[: len(keys)] == keys else every)
    return every, None


def _read_members(
    role: Role,
    key: str,
    value: Any,
    index: int,
    row_of: dict[str, int],
    group_of: np.ndarray,
    role_of: np.ndarray,
) -> None:
    """The persons one role of group ``index`` lists (one id, or a list no longer than the role allows)."""
    listed = [value] if isinstance(value, str) else value
    subroles = role.subroles or ()
    if (
        not isinstance(listed, list)
        or (role.max is not None and len(listed) > role.max)
        or (subroles and len(listed) > len(subroles))
    ):
        raise NotOnFastPathError(key)
    for position, person_id in enumerate(listed):
        row = row_of.get(person_id) if isinstance(person_id, str) else None
        if row is None or group_of[row] != -1:
            raise NotOnFastPathError(str(person_id))
        group_of[row] = index
        role_of[row] = subroles[position] if subroles else role
