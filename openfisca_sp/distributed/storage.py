"""Where partitions live: local paths and URIs (``s3://bucket/dir?region=…``), listing, reading and writing them.

Every error met while reading a partition names it, so that a failure on a
worker says which file of the dataset is at fault.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import pyarrow as pa
import pyarrow.dataset as pa_dataset
import pyarrow.fs as pa_fs
import pyarrow.parquet as pq

from openfisca_sp.population.errors import PopulationError
from openfisca_sp.population.reading import SAMPLE_PREFIX, resolve_path
from openfisca_sp.population.unread_wages import unread_wage_columns

__all__ = ["filesystem_of", "naming", "output_path", "partitions", "read_partition", "write_partition"]


def filesystem_of(path: str) -> tuple[pa_fs.FileSystem, str, str, str]:
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
    filesystem, inner, prefix, suffix = filesystem_of(text)
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


def read_partition(path: str, columns: Sequence[str], wages_before: str | None = None) -> pa.Table:
    """The ``columns`` of one Parquet partition that exist (checking them is :func:`to_inputs`'s job), and with
    ``wages_before`` (a month) every month of wages before it that the partition gives, as the engine reads a table's
    to check them against the births (:mod:`~openfisca_sp.population.unread_wages`)."""
    filesystem, inner, _, _ = filesystem_of(path)
    try:
        dataset = pa_dataset.dataset(inner, format="parquet", filesystem=filesystem)
        names = dataset.schema.names
        wages = [] if wages_before is None else unread_wage_columns(names, wages_before, columns)
        return dataset.to_table(columns=[name for name in dict.fromkeys([*columns, *wages]) if name in names])
    except (pa.ArrowInvalid, pa.ArrowTypeError, OSError) as error:
        raise PopulationError(f"cannot be read as Parquet: {error}", source=path) from None


@contextmanager
def naming(path: str) -> Iterator[None]:
    """Re-raise a :class:`PopulationError` that names no source as one naming the partition ``path``."""
    try:
        yield
    except PopulationError as error:
        if error.source is not None:
            raise
        message = str(error).removeprefix(f"column '{error.column}': ") if error.column else str(error)
        raise PopulationError(message, error.column, path) from None


def output_path(output_dir: str | os.PathLike, index: int) -> str:
    """Where partition ``index`` writes its results: ``<output_dir>/part-NNNNN.parquet`` (a URI keeps its query)."""
    base, _, query = os.fspath(output_dir).partition("?")
    base = base.rstrip("/") if "://" in base else os.path.abspath(base)
    return f"{base}/part-{index:05d}.parquet" + (f"?{query}" if query else "")


def write_partition(table: pa.Table, path: str) -> None:
    """Write ``table`` to the Parquet file ``path`` (zstd), making its directory if need be."""
    filesystem, inner, _, _ = filesystem_of(path)
    filesystem.create_dir(os.path.dirname(inner), recursive=True)
    pq.write_table(table, inner, filesystem=filesystem, compression="zstd")
