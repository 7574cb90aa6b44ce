"""The population engine on a dask.distributed cluster: one task per Parquet partition of a person table.

The client sends only small arguments (a partition's path, the month, the
jurisdiction code, the reform's name or YAML path, the cut points); every
worker reads its own partition, builds the tax-benefit systems once per
process (cached) and sends back sums, never persons (unless per-person columns
are asked for). A comparison runs in two passes:

1. each partition sends the household income per person of its households and
   their weights, so that the client computes the income decile cut points over
   the whole population, exactly as :func:`comparison.compare` does locally;
2. each partition runs :func:`comparison.aggregate_partition` with those cut
   points and sends its :class:`~openfisca_sp.analysis.aggregates.Aggregates` (sums per
   cell), which the client adds up.

A partition must hold whole households. Each one is checked on its worker (a
household's rows contiguous, as for a local run); across partitions, the client
compares the range (min, max) of household ids of each partition: disjoint
ranges prove that no household is split (the usual case: files cut from a table
sorted by household). Only partitions whose ranges overlap send the 32-bit
hashes of their household ids (4 bytes a household), and only for hashes seen in
two partitions do they send the ids themselves, which the client compares
exactly: the check is exact, and costs nothing when the ranges are disjoint.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as pa_dataset
import pyarrow.fs as pa_fs
import pyarrow.parquet as pq
from distributed import Client, Future, as_completed
from openfisca_core.reforms import Reform

import openfisca_sp
from openfisca_sp.analysis.aggregates import SIDES, Aggregates
from openfisca_sp.analysis.breakdowns import decile_cut_points
from openfisca_sp.analysis.comparison import (
    Comparison,
    ComparisonPlan,
    aggregate_partition,
    comparison_meta,
    household_incomes,
    plan_comparison,
)
from openfisca_sp.analysis.survey import income_column, survey_arrays
from openfisca_sp.population.chunks import DEFAULT_CHUNK
from openfisca_sp.population.columns import HOUSEHOLD_ID, STRUCTURE
from openfisca_sp.population.engine import columns_to_read, read_population, simulate
from openfisca_sp.population.errors import PopulationError
from openfisca_sp.population.inputs import to_inputs
from openfisca_sp.population.reading import SAMPLE_PREFIX, resolve_path
from openfisca_sp.population.results import branches_of, outputs_of
from openfisca_sp.population.totals import BranchSums
from openfisca_sp.reforms import load_reform
from openfisca_sp.rules import jurisdictions
from openfisca_sp.rules.system import tax_benefit_system

__all__ = [
    "BranchSums",
    "IncomeRanks",
    "PartitionSummary",
    "check_whole_households",
    "compare_distributed",
    "household_summary",
    "income_cut_points",
    "partitions",
    "read_partition",
    "simulate_distributed",
    "systems",
]

Progress = Callable[[int, int], None]  # (partitions done, partitions in all)
ReformName = str | os.PathLike | type[Reform]  # a shipped name, a YAML path, a Reform class or "module:Class"


# Partitions and reading, local or on object storage.


def _filesystem(path: str) -> tuple[pa_fs.FileSystem, str, str, str]:
    """The filesystem holding ``path``, the path within it, and the prefix and suffix that make it ``path`` again.

    A URI's query (``?region=…``) is the suffix, kept on every partition's URI.
    """
    if "://" not in path:
        return pa_fs.LocalFileSystem(), os.path.abspath(path), "", ""
    try:
        filesystem, inner = pa_fs.FileSystem.from_uri(path)
    except (pa.ArrowInvalid, OSError) as error:
        raise PopulationError(f"cannot be opened: {error}", source=path) from None
    base, _, query = path.partition("?")
    base = base.rstrip("/")
    prefix = base[: -len(inner)] if inner and base.endswith(inner) else f"{base.split('://', 1)[0]}://"
    return filesystem, inner, prefix, f"?{query}" if query else ""


def partitions(path: str | os.PathLike) -> list[str]:
    """The Parquet files of a dataset directory (sorted, as a local run reads them), or ``[path]`` for a file.

    Local paths come back absolute; URIs (``s3://bucket/dir``) come back as URIs that pyarrow opens.
    """
    if str(path).startswith(SAMPLE_PREFIX):
        path = resolve_path(path)  # the synthetic sample shipped with the package
    text = os.fspath(path)
    filesystem, inner, prefix, suffix = _filesystem(text)
    try:
        kind = filesystem.get_file_info(inner).type
        if kind == pa_fs.FileType.NotFound:
            raise PopulationError("no such file or directory", source=text)
        if kind != pa_fs.FileType.Directory:
            return [prefix + inner + suffix]
        files = pa_dataset.dataset(inner, format="parquet", filesystem=filesystem).files
    except (pa.ArrowInvalid, OSError) as error:
        raise PopulationError(f"cannot be read as a Parquet dataset: {error}", source=text) from None
    if not files:
        raise PopulationError("no Parquet file in this directory", source=text)
    return [prefix + name + suffix for name in sorted(files)]


def read_partition(path: str, columns: Sequence[str]) -> pa.Table:
    """The ``columns`` of one Parquet partition that exist (checking them is :func:`to_inputs`'s job)."""
    filesystem, inner, _, _ = _filesystem(path)
    try:
        dataset = pa_dataset.dataset(inner, format="parquet", filesystem=filesystem)
        names = dataset.schema.names
        return dataset.to_table(columns=[name for name in dict.fromkeys(columns) if name in names])
    except (pa.ArrowInvalid, pa.ArrowTypeError, OSError) as error:
        raise PopulationError(f"cannot be read as Parquet: {error}", source=path) from None


@contextmanager
def _naming(path: str) -> Iterator[None]:
    """Re-raise a :class:`PopulationError` that names no source as one naming the partition ``path``."""
    try:
        yield
    except PopulationError as error:
        if error.source is not None:
            raise
        message = str(error).removeprefix(f"column '{error.column}': ") if error.column else str(error)
        raise PopulationError(message, error.column, path) from None


# Tax-benefit systems, built once per worker process.


def _reform_argument(reform: Any) -> ReformName | None:
    """A reform as workers can rebuild it: a name, an absolute YAML path, or an importable class."""
    if reform is None or isinstance(reform, type):
        return reform
    if isinstance(reform, os.PathLike) or str(reform).endswith((".yaml", ".yml")):
        return os.path.abspath(os.fspath(reform))
    if isinstance(reform, str):
        return reform
    raise TypeError(
        f"give the reform as a shipped name, a YAML path or a Reform class, not {type(reform).__name__}: "
        "each worker builds its own tax-benefit systems"
    )


def _stamp(reform: ReformName | None) -> int | None:
    """The modification time of a YAML reform, so that an edited file is read again."""
    if isinstance(reform, str) and reform.endswith((".yaml", ".yml")) and os.path.exists(reform):
        return os.stat(reform).st_mtime_ns
    return None


@functools.lru_cache(maxsize=16)
def _cached_systems(jurisdiction: str, reform: ReformName | None, stamp: int | None) -> tuple[Any, Any]:
    baseline = tax_benefit_system(jurisdiction)
    return baseline, (None if reform is None else load_reform(reform, baseline))


def systems(jurisdiction: str, reform: ReformName | None = None) -> tuple[Any, Any]:
    """The baseline system of ``jurisdiction`` and its ``reform`` (or None), cached per process."""
    return _cached_systems(jurisdiction, reform, _stamp(reform))


def _plan(month: str, reform: ReformName, jurisdiction: str) -> ComparisonPlan:
    baseline, reformed = systems(jurisdiction, reform)
    return plan_comparison(month, reformed, baseline)


# Whole households: a summary per partition, checked on the client.


@dataclass(frozen=True)
class PartitionSummary:
    """What the client needs of one partition to plan the next pass and check households."""

    path: str
    persons: int
    households: int
    low: Any  # smallest household id (None when empty)
    high: Any  # largest household id
    version: str  # the openfisca-sp version of the worker


def _summary(path: str, table: pa.Table) -> PartitionSummary:
    """A partition's persons, households and range of household ids, from a table of its rows."""
    if HOUSEHOLD_ID not in table.column_names:
        raise PopulationError("missing column 'household_id': every person needs a household", source=path)
    ids = table.column(HOUSEHOLD_ID)
    bounds = pc.min_max(ids).as_py()
    households = len(pc.unique(ids))
    return PartitionSummary(path, table.num_rows, households, bounds["min"], bounds["max"], openfisca_sp.__version__)


def household_summary(path: str) -> PartitionSummary:
    """A partition's summary from its household ids only (worker task)."""
    return _summary(path, read_partition(path, [HOUSEHOLD_ID]))


def _overlapping(summaries: Sequence[PartitionSummary]) -> list[int]:
    """The partitions whose range of household ids overlaps another's (the others cannot share a household)."""
    filled = [index for index, summary in enumerate(summaries) if summary.persons]
    try:
        order = sorted(filled, key=lambda index: summaries[index].low)
        reach = None  # the highest id of the partitions before in that order
        involved = []
        for position, index in enumerate(order):
            summary = summaries[index]
            before = reach is not None and summary.low <= reach
            after = position + 1 < len(order) and summaries[order[position + 1]].low <= summary.high
            if before or after:
                involved.append(index)
            reach = summary.high if reach is None else max(reach, summary.high)
    except TypeError:
        raise PopulationError(
            "household ids are of different types (integers and text) in different partitions", HOUSEHOLD_ID
        ) from None
    return sorted(involved)


def _hash(ids: np.ndarray, bits: int) -> np.ndarray:
    """Hashes of household ids on ``bits`` bits (at most 32), the same in every process."""
    if ids.dtype.kind in "iu":
        ids = ids.astype(np.int64)
    return (pd.util.hash_array(ids) & np.uint64((1 << bits) - 1)).astype(np.uint32)


def _household_ids(path: str) -> np.ndarray:
    with _naming(path):
        column = read_partition(path, [HOUSEHOLD_ID]).column(HOUSEHOLD_ID)
    return pc.unique(column).to_numpy(zero_copy_only=False)


def household_hashes(path: str, bits: int) -> np.ndarray:
    """The sorted unique hashes of a partition's household ids (worker task)."""
    return np.unique(_hash(_household_ids(path), bits))


def households_hashed(path: str, hashes: np.ndarray, bits: int) -> np.ndarray:
    """A partition's household ids whose hash is one of ``hashes`` (worker task)."""
    ids = _household_ids(path)
    return ids[np.isin(_hash(ids, bits), hashes)]


def check_whole_households(client: Client, summaries: Sequence[PartitionSummary], hash_bits: int = 32) -> None:
    """Raise :class:`PopulationError` naming two partitions that share a household (see the module's docstring).

    ``hash_bits`` sets the size of the hashes sent when ranges overlap: fewer bits,
    less to send but more collisions to clear by sending the colliding ids.
    """
    involved = _overlapping(summaries)
    if not involved:
        return
    paths = [summaries[index].path for index in involved]
    hashes = _gather(client, [client.submit(household_hashes, path, hash_bits, pure=False) for path in paths])
    every = np.concatenate(hashes)
    values, counts = np.unique(every, return_counts=True)
    candidates = values[counts > 1]
    if not len(candidates):
        return
    asked = [index for index, found in enumerate(hashes) if np.isin(found, candidates).any()]
    futures = [client.submit(households_hashed, paths[index], candidates, hash_bits, pure=False) for index in asked]
    ids = _gather(client, futures)
    frame = pd.DataFrame({"id": np.concatenate(ids), "part": np.repeat(asked, [len(found) for found in ids])})
    shared = frame[frame.duplicated("id", keep=False)]
    if shared.empty:
        return  # only hash collisions
    first = shared["id"].tolist()[0]
    first_paths = [paths[index] for index in shared.loc[shared["id"] == first, "part"]]
    raise PopulationError(
        f"household {first!r} is in two partitions, {first_paths[0]} and {first_paths[1]} "
        f"({shared['id'].nunique()} households are split): a partition must hold whole households",
        HOUSEHOLD_ID,
    )


def _check_versions(summaries: Sequence[PartitionSummary]) -> None:
    versions = {summary.version for summary in summaries}
    if versions != {openfisca_sp.__version__}:
        raise RuntimeError(
            f"the workers run openfisca-sp {', '.join(sorted(versions))}, the client {openfisca_sp.__version__}: "
            "install the same version on every worker"
        )


# Running tasks.


def _gather(client: Client, futures: Sequence[Future], progress: Progress | None = None) -> list[Any]:
    """The futures' results in order; the first failure is raised (with the worker's message), the rest cancelled."""
    try:
        for done, future in enumerate(as_completed(futures), start=1):
            if future.status != "finished":
                future.result()
            if progress is not None:
                progress(done, len(futures))
    except BaseException:
        client.cancel(list(futures))
        raise
    return client.gather(list(futures))


# Pass 1: what income deciles rank.


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
    summary = _summary(path, table)
    empty = np.zeros(0)
    if not summary.persons:
        return IncomeRanks(summary, empty, np.zeros(0, np.int32), empty)
    try:
        with _naming(path):
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


def _income_pass(client: Client, files: Sequence[str], month: str, jurisdiction: str) -> list[IncomeRanks]:
    """Pass 1, then the checks across partitions: versions, whole households, then each partition's own."""
    futures = [client.submit(income_ranks, path, month, jurisdiction, pure=False) for path in files]
    ranks = _gather(client, futures)
    summaries = [rank.summary for rank in ranks]
    _check_versions(summaries)
    check_whole_households(client, summaries)
    for rank in ranks:
        if rank.error is not None:
            raise rank.error
    return ranks


def income_cut_points(
    client: Client, path: str | os.PathLike, month: str, jurisdiction: str | None = None
) -> np.ndarray:
    """The income decile cut points of a partitioned population, as a local comparison computes them."""
    code = jurisdictions.get(jurisdiction).code
    return _cut_points(_income_pass(client, partitions(path), month, code))


def _cut_points(ranks: Sequence[IncomeRanks]) -> np.ndarray:
    """Cut points over the persons of every partition in partition order (the order of a local read)."""
    values, weights = zip(*(rank.per_person() for rank in ranks), strict=True)
    return decile_cut_points(np.concatenate(values), np.concatenate(weights))


# Pass 2: a comparison's sums.


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
) -> PartitionAggregates:
    """Read a partition and sum the comparison of ``reform`` with the baseline over it (worker task)."""
    comparison_plan = _plan(month, reform, jurisdiction)
    systems_ = [comparison_plan.systems[side] for side in SIDES]
    outputs = [comparison_plan.outputs[side] for side in SIDES]
    extra = comparison_plan.extra_columns
    with _naming(path):
        table = read_partition(path, columns_to_read(systems_, month, outputs, extra)[1])
        inputs, analysis = read_population(table, systems_, month, outputs, assume, extra)
        survey, notes = survey_arrays(analysis, month)
        aggregates = aggregate_partition(
            comparison_plan, inputs, survey, cut_points, [*inputs.assumptions, *notes], chunk_persons
        )
    return PartitionAggregates(aggregates, inputs.count, len(inputs.household_ids))


def compare_distributed(
    client: Client,
    path: str | os.PathLike,
    month: str,
    reform: ReformName,
    jurisdiction: str | None = None,
    assume: Mapping[str, Any] | None = None,
    chunk_persons: int = DEFAULT_CHUNK,
    progress: Progress | None = None,
) -> Comparison:
    """:func:`comparison.compare` of a partitioned Parquet population, computed on ``client``'s cluster.

    ``reform`` is a shipped name, a YAML path (read by the client and by every
    worker) or an importable Reform class. ``progress`` is called after each
    partition of the second pass (the long one) with (done, in all).
    """
    code = jurisdictions.get(jurisdiction).code
    reform = _reform_argument(reform)
    comparison_plan = _plan(month, reform, code)  # on the client too: a bad reform fails before any task
    ranks = _income_pass(client, partitions(path), month, code)
    cut_points = _cut_points(ranks)
    files = [rank.summary.path for rank in ranks if rank.summary.persons]
    if not files:
        raise PopulationError("the table has no rows", source=os.fspath(path))
    futures = [
        client.submit(aggregate_file, file, month, reform, code, assume, cut_points, chunk_persons, pure=False)
        for file in files
    ]
    parts = _gather(client, futures, progress)
    aggregates = functools.reduce(Aggregates.merge, (part.aggregates for part in parts))
    persons = sum(part.persons for part in parts)
    households = sum(part.households for part in parts)
    meta = comparison_meta(comparison_plan, persons, households, aggregates.notes, os.fspath(path))
    return Comparison(aggregates, meta)


# Simulation: totals by branch and per-person results.


@dataclass(frozen=True)
class PartitionResults:
    """A partition's branch sums, and its per-person results when they are sent back."""

    sums: BranchSums
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
) -> PartitionResults:
    """Simulate one partition; write its per-person results to ``output`` or return ``columns`` (worker task)."""
    baseline, reformed = systems(jurisdiction, reform)
    system = baseline if reformed is None else reformed
    with _naming(path):
        table = read_partition(path, columns_to_read([system], month, [outputs_of(system)])[1])
        results = simulate(table, month, system, assume=assume, chunk_persons=chunk_persons)
    sums = BranchSums.of(results.weights, results.columns, results.branches)
    if output is not None:
        filesystem, inner, _, _ = _filesystem(output)
        filesystem.create_dir(os.path.dirname(inner), recursive=True)
        pq.write_table(results.to_arrow(columns), inner, filesystem=filesystem, compression="zstd")
        return PartitionResults(sums, None)
    return PartitionResults(sums, None if columns is None else results.to_arrow(columns))


