"""Which parameters a computation actually reads, recorded while the formulas run.

openfisca-core's tracer records the leaves a formula reads but not the scales
(``by_contribution_months.calc(…)``); this recorder wraps the parameters each
formula receives and notes every parameter and scale it reaches. Used to prove
that every parameter file is read by some formula, and to link each law case to
the dated values it rests on (the legal index).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
from openfisca_core import parameters as core_parameters
from openfisca_core import periods
from openfisca_core.parameters import Parameter, ParameterNode, ParameterScale
from openfisca_core.periods import DateUnit
from openfisca_core.simulations import Simulation
from openfisca_core.tracers import TracingParameterNodeAtInstant

from openfisca_sp.rules.simulations import build_simulation

NODES = (core_parameters.ParameterNodeAtInstant, core_parameters.VectorialParameterNodeAtInstant)
Read = tuple[str, str]  # (parameter name, instant YYYY-MM-DD)


class RecordingNode(TracingParameterNodeAtInstant):
    """A parameter node that notes each parameter or scale reached through it (``formulas.untraced`` unwraps it)."""

    def __init__(self, node: Any, reads: set[Read]) -> None:
        super().__init__(node, tracer=None)  # type: ignore[arg-type]
        self.reads = reads

    def get_traced_child(self, child: Any, key: Any) -> Any:
        if isinstance(child, NODES):
            return RecordingNode(child, self.reads)
        node = self.parameter_node_at_instant
        vectorial = isinstance(node, core_parameters.VectorialParameterNodeAtInstant)
        name = node._name if vectorial or not isinstance(key, str) else f"{node._name}.{key}"
        self.reads.add((name, node._instant_str))
        return child


def record_reads(simulation: Simulation) -> set[Read]:
    """Make ``simulation`` note the parameters its formulas read from now on; returns the set it fills."""
    reads: set[Read] = set()
    get_parameters = simulation.tax_benefit_system.get_parameters_at_instant
    simulation.trace = True  # formulas then receive the parameters through trace_parameters_at_instant
    simulation.trace_parameters_at_instant = lambda instant: RecordingNode(get_parameters(instant), reads)  # type: ignore[method-assign]
    return reads


def computed_variables(tax_benefit_system: Any) -> list[str]:
    """Every variable with a formula, by name."""
    return sorted(name for name, variable in tax_benefit_system.variables.items() if variable.formulas)


def reads_at(tax_benefit_system: Any, month: str, persons: int = 1) -> set[Read]:
    """The parameters every formula of a system reads when computed for ``month`` (default inputs)."""
    simulation = build_simulation(tax_benefit_system, np.arange(persons))
    reads = record_reads(simulation)
    for name in computed_variables(tax_benefit_system):
        variable = tax_benefit_system.variables[name]
        period = "ETERNITY" if variable.definition_period == DateUnit.ETERNITY else month
        if variable.definition_period in (DateUnit.MONTH, DateUnit.ETERNITY):
            simulation.calculate(name, period)
    return reads


def parameter_files(node: Any) -> dict[str, str]:
    """Each parameter and scale of a tree, by name, with the file that holds it."""
    found: dict[str, str] = {}
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, (Parameter, ParameterScale)):
            found[current.name] = current.file_path
        elif isinstance(current, ParameterNode):
            stack.extend(current.children.values())
    return found


def months_with_changes(tax_benefit_system: Any) -> list[str]:
    """The months in which some parameter value of a system starts (YYYY-MM), in order; for a value that starts
    after the 1st, also the next month, the first it governs from its first day (monthly rules apply on the 1st)."""
    starts: set[str] = set()
    stack: list[Any] = [tax_benefit_system.parameters]
    while stack:
        current = stack.pop()
        if isinstance(current, Parameter):
            for item in current.values_list:
                starts.add(item.instant_str[:7])
                if not item.instant_str.endswith("-01"):
                    starts.add(str(periods.period(item.instant_str[:7]).offset(1)))
        elif isinstance(current, ParameterScale):
            stack.extend(child for bracket in current.brackets for child in bracket.children.values())
        elif isinstance(current, ParameterNode):
            stack.extend(current.children.values())
    return sorted(starts)


def files_read(tax_benefit_system: Any, months: Iterable[str] | None = None) -> set[str]:
    """The parameter files some formula reads, at any month in which a value changes (or at ``months``)."""
    files = parameter_files(tax_benefit_system.parameters)
    read: set[str] = set()
    for month in months if months is not None else months_with_changes(tax_benefit_system):
        for name, _ in reads_at(tax_benefit_system, month):
            if name in files:
                read.add(files[name])
    return read
