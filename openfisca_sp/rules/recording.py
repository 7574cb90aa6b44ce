"""What a computation read, recorded while it runs: which variables each variable called, and which top-level
parameter nodes each formula reached.

A comparison runs the baseline recorded (:mod:`openfisca_sp.population.reuse`): a branch of the reform whose
computation, on the same persons, can only repeat the baseline's (the same formulas, reading parameter nodes
equal in both systems) takes the baseline's results instead of computing them again. The record is made on the
persons themselves, not on a sample, so a formula that skips work for some data (``if not eligible.any()``) is
recorded as it ran.

Parameters are recorded at the top of the tree (``old_age``, ``insured_wage`` …): the root node a formula gets
is wrapped, and every way of reaching a child through it (attribute, item, ``in``) is recorded; anything else
(iterating over the root, a vectorial lookup, its children as a whole) is recorded as :data:`EVERYTHING`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from functools import cache
from typing import Any

from openfisca_core.parameters import ParameterNodeAtInstant
from openfisca_core.periods import Instant, Period
from openfisca_core.simulations import Simulation

from openfisca_sp.rules.cached_reads import run_formula

EVERYTHING = "*"  # a formula that reached the whole tree


class Reads:
    """The record of one or more simulations: calls between variables, parameter nodes reached per variable,
    and the variables each group (a branch) asked for at the top."""

    def __init__(self) -> None:
        self.calls: dict[str, set[str]] = {}
        self.keys: dict[str, set[str]] = {}
        self.roots: dict[str | None, set[str]] = {}
        self.stack: list[str] = []
        self.group: str | None = None
        self.values: dict[tuple[str, Any], Any] = {}  # what the month pass computed (:mod:`.computed_values`)
        self.keeps: Callable[[Reads], Collection[str]] | None = None  # the variables whose values to keep

    def called(self, name: str) -> None:
        if self.stack:
            self.calls.setdefault(self.stack[-1], set()).add(name)
        else:
            self.roots.setdefault(self.group, set()).add(name)

    def reached(self, keys: Iterable[str]) -> None:
        """Parameter nodes reached by the formula running (or by the group asking, outside any formula)."""
        owner = self.stack[-1] if self.stack else f"group:{self.group}"
        self.keys.setdefault(owner, set()).update(keys)

    def repeatable(self, changed: Collection[str], keys: Collection[str]) -> set[str]:
        """The variables recorded whose computation (itself and every variable it called, transitively) ran none
        of ``changed`` and reached none of the parameter nodes ``keys``."""
        callers: dict[str, set[str]] = {}
        for caller, called in self.calls.items():
            for name in called:
                callers.setdefault(name, set()).add(caller)
        names = {*self.calls, *callers, *(name for roots in self.roots.values() for name in roots)}
        names |= {owner for owner in self.keys if not owner.startswith("group:")}
        pending = [name for name in names if name in changed or not self.keys.get(name, set()).isdisjoint(keys)]
        tainted = set(pending)
        while pending:
            for caller in callers.get(pending.pop(), ()):
                if caller not in tainted:
                    tainted.add(caller)
                    pending.append(caller)
        return names - tainted

    def closure(self, group: str | None) -> tuple[set[str], set[str]]:
        """The variables a group's computation ran (itself and every variable called, transitively), and the
        parameter nodes they reached."""
        seen: set[str] = set()
        pending = list(self.roots.get(group, ()))
        while pending:
            name = pending.pop()
            if name not in seen:
                seen.add(name)
                pending.extend(self.calls.get(name, ()))
        keys = set(self.keys.get(f"group:{group}", ()))
        for name in seen:
            keys |= self.keys.get(name, set())
        return seen, keys


class RecordingRoot(ParameterNodeAtInstant):
    """The parameters' root at an instant, recording the top-level nodes a formula reaches through it."""

    def __init__(self, root: ParameterNodeAtInstant, reads: Reads) -> None:  # not the parent's: no copy
        self._root = root
        self._reads = reads
        self._name = root._name
        self._instant_str = root._instant_str

    @property
    def _children(self) -> dict[str, Any]:  # type: ignore[override]
        self._reads.reached([EVERYTHING])
        return self._root._children

    def __getattr__(self, key: str) -> Any:
        if key.startswith("__"):
            raise AttributeError(key)
        self._reads.reached([key])
        return getattr(self._root, key)

    def __getitem__(self, key: Any) -> Any:
        self._reads.reached([key] if isinstance(key, str) else [EVERYTHING])
        return self._root[key]

    def __contains__(self, key: object) -> bool:
        self._reads.reached([key] if isinstance(key, str) else [EVERYTHING])
        return key in self._root._children

    def __iter__(self) -> Iterator[str]:
        self._reads.reached([EVERYTHING])
        return iter(self._root)

    def __repr__(self) -> str:
        self._reads.reached([EVERYTHING])
        return repr(self._root)


class RecordingMixin:
    """Records every ``calculate`` (who called whom) and wraps the parameters each formula gets."""

    reads: Reads
    computes_every_condition = True  # what a condition reads is recorded only if it is computed (formulas)

    def calculate(self, variable_name: str, period: Any) -> Any:
        reads = self.reads
        reads.called(variable_name)
        reads.stack.append(variable_name)
        try:
            return super().calculate(variable_name, period)  # type: ignore[misc]
        finally:
            reads.stack.pop()

    def _recording(self, parameters_at: Callable[[Any], Any]) -> Callable[[Any], Any]:
        return lambda instant: RecordingRoot(parameters_at(instant), self.reads)

    def _run_formula(self, variable: Any, population: Any, period: Period) -> Any:
        return run_formula(variable, population, period, self._recording(self._parameters_at()))

    def _parameters_at(self) -> Callable[[Instant], Any]:
        parent = getattr(super(), "_parameters_at", None)  # a rules simulation (on a date: its rules' instant)
        return parent() if parent is not None else self.tax_benefit_system.get_parameters_at_instant  # type: ignore


def recording(simulation: Simulation, reads: Reads) -> Simulation:
    """``simulation``, recording into ``reads`` from now on (its class swapped for a recording one)."""
    simulation.__class__ = mixed_in(RecordingMixin, type(simulation))
    simulation.reads = reads  # type: ignore[attr-defined]
    return simulation


@cache
def mixed_in(mixin: type, base: type) -> type:
    """``base`` with ``mixin``'s methods first, as a class made once per pair (an object's class can then be
    swapped for it)."""
    return type(f"{mixin.__name__.removesuffix('Mixin')}{base.__name__}", (mixin, base), {})


def reached_in(simulation: Any, keys: Iterable[str]) -> None:
    """Record parameter nodes a formula reads other than through its ``parameters`` (their metadata)."""
    reads = getattr(simulation, "reads", None)
    if reads is not None:
        reads.reached(key.split(".", 1)[0].split("[", 1)[0] for key in keys)
