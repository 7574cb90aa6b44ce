"""The facts a computation reads (``traced_facts``) and the variables a formula calls (``called_by``), recorded
from the ``calculate`` calls themselves, are what openfisca-core's own full tracer finds: every jurisdiction,
every branch's outputs and every formula variable alone, in months on both sides of the rules' changes."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from openfisca_sp import tax_benefit_system
from openfisca_sp.decisions import tracing
from openfisca_sp.decisions.facts import facts_of
from openfisca_sp.population.outputs import branch_outputs, branches_of
from openfisca_sp.rules import jurisdictions
from openfisca_sp.rules.simulations import build_simulation

MONTHS = ("2010-01", "2024-06", "2026-10", "2027-03", "2055-10")


def _full_trace(system: Any, variables: tuple[str, ...], month: str) -> Any:
    simulation = build_simulation(system, np.arange(1))
    simulation.trace = True
    for variable in variables:
        simulation.calculate(variable, month)
    return simulation.tracer.trees


def _facts_in_trees(system: Any, trees: Any) -> tuple[tuple[str, str], ...]:
    facts = facts_of(system)
    found: set[tuple[str, str]] = set()
    stack = list(trees)
    while stack:
        node = stack.pop()
        fact = facts.get(node.name)
        if fact is not None:
            found.add((node.name, "ETERNITY" if fact.eternal else str(node.period)))
        stack.extend(node.children)
    return tuple(sorted(found))


@pytest.mark.parametrize("code", sorted(jurisdictions.registry()))
def test_recorded_reads_are_those_of_openfisca_cores_tracer(code: str) -> None:
    system = tax_benefit_system(code)
    formulas = sorted(name for name, variable in system.variables.items() if variable.formulas)
    groups = [tuple(sorted(set(branch_outputs(branch)))) for branch in branches_of(system)]
    checked = 0
    for month in MONTHS:
        for variables in [*groups, *((name,) for name in formulas)]:
            expected = _facts_in_trees(system, _full_trace(system, variables, month))
            assert tracing.traced_facts.__wrapped__(system, variables, month) == expected, (variables, month)
            checked += 1
        for name in formulas:
            (tree,) = _full_trace(system, (name,), month)
            expected_calls = frozenset(child.name for child in tree.children)
            assert tracing.called_by.__wrapped__(system, name, month) == expected_calls, (name, month)
    assert checked > 100  # every formula, not a handful


def test_nested_reads_are_recorded_with_their_depth() -> None:
    system = tax_benefit_system("vnm")
    calls = tracing.recorded_calls(system, ("unemployment_benefit",), "2026-10")
    assert calls[0][:2] == (0, "unemployment_benefit")
    assert {depth for depth, _, _ in calls} >= {0, 1, 2, 3}
    months = {str(period) for _, name, period in calls if name == "insured_wage"}
    assert len(months) >= 12  # the wage window's months, read deep in the computation
