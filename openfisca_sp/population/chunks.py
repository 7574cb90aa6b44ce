"""Run the rules over a population chunk by chunk of whole households.

The rules' intermediate results for one chunk are freed before the next, so
memory stays near the size of the inputs and outputs, and a progress callback
can report each chunk. Simulations are built straight from arrays
(:func:`openfisca_sp.rules.simulations.build_simulation`), never through
openfisca-core's SimulationBuilder.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np

from openfisca_sp.population.claims import compute_claims, decide_dated_claims, month_pass
from openfisca_sp.population.inputs import PopulationInputs
from openfisca_sp.population.outputs import branches_of
from openfisca_sp.population.reuse import compute_reusing
from openfisca_sp.rules.recording import Reads

Progress = Callable[[int, int], None]  # (persons done, persons in all)
DEFAULT_CHUNK = 1_000_000


def chunk_bounds(household_of: np.ndarray, chunk_persons: int) -> list[slice]:
    """Slices of about ``chunk_persons`` rows that never split a household."""
    count = len(household_of)
    if count == 0:
        return []
    starts = np.flatnonzero(np.r_[True, household_of[1:] != household_of[:-1]])
    targets = np.arange(chunk_persons, count, max(chunk_persons, 1))
    cuts = np.unique(starts[np.minimum(np.searchsorted(starts, targets), len(starts) - 1)])
    cuts = cuts[(cuts > 0) & (cuts < count)]
    edges = [0, *cuts.tolist(), count]
    return [slice(start, stop) for start, stop in itertools.pairwise(edges) if stop > start]


def iterate_chunks(
    systems: Sequence[Any],
    population: PopulationInputs,
    month: str,
    outputs: Sequence[Sequence[str]],
    chunk_persons: int = DEFAULT_CHUNK,
) -> Iterator[tuple[slice, list[dict[str, np.ndarray]]]]:
    """For each chunk of whole households: its rows, and each system's ``outputs`` for them (computed once for
    a system given twice with the same outputs, as a comparison of the baseline with itself).

    The first system's computation is recorded, and the branches of the others that can only repeat its
    results take them (:mod:`~openfisca_sp.population.reuse`): a reform computes what it changes.
    """
    recorded = len({id(system) for system in systems}) > 1
    for rows in chunk_bounds(population.household_of, chunk_persons):
        part = population.take(rows)
        computed: dict[tuple[int, tuple[str, ...]], dict[str, np.ndarray]] = {}
        first: tuple[Any, dict[str, np.ndarray], Reads] | None = None
        for system, names in zip(systems, outputs, strict=True):
            key = (id(system), tuple(names))
            if key in computed:
                continue
            if first is not None:
                computed[key] = compute_reusing(system, part, month, names, first)
                continue
            reads = Reads() if recorded else None
            computed[key] = compute_claims(system, part, month, list(names), branches_of(system), reads)
            first = None if reads is None else (system, computed[key], reads)
        yield rows, [computed[(id(system), tuple(names))] for system, names in zip(systems, outputs, strict=True)]


def run_chunks(
    systems: Sequence[Any],
    population: PopulationInputs,
    month: str,
    outputs: Sequence[Sequence[str]],
    chunk_persons: int = DEFAULT_CHUNK,
    progress: Progress | None = None,
) -> list[dict[str, np.ndarray]]:
    """Every system's ``outputs`` for the whole population: the month's pass chunk by chunk of households, then
    the claims dated on another day, decided again for the whole population at once (a few simulations, one
    per day whose rules apply, however many chunks)."""
    results: list[dict[str, np.ndarray]] = [{} for _ in systems]
    for rows in chunk_bounds(population.household_of, chunk_persons):
        part = population.take(rows)
        chunk = [
            month_pass(system, part, month, names, branches_of(system))
            for system, names in zip(systems, outputs, strict=True)
        ]
        for result, values_by_name in zip(results, chunk, strict=True):
            for name, values in values_by_name.items():
                if name not in result:
                    result[name] = np.empty(population.count, dtype=values.dtype)
                result[name][rows] = values
        if progress is not None:
            progress(rows.stop, population.count)
    population.wait()  # every row's inputs, for the claims decided again
    for system, names, result in zip(systems, outputs, results, strict=True):
        decide_dated_claims(system, population, month, names, branches_of(system), result)
    return results
