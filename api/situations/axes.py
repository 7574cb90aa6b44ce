"""The axes of a ``/trace`` situation checked before openfisca-core's builder reads them, each problem at its
path: the builder answered Python's own words without a place (``string indices must be integers``,
``list index out of range``, ``'nope'``) for axes that are not a list of lists of ``{name, count, min, max}``, and
answered values wrapped around (``-2147483648``) for bounds beyond what the variable's array holds (32 bits)."""

from __future__ import annotations

from typing import Any

from openfisca_sp.api.situations.errors import SituationError
from openfisca_sp.api.situations.values import bounds_of, out_of_bounds_message
from openfisca_sp.rules.suggestions import closest_name

AXIS_KEYS = ("name", "count", "min", "max", "period", "index")
REQUIRED = ("name", "count", "min", "max")
SHAPE = "a list of lists of axes, each {name, count, min, max} (period and index optional)"


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def check_axes(tax_benefit_system: Any, situation: dict[str, Any]) -> None:
    """Refuse the first axis that is not of the form openfisca-core reads, naming its path and what was expected."""
    if "axes" not in situation:
        return
    axes = situation["axes"]
    if not isinstance(axes, list) or not axes:
        raise SituationError(["axes"], f"Expected {SHAPE}.")
    for index, parallel in enumerate(axes):
        if not isinstance(parallel, list) or not parallel:
            raise SituationError(["axes", str(index)], f"Expected a non-empty list of axes: {SHAPE}.")
        for position, axis in enumerate(parallel):
            _check_axis(tax_benefit_system, situation, axis, ["axes", str(index), str(position)])


def _check_axis(tax_benefit_system: Any, situation: dict[str, Any], axis: Any, path: list[str]) -> None:
    if not isinstance(axis, dict):
        raise SituationError(path, "Expected an axis: {name, count, min, max} (period and index optional).")
    for key in axis:
        if key not in AXIS_KEYS:
            raise SituationError(
                [*path, str(key)], f"Unexpected key in an axis; expected one of {', '.join(AXIS_KEYS)}."
            )
    for key in REQUIRED:
        if key not in axis:
            raise SituationError([*path, key], f"Each axis needs '{key}'.")
    name = axis["name"]
    variable = tax_benefit_system.variables.get(name) if isinstance(name, str) else None
    if variable is None:
        close = closest_name(name, tax_benefit_system.variables)
        hint = f" Did you mean '{close}'?" if close else ""
        raise SituationError([*path, "name"], f"'{str(name)[:40]}' is not a variable of these rules.{hint}")
    if variable.value_type not in (int, float):
        raise SituationError([*path, "name"], f"'{name}' is not a number: an axis varies a number.")
    lowest, highest = bounds_of(variable)  # type: ignore[misc]  # a number, checked above
    for key in ("min", "max"):
        if not _number(axis[key]):
            raise SituationError([*path, key], f"Expected a number for '{key}'.")
        # the values an axis gives lie from min to max, set in the variable's array (int32, float32, float64): a bound
        # beyond it wrapped around (1e40 became -2147483648) or became infinite
        if not lowest <= axis[key] <= highest:
            raise SituationError([*path, key], out_of_bounds_message(variable, axis[key]))
    if "period" in axis and not isinstance(axis["period"], str):
        raise SituationError([*path, "period"], "Expected a period as text (2024-06).")
    if "index" in axis:
        instances = situation.get(variable.entity.plural)
        count = len(instances) if isinstance(instances, dict) else 0
        if not isinstance(axis["index"], int) or isinstance(axis["index"], bool) or not 0 <= axis["index"] < count:
            raise SituationError(
                [*path, "index"],
                f"Expected the position of one of the {count} {variable.entity.plural}, from 0."
                if count != 1
                else f"Expected the position of the one {variable.entity.key}: 0.",
            )