def _check_columns(system: Any, columns: Sequence[str] | None) -> None:
    known = outputs_of(system, branches_of(system))
    unknown = [name for name in columns or () if name not in known]
    if unknown:
        raise ValueError(
            f"unknown result column{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))}; "
            f"expected some of {', '.join(known)}"
        )


def _output_path(output_dir: str | os.PathLike, index: int) -> str:
    base, _, query = os.fspath(output_dir).partition("?")
    base = base.rstrip("/") if "://" in base else os.path.abspath(base)
    return f"{base}/part-{index:05d}.parquet" + (f"?{query}" if query else "")


def simulate_distributed(
    client: Client,
    path: str | os.PathLike,
    month: str,
    jurisdiction: str | None = None,
    reform: ReformName | None = None,
    columns: Sequence[str] | None = None,
    assume: Mapping[str, Any] | None = None,
    output_dir: str | os.PathLike | None = None,
    chunk_persons: int = DEFAULT_CHUNK,
    progress: Progress | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`engine.simulate` of a partitioned Parquet population, computed on ``client``'s cluster.

    Returns ``(totals, persons)``: the totals by branch (``PopulationResults.totals``'s
    table, from sums merged in float64) and the per-person results of ``columns``
    (with person_id, household_id and weight) in partition order, or an empty
    frame when ``columns`` is None or ``output_dir`` is given. With ``output_dir``,
    each worker writes its partition's results (``columns``, or every result
    column) to ``<output_dir>/part-NNNNN.parquet``, NNNNN being the partition's
    index in :func:`partitions` order; the directory must be writable by every worker.
    """
    code = jurisdictions.get(jurisdiction).code
    reform = _reform_argument(reform)
    baseline, reformed = systems(code, reform)
    _check_columns(baseline if reformed is None else reformed, columns)
    summaries = _gather(client, [client.submit(household_summary, file, pure=False) for file in partitions(path)])
    _check_versions(summaries)
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
            None if output_dir is None else _output_path(output_dir, index),
            chunk_persons,
            pure=False,
        )
        for index, file in filled
    ]
    parts = _gather(client, futures, progress)
    totals = functools.reduce(BranchSums.merge, (part.sums for part in parts)).totals()
    tables = [part.table for part in parts if part.table is not None]
    return totals, pa.concat_tables(tables).to_pandas() if tables else pd.DataFrame()
