"""Run the rules over a population chunk by chunk of whole households.

The rules' intermediate results for one chunk are freed before the next, so
memory stays near the size of the inputs and outputs, and a progress callback
can report each chunk. Simulations are built straight from arrays
(:func:`openfisca_sp.rules.simulations.build_simulation`), never through
openfisca-core's SimulationBuilder.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np

from openfisca_sp.population.claims import compute_claims, decide_dated_claims, month_pass
from openfisca_sp.population.inputs import PopulationInputs
from openfisca_sp.population.outputs import branches_of
from openfisca_sp.population.reuse import compute_reusing, kept_for
from openfisca_sp.population.writing import ChunkWriter
from openfisca_sp.rules.recording import Reads

Progress = Callable[[int, int], None]  # (persons done, persons in all)
Inputs = dict[tuple[str, str], np.ndarray]
DEFAULT_CHUNK = 1_000_000


def iterate_chunks(
    systems: Sequence[Any],
    population: PopulationInputs,
    month: str,
    outputs: Sequence[Sequence[str]],
    chunk_persons: int = DEFAULT_CHUNK,
    claims_on_events: bool = True,
) -> Iterator[tuple[slice, list[dict[str, np.ndarray]]]]:
    """For each chunk of whole households: its rows, and each system's ``outputs`` for them (computed once for
    a system given twice, as a comparison of the baseline with itself: a later one whose outputs are among an
    earlier one's takes its results, the same arrays); each claim decided on its event's day, or with
    ``claims_on_events`` False on the first day of ``month``.

    The first system's computation is recorded, and the branches of the others that can only repeat its
    results take them (:mod:`~openfisca_sp.population.reuse`): a reform computes what it changes. A chunk's
    results are valid until the next one is asked for (with a ring, its inputs' buffers are then reused).
    """
    recorded = len({id(system) for system in systems}) > 1
    try:
        for rows in population.chunks(chunk_persons):
            part = population.take(rows)
            computed: dict[tuple[int, tuple[str, ...]], dict[str, np.ndarray]] = {}
            first: tuple[Any, dict[str, np.ndarray], Reads] | None = None
            for system, names in zip(systems, outputs, strict=True):
                key = (id(system), tuple(names))
                done = next(
                    (found for (of, had), found in computed.items() if of == key[0] and set(names) <= set(had)), None
                )
                if done is not None:
                    computed[key] = done
                    continue
                if first is not None:
                    computed[key] = compute_reusing(system, part, month, names, first, claims_on_events)
                    continue
                reads = Reads() if recorded else None
                if reads is not None:  # what the others may be given of its month pass's values
                    others = [(other, had) for other, had in zip(systems, outputs, strict=True) if other is not system]
                    reads.keeps = kept_for(system, others)
                computed[key] = compute_claims(
                    system, part, month, list(names), branches_of(system), reads, claims_on_events
                )
                first = None if reads is None else (system, computed[key], reads)
            if first is not None:
                first[2].values = {}  # the baseline's month pass's values, given to the others: freed
            yield rows, [computed[(id(system), tuple(names))] for system, names in zip(systems, outputs, strict=True)]
            population.release(rows)  # the caller is done with the chunk (with a ring, its buffers are reused)
    finally:
        population.close()


def run_chunks(
    systems: Sequence[Any],
    population: PopulationInputs,
    month: str,
    outputs: Sequence[Sequence[str]],
    chunk_persons: int = DEFAULT_CHUNK,
    progress: Progress | None = None,
    claims_on_events: bool = True,
) -> list[dict[str, np.ndarray]]:
    """Every system's ``outputs`` for the whole population: the month's pass chunk by chunk of households, then
    the claims dated on another day, decided again for the whole population at once (a few simulations, one
    per day whose rules apply, however many chunks); not with ``claims_on_events`` False (every claim then
    stays decided on the first day of the month)."""
    results: list[dict[str, np.ndarray]] = [{} for _ in systems]
    dated: list[tuple[np.ndarray, Inputs]] = []  # with a ring: the rows of dated claims and their inputs, kept
    writer = ChunkWriter()  # copies a chunk's results while the rules run on the next one
    try:
        for rows in population.chunks(chunk_persons):
            writer.wait(pending=1)  # the chunk two before is copied and let go: its buffers take this one
            part = population.take(rows)
            chunk = [
                month_pass(system, part, month, names, branches_of(system), aged=claims_on_events)
                for system, names in zip(systems, outputs, strict=True)
            ]
            for result, values_by_name in zip(results, chunk, strict=True):
                for name, values in values_by_name.items():
                    if name not in result:
                        result[name] = np.empty(population.count, dtype=values.dtype)
            keep = None  # with a ring, its buffers are reused: what the dated claims will read is kept first
            if population.ring is not None and claims_on_events:
                keep = functools.partial(_keep_dated, dated, systems, chunk, part, rows.start)
            writer.submit(functools.partial(_written, population, results, chunk, rows, keep))
            del part, chunk
            if progress is not None:
                progress(rows.stop, population.count)
        writer.wait()
        population.wait()  # every row's inputs, for the claims decided again
    finally:
        writer.close()
        population.close()
    if not claims_on_events:
        return results
    for system, names, result in zip(systems, outputs, results, strict=True):
        if population.ring is None:
            decide_dated_claims(system, population, month, names, branches_of(system), result)
        else:
            _decide_dated_kept(system, population, month, names, result, dated)
    return results


def _written(
    population: PopulationInputs,
    results: list[dict[str, np.ndarray]],
    chunk: list[dict[str, np.ndarray]],
    rows: slice,
    keep: Callable[[], None] | None = None,
) -> None:
    """A chunk's results copied into the population's arrays at its rows, then what ``keep`` keeps of it, then
    its inputs let go (an output may be an input's own array; with a ring, its buffers take a later chunk)."""
    for result, values_by_name in zip(results, chunk, strict=True):
        for name, values in values_by_name.items():
            result[name][rows] = values
    if keep is not None:
        keep()
    population.release(rows)


def _keep_dated(
    dated: list[tuple[np.ndarray, Inputs]],
    systems: Sequence[Any],
    chunk: list[dict[str, np.ndarray]],
    part: PopulationInputs,
    start: int,
) -> None:
    """Keep the rows of a chunk's dated claims and their inputs (:func:`_dated_part`), in the writer's thread:
    gathering rows spread over a chunk waits on memory, and the rules' thread goes on meanwhile."""
    dated.append(_dated_part(systems, chunk, part, start))


def _dated_part(
    systems: Sequence[Any], chunk: list[dict[str, np.ndarray]], part: PopulationInputs, start: int
) -> tuple[np.ndarray, Inputs]:
    """The rows of a chunk (numbered in the whole population) where some system's branch has a dated claim, and
    their inputs, copied. The rows come by the month of their household's earliest claim (then in their own
    order, a household's together), so that the claims decided again together, one simulation per month, read
    rows next to each other; each simulation still meets a household's members in the table's order."""
    earliest = np.full(part.count, np.iinfo(np.int64).max)  # months since 1970 of each row's earliest claim
    for system, values_by_name in zip(systems, chunk, strict=True):
        for branch in branches_of(system):
            dates = values_by_name.get(f"{branch.benefit}_claim_date")
            if dates is not None:
                months = dates.astype("datetime64[M]").view(np.int64)
                np.minimum(earliest, np.where(np.isnat(dates), earliest, months), out=earliest)
    rows = np.flatnonzero(earliest != np.iinfo(np.int64).max)
    households = part.household_of[rows]
    first_claims = np.full(int(part.household_of.max()) + 1 if part.count else 0, np.iinfo(np.int64).max)
    np.minimum.at(first_claims, households, earliest[rows])
    rows = rows[np.argsort(first_claims[households], kind="stable")]
    return rows + start, {key: np.take(values, rows) for key, values in part.inputs.items()}


def _decide_dated_kept(
    system: Any,
    population: PopulationInputs,
    month: str,
    names: Sequence[str],
    result: dict[str, np.ndarray],
    dated: list[tuple[np.ndarray, Inputs]],
) -> None:
    """:func:`decide_dated_claims` over the persons kept from each chunk (the same rows as over the whole
    population, in the order :func:`_dated_part` keeps them), their results written into ``result`` at their
    rows."""
    rows = np.concatenate([kept for kept, _ in dated]) if dated else np.zeros(0, dtype=np.int64)
    if not len(rows):
        return
    inputs = {key: np.concatenate([part[key] for _, part in dated]) for key in dated[0][1]}
    persons = population.gathered(rows, inputs)
    decide_dated_claims(system, persons, month, names, branches_of(system), result, at_rows=rows)
