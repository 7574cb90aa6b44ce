"""A population as a person table: read it, check it against the rules, turn it into input arrays.

A person table has one row per person: ``person_id``, ``household_id``, optional
``weight`` and ``is_household_head``, and one column per fact the rules read,
named after its input variable (``birth_date``, ``sex``, ``contribution_months``
…). A fact as of the month evaluated is a plain column; a month of a history is
``<variable>.<YYYY-MM>`` (``insured_wage.2026-09``). Enumerations are given by
name (``female``, ``live_birth``). It may come as a pandas DataFrame, an Arrow
table, a Parquet file or directory, or a CSV file.

The columns the rules need are found by tracing the rules at the month
evaluated, so they cannot drift from the formulas. A missing column is an error
naming it, unless the law itself says what its absence means (see
``facts.OPTIONAL``) or the analyst states an assumption for it. Within a column,
an empty cell is an error, except for facts whose default *is* their absence
(``ABSENCE``: not registered as unemployed, no confinement, no separation …).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.dataset as pa_dataset

from openfisca_sp.decisions import traced_facts
from openfisca_sp.facts import OPTIONAL, Fact, facts_of

PERSON_ID = "person_id"
HOUSEHOLD_ID = "household_id"
WEIGHT = "weight"
HEAD = "is_household_head"
STRUCTURE = (PERSON_ID, HOUSEHOLD_ID, WEIGHT, HEAD)
SAMPLE_PREFIX = "sample:"

# Facts whose variable default means "nothing happened", as their documentation says:
# an empty cell there is that absence, not a missing value.
ABSENCE = frozenset(
    {
        "unemployment_registration_date",  # not registered as unemployed
        "child_birth_date",  # no confinement
        "pregnancy_outcome",  # none
        "separation_reason",  # not separated
        "disability_category",  # no category assigned
        "disability_degree",  # no assessed loss of capacity
        "minimum_wage_region",  # unknown: the highest regional amount applies
    }
)

# Columns used by the analysis (breakdowns and coverage indicators), not by the rules.
ANALYSIS_COLUMNS = ("income", "is_unemployed", "has_severe_disability")

_NUMPY_TYPES = {float: np.float32, int: np.int32, bool: np.bool_}


class PopulationError(ValueError):
    """A person table cannot be used: which column, and what was expected."""

    def __init__(self, message: str, column: str | None = None, source: str | None = None) -> None:
        self.column = column
        self.source = source
        where = f"{source}: " if source else ""
        what = f"column '{column}': " if column else ""
        super().__init__(f"{where}{what}{message}")


def column_name(variable: str, period: str, month: str) -> str:
    """The column holding fact ``variable`` for ``period`` in a table evaluated at ``month``."""
    return variable if period in ("ETERNITY", month) else f"{variable}.{period}"


def required_facts(tax_benefit_system: Any, month: str, variables: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """The facts (variable, period) the rules read to compute ``variables`` in ``month``."""
    return traced_facts(tax_benefit_system, tuple(sorted(set(variables))), month)


@dataclass(frozen=True)
class ColumnNeed:
    """A column the rules read, and how to fill it if the table lacks it."""

    column: str
    variable: str
    period: str
    fact: Fact


def needed_columns(tax_benefit_system: Any, month: str, variables: Iterable[str]) -> list[ColumnNeed]:
    """The columns of a person table that computing ``variables`` in ``month`` reads, in a stable order."""
    facts = facts_of(tax_benefit_system)
    return [
        ColumnNeed(column_name(variable, period, month), variable, period, facts[variable])
        for variable, period in required_facts(tax_benefit_system, month, variables)
    ]


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
        present = source.columns if wanted is None else [name for name in wanted if name in source.columns]
        return _from_pandas(source[list(present)])
    elif isinstance(source, (str, Path)):
        return _read_path(resolve_path(source), wanted)
    else:
        raise PopulationError(
            f"a population is a pandas DataFrame, an Arrow table, or a Parquet or CSV path, not {type(source).__name__}"
        )
    if wanted is not None:
        table = table.select([name for name in wanted if name in table.column_names])
    return table


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
            raise PopulationError(f"no shipped sample: {error}", source=text) from None
    return Path(source)


def _check_fragments(dataset: pa_dataset.Dataset, columns: list[str]) -> None:
    """Every file of a dataset has the columns read (else Arrow would fill the missing ones with nulls)."""
    for fragment in dataset.get_fragments():
        missing = [name for name in columns if name not in fragment.physical_schema.names]
        if missing:
            raise PopulationError(f"missing column {', '.join(map(repr, missing))}", source=fragment.path)


def _from_pandas(frame: pd.DataFrame) -> pa.Table:
    """An Arrow table from a DataFrame; a column Arrow cannot type is named in the error."""
    try:
        return pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        for name in frame.columns:
            try:
                pa.Array.from_pandas(frame[name])
            except (pa.ArrowInvalid, pa.ArrowTypeError) as error:
                raise PopulationError(f"mixed or unreadable values: {error}", str(name)) from None
        raise


def _read_path(path: Path, wanted: list[str] | None) -> pa.Table:
    if not path.exists():
        raise PopulationError("no such file or directory", source=str(path))
    suffix = path.suffix.lower()
    try:
        if suffix in (".csv", ".txt") or path.name.endswith(".csv.gz"):
            header = pa_csv.read_csv(path, read_options=pa_csv.ReadOptions(block_size=1 << 16)).column_names
            include = header if wanted is None else [name for name in wanted if name in header]
            options = pa_csv.ConvertOptions(
                include_columns=include,
                column_types={name: pa.string() for name in include if name in (PERSON_ID, HOUSEHOLD_ID)},
                strings_can_be_null=True,
            )
            return pa_csv.read_csv(path, convert_options=options)
        dataset = pa_dataset.dataset(path, format="parquet")
        names = dataset.schema.names
        columns = names if wanted is None else [name for name in wanted if name in names]
        _check_fragments(dataset, columns)
        return dataset.to_table(columns=columns)
    except (pa.ArrowInvalid, pa.ArrowTypeError, OSError) as error:
        kind = "CSV" if suffix == ".csv" else "Parquet"
        raise PopulationError(f"cannot be read as {kind}: {error}", source=str(path)) from None


@dataclass
class PopulationInputs:
    """A person table as the rules take it: structure arrays and inputs by (variable, period)."""

    count: int
    person_ids: np.ndarray
    household_of: np.ndarray  # each person's household, as an index 0..households-1
    household_ids: np.ndarray
    is_head: np.ndarray
    weights: np.ndarray  # float64
    inputs: dict[tuple[str, str], np.ndarray]
    assumptions: list[str] = field(default_factory=list)

    def take(self, rows: slice) -> PopulationInputs:
        """The persons of ``rows`` (whole households), as a population of their own."""
        household_of = self.household_of[rows]
        first = int(household_of[0]) if len(household_of) else 0
        last = int(household_of[-1]) + 1 if len(household_of) else 0
        return PopulationInputs(
            count=len(household_of),
            person_ids=self.person_ids[rows],
            household_of=household_of - first,
            household_ids=self.household_ids[first:last],
            is_head=self.is_head[rows],
            weights=self.weights[rows],
            inputs={key: values[rows] for key, values in self.inputs.items()},
            assumptions=self.assumptions,
        )


def to_inputs(
    table: pa.Table,
    month: str,
    needs: list[ColumnNeed],
    assume: Mapping[str, Any] | None = None,
    source: str | None = None,
) -> PopulationInputs:
    """Check a person table against what the rules read, and convert it to input arrays.

    ``assume`` gives a value for a whole column the table lacks (an assumption
    the analyst states, reported with the results). Rows must keep households
    together (contiguous rows) so that a population can be split by households.
    """
    assume = dict(assume or {})
    count = table.num_rows
    if count == 0:
        raise PopulationError("the table has no rows", source=source)
    missing = [need.column for need in needs if need.column not in table.column_names]
    missing += [name for name in (PERSON_ID, HOUSEHOLD_ID) if name not in table.column_names]
    unfilled = [name for name in missing if name not in assume and _variable_of(name) not in OPTIONAL]
    if unfilled:
        raise PopulationError(
            f"missing column{'s' if len(unfilled) > 1 else ''} {', '.join(repr(name) for name in unfilled)}: "
            "the rules read them at this month and the law gives no default "
            "(state a value for a whole column with an assumption if you mean one)",
            source=source,
        )
    person_ids = _identifiers(table.column(PERSON_ID), PERSON_ID, source)
    if not _unique(person_ids):
        raise PopulationError("person ids must be unique", PERSON_ID, source)
    household_of, household_ids = _households(table.column(HOUSEHOLD_ID), source)
    is_head = _heads(table, household_of, len(household_ids), source)
    weights = _weights(table, source)
    inputs: dict[tuple[str, str], np.ndarray] = {}
    assumptions = []
    for need in needs:
        if need.column in table.column_names:
            inputs[(need.variable, need.period)] = _fact_array(table.column(need.column), need, source)
        elif need.column in assume or need.variable in assume:
            value = assume.get(need.column, assume.get(need.variable))
            inputs[(need.variable, need.period)] = _constant(need, value, count, source)
            assumptions.append(f"{need.column} = {value} for every person (stated assumption)")
        else:
            assumptions.append(f"{need.column} not given: the law's default applies ({need.fact.documentation})")
    return PopulationInputs(count, person_ids, household_of, household_ids, is_head, weights, inputs, assumptions)


def _variable_of(column: str) -> str:
    return column.split(".", 1)[0]


def _identifiers(column: pa.ChunkedArray, name: str, source: str | None) -> np.ndarray:
    if column.null_count:
        raise PopulationError(f"{column.null_count} empty ids; every row needs one", name, source)
    if pa.types.is_integer(column.type):
        return column.to_numpy()
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        return column.to_numpy(zero_copy_only=False)
    raise PopulationError(f"ids are integers or text, not {column.type}", name, source)


def _unique(values: np.ndarray) -> bool:
    if values.dtype.kind in "iu" and (len(values) < 2 or bool(np.all(values[1:] > values[:-1]))):
        return True  # strictly increasing integers: unique without hashing
    return bool(pd.Index(values).is_unique)


def _households(column: pa.ChunkedArray, source: str | None) -> tuple[np.ndarray, np.ndarray]:
    ids = _identifiers(column, HOUSEHOLD_ID, source)
    if ids.dtype.kind in "iu" and len(ids) > 1 and bool(np.all(ids[1:] >= ids[:-1])):
        starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
        household_of = np.cumsum(np.r_[False, ids[1:] != ids[:-1]], dtype=np.int64)
        return household_of, ids[starts]
    codes, uniques = pd.factorize(ids, sort=False)
    if len(codes) > 1 and not bool(np.all(codes[1:] >= codes[:-1])):
        raise PopulationError(
            "the rows of a household must be contiguous (sort the table by household_id)", HOUSEHOLD_ID, source
        )
    return codes.astype(np.int64), np.asarray(uniques)


def _heads(table: pa.Table, household_of: np.ndarray, households: int, source: str | None) -> np.ndarray:
    if HEAD not in table.column_names:
        return np.r_[True, household_of[1:] != household_of[:-1]] if len(household_of) else np.zeros(0, bool)
    column = table.column(HEAD)
    if not pa.types.is_boolean(column.type) or column.null_count:
        raise PopulationError("expected true or false for every person", HEAD, source)
    is_head = column.to_numpy(zero_copy_only=False)
    heads = np.bincount(household_of[is_head], minlength=households)
    wrong = np.flatnonzero(heads != 1)
    if len(wrong):
        raise PopulationError(
            f"every household needs exactly one head; {len(wrong)} households do not "
            f"(e.g. household {table.column(HOUSEHOLD_ID)[int(np.argmax(household_of == wrong[0]))]} "
            f"has {heads[wrong[0]]})",
            HEAD,
            source,
        )
    return is_head


def _weights(table: pa.Table, source: str | None) -> np.ndarray:
    if WEIGHT not in table.column_names:
        return np.ones(table.num_rows)
    column = table.column(WEIGHT)
    if not (pa.types.is_floating(column.type) or pa.types.is_integer(column.type)) or column.null_count:
        raise PopulationError("expected a number (survey weight) for every person", WEIGHT, source)
    weights = column.to_numpy().astype(np.float64, copy=False)
    bad = ~np.isfinite(weights) | (weights < 0)
    if bad.any():
        raise PopulationError(
            f"weights must be finite and not negative ({int(bad.sum())} rows are not; first row {int(np.argmax(bad))})",
            WEIGHT,
            source,
        )
    return weights


def _first(mask: np.ndarray) -> str:
    return f"{int(mask.sum())} rows (first: row {int(np.argmax(mask))})"


def _fact_array(column: pa.ChunkedArray, need: ColumnNeed, source: str | None) -> np.ndarray:
    """A column as the rules' input array, checked against its fact's type and bounds."""
    fact = need.fact
    name = need.column
    if column.null_count and fact.name not in ABSENCE:
        nulls = column.is_null().to_numpy(zero_copy_only=False)
        raise PopulationError(f"empty in {_first(nulls)}; the law gives no default for it", name, source)
    if fact.enum_names:
        return _enum_indices(column, fact, name, source)
    if fact.value_type is datetime.date:
        return _dates(column, fact, name, source)
    if fact.value_type is bool:
        if not pa.types.is_boolean(column.type):
            raise PopulationError(f"expected true or false, found {column.type}", name, source)
        return column.fill_null(bool(fact.default)).to_numpy(zero_copy_only=False)
    if not (pa.types.is_integer(column.type) or pa.types.is_floating(column.type)):
        raise PopulationError(f"expected a number, found {column.type}", name, source)
    values = column.fill_null(fact.default or 0).to_numpy()
    kind = _NUMPY_TYPES[fact.value_type]
    if fact.value_type is int and values.dtype.kind == "f" and bool(np.any(values != np.floor(values))):
        raise PopulationError(f"expected whole numbers; {_first(values != np.floor(values))} are not", name, source)
    if values.dtype.kind == "f":
        bad = ~np.isfinite(values)
        if bad.any():
            raise PopulationError(f"expected finite numbers; {_first(bad)} are not", name, source)
    below = values < 0
    if below.any():
        raise PopulationError(f"expected 0 or more; {_first(below)} are negative", name, source)
    if fact.maximum is not None and (above := values > fact.maximum).any():
        raise PopulationError(f"expected at most {fact.maximum:g}; {_first(above)} are above", name, source)
    return values.astype(kind, copy=False)


def _enum_indices(column: pa.ChunkedArray, fact: Fact, name: str, source: str | None) -> np.ndarray:
    if pa.types.is_dictionary(column.type):
        column = column.cast(column.type.value_type)
    if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
        raise PopulationError(
            f"expected one of {', '.join(fact.enum_names)} (as text), found {column.type}", name, source
        )
    indices = pc.index_in(column, value_set=pa.array(fact.enum_names))
    unknown = pc.and_(indices.is_null(), column.is_valid())
    if pc.any(unknown).as_py():
        examples = pc.unique(column.filter(unknown)).to_pylist()[:5]
        raise PopulationError(
            f"unknown value{'s' if len(examples) > 1 else ''} {', '.join(map(repr, examples))}; "
            f"expected one of {', '.join(fact.enum_names)}",
            name,
            source,
        )
    default = fact.enum_names.index(fact.default)
    return indices.fill_null(default).to_numpy().astype(np.int16)


def _dates(column: pa.ChunkedArray, fact: Fact, name: str, source: str | None) -> np.ndarray:
    try:
        if (
            pa.types.is_timestamp(column.type)
            or pa.types.is_string(column.type)
            or pa.types.is_large_string(column.type)
        ):
            column = column.cast(pa.date32())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as error:
        raise PopulationError(f"expected ISO dates (YYYY-MM-DD): {error}", name, source) from None
    if not pa.types.is_date(column.type):
        raise PopulationError(f"expected dates, found {column.type}", name, source)
    column = column.cast(pa.date32()).fill_null(fact.default)
    return column.to_numpy().astype("datetime64[D]")


def _constant(need: ColumnNeed, value: Any, count: int, source: str | None) -> np.ndarray:
    """A whole column of the stated value, checked as a table cell would be."""
    array = pa.chunked_array([pa.array([value] * 1)])
    try:
        single = _fact_array(array, need, source)
    except PopulationError as error:
        raise PopulationError(f"assumed value {value!r} is not valid: {error}", need.column, source) from None
    return np.full(count, single[0], dtype=single.dtype)
