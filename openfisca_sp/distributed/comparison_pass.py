"""Pass 2 of a distributed comparison: each partition's sums per cell, added up by the client.

Each partition runs :func:`comparison.aggregate_partition` with the cut points
of pass 1 (:mod:`openfisca_sp.distributed.income_pass`) and sends its
:class:`~openfisca_sp.analysis.aggregates.Aggregates` (sums per cell), which the client adds up.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from distributed import Client

from openfisca_sp.analysis.aggregates import SIDES, Aggregates
from openfisca_sp.analysis.comparison import Comparison, aggregate_partition, comparison_meta
from openfisca_sp.analysis.survey import survey_arrays
from openfisca_sp.analysis.unchanged import unchanged_notes
from openfisca_sp.distributed.income_pass import cut_points_of, income_pass
from openfisca_sp.distributed.storage import naming, partitions, read_partition
from openfisca_sp.distributed.tasks import Progress, gather
from openfisca_sp.distributed.worker_systems import ReformName, comparison_plan, reform_argument
from openfisca_sp.population.chunks import DEFAULT_CHUNK
from openfisca_sp.population.engine import claim_months, columns_to_read, jurisdiction_for, read_population
from openfisca_sp.population.errors import PopulationError
from openfisca_sp.population.months import Month, check_run
from openfisca_sp.rules import jurisdictions

__all__ = ["PartitionAggregates", "aggregate_file", "compare_distributed"]


@dataclass(frozen=True)
class PartitionAggregates:
    """A partition's sums per cell, and how many persons and households it holds."""

    aggregates: Aggregates
    persons: int
    households: int


def aggregate_file(
    path: str,
    month: str,
    reform: ReformName,
    jurisdiction: str,
    assume: Mapping[str, Any] | None,
    cut_points: np.ndarray,
    chunk_persons: int = DEFAULT_CHUNK,
    claims_on_events: bool = True,
) -> PartitionAggregates:
    """Read a partition and sum the comparison of ``reform`` with the baseline over it (worker task)."""
    plan = comparison_plan(month, reform, jurisdiction)
    systems_ = [plan.systems[side] for side in SIDES]
    outputs = [plan.outputs[side] for side in SIDES]
    extra = plan.extra_columns
    with naming(path):
        months = claim_months(path, systems_, month, read_partition, claims_on_events)
        table = read_partition(path, columns_to_read(systems_, month, outputs, extra, months)[1], month)
        inputs, analysis = read_population(
            table, systems_, month, outputs, assume, extra, claims_on_events=claims_on_events
        )
        survey, notes = survey_arrays(analysis, month)
        aggregates = aggregate_partition(
            plan,
            inputs,
            survey,
            cut_points,
            [*inputs.assumptions, *notes],
            chunk_persons,
            claims_on_events=claims_on_events,
        )
    return PartitionAggregates(aggregates, inputs.count, len(inputs.household_ids))


def compare_distributed(
    client: Client,
    path: str | os.PathLike,
    month: Month,
    reform: ReformName,
    jurisdiction: str | None = None,
    assume: Mapping[str, Any] | None = None,
    chunk_persons: int = DEFAULT_CHUNK,
    progress: Progress | None = None,
    claims_on_events: bool = True,
) -> Comparison:
    """:func:`comparison.compare` of a partitioned Parquet population, computed on ``client``'s cluster (with
    ``claims_on_events`` False, every claim on the first day of the month, as there).

    ``reform`` is a shipped name, a YAML path (read by the client and by every
    worker) or an importable Reform class. ``progress`` is called after each
    partition of the second pass (the long one) with (done, in all).
    """
    month = check_run(month, chunk_persons, progress, claims_on_events)  # a Period or datetime64 too
    asked = jurisdictions.get(jurisdiction).code if jurisdiction else None  # else the table's own, if it names one
    code = jurisdictions.get(jurisdiction_for(path, asked)).code
    reform = reform_argument(reform)
    plan = comparison_plan(month, reform, code)  # on the client too: a bad reform fails before any task
    ranks = income_pass(client, partitions(path), month, code)
    points = cut_points_of(ranks)
    files = [rank.summary.path for rank in ranks if rank.summary.persons]
    if not files:
        raise PopulationError("the table has no rows", source=os.fspath(path))
    futures = [
        client.submit(
            aggregate_file, file, month, reform, code, assume, points, chunk_persons, claims_on_events, pure=False
        )
        for file in files
    ]
    parts = gather(client, futures, progress)
    aggregates = functools.reduce(Aggregates.merge, (part.aggregates for part in parts))
    aggregates.notes = [*aggregates.notes, *unchanged_notes(plan.systems["reform"], month, aggregates.changed)]
    persons = sum(part.persons for part in parts)
    households = sum(part.households for part in parts)
    meta = comparison_meta(plan, persons, households, aggregates.notes, os.fspath(path))
    return Comparison(aggregates, meta)
