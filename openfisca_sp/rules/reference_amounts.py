"""Reference amounts per person: an amount the law sets as a multiple of a reference amount (5 × the regional
minimum wage) may vary by minimum-wage region, and be taken on each person's own day."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
from openfisca_core import periods
from openfisca_core.parameters import ParameterNodeAtInstant
from openfisca_core.periods import Period

from openfisca_sp.rules.branch_nodes import has, untraced
from openfisca_sp.rules.null_values import not_found_names


def person_reference_amount(
    person: Any, period: Period, parameters: Any, multiple_of: Any, month: Period | None = None
) -> np.ndarray:
    """Like :func:`reference_amount`, per person: a reference amount may vary by minimum-wage region.

    A reference amount with children ``region_1`` … ``region_n`` is taken for the
    person's ``minimum_wage_region`` (as of ``period``); where the region is unknown (0) the highest
    amount applies, so that a cap never cuts a benefit on a missing fact. The amounts are those in force on the
    first day of ``month`` (a month or a day; by default, ``period``); NaN where one was not yet in force, or
    stopped, or for a region whose amount stands at a null NOT FOUND (and for a region unknown or not named, the
    highest then not known); a region a null ended is one the law does not name.
    """
    table = _by_region(parameters((month or period).start).reference_amounts, multiple_of)
    if len(table) == 1:  # no amount varies by region: the region is not read
        return np.full(person.count, table[0])
    return np.take(table, _region_positions(person, period, len(table)))


def person_reference_amount_on(
    person: Any, period: Period, parameters: Any, multiple_of: Any, days: np.ndarray, rows: np.ndarray | None = None
) -> np.ndarray:
    """Like :func:`person_reference_amount`, with each person's amounts those in force on their day of ``days``
    (``datetime64[D]``): the parameters are read once on the first day of each value in force on one of the days
    (a few), the amounts of all taken at once. NaN where an amount was not yet in force that day. (In a claim's
    month, a day before the claim's reads the rules of the claim's day, as every formula does:
    :class:`~openfisca_sp.rules.simulations.SimulationOnDate`.) With ``rows``, ``days`` are those persons' alone, and
    so are the amounts given."""
    distinct, which = np.unique(_read_on(person, multiple_of, days), return_inverse=True)
    if not len(distinct):  # nobody
        return np.zeros(0)
    tables = [_by_region(parameters(periods.instant(day.item())).reference_amounts, multiple_of) for day in distinct]
    width = max(len(table) for table in tables)
    by_day = np.stack([_widened(table, width) for table in tables])
    if width == 1:
        return by_day[which.ravel(), 0]
    positions = _region_positions(person, period, width)
    return by_day[which.ravel(), positions if rows is None else positions[rows]]


def distinct_readings(person: Any, multiple_of: Any, days: np.ndarray) -> np.ndarray:
    """Of ``days`` (``datetime64[D]``), one for each set of the amounts ``multiple_of`` names in force on them
    (ascending): days between two changes of those amounts read the same, so that
    :func:`person_reference_amount_on` need only read these."""
    days = np.asarray(days, dtype="datetime64[D]")
    read_on = _read_on(person, multiple_of, days)
    return days[np.unique(read_on, return_index=True)[1]]


def _read_on(person: Any, multiple_of: Any, days: np.ndarray) -> np.ndarray:
    """For each of ``days``, the first day of the values of the amounts in force then (BEFORE_ANY before any)."""
    changes = _change_days(person.simulation.tax_benefit_system.parameters, tuple(multiple_of))
    position = np.searchsorted(changes, np.asarray(days, dtype="datetime64[D]"), side="right") - 1
    return np.where(position >= 0, changes[np.maximum(position, 0)], BEFORE_ANY)  # the same amounts as the day's


BEFORE_ANY = np.datetime64("1900-01-01", "D")  # read for a day before every value: none in force


@lru_cache(maxsize=64)
def _change_days(root: Any, names: tuple[str, ...]) -> np.ndarray:
    """The first days of the values of the reference amounts ``names`` (any region), ascending."""
    found = set()
    for name in names:
        node = root.reference_amounts.children.get(name) if "reference_amounts" in root.children else None
        for parameter in [] if node is None else [node, *getattr(node, "children", {}).values()]:
            found.update(value.instant_str for value in getattr(parameter, "values_list", ()))
    return np.array(sorted(found), dtype="datetime64[D]")


def _by_region(amounts: Any, multiple_of: Any) -> np.ndarray:
    """The sum of the multiples ``multiple_of`` names of ``amounts`` (the reference amounts at an instant), by
    minimum-wage region: position r for region r, the last for any region the law does not name (the highest);
    one position where no amount varies by region. NaN where an amount is not in force, and for a region whose
    amount stands at a null NOT FOUND (and the last and region 0, whose highest is then not known)."""
    tables = []
    for name in multiple_of:
        if not has(amounts, name):  # not yet in force, or stopped by a null: NaN (the part reading it: not modelled)
            tables.append(np.full(1, np.nan))
            continue
        amount = amounts[name]
        if isinstance(untraced(amount), ParameterNodeAtInstant):
            values = {_region(key): float(amount[key]) for key in amount if amount[key] is not None}
            unknown = {_region(key) for key in not_found_names(amount)}  # a region's amount NOT FOUND: NaN
            if not values:  # before the first regional amount
                tables.append(np.full(1, np.nan))
                continue
            # the last: any region the law does not name, at the highest amount (not known where one is not)
            by_region = np.full(max(values.keys() | unknown) + 2, np.nan if unknown else max(values.values()))
            for number, regional in values.items():
                if number >= 0:
                    by_region[number] = regional
        else:
            by_region = np.full(1, np.nan if amount is None else float(amount))
        tables.append(float(multiple_of[name]) * by_region)
    width = max((len(table) for table in tables), default=1)
    total = np.zeros(width)
    for table in tables:
        total += _widened(table, width)  # a flat amount: every region
    return total


def _region(key: str) -> int:
    """The number of a region's amount named ``key`` (``region_2``: 2)."""
    return int(key.split("_")[1])


def _widened(table: np.ndarray, width: int) -> np.ndarray:
    """A table by region (:func:`_by_region`) of ``width`` positions: the regions it does not name take its last."""
    return np.concatenate([table, np.full(width - len(table), table[-1])])


def _region_positions(person: Any, period: Period, width: int) -> np.ndarray:
    """Each person's position in a table by region of ``width`` positions (:func:`_by_region`): their region's,
    or the last (any region the law does not name, or unknown below 0). Where every region is one of the table's,
    the regions themselves (read only: the callers index with them)."""
    region = np.asarray(person("minimum_wage_region", period))
    if region.size and region.min() >= 0 and region.max() < width:  # clip and modulo would change none of them
        return region
    return np.clip(region, -1, width - 1) % width
