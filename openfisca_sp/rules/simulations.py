"""Build simulations straight from arrays: one person per row, households optional.

Both doors into the rules (the HTTP API and the population engine) use this
instead of openfisca-core's SimulationBuilder, whose per-id Python work grows
faster than the population. Ids, household membership and roles are arrays;
inputs are written to the holders with periods parsed once.

A claim is decided on the date of its event (a birth, a separation, a claim):
:class:`SimulationOnDate` applies, in the event's month, the rules in force on
that day, so that a value in force from 11 January applies to a birth on the
20th. A plain simulation applies the rules in force on the first day of each
month, as OpenFisca does.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

import numpy as np
from openfisca_core import periods
from openfisca_core.indexed_enums import Enum, EnumArray
from openfisca_core.periods import DateUnit, Instant, Period
from openfisca_core.simulations import Simulation

from openfisca_sp.rules.cached_reads import RulesSimulation, cached_read_populations, holder_of, in_memory_only
from openfisca_sp.rules.periods import parse_period

Inputs = Mapping[tuple[str, Any], Any]
SMALL_ENUM_INPUT = 64  # up to this many names, an enumeration input is encoded name by name


def first_of_groups(group_of: np.ndarray) -> np.ndarray:
    """True for the first person (in row order) of each group."""
    first = np.ones(len(group_of), dtype=bool)
    if len(group_of) > 1:
        order = np.argsort(group_of, kind="stable")
        first[order[1:]] = group_of[order[1:]] != group_of[order[:-1]]
    return first


class SimulationOnDate(RulesSimulation):
    """A simulation whose rules, in the month of ``event_date``, are those in force on that day.

    Formulas ask for the parameters of their period's first day; in the event's
    month they get those in force on the event's day instead (other months are
    unchanged: a window of earlier months is read with its own months' rules).
    """

    def __init__(self, tax_benefit_system: Any, populations: Any, event_date: datetime.date) -> None:
        super().__init__(tax_benefit_system, populations)
        self.read_on(event_date)

    def read_on(self, event_date: datetime.date) -> None:
        """Read, in the month of ``event_date``, the rules in force on that day (what formulas asked for is
        forgotten)."""
        self.event_date = event_date
        self.event_instant = periods.instant(event_date)
        self._rules_at: dict[Any, Any] = {}  # what formulas asked for (an instant, or its text) -> the rules

    def rules_instant(self, instant: Instant) -> Instant:
        """The instant whose rules apply when a formula asks for ``instant``."""
        event = self.event_instant
        same_month = (instant.year, instant.month) == (event.year, event.month)
        return event if same_month and instant < event else instant

    def _parameters_at(self) -> Callable[[Instant], Any]:
        if not self.trace:
            return self._rules_in_force
        get = super()._parameters_at()  # traced: each call records what it reads
        return lambda instant: get(self.rules_instant(periods.instant(instant)))

    def _rules_in_force(self, instant: Any) -> Any:
        """The parameters in force at ``instant``'s rules instant, found once per instant asked (formulas ask for
        their period's start hundreds of times a decision)."""
        try:
            return self._rules_at[instant]
        except KeyError:
            found = self._rules_at[instant] = self._rules_of(instant)
            return found
        except TypeError:  # an instant given as a list: found, not kept
            return self._rules_of(instant)

    def _rules_of(self, instant: Any) -> Any:
        return self.tax_benefit_system.get_parameters_at_instant(self.rules_instant(periods.instant(instant)))


