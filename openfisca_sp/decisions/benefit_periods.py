"""Benefit periods: the first and last day of each entitlement, from its event (or the other day the law pays from:
Viet Nam's pension, from the month after retirement), its waiting days and its counted duration, or to the day an
old-age benefit becomes payable (ILO C102 Art 58)."""

from __future__ import annotations

from typing import Any

import numpy as np
from openfisca_core.parameters import Parameter, ParameterNode

from openfisca_sp.decisions.schedules import NOT_A_DATE
from openfisca_sp.rules.branch_nodes import has, part_modelled
from openfisca_sp.rules.branches import FIRST_DAY, Branch
from openfisca_sp.rules.formulas import FEW_OBJECTS
from openfisca_sp.rules.periods import parse_period
from openfisca_sp.rules.small_arrays import anyone
from openfisca_sp.rules.windows import add_months


def _whole(values: np.ndarray) -> np.ndarray:
    """Numbers of days or units as whole numbers, 0 where not determined (NaN; faster than ``np.nan_to_num``)."""
    values = np.asarray(values, dtype=np.float64)
    return np.where(np.isnan(values), 0.0, values).astype(np.int64)


def period_end(start: np.ndarray, duration: np.ndarray, unit: np.ndarray, last_day: Any = False) -> np.ndarray:
    """The last day of a counted duration from ``start``; NaT when open-ended or not counted. ``last_day`` (one for
    all, or a claim's): a period of months whose last month has no day corresponding to its first day's ends on that
    month's last day (:func:`months_end`)."""
    start = np.asarray(start, dtype="datetime64[D]")
    duration = np.asarray(duration, dtype=np.float64)
    count = _whole(duration)
    counted = ~np.isnan(duration) & ~np.isnat(start)
    end = np.full(start.shape, NOT_A_DATE)
    named = set(unit.tolist()) if unit.size <= FEW_OBJECTS else _LAST_DAY  # a few claims: the units they name
    for name, ends in _LAST_DAY.items():  # only the units some claim counts in (one, for one claim)
        if name not in named:
            continue
        in_unit = (unit == name) & counted
        if in_unit.any():
            end = np.where(in_unit, ends(start, count, last_day), end)
    return end


def months_end(start: np.ndarray, count: np.ndarray, last_day: Any = False) -> np.ndarray:
    """The last day of ``count`` months from ``start`` (its first day counted): the day before the same day of the
    last month; where that month has no such day (6 months from 31 August), its last day where ``last_day`` (Viet
    Nam, Civil Code 2015 Art 148(3): "nếu tháng kết thúc thời hạn không có ngày tương ứng thì thời hạn kết thúc vào
    ngày cuối cùng của tháng đó": 28 February), else the day before it (27 February). Its first day is counted: the
    benefit's own law names the first day paid (Employment Law 2013 Art 50(3), the 16th day from the filing, the filing
    day the first; Decree 135/2020 Art 3(2), the first day of the month after retirement; Decree 20/2021 Art 8(1)(đ),
    the month of the certificate), so Civil Code 2015 Art 147 (the day of the event not counted) does not apply to it
    (Art 145(1): the law provides otherwise); the variables of a period counted from an event without a first day
    named apply it (``unemployment_claim_in_time``, ``old_age_lump_sum_after_leaving_entitled``)."""
    same_day = add_months(start, count)  # the month's last day where it has no such day
    no_such_day = (same_day - same_day.astype("datetime64[M]")) != (start - start.astype("datetime64[M]"))
    return np.where(no_such_day & np.asarray(last_day, dtype=bool), same_day, same_day - 1)


_LAST_DAY = {  # the last day of ``count`` units counted from ``start``
    "days": lambda start, count, last_day: start + count - 1,
    "weeks": lambda start, count, last_day: start + 7 * count - 1,
    "months": months_end,
}


def benefit_period(
    event: np.ndarray,
    waiting: np.ndarray | None,
    duration: np.ndarray,
    unit: np.ndarray,
    pensionable_age_reached: np.ndarray | None = None,
    last_day: Any = False,
) -> tuple[np.ndarray, np.ndarray]:
    """The first and last day of each entitlement: from the event (after the waiting days, where the law sets
    them; NaN waiting days: start unknown), for the counted duration (``last_day``: :func:`months_end`), or to the
    day before
    ``pensionable_age_reached`` for a benefit until pensionable age; NaT where unknown or open-ended.

    A benefit until pensionable age granted after that age (C102 Art 58: "until an old-age benefit becomes
    payable"; one who could have it is refused, ``above_age_limit``) runs on: no old-age benefit ends it, so it has
    no end, never one before its start."""
    start = np.asarray(event, dtype="datetime64[D]")
    if waiting is not None:
        start = np.where(np.isnan(waiting), NOT_A_DATE, start + _whole(waiting))
    end = period_end(start, duration, unit, last_day)
    if pensionable_age_reached is not None:
        until_pension = (unit == "until_pensionable_age") & ~np.isnat(pensionable_age_reached)
        until_pension &= ~(pensionable_age_reached <= start)  # already reached: no old-age benefit ends it
        end = np.where(until_pension, pensionable_age_reached - 1, end)
    return start, end


