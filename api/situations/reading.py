"""Reading a situation for the fast path: persons, groups and their members, stated inputs and wanted results.

Rows are positions in the situation's order (persons for person variables, groups for group variables).
Whatever the fast path does not fully understand raises :class:`NotOnFastPathError`, before any work.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from openfisca_sp.api.situations.errors import NotOnFastPathError
from openfisca_sp.api.situations.values import ValueCheck, value_check

if TYPE_CHECKING:
    from openfisca_core.entities import Entity, GroupEntity, Role
    from openfisca_core.taxbenefitsystems import TaxBenefitSystem

Inputs = dict[tuple[str, str], dict[int, Any]]
"""(variable, period) -> row -> value"""
Wanted = dict[tuple[str, str, str], list[int]]
"""(entity plural, variable, period) -> rows"""
Membership = tuple[np.ndarray, np.ndarray, np.ndarray]
"""Each person's group (an index), the groups' ids, and each person's role (openfisca Role objects)."""


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
    reader.read_persons(person_entity, persons, ids)
    row_of = {person_id: row for row, person_id in enumerate(ids)}
    memberships = {
        plural: reader.read_group(entity, situation[plural], row_of) if plural in situation else None
        for plural, entity in groups.items()
    }
    inputs = {
        (name, period): rows for name, by_period in reader.stated.items() for period, rows in by_period.items() if rows
    }
    return Reading(ids, inputs, reader.wanted, memberships)


class _Reader:
    """What has been read so far: stated values and wanted results, and each variable's :data:`ValueCheck`."""

    def __init__(self, tax_benefit_system: TaxBenefitSystem) -> None:
        self.variables = tax_benefit_system.variables
        self.stated: dict[str, dict[str, dict[int, Any]]] = {}  # variable -> period -> row -> value
        self.wanted: Wanted = {}
        self.checks: dict[tuple[str, str], ValueCheck] = {}  # (entity key, variable) -> check

    def read(self, entity: Entity, row: int, name: str, values: Any) -> None:
        """One variable's ``{period: value}`` for one row of an entity (the general case)."""
        check = self.checks.get((entity.key, name))
        if check is None:
            variable = self.variables.get(name)
            if variable is None or variable.entity.key != entity.key:
                raise NotOnFastPathError(name)
            check = self.checks[(entity.key, name)] = value_check(variable)
        if type(values) is not dict:
            raise NotOnFastPathError(name)
        accepted, test = check
        by_period = self.stated.get(name)
        if by_period is None:
            by_period = self.stated[name] = {}
        for period, value in values.items():
            if value is None:
                self.wanted.setdefault((entity.plural, name, period), []).append(row)
            elif type(value) in accepted and (test is None or test(value)):
                rows = by_period.get(period)
                if rows is None:
                    rows = by_period[period] = {}
                rows[row] = value
            else:
                raise NotOnFastPathError(name)

    def read_persons(self, entity: Entity, persons: dict[str, Any], ids: list[str]) -> None:
        """Every person's variables: the hot path of large requests (10,000 persons).

        The per-value work of :meth:`read` is inlined and its lookups hoisted; the first value of each
        variable (or one that is not an object) goes through :meth:`read`, which checks the variable.
        Wanted rows are gathered by variable and period, then added after the values :meth:`read` added.
        """
        stated, checks, read = self.stated, self.checks, self.read
        key = entity.key
        person_checks: dict[str, ValueCheck] = {}
        wanted_by_name: dict[str, dict[str, list[int]]] = {}
        for row, variables in enumerate(persons.values()):
            if type(variables) is not dict:
                raise NotOnFastPathError(ids[row])
            for name, values in variables.items():
                check = person_checks.get(name)
                if check is None or type(values) is not dict:
                    read(entity, row, name, values)
                    person_checks[name] = checks[(key, name)]
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
        self._add_wanted(entity.plural, wanted_by_name)

    def _add_wanted(self, plural: str, wanted_by_name: dict[str, dict[str, list[int]]]) -> None:
        for name, by_wanted in wanted_by_name.items():
            for period, rows in by_wanted.items():
                self.wanted.setdefault((plural, name, period), []).extend(rows)

    def read_group(self, entity: GroupEntity, instances: Any, row_of: dict[str, int]) -> Membership:
        """A group entity's instances: their members by role, and their own variables.

        Every person must belong to exactly one instance, and every instance have a member. A role with
        sub-roles gives its members the sub-roles in order, as openfisca-core's builder does.
        """
        if not isinstance(instances, dict):
            raise NotOnFastPathError(entity.plural)
        roles = {role.plural or role.key: role for role in entity.roles}
        group_of = np.full(len(row_of), -1, dtype=np.int64)
        role_of = np.empty(len(row_of), dtype=object)
        group_ids = list(instances)
        for index, (group_id, members) in enumerate(instances.items()):
            if not isinstance(members, dict):
                raise NotOnFastPathError(group_id)
            for key, value in members.items():
                if key in roles:
                    _read_members(roles[key], key, value, index, row_of, group_of, role_of)
                else:
                    self.read(entity, index, key, value)
        if (group_of < 0).any():
            raise NotOnFastPathError("persons outside any group")
        if group_ids and np.bincount(group_of, minlength=len(group_ids)).min() == 0:
            raise NotOnFastPathError("a group without members")  # openfisca-core's sums then go wrong
        return group_of, np.array(group_ids), role_of


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