def build_simulation(
    tax_benefit_system: Any,
    person_ids: np.ndarray,
    household_of: np.ndarray | None = None,
    household_ids: np.ndarray | None = None,
    is_head: np.ndarray | None = None,
    event_date: datetime.date | None = None,
) -> Simulation:
    """An empty simulation of persons ``person_ids`` grouped in households.

    ``household_of`` gives each person's household as an index into
    ``household_ids`` (0..n-1); by default each person is alone in a household.
    ``is_head`` marks heads (by default the first member of each household);
    everyone else is a ``member``. With ``event_date``, the rules of its month
    are those in force on that day (:class:`SimulationOnDate`).
    """
    count = len(person_ids)
    populations = cached_read_populations(tax_benefit_system.instantiate_entities())
    persons = populations[tax_benefit_system.person_entity.key]
    persons.ids = np.asarray(person_ids)
    persons.count = count
    if household_of is None:
        household_of = np.arange(count)
    household_of = np.asarray(household_of, dtype=np.int64)
    if household_ids is None:
        household_ids = np.arange(int(household_of.max()) + 1 if count else 0)
    if is_head is None:
        is_head = first_of_groups(household_of)
    for group in tax_benefit_system.group_entities:
        population = populations[group.key]
        population.ids = np.asarray(household_ids)
        population.count = len(household_ids)
        population.members_entity_id = household_of
        roles = {role.key: role for role in group.flattened_roles}
        role_objects = np.empty(count, dtype=object)
        role_objects[:] = roles["member"]
        role_objects[is_head] = roles["head"]
        population._members_role = role_objects
    if event_date is not None:
        return SimulationOnDate(tax_benefit_system, populations, event_date)
    return RulesSimulation(tax_benefit_system, populations)


@lru_cache(maxsize=256)
def enum_codes(possible_values: Any) -> dict[str, int]:
    """Each name of an enumeration and its index (made once per enumeration)."""
    return {name: member.index for name, member in possible_values.__members__.items()}


def small_enum_array(variable: Any, values: Any) -> EnumArray | None:
    """A few enumeration names (at most ``SMALL_ENUM_INPUT``) as an ``EnumArray``, each looked up by name: without
    openfisca-core's encoding, whose fixed cost (``isin``, ``argsort``, ``searchsorted``) dominates for a few
    persons. None where that does not apply, or where a name is not the enumeration's (openfisca-core decides)."""
    if variable.value_type is not Enum or type(values) is not np.ndarray or values.dtype.kind != "U":
        return None
    if values.ndim != 1 or len(values) > SMALL_ENUM_INPUT:
        return None
    codes = enum_codes(variable.possible_values)
    try:
        indices = [codes[name] for name in values.tolist()]
    except KeyError:
        return None
    return EnumArray(np.array(indices, dtype=variable.dtype), variable.possible_values)


NUMBERS = "biuf"  # the kinds of numpy dtype openfisca-core casts one into another with ``astype``
ETERNITY = periods.period(DateUnit.ETERNITY)  # where openfisca-core's storage keeps an eternal value


def _in_memory(holder: Any) -> bool:
    """Whether ``holder`` keeps its values in memory only, and an eternal one has no ``set_input`` of its own
    (openfisca-core would call it for any period)."""
    return in_memory_only(holder) and not (holder._eternal and holder.variable.set_input is not None)


def _as_stored(holder: Any, values: Any) -> Any:
    """``values`` as openfisca-core's checks and casts would store them in ``holder`` (``Holder._to_array``:
    one value per member, cast with ``astype`` to the variable's dtype), or None where they might refuse or
    change them in another way (openfisca-core then decides): not an array of one dimension and the right
    length, an enumeration not already encoded, a cast other than number to number."""
    variable = holder.variable
    kind = EnumArray if variable.value_type is Enum else np.ndarray
    if type(values) is not kind or values.ndim != 1 or len(values) != holder.population.count:
        return None
    if values.dtype == variable.dtype:
        return values
    if kind is np.ndarray and values.dtype.kind in NUMBERS and np.dtype(variable.dtype).kind in NUMBERS:
        return values.astype(variable.dtype)
    return None


def set_input(simulation: Simulation, variable: str, period: str | Period, values: Any) -> None:
    """Write one input array; a period that is exactly the variable's (any, for an eternal variable) skips
    openfisca's dispatch, a few enumeration names are encoded by name (:func:`small_enum_array`), and values
    are stored as openfisca-core would store them, without its checks where they would pass
    (:func:`_as_stored`) in a holder that keeps its values in memory."""
    holder = holder_of(simulation, variable, create=True) or simulation.get_holder(variable)  # else core's error
    period = parse_period(period)
    definition = holder.variable.definition_period
    eternal = holder._eternal and period.unit == DateUnit.ETERNITY
    if eternal or (period.size == 1 and period.unit == definition and not holder.variable.is_neutralized):
        encoded = small_enum_array(holder.variable, values)
        values = values if encoded is None else encoded
        stored = _as_stored(holder, values) if _in_memory(holder) else None
        if stored is not None:
            holder._memory_storage._arrays[ETERNITY if holder._eternal else period] = stored
            return
        if not eternal:
            holder._set(period, values)
            return
    holder.set_input(period, np.asarray(values))