def old_age_payable_on(birth: np.ndarray, pensionable_age: np.ndarray, qualifying_met: np.ndarray) -> np.ndarray:
    """The day an old-age benefit becomes payable to each person, which ends a benefit until then (C102 Art 58):
    the day of pensionable age (``pensionable_age`` months after ``birth``) for one who has the old-age
    qualifying period on the facts stated; NaT for the others, whose benefit then runs on (with 179 months at 64
    and 364 days, one was paid for a day and one a day older for ever)."""
    birth = np.asarray(birth, dtype="datetime64[D]")
    age = np.asarray(pensionable_age, dtype=np.int64)
    return np.where((age > 0) & np.asarray(qualifying_met, dtype=bool), add_months(birth, age), NOT_A_DATE)


def pensionable_age_reached(simulation: Any, month: str, unit: np.ndarray) -> np.ndarray | None:
    """The day an old-age benefit becomes payable, where a benefit lasts until then (NaT elsewhere; see
    :func:`old_age_payable_on`)."""
    until_pension = unit == "until_pensionable_age"
    if not anyone(until_pension):
        return None
    period = parse_period(month)
    payable_on = old_age_payable_on(
        simulation.calculate("birth_date", period),
        simulation.calculate("old_age_pensionable_age_months", period),
        simulation.calculate("old_age_qualifying_period_met", period),
    )
    return np.where(until_pension, payable_on, NOT_A_DATE)


LAST_DAY = "last_day_without_corresponding_day"  # read here, not by a formula


def last_day_rule(system: Any, branch: Branch, day: Any) -> bool:
    """Whether a period of months of ``branch`` ends on the last day of a last month without the corresponding day
    (``<branch>.duration.last_day_without_corresponding_day`` in force on ``day``; absent: the day before it).

    The one value is read by itself, as the tree of every parameter in force that day has it (:func:`_rule_in_tree`):
    a folder is in every tree, a value where it is not null then. Making that whole tree for each claim's month cost
    a projection year 2.5% of its time."""
    instant = str(np.datetime64(day, "D"))
    node = system.parameters
    for key in (branch.code, "duration"):
        node = node.children.get(key) if isinstance(node, ParameterNode) else None
        if not isinstance(node, ParameterNode):
            return node is not None and _rule_in_tree(system, branch, instant)  # not a folder: the tree tells
    rule = node.children.get(LAST_DAY)
    if not isinstance(rule, Parameter):
        return rule is not None and _rule_in_tree(system, branch, instant)
    value = rule.get_at_instant(instant)
    return value is not None and bool(value)


def _rule_in_tree(system: Any, branch: Branch, instant: str) -> bool:
    """:func:`last_day_rule` read from the tree of every parameter in force at ``instant``."""
    node = system.get_parameters_at_instant(instant)
    return has(node, branch.code, "duration", LAST_DAY) and bool(node[branch.code].duration[LAST_DAY])


def period_rules(simulation: Any, branch: Branch, month: str, unit: np.ndarray) -> tuple[np.ndarray | None, bool]:
    """What ends each period of ``branch`` decided in ``month`` beyond its count: the day an old-age benefit becomes
    payable (:func:`pensionable_age_reached`), and the rule of a last month without the corresponding day
    (:func:`last_day_rule`)."""
    system = simulation.tax_benefit_system
    return pensionable_age_reached(simulation, month, unit), last_day_rule(system, branch, parse_period(month).start)


FROM_EVENT, FROM_LAW, FROM_READING = 0, 1, 2  # what each claim's first day paid rests on (:func:`first_days`)


def first_days(
    simulation: Any, branch: Branch, month: str, event: np.ndarray, rows: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The day each claim is paid from, before any waiting days, and what it rests on (int8): the event's day
    (``FROM_EVENT``), or the other day the law in force pays from (the branch's ``first_day``: ``FROM_LAW``, or
    ``FROM_READING`` where it rests on a reading of the law); NaT where the rule of that other day stands at a null
    whose source was not found (the branch's part ``FIRST_DAY`` not modelled). ``rows``: only these persons of the
    simulation (``event`` being theirs), where the others' are not wanted."""
    event = np.asarray(event, dtype="datetime64[D]")
    rule = np.zeros(event.shape, dtype=np.int8)
    if branch.first_day is None:
        return event, rule
    period = parse_period(month)
    if not part_modelled(simulation.tax_benefit_system.get_parameters_at_instant, period, branch, FIRST_DAY):
        # the rule of the first day stands at a null whose source was not found: the day is not modelled
        return np.full(event.shape, NOT_A_DATE), np.full(event.shape, FROM_LAW, dtype=np.int8)
    first = np.asarray(simulation.calculate(branch.first_day.variable, period), dtype="datetime64[D]")
    read = np.asarray(simulation.calculate(branch.first_day.read, period), dtype=bool)
    if rows is not None:
        first, read = first[rows], read[rows]
    moved = first != event  # NaT too: a first day not known
    rested = moved | read
    if not anyone(rested):
        return event, rule
    # a reading of the law, also where it pays from the event's day (Viet Nam's social pension: the request's)
    rule = np.where(rested, np.where(read, FROM_READING, FROM_LAW), FROM_EVENT).astype(np.int8)
    return np.where(moved, first, event), rule
