"""The population engine: every branch of the rules over a whole person table, in one vectorised pass.

Reads only the columns the rules need, checks and converts them
(:mod:`~openfisca_sp.population.inputs`), then runs the rules chunk by chunk of
whole households (:mod:`~openfisca_sp.population.chunks`). The same functions
run on a Dask worker over one partition (:mod:`openfisca_sp.distributed`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pyarrow as pa

from openfisca_sp.population.chunks import DEFAULT_CHUNK, Progress, run_chunks
from openfisca_sp.population.columns import STRUCTURE, ColumnNeed, needed_columns
from openfisca_sp.population.inputs import PopulationInputs, to_inputs
from openfisca_sp.population.reading import read_table, source_label
from openfisca_sp.population.results import PopulationResults, branches_of, outputs_of
from openfisca_sp.rules import jurisdictions
from openfisca_sp.rules.system import tax_benefit_system


def resolve_system(system: Any = None) -> Any:
    """A tax-benefit system from a system, a jurisdiction code, or None (the default jurisdiction)."""
    if system is None or isinstance(system, str):
        return tax_benefit_system(jurisdictions.get(system).code)
    return system


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
    :mod:`~openfisca_sp.population.reading`); ``system`` a tax-benefit system, a reform, or a
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
