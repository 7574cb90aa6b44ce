"""Synthetic person tables in Arrow: the schema, blocks assembled into batches, and Parquet files.

A population of N persons is cut into blocks of ``BLOCK_PERSONS`` (the last one
shorter). Each block holds whole households and has its own random stream
(child ``block`` of ``SeedSequence(seed)``), so the population does not depend on
how it is batched: batches are runs of whole blocks.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from openfisca_sp.arguments import MAX_PARTITIONS, MAX_SYNTHETIC_PERSONS, whole_number
from openfisca_sp.synthetic.blocks import Block, make_block
from openfisca_sp.synthetic.events import PREGNANCY_OUTCOMES, SEPARATION_REASONS
from openfisca_sp.synthetic.months import NULL_DAY, Calendar, month_label
from openfisca_sp.synthetic.shape_files import shape

BLOCK_PERSONS = 1 << 16
SEXES = ("male", "female")

HEAD_FIELDS = (
    ("person_id", pa.int64()),
    ("household_id", pa.int64()),
    ("is_household_head", pa.bool_()),
    ("weight", pa.float64()),
    ("birth_date", pa.date32()),
    ("sex", pa.string()),
    ("contribution_months", pa.int32()),
    ("pension_points", pa.float64()),
    ("pension_capital", pa.float64()),
    ("career_average_insured_wage", pa.float64()),
)
TAIL_FIELDS = (
    ("income", pa.float64()),
    ("separation_reason", pa.string()),
    ("employment_end_date", pa.date32()),
    ("unemployment_registration_date", pa.date32()),
    ("is_unemployed", pa.bool_()),
    ("is_available_for_work", pa.bool_()),
    ("pregnancy_outcome", pa.string()),
    ("child_birth_date", pa.date32()),
    ("number_of_children_born", pa.int32()),
    ("old_age_claim_date", pa.date32()),
    ("is_disabled", pa.bool_()),
    ("disability_degree", pa.float64()),
    ("disability_category", pa.int32()),
    ("has_severe_disability", pa.bool_()),
    ("minimum_wage_region", pa.int32()),
)
CATEGORIES = {"sex": SEXES, "separation_reason": SEPARATION_REASONS, "pregnancy_outcome": PREGNANCY_OUTCOMES}
NULLABLE = ("employment_end_date", "unemployment_registration_date", "child_birth_date", "old_age_claim_date")


def wage_columns(period: str) -> list[str]:
    """Names of the ``WAGE_MONTHS`` (53) monthly insured-wage columns before ``period``, oldest first."""
    calendar = Calendar.of(period)
    months = range(calendar.window_start, calendar.month)
    return [f"insured_wage.{month_label(month)}" for month in months]


def schema(period: str) -> pa.Schema:
    """The Arrow schema of a person table evaluated in month ``period`` (``YYYY-MM``)."""
    wages = [(name, pa.float64()) for name in wage_columns(period)]
    return pa.schema([*HEAD_FIELDS, *wages, *TAIL_FIELDS])


def _arrow_column(name: str, values: np.ndarray, kind: pa.DataType) -> pa.Array:
    if name in CATEGORIES:
        names = pa.array(CATEGORIES[name], type=pa.string())
        return names.take(pa.array(values.astype(np.int32)))
    if kind == pa.date32():
        days = pa.array(values.astype(np.int32), mask=values == NULL_DAY if name in NULLABLE else None)
        return days.cast(pa.date32())
    return pa.array(values, type=kind)


def to_table(columns: dict[str, np.ndarray], period: str, metadata: dict[str, str] | None = None) -> pa.Table:
    """An Arrow table of the schema of ``period`` from a block's numpy columns."""
    target = schema(period)
    if metadata:
        target = target.with_metadata(metadata)
    arrays = [_arrow_column(field.name, columns[field.name], field.type) for field in target]
    return pa.Table.from_arrays(arrays, schema=target)


def blocks(persons: int) -> list[Block]:
    """The blocks of a population of ``persons``: ``BLOCK_PERSONS`` each, the last one shorter."""
    count = math.ceil(persons / BLOCK_PERSONS)
    return [
        Block(index, index * BLOCK_PERSONS, min(BLOCK_PERSONS, persons - index * BLOCK_PERSONS))
        for index in range(count)
    ]


def table_metadata(jurisdiction: str, persons: int, period: str, seed: int) -> dict[str, str]:
    """Schema metadata saying what the table is: synthetic, from which shape, seed and month."""
    return {
        "openfisca_sp.synthetic": "SYNTHETIC persons: not real people, not survey microdata, not representative",
        "jurisdiction": jurisdiction,
        "persons": str(persons),
        "period": period,
        "seed": str(seed),
        "currency": str(shape(jurisdiction).get("currency", "")),
    }


