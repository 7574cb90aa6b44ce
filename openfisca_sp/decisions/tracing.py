"""Which stated facts a computation reads, found by running the rules themselves (so it cannot drift).

A computation is run once on one person, every ``calculate`` it makes recorded (the variable, its period and
how deep in the computation it was asked): the same calls openfisca-core's full tracer records, without the
trees, timings, values and parameter reads it also keeps (about half a trace's cost). A projection traces the
claims of each month of events of each year, so this runs thousands of times.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
from openfisca_core import periods

from openfisca_sp.decisions.facts import facts_of
from openfisca_sp.rules.recording import mixed_in
from openfisca_sp.rules.simulations import build_simulation

Call = tuple[int, str, Any]  # depth (0: asked from outside), variable, period as given


class CallRecorder:
    """A simulation that records each ``calculate`` it is asked for, nested calls included, in order."""

    calls: list[Call]
    depth: int

    def calculate(self, variable_name: str, period: Any) -> Any:
        self.calls.append((self.depth, variable_name, period))
        self.depth += 1
        try:
            return super().calculate(variable_name, period)  # type: ignore[misc]
        finally:
            self.depth -= 1


def recorded_calls(tax_benefit_system: Any, variables: tuple[str, ...], month: str) -> list[Call]:
    """Every ``calculate`` that computing ``variables`` in ``month`` makes, on one person with no facts stated."""
    simulation = build_simulation(tax_benefit_system, np.arange(1))
    simulation.__class__ = mixed_in(CallRecorder, type(simulation))
    simulation.calls, simulation.depth = [], 0
    for variable in variables:
        simulation.calculate(variable, month)
    return simulation.calls


@lru_cache(maxsize=1024)
def traced_facts(tax_benefit_system: Any, variables: tuple[str, ...], month: str) -> tuple[tuple[str, str], ...]:
    """The stated facts (variable, period) that computing ``variables`` in ``month`` reads.

    Found by running the rules once on one person: formulas are vectorised, so every person's computation
    reads the same facts.
    """
    facts = facts_of(tax_benefit_system)
    found: set[tuple[str, str]] = set()
    for _, name, period in recorded_calls(tax_benefit_system, variables, month):
        fact = facts.get(name)
        if fact is not None:
            found.add((name, "ETERNITY" if fact.eternal else str(_period(period))))
    return tuple(sorted(found))


def _period(period: Any) -> Any:
    """A period as openfisca-core's ``calculate`` takes it (text parsed)."""
    return period if period is None or isinstance(period, periods.Period) else periods.period(period)


@lru_cache(maxsize=1024)
def called_by(tax_benefit_system: Any, variable: str, month: str) -> frozenset[str]:
    """The variables the formula of ``variable`` calls itself in ``month`` (this jurisdiction's formula, as dated).

    A jurisdiction whose law has no such condition does not call it: a formula
    may skip a condition on a parameter (disability ending at pensionable age).
    """
    return frozenset(name for depth, name, _ in recorded_calls(tax_benefit_system, (variable,), month) if depth == 1)
