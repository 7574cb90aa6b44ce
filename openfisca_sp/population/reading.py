"""Read a person table from a pandas DataFrame, an Arrow table, a Parquet file or directory, or a CSV file.

Only the columns asked for are read. ``sample:<jurisdiction>`` names the
synthetic sample shipped with the package.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import gzip
import math
import numbers
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.dataset as pa_dataset
import pyarrow.parquet as pq

from openfisca_sp.population.columns import HOUSEHOLD_ID, PERSON_ID
from openfisca_sp.population.errors import CSV_ENDINGS, PopulationError
from openfisca_sp.population.fact_arrays import first_rows
from openfisca_sp.rules.wording import abridged, noun_for

SAMPLE_PREFIX = "sample:"
CSV_DELIMITERS = ",;\t|"
CSV_SAMPLE_CHARACTERS = 64 * 1024  # what the delimiter is found from
WHOLE_GROUP_ROWS = 1 << 20  # a Parquet row group up to this size (pyarrow's default) is decoded whole


def read_table(source: Any, columns: Iterable[str] | None = None) -> pa.Table:
    """An Arrow table from a DataFrame, an Arrow table, or a Parquet/CSV path (only ``columns`` if given).

    Columns asked for but absent are simply not read; checking them is
    :func:`to_inputs`'s job, which names what is missing.
    """
    wanted = None if columns is None else list(dict.fromkeys(columns))
    if isinstance(source, pa.Table):
        table = source
    elif isinstance(source, pa.RecordBatch):
        table = pa.Table.from_batches([source])
    elif isinstance(source, pd.DataFrame):
        _refuse_duplicates(source.columns, None)
        present = source.columns if wanted is None else [name for name in wanted if name in source.columns]
        return _from_pandas(source[list(present)])
    elif isinstance(source, (str, Path)):
        return _read_path(resolve_path(source), wanted)
    else:
        raise PopulationError(
            f"a population is a pandas DataFrame, an Arrow table, or a Parquet or CSV path, not {type(source).__name__}"
        )
    _refuse_duplicates(table.column_names, None)
    if wanted is not None:
        table = table.select([name for name in wanted if name in table.column_names])
    return table


def parquet_file(source: Any) -> Path | None:
    """The path of ``source`` when it names one Parquet file (not a directory, not CSV), which can be read a
    block of rows at a time (:func:`parquet_batches`)."""
    if not isinstance(source, (str, Path)):
        return None
    path = resolve_path(source)
    return path if path.is_file() and not _is_csv(path) else None


def parquet_columns(path: Path) -> list[str]:
    """The column names of a Parquet file (a name given twice is refused)."""
    with _readable(path, "Parquet"):
        names = pq.read_schema(path).names
    _refuse_duplicates(names, str(path))
    return names


def parquet_batches(
    path: Path, columns: list[str], rows: int, as_dictionaries: Sequence[str] = ()
) -> Iterator[pa.RecordBatch]:
    """The ``columns`` of a Parquet file, at most ``rows`` rows at a time, in the file's order; the text columns
    among ``as_dictionaries`` as dictionary arrays (Parquet stores them so: their texts are not decoded row by row).

    A row group of up to ``WHOLE_GROUP_ROWS`` rows is decoded whole, its columns side by side on Arrow's
    threads, then handed out in slices: a quarter less work than Arrow's batch reader, which decodes ``rows`` at
    a time (2.5 s of CPU where it took 3.4 s for 40 columns of 10 million rows). A file with larger row groups
    (some writers put a whole table in one) is read by the batch reader, so that memory holds a few blocks, not
    a whole table decoded at once. A batch never spans two row groups."""
    with _readable(path, "Parquet"):
        schema = pq.read_schema(path)  # a list or struct column is read as it is and refused as a table's would be
    nested = {field.name for field in schema if pa.types.is_nested(field.type)}
    flat = [name for name in as_dictionaries if name not in nested]
    with _readable(path, "Parquet"), pq.ParquetFile(path, read_dictionary=flat) as file:
        groups = range(file.num_row_groups)
        if any(file.metadata.row_group(group).num_rows > WHOLE_GROUP_ROWS for group in groups):
            yield from file.iter_batches(batch_size=rows, columns=columns, use_threads=True)
            return
        for group in groups:
            table = file.read_row_group(group, columns=columns, use_threads=True)
            yield from table.to_batches(max_chunksize=rows)
            del table


def source_columns(source: Any) -> list[str]:
    """The column names of a population (a file's from its header or schema, nothing else read)."""
    if isinstance(source, (pa.Table, pa.RecordBatch)):
        return list(source.schema.names)
    if isinstance(source, pd.DataFrame):
        return [str(name) for name in source.columns]
    if not isinstance(source, (str, Path)):
        return []  # read_table names what it refuses
    path = resolve_path(source)
    if not path.exists():
        return []
    if _is_csv(path):
        with _readable(path, "CSV"):
            return csv_header(path)[0]
    if path.is_file():
        return parquet_columns(path)
    with _readable(path, "Parquet"):
        return list(pa_dataset.dataset(path).schema.names)


@contextlib.contextmanager
def _readable(path: Path, kind: str) -> Iterator[None]:
    """What Arrow or the system raises while reading ``path`` becomes a :class:`PopulationError` naming it."""
    try:
        yield
    except (pa.ArrowInvalid, pa.ArrowTypeError, OSError) as error:
        raise PopulationError(f"cannot be read as {kind}: {error}", source=str(path)) from None


def source_label(source: Any) -> str | None:
    """How errors name a population: its path, or nothing for data in memory."""
    return str(source) if isinstance(source, (str, Path)) or hasattr(source, "__fspath__") else None


def resolve_path(source: str | Path) -> Path:
    """A population path; ``sample:<jurisdiction>`` names the synthetic sample shipped with the package."""
    text = str(source)
    if text.startswith(SAMPLE_PREFIX):
        from openfisca_sp.synthetic import sample_path

        try:
            return sample_path(text[len(SAMPLE_PREFIX) :])
        except (KeyError, FileNotFoundError, ValueError) as error:
            reason = error.args[0] if isinstance(error, KeyError) and error.args else error  # not KeyError's quotes
            raise PopulationError(str(reason), source=text) from None
    return Path(source)


def named_jurisdiction(source: Any) -> tuple[str, str] | None:
    """The jurisdiction a population names as its own, and how it names it: a shipped sample's
    (``sample:<code>``), or the ``jurisdiction`` of its schema's metadata (a table written by ``openfisca-sp
    synthesize``, in a Parquet file or directory, or in memory). None when it names none (CSV, a DataFrame, a
    survey's table); a file that cannot be read names none here, and is named when it is read."""
    if isinstance(source, (str, Path)) and str(source).startswith(SAMPLE_PREFIX):
        resolve_path(source)  # an unknown sample is refused as such
        return str(source)[len(SAMPLE_PREFIX) :], f"{source} is the synthetic population of"
    code = _metadata(source).get(b"jurisdiction")
    if not code:
        return None
    return code.decode("utf-8", "replace"), f"{source_label(source) or 'the table'} is a population of"


def described_month(source: Any) -> str | None:
    """The month a population describes, as its schema's metadata states it (``period``: a shipped sample's, or a
    table written by ``openfisca-sp synthesize``); None when it states none."""
    month = _metadata(source).get(b"period")
    return month.decode("utf-8", "replace") if month else None


def population_month(source: Any, month: str | None, asked: str = "--month") -> str:
    """The month evaluated: ``month`` where given, else the one ``source`` states (:func:`described_month`: a
    shipped sample's, a table written by ``openfisca-sp synthesize``). A table that states none is refused,
    naming what to give (``asked``: the option or argument)."""
    month = month or described_month(source)
    if month is None:
        raise ValueError(
            f"{asked} is required (YYYY-MM), except for a table that names its month (a shipped sample, "
            "sample:<code>, or a table written by openfisca-sp synthesize)"
        )
    return month


def _metadata(source: Any) -> dict[bytes, bytes]:
    """The schema metadata of a population in memory, a Parquet file or directory, or a shipped sample (empty for
    CSV, a DataFrame, or a file that cannot be read: reading it says why)."""
    metadata = None
    if isinstance(source, (pa.Table, pa.RecordBatch)):
        metadata = source.schema.metadata
    elif isinstance(source, (str, Path)):
        with contextlib.suppress(PopulationError):
            source = resolve_path(source)
        if not _is_csv(Path(source)) and Path(source).exists() and not str(source).startswith(SAMPLE_PREFIX):
            with contextlib.suppress(pa.ArrowInvalid, pa.ArrowTypeError, OSError, ValueError):
                path = Path(source)
                metadata = (pq.read_schema(path) if path.is_file() else pa_dataset.dataset(path).schema).metadata
    return dict(metadata or {})


def _check_fragments(dataset: pa_dataset.Dataset, columns: list[str]) -> None:
    """Every file of a dataset has the columns read (else Arrow would fill the missing ones with nulls)."""
    for fragment in dataset.get_fragments():
        missing = [name for name in columns if name not in fragment.physical_schema.names]
        if missing:
            raise PopulationError(
                f"missing {noun_for(len(missing), 'column')} {', '.join(map(repr, missing))}", source=fragment.path
            )


def _from_pandas(frame: pd.DataFrame) -> pa.Table:
    """An Arrow table from a DataFrame; a column Arrow cannot type is named in the error, with its first row
    whose kind of value differs from the column's first."""
    try:
        return pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):  # OverflowError: a Python int beyond 64 bits
        for name in frame.columns:
            try:
                pa.Array.from_pandas(frame[name])
            except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError) as error:
                values = frame[name].tolist()
                message = _mixed_values(values) or _beyond_64_bits(values) or f"unreadable values: {error}"
                raise PopulationError(message, str(name)) from None
        raise


