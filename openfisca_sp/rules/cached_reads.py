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
from openfisca_core import periods
from openfisca_core.data_storage import InMemoryStorage
from openfisca_core.errors import SpiralError
from openfisca_core.holders import Holder
from openfisca_core.indexed_enums import Enum, EnumArray
from openfisca_core.periods import DateUnit, Period
from openfisca_core.populations import Population
from openfisca_core.simulations import Simulation
from openfisca_core.tracers import SimpleTracer

from openfisca_sp.rules.default_arrays import default_array
from openfisca_sp.rules.periods import parse_period
from openfisca_sp.rules.small_arrays import filled

ETERNITY = DateUnit.ETERNITY
FEW_INDICES = 16  # up to this many enumeration indices, their largest is found in Python
ETERNAL = periods.period(ETERNITY)  # where openfisca-core's storage keeps an eternal value, whatever period is asked


def holder_of(simulation: Simulation, variable_name: str, create: bool = False) -> Any:
    """The holder of ``variable_name`` in its population (made when ``create``, as openfisca-core's
    ``get_holder`` makes it, less its lookups of the variable found here; None if there is none)."""
    variable = simulation.tax_benefit_system.variables.get(variable_name)
    population = simulation.populations.get(variable.entity.key) if variable is not None else None
    if population is None:
        return None
    holder = population._holders.get(variable_name)
    if holder is None and create:
        holder = population._holders[variable_name] = new_holder(variable, population)
    return holder


def new_holder(variable: Any, population: Any) -> Any:
    """openfisca-core's ``Holder(variable, population)``, made without its constructor's comparisons where the
    simulation has no memory configuration (a decision makes some 30 holders; their constructor costs about a
    microsecond each); the same attributes, the same values."""
    simulation = population.simulation
    if simulation is not None and simulation.memory_config is not None:
        return Holder(variable, population)  # on-disk storage or variables dropped: openfisca-core decides
    definition = variable.definition_period
    eternal = definition is ETERNITY or (type(definition) is not DateUnit and definition == ETERNITY)
    storage = InMemoryStorage.__new__(InMemoryStorage)
    storage._arrays = {}
    storage.is_eternal = eternal
    holder = Holder.__new__(Holder)
    holder.__dict__.update(
        population=population,
        variable=variable,
        simulation=simulation,
        _eternal=eternal,
        _memory_storage=storage,
        _disk_storage=None,
        _on_disk_storable=False,
        _do_not_store=False,
    )
    return holder


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
    if array.ndim != 1 or not array.size:
        return None
    highest = max(array.tolist()) if array.size <= FEW_INDICES else array.max()  # numpy's max costs 2 us
    if highest >= len(variable.possible_values):
        return None
    return EnumArray(array.astype(np.int16, copy=False), variable.possible_values)


class RulesSimulation(Simulation):
    """openfisca-core's ``Simulation``, answering a read of a value already in memory without its tracer."""

    def calculate(self, variable_name: str, period: Any) -> Any:
        if type(period) is str:  # parsed once (openfisca-core parses a period's text on every read)
            period = parse_period(period)
        if type(period) is not Period or self._trace:
            return super().calculate(variable_name, period)
        holder = holder_of(self, variable_name, create=True)
        if holder is None:
            return super().calculate(variable_name, period)
        return self.calculate_held(holder, period)

    def calculate_held(self, holder: Any, period: Period) -> Any:
        """``calculate`` of the variable ``holder`` keeps for this simulation, untraced, for a ``Period`` (a
        population's read, which has found the holder already)."""
        variable = holder.variable
        if variable.is_neutralized:
            return super().calculate(variable.name, period)
        # what openfisca-core's storage keeps for ``period`` (an eternal value whatever the period, as it keys it)
        array = holder._memory_storage._arrays.get(ETERNAL if holder._eternal else period)
        if array is not None:
            return array
        if type(self.tracer) is not SimpleTracer or not self._computes_plainly(holder):
            return super().calculate(variable.name, period)
        stack = self.tracer._stack  # openfisca-core's steps for a simple tracer, its no-op calls left out
        stack.append({"name": variable.name, "period": period})
        try:
            return self._computed(holder, period)
        finally:
            stack.pop()
            if not stack and self.invalidated_caches:
                self.purge_cache_of_invalid_values()

    def calculate_months(self, population: Any, variable_name: str, months: tuple[Period, ...]) -> list[Any]:
        """``population(variable_name, month)`` for each of ``months`` (a window of months before a claim reads
        one variable month after month). For a few persons, the months not yet known are computed together,
        where :func:`stacked_months` can."""
        if type(self).calculate is RulesSimulation.calculate and not self._trace:
            holder = holder_of(self, variable_name, create=True)
            if holder is not None and holder.population is population and self._computes_plainly(holder):
                arrays = holder._memory_storage._arrays
                missing = [month for month in months if month not in arrays]
                if len(missing) > 1 and len(missing) * population.count <= STACKED_MOST:
                    stacked_months(self, holder, tuple(missing))
                known = [(month, arrays.get(month)) for month in months]
                return [population(variable_name, month) if array is None else array for month, array in known]
        return [population(variable_name, month) for month in months]

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
            array = default_array(holder)
            if len(array) == holder.population.count:
                holder._memory_storage._arrays[period] = array
                return array
        try:
            if self._may_cycle(variable.name):
                self._check_for_cycle(variable.name, period)
            array = self._run_formula(variable, holder.population, period)
            if array is None:
                array = default_array(holder)
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

    def _may_cycle(self, variable_name: str) -> bool:
        """Whether openfisca-core's ``_check_for_cycle`` could refuse ``variable_name``: it refuses a variable the
        calculations under way already compute (the stack's frames but the last, this one's), so with a simple
        tracer whose stack does not name it, and a spiral allowed at least once, it has nothing to check."""
        tracer = self.tracer
        if type(tracer) is not SimpleTracer or self.max_spiral_loops < 1:
            return True
        names = [frame["name"] for frame in tracer._stack]
        if names:
            names.pop()  # this calculation's own frame
        return variable_name in names

    def _parameters_at(self) -> Callable[[Any], Any]:
        """What formulas get as their ``parameters`` (the rules in force at an instant; traced when tracing)."""
        return self.trace_parameters_at_instant if self.trace else self.tax_benefit_system.get_parameters_at_instant

    def _run_formula(self, variable: Any, population: Any, period: Period) -> Any:
        return run_formula(variable, population, period, self._parameters_at())


