"""Seeded SYNTHETIC populations per jurisdiction: person tables shaped by sourced numbers.

The persons are made up. They are not real people and not survey microdata, and
their totals are not representative enough for policy conclusions: they exist
for demonstrations, tests and benchmarks of the rules. Each jurisdiction's
shape (``shapes/<code>.yaml``) gives the numbers the population follows (age
structure, household size, insurance coverage, wages, births, disability), each
with its source or labelled an assumption; ``docs/synthetic-population.md``
describes the table and the sources.

The generator's modules: ``shape_files`` (the numbers), ``months`` (dates as
integers), ``draws`` (vectorised helpers), ``household_members``, ``careers``
(insured careers, wages, pension points and pension capital), ``events`` (births, registrations as unemployed
and pension claims dated over the last months, disabilities), ``blocks`` (one
block of persons, all its columns) and ``table`` (blocks into Arrow tables and
Parquet files).

>>> from openfisca_sp.synthetic import generate
>>> table = generate("lao", persons=1000, period="2026-10", seed=1)
>>> table.num_rows
1000
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from openfisca_sp.synthetic.shape_files import SHAPES, provenance, shape
from openfisca_sp.synthetic.table import BLOCK_PERSONS, generate, generate_batches, schema, wage_columns, write_parquet

SAMPLE_PERIOD = "2026-10"
SAMPLE_PERSONS = 20_000
SAMPLE_SEED = 20261
SAMPLE_JURISDICTIONS = ("lao", "vnm", "tjk")

__all__ = [
    "BLOCK_PERSONS",
    "SAMPLE_JURISDICTIONS",
    "SAMPLE_PERIOD",
    "SAMPLE_PERSONS",
    "SAMPLE_SEED",
    "SHAPES",
    "generate",
    "generate_batches",
    "provenance",
    "sample_path",
    "schema",
    "shape",
    "wage_columns",
    "write_parquet",
    "write_samples",
]


def sample_path(jurisdiction: str) -> Path:
    """The shipped sample of ``jurisdiction`` (20,000 synthetic persons, seed 20261, month 2026-10)."""
    if jurisdiction not in SAMPLE_JURISDICTIONS:
        raise KeyError(f"no shipped sample for '{jurisdiction}'; samples: {', '.join(SAMPLE_JURISDICTIONS)}")
    resource = resources.files("openfisca_sp") / "data" / "synthetic" / f"{jurisdiction}-{SAMPLE_PERIOD}.parquet"
    return Path(str(resource))


def write_samples(directory: str | Path | None = None) -> list[Path]:
    """(Re)write the shipped samples (into the package's data folder unless ``directory`` is given)."""
    target = Path(directory) if directory is not None else sample_path(SAMPLE_JURISDICTIONS[0]).parent
    return [
        write_parquet(target / f"{code}-{SAMPLE_PERIOD}.parquet", code, SAMPLE_PERSONS, SAMPLE_PERIOD, SAMPLE_SEED)
        for code in SAMPLE_JURISDICTIONS
    ]
