"""The population engine: every branch of the rules over a whole person table, in one vectorised pass.

Simulations are built straight from arrays (``populations.build_simulation``),
never through openfisca-core's SimulationBuilder. A large population is run in
chunks of whole households, so that the rules' intermediate results for one
chunk are freed before the next: memory stays near the size of the inputs and
outputs, and a progress callback can report each chunk. The same functions run
on a Dask worker over one partition (``distributed.py``).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from openfisca_core.indexed_enums import Enum

from openfisca_sp import jurisdictions
from openfisca_sp.branch_totals import BranchSums
from openfisca_sp.decisions import BRANCHES, Branch
from openfisca_sp.population_table import (
    HOUSEHOLD_ID,
    PERSON_ID,
    STRUCTURE,
    ColumnNeed,
    PopulationInputs,
    needed_columns,
    read_table,
    source_label,
    to_inputs,
)
from openfisca_sp.populations import build_simulation, set_inputs
from openfisca_sp.system import tax_benefit_system
from openfisca_sp.version import rules_version

Progress = Callable[[int, int], None]  # (persons done, persons in all)
DEFAULT_CHUNK = 1_000_000


def branches_of(system: Any) -> tuple[Branch, ...]:
    """The branches a system decides: the four of every jurisdiction, and those a reform adds."""
    return (*BRANCHES.values(), *getattr(system, "extra_branches", ()))


def branch_outputs(branch: Branch) -> tuple[str, ...]:
    """The per-person result columns of a branch: eligibility, reason, amounts, duration, provisional."""
    names = [branch.eligible, branch.reason, *branch.amount_variables, f"{branch.benefit}_provisional"]
    if branch.amount_modelled:
        names.append(branch.amount_modelled)
    return tuple(names)


def outputs_of(system: Any, branches: Sequence[Branch] | None = None) -> tuple[str, ...]:
    """Every result column of ``system``'s branches."""
    return tuple(name for branch in (branches or branches_of(system)) for name in branch_outputs(branch))


def resolve_system(system: Any = None) -> Any:
    """A tax-benefit system from a system, a jurisdiction code, or None (the default jurisdiction)."""
    if system is None or isinstance(system, str):
        return tax_benefit_system(jurisdictions.get(system).code)
    return system


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


def evaluate(system: Any, population: PopulationInputs, month: str, outputs: Iterable[str]) -> dict[str, np.ndarray]:
    """Compute ``outputs`` for every person of ``population`` in ``month`` (one simulation)."""
    simulation = build_simulation(
        system, np.arange(population.count), population.household_of, population.household_ids, population.is_head
    )
    set_inputs(simulation, population.inputs)
    return {name: np.asarray(simulation.calculate(name, month)) for name in outputs}


def iterate_chunks(
    systems: Sequence[Any],
    population: PopulationInputs,
    month: str,
    outputs: Sequence[Sequence[str]],
    chunk_persons: int = DEFAULT_CHUNK,
) -> Iterator[tuple[slice, list[dict[str, np.ndarray]]]]:
    """For each chunk of whole households: its rows, and each system's ``outputs`` for them."""
    for rows in chunk_bounds(population.household_of, chunk_persons):
        part = population.take(rows)
        yield rows, [evaluate(system, part, month, names) for system, names in zip(systems, outputs, strict=True)]


def run_chunks(
    systems: Sequence[Any],
    population: PopulationInputs,
    month: str,
    outputs: Sequence[Sequence[str]],
    chunk_persons: int = DEFAULT_CHUNK,
    progress: Progress | None = None,
) -> list[dict[str, np.ndarray]]:
    """Every system's ``outputs`` for the whole population, computed chunk by chunk of households."""
    results: list[dict[str, np.ndarray]] = [{} for _ in systems]
    for rows, chunk in iterate_chunks(systems, population, month, outputs, chunk_persons):
        for result, values_by_name in zip(results, chunk, strict=True):
            for name, values in values_by_name.items():
                if name not in result:
                    result[name] = np.empty(population.count, dtype=values.dtype)
                result[name][rows] = values
        if progress is not None:
            progress(rows.stop, population.count)
    return results