def set_inputs(simulation: Simulation, inputs: Inputs) -> None:
    """Write ``inputs[(variable, period)] = array`` into the simulation's holders."""
    for (variable, period), values in inputs.items():
        set_input(simulation, variable, period, values)


def release_arrays(simulation: Simulation) -> None:
    """Let go of every array the simulation holds (its inputs' and its results' references), at once.

    A simulation's objects refer to one another, so it is freed only when Python's cycle collector next runs;
    until then, its arrays (hundreds of MB for a chunk of a million persons) stay allocated, and the next
    chunk's are faulted in afresh. Arrays the caller still refers to (the results it keeps) live on.
    """
    for population in simulation.populations.values():
        for holder in population._holders.values():
            holder.delete_arrays()


def dismantle(simulation: Simulation) -> None:
    """Break the reference cycles of a simulation that is done with (its populations and their holders refer back
    to it), so that reference counting frees it as soon as the caller lets go of it, rather than the cyclic
    collector some requests later, after scanning it. Arrays the caller still refers to live on."""
    for population in simulation.populations.values():
        population._holders.clear()
        population.simulation = None


def simulation_from_arrays(
    tax_benefit_system: Any,
    count: int,
    inputs: Inputs,
    household_of: np.ndarray | None = None,
) -> Simulation:
    """A simulation of ``count`` persons with ``inputs[(variable, period)] = array``.

    ``household_of`` gives each person's household number (0..n-1); by default
    every person is alone in a household, as its head.
    """
    household_ids = None
    if household_of is not None:
        household_ids, household_of = np.unique(np.asarray(household_of), return_inverse=True)
    simulation = build_simulation(tax_benefit_system, np.arange(count), household_of, household_ids)
    set_inputs(simulation, inputs)
    return simulation


def restated(simulation: Simulation, rows: np.ndarray) -> Simulation:
    """A new simulation of the persons ``rows`` of ``simulation`` (one may come more than once, each time with its
    own copy of its household), with their facts as stated (every input array of a variable without a formula,
    and the event date), on the same rules day, and nothing computed: what the rules give them can be computed
    again with a fact changed."""
    rows = np.asarray(rows, dtype=np.int64)
    system = simulation.tax_benefit_system
    group = next(iter(system.group_entities), None)
    household_of = household_ids = is_head = None
    if group is not None:
        households = simulation.populations[group.key]
        keys = _occurrences(rows) * max(households.count, 1) + households.members_entity_id[rows]
        unique, household_of = np.unique(keys, return_inverse=True)
        household_ids = np.arange(len(unique))
        head = next(role for role in group.flattened_roles if role.key == "head")
        is_head = households._members_role[rows] == head
    event_date = getattr(simulation, "event_date", None)
    copy = build_simulation(system, simulation.persons.ids[rows], household_of, household_ids, is_head, event_date)
    for name, holder in simulation.persons._holders.items():
        if holder.variable.formulas and name != "event_date":
            continue
        stored = holder_of(copy, name, create=True)
        for period, values in holder._memory_storage._arrays.items():
            stored._memory_storage._arrays[period] = values[rows]
    return copy


def _occurrences(rows: np.ndarray) -> np.ndarray:
    """For each of ``rows``, how many times it came before (0 the first time)."""
    order = np.argsort(rows, kind="stable")
    starts = np.flatnonzero(np.r_[True, rows[order][1:] != rows[order][:-1]]) if len(rows) else np.zeros(0, int)
    runs = np.repeat(starts, np.diff(np.r_[starts, len(rows)]))
    found = np.empty(len(rows), dtype=np.int64)
    found[order] = np.arange(len(rows)) - runs
    return found
