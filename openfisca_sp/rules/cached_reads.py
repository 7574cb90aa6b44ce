"""Values already known, read (and values computed, stored) without openfisca-core's bookkeeping.

A formula that reads a value already given or computed (``person("insured_wage", month)``)
goes, in openfisca-core, through the population's checks, the period parser, the
tracer and three lookups of the variable: about 8 µs a read, where the array is
one dictionary lookup away. A decision reads such values about a hundred times
(a 24-month window reads each month), so this bookkeeping is a large share of a
one-person request.

:class:`RulesSimulation` and the populations of :func:`cached_read_populations`
answer a read whose array is already in memory straight from the holder, and
hand every other read to openfisca-core unchanged (formulas, defaults, errors,
spirals, ``trace``). A read is answered early only when openfisca-core could not
have answered otherwise: the period is a ``Period``, the variable belongs to the
population (it already has a holder there), no option is asked, and the
simulation does not trace.

A value that must be computed runs the same steps as openfisca-core's
``Simulation._calculate`` (period check, cycle check, formula, default, cast,
cache), with the holder found once and the formula of each (variable, month)
looked up once; any holder that is not a plain in-memory one (neutralised,
eternal, on disk, not cached) and any simulation that traces or starts its
computations at a period takes openfisca-core's own path.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

import numpy as np
from openfisca_core.errors import SpiralError
from openfisca_core.holders import Holder
from openfisca_core.indexed_enums import Enum, EnumArray
from openfisca_core.periods import DateUnit, Period
from openfisca_core.populations import Population
from openfisca_core.simulations import Simulation
from openfisca_core.tracers import SimpleTracer

ETERNITY = DateUnit.ETERNITY


def holder_of(simulation: Simulation, variable_name: str, create: bool = False) -> Any:
    """The holder of ``variable_name`` in its population (made when ``create``, as openfisca-core's
    ``get_holder`` makes it, less its lookups of the variable found here; None if there is none)."""
    variable = simulation.tax_benefit_system.variables.get(variable_name)
    population = simulation.populations.get(variable.entity.key) if variable is not None else None
    if population is None:
        return None
    holder = population._holders.get(variable_name)
    if holder is None and create:
        holder = population._holders[variable_name] = Holder(variable, population)
    return holder


def stored_array(simulation: Simulation, variable_name: str, period: Any) -> np.ndarray | None:
    """The array of ``variable_name`` for ``period`` if it is already in memory (None otherwise)."""
    holder = holder_of(simulation, variable_name)
    if holder is None or holder.variable.is_neutralized:
        return None
    return holder._memory_storage._arrays.get(period)


def in_memory_only(holder: Any) -> bool:
    """Whether ``holder`` keeps its values in memory only (an eternal one keeps one, under ``ETERNITY``)."""
    return not (
        holder.variable.is_neutralized
        or holder._on_disk_storable
        or holder._do_not_store
        or holder._disk_storage is not None
    )


def plain(holder: Any) -> bool:
    """Whether ``holder`` keeps its values in memory only, one per period (not eternal)."""
    return not holder._eternal and in_memory_only(holder)


@lru_cache(maxsize=8192)
def formula_at(variable: Any, period: Period) -> Any:
    """The formula of ``variable`` in force for ``period`` (cached: openfisca-core compares texts each time)."""
    return variable.get_formula(period)


def run_formula(variable: Any, population: Any, period: Period, parameters_at: Callable[[Any], Any]) -> Any:
    """openfisca-core's ``Simulation._run_formula`` (openfisca-core 46), with the parameters ``parameters_at``
    gives (those of the rules' instant, or recorded)."""
    formula = formula_at(variable, period) if type(period) is Period else variable.get_formula(period)
    if formula is None:
        return None
    if formula.__code__.co_argcount == 2:
        return formula(population, period)
    return formula(population, period, parameters_at)


def _enum_indices(array: Any, variable: Any) -> EnumArray | None:
    """An enumeration's formula result given as integer indices (``select``'s), wrapped as openfisca-core's
    cast would wrap it but without its filtered copy; None for anything else (openfisca-core casts it, and
    refuses an index beyond the enumeration)."""
    if variable.value_type is not Enum or type(array) is not np.ndarray or array.dtype.kind not in "iu":
        return None
    if array.ndim != 1 or not array.size or array.max() >= len(variable.possible_values):
        return None
    return EnumArray(array.astype(np.int16, copy=False), variable.possible_values)


class RulesSimulation(Simulation):
    """openfisca-core's ``Simulation``, answering a read of a value already in memory without its tracer."""

    def calculate(self, variable_name: str, period: Any) -> Any:
        if type(period) is not Period or self._trace:
            return super().calculate(variable_name, period)
        holder = holder_of(self, variable_name, create=True)
        if holder is None or holder.variable.is_neutralized:
            return super().calculate(variable_name, period)
        array = holder._memory_storage._arrays.get(period)
        if array is not None:
            return array
        if type(self.tracer) is not SimpleTracer or not self._computes_plainly(holder):
            return super().calculate(variable_name, period)
        stack = self.tracer._stack  # openfisca-core's steps for a simple tracer, its no-op calls left out
        stack.append({"name": variable_name, "period": period})
        try:
            return self._computed(holder, period)
        finally:
            stack.pop()
            if not stack and self.invalidated_caches:
                self.purge_cache_of_invalid_values()

    def _computes_plainly(self, holder: Any) -> bool:
        """Whether a value of ``holder`` is computed by :meth:`_computed` (else by openfisca-core)."""
        return plain(holder) and not (self.opt_out_cache or self.start_computation_period)

    def _calculate(self, variable_name: str, period: Any) -> Any:
        holder = None
        if type(period) is Period and not self._trace:
            holder = holder_of(self, variable_name, create=True)
        if holder is None or not self._computes_plainly(holder):
            return super()._calculate(variable_name, period)
        return self._computed(holder, period)

    def _computed(self, holder: Any, period: Period) -> Any:
        """openfisca-core's ``Simulation._calculate`` for a plain holder and a ``Period``."""
        variable = holder.variable
        if variable.definition_period is not ETERNITY and (period[0] != variable.definition_period or period[2] != 1):
            self._check_period_consistency(period, variable)  # openfisca-core's error, or its other cases
        array = holder._memory_storage._arrays.get(period)
        if array is not None:
            return array
        if not variable.formulas:  # an input not given for this period: its default, as openfisca-core stores it
            array = holder.default_array()
            if len(array) == holder.population.count:
                holder._memory_storage._arrays[period] = array
                return array
        try:
            self._check_for_cycle(variable.name, period)
            array = self._run_formula(variable, holder.population, period)
            if array is None:
                array = holder.default_array()
            if variable.value_type is Enum:
                indices = _enum_indices(array, variable)
                array = self._cast_formula_result(array, variable) if indices is None else indices
            elif type(array) is not np.ndarray or array.dtype != variable.dtype:
                array = self._cast_formula_result(array, variable)
            if array.ndim == 1 and len(array) == holder.population.count:
                holder._memory_storage._arrays[period] = array
            else:  # openfisca-core's reshaping of a single value, or its error
                holder.put_in_cache(array, period)
                array = holder.get_array(period)
        except SpiralError:
            array = holder.default_array()
        return array

    def _parameters_at(self) -> Callable[[Any], Any]:
        """What formulas get as their ``parameters`` (the rules in force at an instant; traced when tracing)."""
        return self.trace_parameters_at_instant if self.trace else self.tax_benefit_system.get_parameters_at_instant

    def _run_formula(self, variable: Any, population: Any, period: Period) -> Any:
        return run_formula(variable, population, period, self._parameters_at())


class CachedReadsMixin:
    """A population whose calls with a ``Period`` and no option go straight to its simulation's ``calculate``
    (which checks the period against the variable) when the variable is this population's: it already has a
    holder here, or the system defines it for this entity (openfisca-core's checks would pass; any other
    variable, an unknown one included, gets openfisca-core's checks and their errors)."""

    _holders: dict[str, Any]
    entity: Any
    simulation: Any

    def __call__(self, variable_name: str, period: Any, options: Any = None) -> Any:
        if options is None and type(period) is Period and (variable_name in self._holders or self._owns(variable_name)):
            return self.simulation.calculate(variable_name, period)
        return super().__call__(variable_name, period, options)  # type: ignore[misc]

    def _owns(self, variable_name: str) -> bool:
        """Whether the system defines ``variable_name`` for this population's entity."""
        simulation = self.simulation
        if simulation is None:
            return False
        variable = simulation.tax_benefit_system.variables.get(variable_name)
        return variable is not None and variable.entity.key == self.entity.key


_CLASSES: dict[type, type] = {}


def cached_read_populations(populations: dict[str, Population]) -> dict[str, Population]:
    """``populations`` (from ``instantiate_entities``), each answering reads through :class:`CachedReadsMixin`."""
    for population in populations.values():
        base = type(population)
        if base not in _CLASSES:
            _CLASSES[base] = type(f"CachedReads{base.__name__}", (CachedReadsMixin, base), {})
        population.__class__ = _CLASSES[base]
    return populations
