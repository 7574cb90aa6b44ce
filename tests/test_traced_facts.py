"""The facts a computation reads (``traced_facts``) and the variables a formula calls (``called_by``), recorded
from the ``calculate`` calls themselves, are what openfisca-core's own full tracer finds: every jurisdiction,
every branch's outputs and every formula variable alone, in months on both sides of the rules' changes."""

from __future__ import annotations

import datetime
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openfisca_core import periods
from openfisca_core.errors import VariableNotFoundError

from openfisca_sp import tax_benefit_system
from openfisca_sp.decisions import tracing
from openfisca_sp.decisions.facts import facts_of
from openfisca_sp.population.outputs import branch_outputs, branches_of
from openfisca_sp.rules import jurisdictions
from openfisca_sp.rules.periods import period_text
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


def test_nested_reads_are_recorded_with_the_computation_that_asked() -> None:
    system = tax_benefit_system("vnm")
    graph = tracing.CallGraph(system)
    reached = graph.reached(("unemployment_benefit",), "2026-10")
    root = ("unemployment_benefit", periods.period("2026-10"))
    assert root in reached and graph.calls[root]  # the root's own calls
    months = {str(period) for name, period in reached if name == "insured_wage"}
    assert len(months) >= 12  # the wage window's months, read deep in the computation
    assert all(("insured_wage", period) not in graph.calls[root] for period in map(periods.period, months))


def test_a_trace_after_others_reads_what_a_trace_alone_reads() -> None:
    """Consecutive months share most of their computations: the second trace finds them computed, and still
    reaches everything it reads (as openfisca-core's full tracer finds it alone)."""
    system = tax_benefit_system("vnm")
    graph = tracing.CallGraph(system)
    variables = tuple(sorted(set(branch_outputs(branches_of(system)[2]))))
    months = ["2026-08", "2026-10", "2026-09", "2027-10"]
    for month in months:
        shared = graph.reached(variables, month)
        alone = tracing.CallGraph(system).reached(variables, month)
        assert shared == alone, month
        facts = facts_of(system)
        expected = _facts_in_trees(system, _full_trace(system, variables, month))
        found = {(name, "ETERNITY" if facts[name].eternal else str(period)) for name, period in shared if name in facts}
        assert tuple(sorted(found)) == expected, month


def test_a_graph_starts_afresh_when_large_or_after_a_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    system = tax_benefit_system("vnm")
    graph = tracing.CallGraph(system)
    first = graph.reached(("old_age_pension",), "2026-10")
    with pytest.raises(VariableNotFoundError):
        graph.reached(("old_age_pension", "no_such_variable"), "2026-11")
    assert not graph.calls  # started afresh: the failed computation's calls were not all recorded
    assert graph.reached(("old_age_pension",), "2026-10") == first
    monkeypatch.setattr(tracing, "MAX_NODES", 2)
    simulation = graph.simulation
    graph.reached(("old_age_pension",), "2026-11")
    assert graph.simulation is not simulation  # more than 2 computations recorded: a new simulation
    assert graph.reached(("old_age_pension",), "2026-10") == first


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["day", "month", "year"]),
            st.dates(datetime.date(1900, 1, 1), datetime.date(2100, 12, 31)),
            st.integers(1, 40),
        ),
        min_size=1,
        max_size=20,
    )
)
def test_a_periods_text_is_openfisca_cores(asked: list[tuple[str, datetime.date, int]]) -> None:
    """The text of each period a trace names, found once per period (``period_text``), is openfisca-core's ``str``, in
    whatever order periods are asked and however often."""
    for unit, day, size in [*asked, *reversed(asked)]:
        start = day if unit == "day" else day.replace(day=1) if unit == "month" else day.replace(month=1, day=1)
        period = periods.Period((periods.DateUnit(unit), periods.Instant((start.year, start.month, start.day)), size))
        assert period_text(period) == str(period)
