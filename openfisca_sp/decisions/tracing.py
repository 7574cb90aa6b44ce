"""Which stated facts a computation reads, found by tracing the rules themselves (so it cannot drift)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np

from openfisca_sp.decisions.facts import facts_of
from openfisca_sp.rules.simulations import build_simulation


@lru_cache(maxsize=1024)
def traced_facts(tax_benefit_system: Any, variables: tuple[str, ...], month: str) -> tuple[tuple[str, str], ...]:
    """The stated facts (variable, period) that computing ``variables`` in ``month`` reads.

    Found by running the rules once, traced, on one person: formulas are
    vectorised, so every person's computation reads the same facts.
    """
    facts = facts_of(tax_benefit_system)
    simulation = build_simulation(tax_benefit_system, np.arange(1))
    simulation.trace = True
    for variable in variables:
        simulation.calculate(variable, month)
    found: set[tuple[str, str]] = set()
    stack = list(simulation.tracer.trees)
    while stack:
        node = stack.pop()
        fact = facts.get(node.name)
        if fact is not None:
            found.add((node.name, "ETERNITY" if fact.eternal else str(node.period)))
        stack.extend(node.children)
    return tuple(sorted(found))


@lru_cache(maxsize=1024)
def called_by(tax_benefit_system: Any, variable: str, month: str) -> frozenset[str]:
    """The variables the formula of ``variable`` calls itself in ``month`` (this jurisdiction's formula, as dated).

    A jurisdiction whose law has no such condition does not call it: a formula
    may skip a condition on a parameter (disability ending at pensionable age).
    """
    simulation = build_simulation(tax_benefit_system, np.arange(1))
    simulation.trace = True
    simulation.calculate(variable, month)
    return frozenset(child.name for tree in simulation.tracer.trees for child in tree.children)