STACKED_MOST = 4_096  # months times persons up to which a window's months are computed as one stack


class NotStackableError(Exception):
    """A formula did something its months cannot be computed together for (they are computed one by one)."""


class MonthToken:
    """The ``period`` a formula computed for several months at once gets: it can only be handed back to the
    population's reads; anything else (``period.start``, ``period.last_month``, comparing it, printing it) stops
    the stacked computation."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        raise NotStackableError(name)

    def _refused(self, *arguments: Any) -> Any:
        raise NotStackableError("a month's period used")

    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = __hash__ = _refused  # type: ignore[assignment]
    __str__ = __repr__ = __format__ = __bool__ = __iter__ = __len__ = __getitem__ = _refused  # type: ignore[assignment]


class MonthsReader:
    """The population a formula computed for several months at once gets: ``person(variable, period)`` gives
    ``variable``'s values of those months, one row a month, where they are known already or are inputs (no
    formula); anything else (another period, an option, a value to compute, an enumeration, the formula's own
    variable, any attribute of the population) stops the stacked computation."""

    __slots__ = ("_months", "_own", "_population", "_simulation", "_token")

    def __init__(self, simulation: Any, population: Any, months: tuple[Period, ...], token: MonthToken, own: str):
        self._simulation = simulation
        self._population = population
        self._months = months
        self._token = token
        self._own = own

    def __call__(self, variable_name: str, period: Any, options: Any = None) -> np.ndarray:
        if options is not None or period is not self._token or variable_name == self._own:
            raise NotStackableError(variable_name)
        simulation = self._simulation
        holder = holder_of(simulation, variable_name, create=True)
        if (
            holder is None
            or holder.population is not self._population
            or holder.variable.value_type is Enum
            or not simulation._computes_plainly(holder)
        ):
            raise NotStackableError(variable_name)
        arrays = holder._memory_storage._arrays
        rows = []
        default = None
        for month in self._months:
            array = arrays.get(month)
            if array is None:
                if holder.variable.formulas:
                    raise NotStackableError(variable_name)
                if default is None:  # an input not given: its default, stored (each month its own copy)
                    array = default = simulation._computed(holder, month)
                else:
                    array = arrays[month] = default.copy()
            rows.append(array)
        return np.stack(rows)

    def __getattr__(self, name: str) -> Any:
        raise NotStackableError(name)


def stacked_months(simulation: RulesSimulation, holder: Any, months: tuple[Period, ...]) -> bool:
    """Whether the values of ``holder``'s variable in ``months`` (months of a window, none known yet) were
    computed as one stack and stored, month by month, as openfisca-core would store them computed one by one;
    nothing is computed or stored where that cannot be done exactly (see :class:`MonthsReader`).

    Done only for a monthly variable whose one formula in force in every month takes no parameters, returns
    one row a month of its own type, and reads only values already known or inputs of its own persons' same
    month: such a formula is elementwise in its months as it is in its persons."""
    variable = holder.variable
    if variable.definition_period != DateUnit.MONTH or variable.value_type is Enum:
        return False
    formulas = {formula_at(variable, month) for month in months}
    formula = formulas.pop() if len(formulas) == 1 else None
    if formula is None or formula.__code__.co_argcount != 2:
        return False
    if any(month.unit != DateUnit.MONTH or month.size != 1 for month in months):
        return False
    token = MonthToken()
    try:
        stack = formula(MonthsReader(simulation, holder.population, months, token, variable.name), token)
    except Exception:  # NotStackableError, or anything the formula does with a stack: month by month
        return False
    if type(stack) is not np.ndarray or stack.shape != (len(months), holder.population.count):
        return False
    if stack.dtype != variable.dtype:
        stack = stack.astype(variable.dtype)
    arrays = holder._memory_storage._arrays
    for month, row in zip(months, stack, strict=True):
        arrays[month] = row
    return True


class CachedReadsMixin:
    """A population whose calls with a ``Period`` and no option go straight to its simulation's ``calculate``
    (which checks the period against the variable) when the variable is this population's: it already has a
    holder here, or the system defines it for this entity (openfisca-core's checks would pass; any other
    variable, an unknown one included, gets openfisca-core's checks and their errors)."""

    _holders: dict[str, Any]
    entity: Any
    simulation: Any

    def __call__(self, variable_name: str, period: Any, options: Any = None) -> Any:
        if options is None and type(period) is Period:
            holder = self._holders.get(variable_name)
            if holder is not None:
                simulation = self.simulation
                if type(simulation).calculate is RulesSimulation.calculate and not simulation._trace:
                    return simulation.calculate_held(holder, period)  # its ``calculate``, less finding the holder
                return simulation.calculate(variable_name, period)
            if self._owns(variable_name):
                return self.simulation.calculate(variable_name, period)
        return super().__call__(variable_name, period, options)  # type: ignore[misc]

    def filled_array(self, value: Any, dtype: Any = None) -> np.ndarray:
        """openfisca-core's ``filled_array`` (``np.full``), a few values copied from an array filled before."""
        return filled(self.count, value, dtype)

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
