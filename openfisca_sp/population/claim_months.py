"""The months whose columns a table's claims read, besides the month evaluated: the months of their events, and
the months in which windows that a stated date ends early close (:mod:`~.window_months`).

The columns are found by tracing the rules at each of those months (:func:`~.engine.columns_to_read`), the
months from the distinct days of the date columns. (A Parquet file's statistics gave every month between a
column's earliest day and its latest, which traced months no claim falls in, and refused a file for their
columns.)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pyarrow as pa

from openfisca_sp.decisions.facts import facts_of
from openfisca_sp.population.claims import event_facts, event_months
from openfisca_sp.population.columns import ColumnNeed
from openfisca_sp.population.fact_arrays import distinct_fact_values
from openfisca_sp.population.outputs import branches_of
from openfisca_sp.population.reading import read_table, source_columns, source_label
from openfisca_sp.population.window_months import anchor_facts, ended_window_months


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
    end of a labour contract; :func:`~.window_months.ended_window_months`).

    The dates are read first, alone, with ``reader`` (:func:`~.reading.read_table` by default), each column by
    its distinct days."""
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
        for trace_month in ended_window_months(stated[anchor], claimed, month):
            found.setdefault(trace_month, []).append(anchor)
    return {event_month: tuple(dict.fromkeys(found[event_month])) for event_month in sorted(found)}


def _stated_months(
    source: Any,
    systems: Sequence[Any],
    names: Sequence[str],
    month: str,
    reader: Callable[[Any, list[str]], pa.Table] | None,
) -> dict[str, list[str]]:
    """For each date column of ``names`` the table has, the months other than ``month`` of its stated days
    (nothing read where the table has none of them: a CSV file asked for none of its columns is read whole)."""
    if reader is None:
        names = [name for name in names if name in source_columns(source)]
        if not names:
            return {}
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
