"""Nulls an amount reads before its claim's day (docs/drafting.md §2): a value a wage window reads month by month (a
ceiling, the reference amount it multiplies, one region's minimum wage), or a reference amount read on the day a
labour contract ended, that stands at a null in a month or on a day read. Those reads give NaN, never 0, no
ceiling, or another month's or region's value (:mod:`~openfisca_sp.rules.formulas`,
:mod:`~openfisca_sp.rules.reference_amounts`), and the amount of the persons who read one is not modelled.

Where nulls stand is known from the parameters alone, once per system: a claim whose months overlap none (nearly
every claim, and every one under laws without such nulls) is not looked at further; only where one may be read are
the persons' own results read for a NaN.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
from openfisca_core.parameters import Parameter, ParameterNode
from openfisca_core.periods import Period

from openfisca_sp.rules.branch_nodes import branch, has, part_modelled
from openfisca_sp.rules.recording import reached_in
from openfisca_sp.rules.windows import MAX_SHIFT_MONTHS

NEVER = np.datetime64("9999-12-31", "D")  # the end of a null no later value ends
WINDOW_FOLDERS = ("reference_amounts", "insured_wage")  # read month by month in every branch's wage window


@lru_cache(maxsize=64)  # a few systems (each holds its parameters)
def null_spans(root: ParameterNode, paths: tuple[str, ...]) -> np.ndarray:
    """The spans, ``[first day, day the next value starts)`` (a row each, ``datetime64[D]``), in which a value under
    ``paths`` (dotted, from ``root``: a folder or a parameter; absent ones skipped) stands at a null."""
    spans = []
    for path in paths:
        node: Any = root
        for key in path.split("."):
            node = getattr(node, "children", {}).get(key)
            if node is None:
                break
        for parameter in _parameters(node):
            values = parameter.values_list  # newest first
            for position, value in enumerate(values):
                if value.value is None:
                    end = values[position - 1].instant_str if position else None
                    spans.append((value.instant_str, end or str(NEVER)))
    return np.array(spans, dtype="datetime64[D]").reshape(-1, 2)


def _parameters(node: Any) -> list[Parameter]:
    if isinstance(node, Parameter):
        return [node]
    children = getattr(node, "children", None) if isinstance(node, ParameterNode) else None
    return [parameter for child in (children or {}).values() for parameter in _parameters(child)]


def on_a_null(spans: np.ndarray, days: np.ndarray) -> np.ndarray:
    """Whether each of ``days`` (``datetime64[D]``) falls in one of ``spans`` (:func:`null_spans`)."""
    days = np.asarray(days, dtype="datetime64[D]")
    found = np.zeros(days.shape, dtype=bool)
    for start, end in spans:
        found |= (days >= start) & (days < end)
    return found


def window_paths(code: str) -> tuple[str, ...]:
    """What branch ``code``'s amount reads month by month or on a day of its own: the reference amounts, the ceiling
    every branch shares, and the branch's own ceiling."""
    return (*WINDOW_FOLDERS, f"{code}.reference_wage.ceiling")


def reads_a_null(parameters: Any, root: ParameterNode, period: Period, code: str) -> bool:
    """Whether branch ``code``'s amount in ``period`` may read a value at a null of :func:`window_paths` before the
    end of ``period``: in its wage window (the months averaged, or looked among, up to ``MAX_SHIFT_MONTHS`` earlier
    where the window ends with a labour contract), or on the day a contract ended (within those months)."""
    spans = null_spans(root, window_paths(code))
    if not len(spans):
        return False
    last = np.datetime64(period.stop.date, "D")
    first = (np.datetime64(period.first_month.start.date, "M") - _months_read(parameters, period, code)).astype(
        "datetime64[D]"
    )
    return bool(((spans[:, 0] <= last) & (spans[:, 1] > first)).any())


def _months_read(parameters: Any, period: Period, code: str) -> int:
    """How many months before ``period`` branch ``code``'s amount may read (at most)."""
    node = branch(parameters, period, code)
    if node is None:
        return MAX_SHIFT_MONTHS
    averaged = int(node.reference_wage.averaging_months) if has(node, "reference_wage", "averaging_months") else 0
    looked = int(node.qualifying_period.window_months) if has(node, "qualifying_period", "window_months") else 0
    return max(averaged, looked) + MAX_SHIFT_MONTHS


def modelled_where_read(person: Any, period: Period, parameters: Any, code: str, part: str, result: str) -> np.ndarray:
    """Whether ``part`` of branch ``code``'s result (amount, lump sum) is modelled for each person: its parameters in
    force at ``period`` (:func:`~openfisca_sp.rules.branch_nodes.part_modelled`), and, where the part may read a
    null before (:func:`reads_a_null`), the person's ``result`` (the variable of the part) not NaN."""
    if not part_modelled(parameters, period, code, part):
        return person.filled_array(False)
    reached_in(person.simulation, window_paths(code))  # read from the parameters themselves, not ``parameters``
    if not reads_a_null(parameters, person.simulation.tax_benefit_system.parameters, period, code):
        return person.filled_array(True)
    return ~np.isnan(np.asarray(person(result, period), dtype=np.float64))
