"""A distributed simulation: totals by branch and per-person results of a partitioned population.

The client checks whole households on every partition's summary, then each
partition is simulated on its worker, which sends back its branch sums (merged
in float64 by the client) and, when asked, its per-person results, or writes
them next to the others.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pyarrow as pa
from distributed import Client

from openfisca_sp.distributed.storage import naming, output_path, partitions, read_partition, write_partition
from openfisca_sp.distributed.tasks import Progress, gather
from openfisca_sp.distributed.whole_households import check_versions, check_whole_households, household_summary
from openfisca_sp.distributed.worker_systems import ReformName, reform_argument, systems
from openfisca_sp.population.chunks import DEFAULT_CHUNK
from openfisca_sp.population.engine import claim_months, columns_to_read, jurisdiction_for, simulate
from openfisca_sp.population.errors import PopulationError
from openfisca_sp.population.month_totals import months_ending, totals_by_month, totals_over
from openfisca_sp.population.months import Month, check_run
from openfisca_sp.population.outputs import outputs_of
from openfisca_sp.population.results import check_result_columns
from openfisca_sp.population.totals import BranchSums
from openfisca_sp.rules import jurisdictions

__all__ = ["PartitionResults", "simulate_distributed", "simulate_file"]


@dataclass(frozen=True)
class PartitionResults:
    """A partition's branch sums (one per month asked, the month evaluated last), and its per-person results
    when they are sent back."""

    sums: tuple[BranchSums, ...]
    table: pa.Table | None


def simulate_file(
    path: str,
    month: str,
    jurisdiction: str,
    reform: ReformName | None,
    columns: Sequence[str] | None,
    assume: Mapping[str, Any] | None,
    output: str | None,
    chunk_persons: int = DEFAULT_CHUNK,
    months: int = 1,
    claims_on_events: bool = True,
) -> PartitionResults:
    """Simulate one partition; write its per-person results to ``output`` or return ``columns`` (worker task);
    its sums for each of the ``months`` months ending with ``month`` (``claims_on_events``: see
    :func:`engine.simulate`)."""
    baseline, reformed = systems(jurisdiction, reform)
    system = baseline if reformed is None else reformed
    with naming(path):
        events = claim_months(path, [system], month, read_partition, claims_on_events)
        table = read_partition(path, columns_to_read([system], month, [outputs_of(system)], (), events)[1], month)
        results = simulate(
            table, month, system, assume=assume, chunk_persons=chunk_persons, claims_on_events=claims_on_events
        )
    currency = system.jurisdiction.currency
    sums = tuple(
        BranchSums.of(results.weights, results.columns, results.branches, asked, results.decimals, currency)
        for asked in months_ending(month, months)
    )
    if output is not None:
        write_partition(results.to_arrow(columns), output)
        return PartitionResults(sums, None)
    return PartitionResults(sums, None if columns is None else results.to_arrow(columns))


def simulate_distributed(
    client: Client,
    path: str | os.PathLike,
    month: Month,
    jurisdiction: str | None = None,
    reform: ReformName | None = None,
    columns: Sequence[str] | None = None,
    assume: Mapping[str, Any] | None = None,
    output_dir: str | os.PathLike | None = None,
    chunk_persons: int = DEFAULT_CHUNK,
    progress: Progress | None = None,
    months: int = 1,
    claims_on_events: bool = True,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`engine.simulate` of a partitioned Parquet population, computed on ``client``'s cluster (each claim
    on its event's day, or with ``claims_on_events`` False every claim on the first day of the month).

    Returns ``(totals, persons)``: the totals by branch (``PopulationResults.totals``'s
    table, from sums merged in float64; with ``months`` > 1, ``PopulationResults.cost_over_year``'s
    table over the ``months`` months ending with ``month``) and the per-person results of ``columns``
    (with person_id, household_id and weight) in partition order, or an empty
    frame when ``columns`` is None or ``output_dir`` is given. With ``output_dir``,
    each worker writes its partition's results (``columns``, or every result
    column) to ``<output_dir>/part-NNNNN.parquet``, NNNNN being the partition's
    index in :func:`partitions` order; the directory must be writable by every worker.
    """
    month = check_run(month, chunk_persons, progress, claims_on_events)  # a Period or datetime64 too
    months_ending(month, months)  # checked before any task: 10**6 months ran the workers out of memory
    asked = jurisdictions.get(jurisdiction).code if jurisdiction else None  # else the table's own, if it names one
    code = jurisdictions.get(jurisdiction_for(path, asked)).code
    reform = reform_argument(reform)
    baseline, reformed = systems(code, reform)
    check_result_columns(baseline if reformed is None else reformed, columns)
    summaries = gather(client, [client.submit(household_summary, file, pure=False) for file in partitions(path)])
    check_versions(summaries)
    check_whole_households(client, summaries)
    filled = [(index, summary.path) for index, summary in enumerate(summaries) if summary.persons]
    if not filled:
        raise PopulationError("the table has no rows", source=os.fspath(path))
    futures = [
        client.submit(
            simulate_file,
            file,
            month,
            code,
            reform,
            columns,
            assume,
            None if output_dir is None else output_path(output_dir, index),
            chunk_persons,
            months,
            claims_on_events,
            pure=False,
        )
        for index, file in filled
    ]
    parts = gather(client, futures, progress)
    merged = [functools.reduce(BranchSums.merge, each) for each in zip(*(part.sums for part in parts), strict=True)]
    if months > 1:
        by_month = totals_by_month(list(zip(months_ending(month, months), merged, strict=True)))
        totals = totals_over(by_month, jurisdictions.get(code).amount_decimals)
    else:
        totals = merged[-1].totals()
    tables = [part.table for part in parts if part.table is not None]
    return totals, pa.concat_tables(tables).to_pandas() if tables else pd.DataFrame()
