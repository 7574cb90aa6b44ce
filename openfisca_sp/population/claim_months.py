"""The months whose columns a table's claims read, besides the month evaluated: the months of their events, and
the months in which windows that a stated date ends early close (:mod:`~.window_months`).

The columns are found by tracing the rules at each of those months (:func:`~.engine.columns_to_read`). The
months come from a Parquet file's statistics where it keeps them (nothing read from its rows), else from the
distinct days of the date columns.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pyarrow as pa

from openfisca_sp.decisions.facts import facts_of
from openfisca_sp.population.claims import event_facts, event_months
from openfisca_sp.population.columns import ColumnNeed
from openfisca_sp.population.fact_arrays import distinct_fact_values
from openfisca_sp.population.outputs import branches_of
from openfisca_sp.population.reading import (
    EmptyColumnError,
    parquet_columns,
    parquet_date_range,
    parquet_file,
    read_table,
    source_label,
)
from openfisca_sp.population.window_months import anchor_facts, decision_months, window_months
from openfisca_sp.rules.windows import NO_DATE

MOST_MONTHS_FROM_STATISTICS = 60  # a wider range of dates is read row by row (an odd date: a typing slip)


def claim_months(
    source: Any,
    systems: Sequence[Any],
    month: str,
    reader: Callable[[Any, list[str]], pa.Table] | None = None,
    claims_on_events: bool = True,
) -> dict[str, tuple[str, ...]]:
    """The months, other than ``month``, whose columns the table's claims read, each with the date facts that
    bring it: the months in which the claims' events fall (not with ``claims_on_events`` False: every claim is
    then decided in ``month``), and the months after those in which a window ended by a stated date closes (the
    end of a labour contract; :func:`~.window_months.window_months`).

    The dates are read first, alone, with ``reader`` (a column by its distinct days); without a ``reader``, a
    Parquet file's come from its statistics where it keeps them (:func:`_months_from_statistics`), else from its
    rows (:func:`~.reading.read_table`)."""
    branches = [branch for system in systems for branch in branches_of(system)]
    events = sorted(set(event_facts(branches).values())) if claims_on_events else []
    anchors = anchor_facts(branches)
    names = sorted({*events, *anchors.values()})
    if not names:
        return {}
    stated = _stated_months(source, systems, names, month, reader)
    found: dict[str, list[str]] = {}
    for name in events:
        for event_month in stated.get(name, ()):
            found.setdefault(event_month, []).append(name)
    for branch in branches:
        anchor = anchors.get(branch.code)
        if anchor is None or anchor not in stated:
            continue
        claimed = stated.get(branch.event.date_fact, ()) if claims_on_events else ()
        for trace_month in window_months(stated[anchor], decision_months(month, claimed)):
            found.setdefault(trace_month, []).append(anchor)
    return {event_month: tuple(dict.fromkeys(found[event_month])) for event_month in sorted(found)}


def _stated_months(
    source: Any,
    systems: Sequence[Any],
    names: Sequence[str],
    month: str,
    reader: Callable[[Any, list[str]], pa.Table] | None,
) -> dict[str, list[str]]:
    """For each date column of ``names`` the table has, the months other than ``month`` of its stated days."""
    path = parquet_file(source) if reader is None else None
    found = None if path is None else _months_from_statistics(path, names, month)
    if found is not None:
        return found
    facts = facts_of(systems[0])
    table = (reader or read_table)(source, list(names))
    label = source_label(source)
    return {
        name: event_months(
            [distinct_fact_values(table.column(name), ColumnNeed(name, name, month, facts[name]), label)], month
        )
        for name in names
        if name in table.column_names
    }


def _months_from_statistics(path: Any, names: Sequence[str], month: str) -> dict[str, list[str]] | None:
    """The months of :func:`_stated_months` from a Parquet file's statistics: for each date column, every month
    from its earliest day to its latest, kept by each row group (nothing read from the rows). Where every month of
    the range holds a date, as in a population of any size, these are the months the rows give; a month without
    one only adds the columns its claims would read. None (the rows are read) where a column keeps no
    statistics, or where its range is wider than ``MOST_MONTHS_FROM_STATISTICS`` months or reaches back to
    1970-01-01, the day that says "not stated"."""
    found: dict[str, list[str]] = {}
    evaluated = np.datetime64(month, "M")
    for name in names:
        try:
            bounds = parquet_date_range(path, name)
        except EmptyColumnError:
            continue
        if bounds is None:
            if name in parquet_columns(path):
                return None
            continue  # the table lacks it: no claims of that event
        low, high = (np.datetime64(day, "M") for day in bounds)
        if np.datetime64(bounds[0], "D") <= NO_DATE or (high - low).astype(int) >= MOST_MONTHS_FROM_STATISTICS:
            return None
        found[name] = [str(item) for item in np.arange(low, high + 1) if item != evaluated]
    return found