def generate_batches(
    jurisdiction: str, persons: int, period: str, seed: int = 0, batch_persons: int = 1_000_000
) -> Iterator[pa.Table]:
    """The synthetic population in batches of about ``batch_persons`` persons, each of whole households.

    Batches are runs of whole blocks of ``BLOCK_PERSONS`` persons, so their
    concatenation is the same table whatever ``batch_persons`` is, and equal to
    :func:`generate` for the same jurisdiction, persons, period and seed.
    The arguments are checked at the call, before the first batch is asked for.
    """
    persons, seed = _checked(jurisdiction, persons, period, seed)
    batch_persons = whole_number("batch_persons", batch_persons, 1, unit="persons")
    return _batches(jurisdiction, persons, period, seed, max(1, math.ceil(batch_persons / BLOCK_PERSONS)))


def _checked(jurisdiction: str, persons: int, period: str, seed: int) -> tuple[int, int]:
    """The persons and seed, whole numbers in their bounds, once the shape and the month are known to be there (a
    ValueError else, in words: ``persons=2.5`` failed in NumPy's broadcasting, ``seed=-1`` in its words)."""
    shape(jurisdiction)
    Calendar.of(period)
    why = "ten times the people of the largest jurisdiction modelled"
    persons = whole_number("persons", persons, 0, MAX_SYNTHETIC_PERSONS, unit="persons", why=why)
    return persons, whole_number("seed", seed, 0)


def _batches(jurisdiction: str, persons: int, period: str, seed: int, per_batch: int) -> Iterator[pa.Table]:
    spec = shape(jurisdiction)
    calendar = Calendar.of(period)
    weight = spec["population"]["total"] / persons if persons else 1.0
    metadata = table_metadata(jurisdiction, persons, period, seed)
    all_blocks = blocks(persons)
    for first in range(0, len(all_blocks), per_batch):
        tables = [
            to_table(make_block(spec, calendar, seed, block, weight), period, metadata)
            for block in all_blocks[first : first + per_batch]
        ]
        yield pa.concat_tables(tables)


def generate(jurisdiction: str, persons: int, period: str, seed: int = 0) -> pa.Table:
    """A synthetic person table of exactly ``persons`` persons for month ``period``, in whole households."""
    batches = list(generate_batches(jurisdiction, persons, period, seed))
    if not batches:
        return schema(period).with_metadata(table_metadata(jurisdiction, persons, period, seed)).empty_table()
    return pa.concat_tables(batches)


def write_parquet(
    path: str | Path,
    jurisdiction: str,
    persons: int,
    period: str,
    seed: int = 0,
    partitions: int = 1,
    compression: str = "zstd",
) -> Path:
    """Write the synthetic population to Parquet: one file, or ``partitions`` files of whole households.

    With ``partitions > 1``, ``path`` is a directory of ``part-00000.parquet`` …,
    each holding whole households and about ``persons / partitions`` persons.
    Memory stays bounded: the population is made and written batch by batch.
    """
    path = Path(path)
    persons, seed = _checked(jurisdiction, persons, period, seed)
    most = max(1, min(persons, MAX_PARTITIONS))
    why = "each holds whole households: no more files than persons"
    partitions = whole_number("partitions", partitions, 1, most, unit="files", why=why)
    target = schema(period).with_metadata(table_metadata(jurisdiction, persons, period, seed))
    batches = generate_batches(jurisdiction, persons, period, seed)
    if partitions <= 1:
        path.parent.mkdir(parents=True, exist_ok=True)
        with pq.ParquetWriter(path, target, compression=compression) as writer:
            for batch in batches:
                writer.write_table(batch)
        return path
    path.mkdir(parents=True, exist_ok=True)
    _write_partitions(path, batches, target, persons, partitions, compression)
    return path


def _write_partitions(
    directory: Path, batches: Iterator[pa.Table], target: pa.Schema, persons: int, partitions: int, compression: str
) -> None:
    """Write batches into ``partitions`` files, each cut where a household begins, at or after an equal share."""
    ideal_cuts = [math.ceil(part * persons / partitions) for part in range(1, partitions)]

    def open_part(part: int) -> pq.ParquetWriter:
        return pq.ParquetWriter(directory / f"part-{part:05d}.parquet", target, compression=compression)

    part, row = 0, 0
    writer = open_part(part)
    try:
        for table in batches:
            starts = np.flatnonzero(table.column("is_household_head").to_numpy(zero_copy_only=False))
            position = 0
            while part < partitions - 1:
                later = starts[starts >= max(ideal_cuts[part] - row, position)]
                if not len(later):
                    break  # this cut falls in a later batch, at a household start there
                cut = int(later[0])
                if cut > position:
                    writer.write_table(table.slice(position, cut - position))
                writer.close()
                part += 1
                writer = open_part(part)
                position = cut
            if position < len(table):
                writer.write_table(table.slice(position))
            row += len(table)
    finally:
        writer.close()
    for missing in range(part + 1, partitions):
        open_part(missing).close()
