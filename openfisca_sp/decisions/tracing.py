"""Which stated facts a computation reads, found by running the rules themselves (so it cannot drift).

Each system keeps one simulation of one person with no facts stated (:class:`CallGraph`), and every
``calculate`` it is asked for records which (variable, period) asked it: the same calls openfisca-core's full
tracer records, without the trees, timings, values and parameter reads it also keeps. A (variable, period) is
computed once, whichever trace first needs it, and a trace is every call its roots reach. A projection traces
the claims of each month of events of each year, and consecutive months read mostly the same months of wages
and contributions: each is computed once, not once per trace.
"""

from __future__ import annotations

import datetime
import threading
from functools import lru_cache
from typing import Any

import numpy as np
from openfisca_core import periods

from openfisca_sp.decisions.facts import facts_of
from openfisca_sp.rules.periods import parse_period, period_text
from openfisca_sp.rules.recording import mixed_in
from openfisca_sp.rules.simulations import build_simulation

Node = tuple[str, Any]  # a variable and its period, as openfisca-core's ``calculate`` takes them
MAX_NODES = 200_000  # a graph grown beyond this starts afresh (a server asked about many months: memory bound)


class CallRecorder:
    """A simulation that records, for each ``calculate`` it is asked for, which computation asked it."""

    calls: dict[Node, dict[Node, None]]  # a computation's calls, in order, once each
    asking: list[Node]
    computes_every_condition = True  # a condition's calls are recorded only if it is computed (formulas)

    def calculate(self, variable_name: str, period: Any) -> Any:
        node = (variable_name, _period(period))
        if self.asking:
            self.calls.setdefault(self.asking[-1], {})[node] = None
        self.asking.append(node)
        try:
            return super().calculate(variable_name, period)  # type: ignore[misc]
        finally:
            self.asking.pop()


class CallGraph:
    """The calls between the computations of one system on one person with no facts stated, each made once; with
    a ``day``, in its month with the rules in force that day (a claim decided on it, as ``/eligibility`` does)."""

    def __init__(self, tax_benefit_system: Any, day: str | None = None) -> None:
        self.tax_benefit_system = tax_benefit_system
        self.day = None if day is None else datetime.date.fromisoformat(day)
        self.lock = threading.Lock()  # one computation at a time: a server's threads share the graph
        self._start()

    def _start(self) -> None:
        simulation = build_simulation(self.tax_benefit_system, np.arange(1), event_date=self.day)
        simulation.__class__ = mixed_in(CallRecorder, type(simulation))
        simulation.calls, simulation.asking = {}, []
        self.simulation = simulation

    @property
    def calls(self) -> dict[Node, dict[Node, None]]:
        return self.simulation.calls

    def reached(self, variables: tuple[str, ...], month: str) -> set[Node]:
        """Every (variable, period) computing ``variables`` in ``month`` asks for, transitively, and themselves."""
        with self.lock:
            self._computed(variables, month)
            seen: set[Node] = set()
            pending = [(variable, _period(month)) for variable in variables]
            while pending:
                node = pending.pop()
                if node not in seen:
                    seen.add(node)
                    pending.extend(self.calls.get(node, ()))
            return seen

    def called(self, variable: str, month: str) -> frozenset[str]:
        """The variables the computation of ``variable`` in ``month`` asks for itself."""
        with self.lock:
            self._computed((variable,), month)
            return frozenset(name for name, _ in self.calls.get((variable, _period(month)), ()))

    def _computed(self, variables: tuple[str, ...], month: str) -> None:
        if len(self.calls) > MAX_NODES:
            self._start()
        try:
            for variable in variables:
                self.simulation.calculate(variable, month)
        except BaseException:
            self._start()  # a computation left half done: its calls are not all recorded
            raise


@lru_cache(maxsize=16)
def call_graph(tax_benefit_system: Any, day: str | None = None) -> CallGraph:
    """The call graph of ``tax_benefit_system`` (one per system, and per rules day other than a month's 1st)."""
    return CallGraph(tax_benefit_system, day)


@lru_cache(maxsize=1024)
def traced_facts(
    tax_benefit_system: Any, variables: tuple[str, ...], month: str, day: str | None = None
) -> tuple[tuple[str, str], ...]:
    """The stated facts (variable, period) that computing ``variables`` in ``month`` reads (with a ``day`` of the
    month, with the rules in force that day).

    Found by running the rules on one person: formulas are vectorised, so every person's computation reads the
    same facts.
    """
    facts = facts_of(tax_benefit_system)
    found: set[tuple[str, str]] = set()
    for name, period in call_graph(tax_benefit_system, day).reached(variables, month):
        fact = facts.get(name)
        if fact is not None:
            found.add((name, "ETERNITY" if fact.eternal else period_text(period)))
    return tuple(sorted(found))


def _period(period: Any) -> Any:
    """A period as openfisca-core's ``calculate`` takes it (text parsed)."""
    return period if period is None or isinstance(period, periods.Period) else parse_period(period)


@lru_cache(maxsize=1024)
def called_by(tax_benefit_system: Any, variable: str, month: str) -> frozenset[str]:
    """The variables the formula of ``variable`` calls itself in ``month`` (this jurisdiction's formula, as dated).

    A jurisdiction whose law has no such condition does not call it: a formula
    may skip a condition on a parameter (disability ending at pensionable age).
    """
    return call_graph(tax_benefit_system).called(variable, month)