def _beyond_64_bits(values: list[Any]) -> str | None:
    """Where a column of whole numbers holds one no table column holds (beyond 64 bits); None if none does."""
    beyond = np.array([isinstance(value, int) and not -(2**63) <= value < 2**64 for value in values], dtype=bool)
    if not beyond.any():
        return None
    row = int(np.argmax(beyond))
    return (
        f"expected whole numbers within 64 bits; {first_rows(beyond, verb=('holds', 'hold'))} one beyond: "
        f"{abridged(values[row])}"
    )


def _kind_of(value: Any) -> str | None:
    """What kind of value a cell holds, as a table's column must hold one kind (None: empty)."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, (bool, np.bool_)):
        return "true or false"
    if isinstance(value, numbers.Number):
        return "a number"
    if isinstance(value, str):
        return "a text"
    if isinstance(value, (datetime.date, np.datetime64)):
        return "a date"
    return type(value).__name__


def _mixed_values(values: list[Any]) -> str | None:
    """Where a column mixes kinds of values (numbers and texts, say): the rows that differ from its first value,
    and the first of them; None if it does not."""
    kinds = [_kind_of(value) for value in values]
    first = next((row for row, kind in enumerate(kinds) if kind is not None), None)
    if first is None:
        return None
    odd = np.array([kind is not None and kind != kinds[first] for kind in kinds])
    if not odd.any():
        return None
    row = int(np.argmax(odd))
    return (
        f"expected one kind of value in every row, as row {first} holds {kinds[first]} ({values[first]!r}); "
        f"{first_rows(odd, verb=('holds', 'hold'))} another: {values[row]!r} is {kinds[row]}"
    )


def _refuse_duplicates(names: Iterable[Any], source: str | None) -> None:
    """A column given twice is refused: which copy holds the facts cannot be guessed."""
    twice = sorted({str(name) for name, count in Counter(names).items() if count > 1})
    if twice:
        raise PopulationError(f"column {', '.join(map(repr, twice))} appears more than once: keep one", source=source)


def csv_header(path: Path) -> tuple[list[str], str]:
    """A CSV file's column names and delimiter (``,``, ``;``, tab or ``|``, found from its first lines)."""
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8-sig", errors="replace", newline="") as stream:
        sample = stream.read(CSV_SAMPLE_CHARACTERS)
    first = sample.splitlines()[0] if sample else ""
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=CSV_DELIMITERS).delimiter
    except csv.Error:  # one column, or too few lines: the header alone decides
        counts = {candidate: first.count(candidate) for candidate in CSV_DELIMITERS}
        delimiter = max(counts, key=counts.get) if any(counts.values()) else ","
    header = next(csv.reader([first], delimiter=delimiter), [])
    _refuse_duplicates(header, str(path))
    _refuse_spaced_names(header, str(path))
    return header, delimiter


