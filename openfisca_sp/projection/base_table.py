"""The base table of a projection as read: the households in which someone has a claim's event first, so that the
claims decided again on their event's day fall in the first chunks (:func:`events_first`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pyarrow as pa

from openfisca_sp.population.claims import NO_DATE, event_facts
from openfisca_sp.population.columns import HOUSEHOLD_ID
from openfisca_sp.population.inputs import group_numbers
from openfisca_sp.population.outputs import branches_of
from openfisca_sp.population.reading import read_table
from openfisca_sp.projection.ahead import columns_taken, rows_taken


def events_first(table: pa.Table, systems: list[Any]) -> pa.Table:
    """The table with the households in which someone has a claim's event first (each household's rows, and
    the order within each part, kept).

    A claim whose event falls on another day than the month's first is decided again in small simulations,
    one per month of events (:func:`~openfisca_sp.population.claims.decide_dated_claims`): a fixed cost per
    chunk that has such claims. Gathered in the first chunks, they cost it a few times a year, not in every
    chunk (at 10 million persons, a table of 59 columns takes about 6 s to reorder, once; a year's chunks
    then save about 10 s). The years' sums are the same up to the order of additions. The rows are taken in
    their new order in one gather, so each column comes out in one piece, which the conversion of the base
    (:mod:`~.converted`) then reads without a copy (year_inputs at 10 million persons: 20 s against 27.5 s
    with two filtered parts). :func:`read_base` does the same, freeing the table as read column by column."""
    order = events_order(table, systems)
    return table if order is None else rows_taken(table, order)


def events_order(table: pa.Table, systems: list[Any]) -> pa.Array | None:
    """The rows of :func:`events_first`'s table in ``table`` (None: the table stays as it is)."""
    names = sorted({name for system in systems for name in event_facts(branches_of(system)).values()})
    eventful = np.zeros(table.num_rows, dtype=bool)
    for name in names:
        if name not in table.column_names:
            continue
        try:
            days = table.column(name).cast(pa.date32()).to_numpy(zero_copy_only=False).astype("datetime64[D]")
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            return None  # not dates: reading the table says so, naming the column
        eventful |= ~np.isnat(days) & (days != NO_DATE)
    household_of = household_index(table)
    households = np.bincount(household_of, weights=eventful, minlength=int(household_of.max(initial=-1)) + 1)
    first = households[household_of] > 0
    if first.all() or not first.any():
        return None
    return pa.array(np.concatenate([np.flatnonzero(first), np.flatnonzero(~first)]))


def read_base(
    source: Any, columns: list[str], systems: list[Any], seen: Callable[[pa.Table], None] | None = None
) -> pa.Table:
    """``columns`` of ``source`` read as :func:`events_first` orders them. The table as read is taken column by
    column, each freed once taken (:func:`~.ahead.columns_taken`): the reordered table then reuses most of the
    memory of the one read rather than 5.7 GB of new memory (at 10 million persons, in an hour when this machine
    gave new memory slowly: 6.3 s against 23.3 s). ``seen`` is called with the table as read, in ``source``'s
    order, before it is reordered: what reads ``source`` in its order reads these columns there, not again."""
    table = read_table(source, columns)
    if seen is not None:
        seen(table)
    order = events_order(table, systems)
    if order is None:
        return table
    read, schema = table.columns, table.schema
    del table  # the list ``read`` now holds the only references to the columns read
    return columns_taken(read, schema, order)


def household_index(table: pa.Table) -> np.ndarray:
    """Each row's household as an index 0, 1, ... (households are contiguous rows)."""
    ids = table.column(HOUSEHOLD_ID).to_numpy(zero_copy_only=False)
    return group_numbers(ids[1:] != ids[:-1]) if len(ids) else np.zeros(0, dtype=np.int64)
