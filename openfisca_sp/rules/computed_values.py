"""A simulation's computed values, kept when it is done and given to another simulation of the same persons.

A comparison's reform recomputes the branches its changes reach (:mod:`openfisca_sp.population.reuse`); most
variables those branches run (a person's disability, contributions, insured wages) read nothing the reform
changes, and are the baseline's to the last bit. The baseline's month pass keeps its values
(:func:`computed_values`), and the reform's simulation starts with those of the variables that can only repeat
them (:func:`seed_values`): its formulas then read them as they read any value already computed.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

import numpy as np
from openfisca_core.periods import Period
from openfisca_core.simulations import Simulation

from openfisca_sp.rules.cached_reads import holder_of, plain

Values = dict[tuple[str, Period], np.ndarray]  # by variable and period


def computed_values(simulation: Simulation, written: Iterable[np.ndarray], names: Collection[str]) -> Values:
    """Every value the formulas of the variables ``names`` computed in ``simulation`` and keep in memory, by
    variable and period; any that is, or is a view of, one of the arrays ``written`` (results the caller writes
    over later: a claim decided again on its event) as a copy."""
    buffers = {_buffer(array) for array in written}
    values: Values = {}
    for population in simulation.populations.values():
        for name, holder in population._holders.items():
            if name not in names or not holder.variable.formulas or not plain(holder):
                continue
            for period, array in holder._memory_storage._arrays.items():
                values[(name, period)] = array.copy() if _buffer(array) in buffers else array
    return values


def _buffer(array: np.ndarray) -> int:
    """The address of an array's first element (an array and its views of the whole share it)."""
    return array.__array_interface__["data"][0]


def seed_values(simulation: Simulation, values: Mapping[tuple[str, Period], np.ndarray]) -> None:
    """Give ``simulation`` the ``values`` (computed by another simulation of the same persons), where its holders
    keep values in memory and hold none yet for that period (an input given stays)."""
    for (name, period), array in values.items():
        holder = holder_of(simulation, name, create=True)
        if holder is None or not plain(holder) or len(array) != holder.population.count:
            continue
        holder._memory_storage._arrays.setdefault(period, array)
