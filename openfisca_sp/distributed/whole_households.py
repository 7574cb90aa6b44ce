"""Whole households across partitions: a summary of each partition, checked on the client.

A partition must hold whole households. Each one is checked on its worker (a
household's rows contiguous, as for a local run); across partitions, the client
compares the range (min, max) of household ids of each partition: disjoint
ranges prove that no household is split (the usual case: files cut from a table
sorted by household). Only partitions whose ranges overlap send the 32-bit
hashes of their household ids (4 bytes a household), and only for hashes seen in
two partitions do they send the ids themselves, which the client compares
exactly: the check is exact, and costs nothing when the ranges are disjoint.

The summaries also carry each worker's openfisca-sp version, which must be the client's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from distributed import Client

import openfisca_sp
from openfisca_sp.distributed.storage import naming, read_partition
from openfisca_sp.distributed.tasks import gather
from openfisca_sp.population.columns import HOUSEHOLD_ID
from openfisca_sp.population.errors import PopulationError
from openfisca_sp.rules.wording import counted, noun_for

__all__ = [
    "PartitionSummary",
    "check_versions",
    "check_whole_households",
    "household_hashes",
    "household_summary",
    "households_hashed",
    "summarise",
]


@dataclass(frozen=True)
class PartitionSummary:
    """What the client needs of one partition to plan the next pass and check households."""

    path: str
    persons: int
    households: int
    low: Any  # smallest household id (None when empty)
    high: Any  # largest household id
    version: str  # the openfisca-sp version of the worker


def summarise(path: str, table: pa.Table) -> PartitionSummary:
    """A partition's persons, households and range of household ids, from a table of its rows."""
    if HOUSEHOLD_ID not in table.column_names:
        raise PopulationError("missing column 'household_id': every person needs a household", source=path)
    ids = table.column(HOUSEHOLD_ID)
    bounds = pc.min_max(ids).as_py()
    households = len(pc.unique(ids))
    return PartitionSummary(path, table.num_rows, households, bounds["min"], bounds["max"], openfisca_sp.__version__)


def household_summary(path: str) -> PartitionSummary:
    """A partition's summary from its household ids only (worker task)."""
    return summarise(path, read_partition(path, [HOUSEHOLD_ID]))


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
    with naming(path):
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
    hashes = gather(client, [client.submit(household_hashes, path, hash_bits, pure=False) for path in paths])
    every = np.concatenate(hashes)
    values, counts = np.unique(every, return_counts=True)
    candidates = values[counts > 1]
    if not len(candidates):
        return
    asked = [index for index, found in enumerate(hashes) if np.isin(found, candidates).any()]
    futures = [client.submit(households_hashed, paths[index], candidates, hash_bits, pure=False) for index in asked]
    ids = gather(client, futures)
    frame = pd.DataFrame({"id": np.concatenate(ids), "part": np.repeat(asked, [len(found) for found in ids])})
    shared = frame[frame.duplicated("id", keep=False)]
    if shared.empty:
        return  # only hash collisions
    first = shared["id"].tolist()[0]
    first_paths = [paths[index] for index in shared.loc[shared["id"] == first, "part"]]
    split = shared["id"].nunique()
    raise PopulationError(
        f"household {first!r} is in two partitions, {first_paths[0]} and {first_paths[1]} "
        f"({counted(split, 'household')} {noun_for(split, 'is', 'are')} split): a partition must hold whole "
        "households",
        HOUSEHOLD_ID,
    )


def check_versions(summaries: Sequence[PartitionSummary]) -> None:
    """Raise :class:`RuntimeError` unless every worker runs the client's openfisca-sp version."""
    versions = {summary.version for summary in summaries}
    if versions != {openfisca_sp.__version__}:
        raise RuntimeError(
            f"the workers run openfisca-sp {', '.join(sorted(versions))}, the client {openfisca_sp.__version__}: "
            "install the same version on every worker"
        )
