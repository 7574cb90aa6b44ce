"""Text columns of an Arrow table, plain or dictionary-encoded (as Parquet stores them).

An enumeration column holds a few distinct texts. Encoded as a dictionary, each chunk of rows carries those few
texts once and a small code per row: reading it matches the few texts, not every row's
(:mod:`~openfisca_sp.population.fact_arrays`).
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from openfisca_sp.population.errors import PopulationError


def is_text(kind: pa.DataType) -> bool:
    """Whether an Arrow type is plain text."""
    return pa.types.is_string(kind) or pa.types.is_large_string(kind)


def equals_text(
    column: pa.ChunkedArray,
    value: str,
    name: str | None = None,
    source: str | None = None,
    names: Collection[str] = (),
) -> np.ndarray:
    """Whether each cell of a text column (plain or dictionary-encoded) is ``value``; an empty cell is not. A column
    of another kind (``sex`` coded 1 and 2, a list) is a :class:`PopulationError` naming it (``name``, ``source``)
    and, where given, the ``names`` its enumeration holds (as the rules' own check says them).

    A dictionary-encoded chunk is matched by its codes (the few entries that read ``value`` looked for once), not
    decoded: four times faster on an enumeration. Never through ``to_numpy`` on the dictionary column itself,
    where pyarrow 26 misplaces empty cells."""
    held = column.type.value_type if pa.types.is_dictionary(column.type) else column.type
    if pa.types.is_string_view(held):  # text as Polars holds it: compared as plain text
        column, held = column.cast(pa.string()), pa.string()
    if not (is_text(held) or pa.types.is_null(held)):
        wanted = f"one of {', '.join(names)} (as text)" if names else f"text (such as {value!r})"
        raise PopulationError(f"expected {wanted}, found {column.type}", name, source)
    if not pa.types.is_dictionary(column.type):
        return pc.equal(column, value).fill_null(False).to_numpy(zero_copy_only=False)
    parts = [_codes_equal(chunk, value) for chunk in column.chunks]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=bool)


def _codes_equal(chunk: pa.DictionaryArray, value: str) -> np.ndarray:
    codes = np.flatnonzero(chunk.dictionary.to_numpy(zero_copy_only=False) == value)
    if len(codes) == 1:  # the usual dictionary: each text once
        found = pc.equal(chunk.indices, pa.scalar(int(codes[0]), type=chunk.indices.type))
    else:
        found = pc.is_in(chunk.indices, value_set=pa.array(codes, type=chunk.indices.type))
    return found.fill_null(False).to_numpy(zero_copy_only=False)


def with_dictionaries(table: pa.Table, names: Collection[str]) -> pa.Table:
    """``table`` with its plain text columns among ``names`` dictionary-encoded."""
    for index, name in enumerate(table.column_names):
        if name in names and is_text(table.column(index).type):
            table = table.set_column(index, name, pc.dictionary_encode(table.column(index)))
    return table