SNAKE_NAME = re.compile(r"[a-z_][a-z0-9_]*(\.[0-9]{4}-[0-9]{1,2})?")


def _refuse_spaced_names(header: list[str], source: str) -> None:
    """A column name with spaces around it (``person_id, household_id``): its column would be missing, and the
    error would not say why."""
    spaced = [name for name in header if name != name.strip() and SNAKE_NAME.fullmatch(name.strip())]
    if spaced:
        raise PopulationError(
            f"the header writes {', '.join(map(repr, spaced))} with spaces around the name: write "
            f"{', '.join(repr(name.strip()) for name in spaced)} (names are read as written)",
            source=source,
        )


def _refuse_one_column(name: str, source: str) -> None:
    """A person table has ids and facts: a header read as one column is one whose delimiter was not found."""
    shown = name if len(name) <= 60 else name[:59] + "…"
    raise PopulationError(
        f"its header reads as one column, {shown!r}: its delimiter was not recognised (a CSV person table is "
        "delimited by ',', ';', a tab or '|')",
        source=source,
    )


def _is_csv(path: Path) -> bool:
    return path.name.lower().endswith(CSV_ENDINGS)


def _read_path(path: Path, wanted: list[str] | None) -> pa.Table:
    if not path.exists():
        raise PopulationError("no such file or directory", source=str(path))
    csv_file = _is_csv(path)
    with _readable(path, "CSV" if csv_file else "Parquet"):
        if csv_file:
            header, delimiter = csv_header(path)
            if len(header) == 1 and (wanted is None or len(wanted) > 1):
                _refuse_one_column(header[0], str(path))
            include = header if wanted is None else [name for name in wanted if name in header]
            options = pa_csv.ConvertOptions(
                include_columns=include,
                column_types={name: pa.string() for name in include if name in (PERSON_ID, HOUSEHOLD_ID)},
                strings_can_be_null=True,
            )
            parse = pa_csv.ParseOptions(delimiter=delimiter)
            return pa_csv.read_csv(path, parse_options=parse, convert_options=options)
        dataset = pa_dataset.dataset(path, format="parquet")
        names = dataset.schema.names
        _refuse_duplicates(names, str(path))
        columns = names if wanted is None else [name for name in wanted if name in names]
        _check_fragments(dataset, columns)
        return dataset.to_table(columns=columns)
