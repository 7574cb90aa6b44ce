"""Pass 1 of a distributed comparison: what income deciles rank.

Each partition sends the household income per person of its households and
their weights, so that the client computes the income decile cut points over
the whole population, exactly as :func:`comparison.compare` does locally. The
checks across partitions (versions, whole households) run on this pass's summaries.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from distributed import Client

from openfisca_sp.analysis.breakdowns import decile_cut_points
from openfisca_sp.analysis.comparison import household_incomes
from openfisca_sp.analysis.survey import income_column, survey_arrays
from openfisca_sp.distributed.storage import naming, partitions, read_partition
from openfisca_sp.distributed.tasks import gather
from openfisca_sp.distributed.whole_households import (
    PartitionSummary,
    check_versions,
    check_whole_households,
    summarise,
)
from openfisca_sp.distributed.worker_systems import systems
from openfisca_sp.population.columns import STRUCTURE
from openfisca_sp.population.errors import PopulationError
from openfisca_sp.population.inputs import to_inputs
from openfisca_sp.rules import jurisdictions

__all__ = ["IncomeRanks", "cut_points_of", "income_cut_points", "income_pass", "income_ranks"]


@dataclass(frozen=True)
class IncomeRanks:
    """A partition's household income per person, one value per household, and the weights of its persons."""

    summary: PartitionSummary
    values: np.ndarray  # float64, one per household
    sizes: np.ndarray  # persons per household
    weights: np.ndarray  # float64: one per household if every person of a household has its weight, else per person
    error: PopulationError | None = None  # raised by the client after the household check

    def per_person(self) -> tuple[np.ndarray, np.ndarray]:
        """Each person's value and weight, in the partition's row order."""
        weights = self.weights if len(self.weights) == self.summary.persons else np.repeat(self.weights, self.sizes)
        return np.repeat(self.values, self.sizes), weights


def income_ranks(path: str, month: str, jurisdiction: str) -> IncomeRanks:
    """Read a partition's structure and income columns, check them, and rank its households (worker task).

    A partition that fails its checks sends its error back with its summary, so
    that a household split across partitions (which breaks them) is reported as such.
    """
    systems(jurisdiction)  # the worker builds the rules once, before the second pass needs them
    table = read_partition(path, [*STRUCTURE, "sex", "income", income_column(month)])
    summary = summarise(path, table)
    empty = np.zeros(0)
    if not summary.persons:
        return IncomeRanks(summary, empty, np.zeros(0, np.int32), empty)
    try:
        with naming(path):
            inputs = to_inputs(table, month, [], source=path)
            survey, _ = survey_arrays(table, month)
    except PopulationError as error:
        return IncomeRanks(summary, empty, np.zeros(0, np.int32), empty, error)
    values = household_incomes(inputs, survey)
    starts = np.flatnonzero(np.r_[True, inputs.household_of[1:] != inputs.household_of[:-1]])
    sizes = np.diff(np.r_[starts, inputs.count]).astype(np.int32)
    weights = inputs.weights[starts]
    if not np.array_equal(np.repeat(weights, sizes), inputs.weights):
        weights = inputs.weights
    return IncomeRanks(summary, values[starts], sizes, weights)


def income_pass(client: Client, files: Sequence[str], month: str, jurisdiction: str) -> list[IncomeRanks]:
    """Pass 1, then the checks across partitions: versions, whole households, then each partition's own."""
    futures = [client.submit(income_ranks, path, month, jurisdiction, pure=False) for path in files]
    ranks = gather(client, futures)
    summaries = [rank.summary for rank in ranks]
    check_versions(summaries)
    check_whole_households(client, summaries)
    for rank in ranks:
        if rank.error is not None:
            raise rank.error
    return ranks


def cut_points_of(ranks: Sequence[IncomeRanks]) -> np.ndarray:
    """Cut points over the persons of every partition in partition order (the order of a local read)."""
    values, weights = zip(*(rank.per_person() for rank in ranks), strict=True)
    return decile_cut_points(np.concatenate(values), np.concatenate(weights))


def income_cut_points(
    client: Client, path: str | os.PathLike, month: str, jurisdiction: str | None = None
) -> np.ndarray:
    """The income decile cut points of a partitioned population, as a local comparison computes them."""
    code = jurisdictions.get(jurisdiction).code
    return cut_points_of(income_pass(client, partitions(path), month, code))