@dataclass
class PopulationResults:
    """Per-person results of one system over a population, with the weights to total them."""

    system: Any
    month: str
    person_ids: np.ndarray
    household_ids: np.ndarray  # each person's household id
    weights: np.ndarray
    columns: dict[str, np.ndarray]
    branches: tuple[Branch, ...]
    assumptions: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.person_ids)

    def rules(self) -> dict[str, Any]:
        """The rules version that produced these results."""
        return rules_version(self.system, self.month)

    def totals(self) -> pd.DataFrame:
        """Per branch: weighted beneficiaries, amounts payable for the month, average benefit (float64)."""
        return BranchSums.of(self).totals()

    def to_arrow(self, columns: Sequence[str] | None = None) -> pa.Table:
        """Per-person results as an Arrow table: ids, weight, then each result (enumerations by name)."""
        names = list(columns) if columns is not None else list(self.columns)
        arrays = {PERSON_ID: self.person_ids, HOUSEHOLD_ID: self.household_ids, "weight": self.weights}
        table = {key: pa.array(values) for key, values in arrays.items()}
        for name in names:
            table[name] = _arrow_column(self.system, name, self.columns[name])
        return pa.table(table)

    def to_frame(self, columns: Sequence[str] | None = None) -> pd.DataFrame:
        """Per-person results as a pandas DataFrame (enumerations as categoricals)."""
        return self.to_arrow(columns).to_pandas()

    def write_parquet(self, path: Any, columns: Sequence[str] | None = None) -> None:
        """Write per-person results to a Parquet file."""
        pq.write_table(self.to_arrow(columns), path, compression="zstd")


def _arrow_column(system: Any, name: str, values: np.ndarray) -> pa.Array:
    variable = system.variables[name]
    if variable.value_type is Enum:
        names = pa.array([item.name for item in variable.possible_values])
        return pa.DictionaryArray.from_arrays(pa.array(values.astype(np.int32)), names)
    return pa.array(values)


def columns_to_read(
    systems: Sequence[Any], month: str, outputs: Sequence[Sequence[str]], extra_columns: Iterable[str] = ()
) -> tuple[dict[str, ColumnNeed], list[str]]:
    """What the systems' rules read for ``outputs`` in ``month`` (by column), and every column to read."""
    needs: dict[str, ColumnNeed] = {}
    for system, names in zip(systems, outputs, strict=True):
        for need in needed_columns(system, month, names):
            needs.setdefault(need.column, need)
    return needs, list(dict.fromkeys([*STRUCTURE, *needs, *extra_columns]))


def read_population(
    source: Any,
    systems: Sequence[Any],
    month: str,
    outputs: Sequence[Sequence[str]],
    assume: Mapping[str, Any] | None = None,
    extra_columns: Iterable[str] = (),
) -> tuple[PopulationInputs, pa.Table]:
    """Read only the columns the systems' rules need, check and convert them.

    Returns the inputs and an Arrow table of the ``extra_columns`` that exist
    (e.g. those the analysis reads), aligned with the inputs' rows.
    """
    needs, columns = columns_to_read(systems, month, outputs, extra_columns)
    table = read_table(source, columns)
    inputs = to_inputs(table, month, list(needs.values()), assume, source=source_label(source))
    analysis = table.select([name for name in dict.fromkeys(extra_columns) if name in table.column_names])
    del table
    pa.default_memory_pool().release_unused()  # Arrow's pool would keep the freed columns for itself
    return inputs, analysis


def simulate(
    population: Any,
    month: str,
    system: Any = None,
    *,
    assume: Mapping[str, Any] | None = None,
    chunk_persons: int = DEFAULT_CHUNK,
    progress: Progress | None = None,
) -> PopulationResults:
    """Every branch of ``system``'s rules for every person of ``population`` in ``month``.

    ``population`` is a DataFrame, an Arrow table or a Parquet/CSV path (see
    ``population_table``); ``system`` a tax-benefit system, a reform, or a
    jurisdiction code. Missing columns raise :class:`PopulationError`.
    """
    system = resolve_system(system)
    branches = branches_of(system)
    outputs = outputs_of(system, branches)
    inputs, _ = read_population(population, [system], month, [outputs], assume)
    (columns,) = run_chunks([system], inputs, month, [outputs], chunk_persons, progress)
    household_ids = inputs.household_ids[inputs.household_of]
    return PopulationResults(
        system, month, inputs.person_ids, household_ids, inputs.weights, columns, branches, inputs.assumptions
    )
