"""Amounts fixed in the currency that a projection holds at their value in law: what its notes say of them.

A parameter in money (its ``unit`` a currency, as :func:`~.indexation.is_money` reads it: an insured-wage
ceiling, a flat allowance, a reference amount) keeps its last dated value in every later year unless the
scenario indexes it. Wages grow, so where such an amount caps or sets a benefit the projected cost falls behind
them. The note names the parameters in money of the baseline's and the reform's rules in force in the base
month (every one of their parameter tree: the rules read them by branch, and a comparison computes every
branch) that the scenario does not index. It is found from the parameters alone, once per projection.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from openfisca_core import periods
from openfisca_core.parameters import Parameter, ParameterNode, ParameterScale

from openfisca_sp.projection.indexation import is_money
from openfisca_sp.projection.scenario import Scenario

NAMED = 8  # parameters named in the note; the others are counted


def money_parameters(parameters: ParameterNode, day: str) -> Iterator[str]:
    """The names of the parameters (and scales) in money with a value in force on ``day``, in the tree's order."""
    instant = periods.instant(day)
    for child in parameters.children.values():
        if isinstance(child, ParameterNode):
            yield from money_parameters(child, day)
        elif isinstance(child, Parameter):
            if is_money(child.metadata.get("unit")) and child(instant) is not None:
                yield child.name
        elif isinstance(child, ParameterScale):
            units = [child.metadata.get(key) for key in ("unit", "amount_unit", "threshold_unit")]
            if any(is_money(unit) for unit in units) and child.brackets:
                yield child.name


def held_amounts(scenario: Scenario, systems: Sequence[Any]) -> list[str]:
    """The parameters in money of ``systems`` in force in the base month that the scenario does not index."""
    day = f"{scenario.base_month}-01"
    indexed = {item.parameter for item in scenario.indexation}
    names = (name for system in systems for name in money_parameters(system.parameters, day))
    return [name for name in dict.fromkeys(names) if name not in indexed]


def held_amounts_note(scenario: Scenario, systems: Sequence[Any]) -> list[str]:
    """The note on the amounts in money held at their value in law (none where the scenario indexes them all)."""
    held = held_amounts(scenario, systems)
    if not held:
        return []
    more = len(held) - NAMED
    named = ", ".join(held[:NAMED]) + (f" and {more} more" if more > 0 else "")
    return [
        f"amounts fixed in the currency that the scenario does not index are held at their value in law (their "
        f"last dated value) in every year after {scenario.base_month}: {named}. Wages grow, so where they cap or "
        "set benefits the projected costs are understated (a scenario's indexation uprates them)"
    ]
