"""The months of wages a projection's person table gives, checked once, at the base month, against the births and
the career totals, as ``simulate`` checks a table's (a wage above 0 before the month of the birth, fewer
``contribution_months`` than months with a wage above 0: :mod:`openfisca_sp.population.unread_wages`), whichever of
them the rules of a year read.

Each year moves the table by whole years: a birth, a date of the person's life and a month of wages move together,
the career totals stay, so a wage before the birth, or a career shorter than its months of wages, is one in every
year or in none. The first year projected checks the facts against each other (``simulate``'s checks); this check
adds the months of wages the base table does not hold (no rule of the base month reads them) and those a later
year's rules read that the first year's did not (a claim dated long ago, moved, is decided under another law).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa

from openfisca_sp.population.contradictions import refuse_unread_wages
from openfisca_sp.population.filling import StreamedColumns
from openfisca_sp.population.reading import (
    parquet_batches,
    parquet_columns,
    parquet_file,
    read_table,
    source_columns,
    source_label,
)
from openfisca_sp.population.unread_wages import (
    BIRTH,
    CAREER,
    UnreadWages,
    read_as_rules,
    streamed_unread_wages,
    table_unread_wages,
    unread_wage_columns,
)


@dataclass(frozen=True)
class WageFindings:
    """What the check of a table's months of wages found (:func:`wage_findings`), before it refuses anything."""

    months: list[str]  # the columns of months of wages before the month checked (none: nothing to check)
    wanted: list[str]  # the births and career totals the table gives
    found: UnreadWages | None


def wage_findings(source: Any, month: str, system: Any, read: pa.Table | None = None) -> WageFindings:
    """What :func:`check_base_wages` finds in ``source``'s months of wages before ``month``; ``read``: columns of
    ``source`` already read, in its rows' order, taken from it rather than read again (the base table holds most
    months of wages: at 2 million persons, 43 of the 55 columns the check reads)."""
    names = source_columns(source)
    months = unread_wage_columns(names, month, ())
    if not months:
        return WageFindings([], [], None)
    wanted = [name for name in (BIRTH, f"{CAREER}.{month}", CAREER) if name in names]
    path = parquet_file(source)
    if path is not None:
        streamed = StreamedColumns(parquet_columns(path), functools.partial(parquet_batches, path))
        found = streamed_unread_wages(streamed, month, (), system, read, source_label(source))
    else:
        found = table_unread_wages(
            _read_once(source, [*wanted, *months], read), month, (), system, source_label(source)
        )
    return WageFindings(months, wanted, found)


def _read_once(source: Any, names: list[str], read: pa.Table | None) -> pa.Table:
    """The columns ``names`` of ``source``, those ``read`` holds taken from it, the others read."""
    held = [] if read is None else [name for name in names if name in read.column_names]
    if not held:
        return read_table(source, names)
    missing = [name for name in names if name not in held]
    others = read_table(source, missing) if missing else read.select([])
    return pa.table(
        {
            name: read.column(name) if name in held else others.column(name)
            for name in names
            if name in held or name in others.column_names
        }
    )


def check_base_wages(
    source: Any,
    month: str,
    system: Any,
    assumed: Mapping[str, Any],
    label: str | None,
    findings: WageFindings | None = None,
) -> None:
    """Refuse (:class:`~openfisca_sp.population.errors.PopulationError`) a person table ``source`` whose months of
    wages before ``month`` contradict its births or career totals (``assumed``: the values the scenario's
    assumptions state, by column: a career total stated for every person); ``findings``: :func:`wage_findings`'
    of them, if made already."""
    findings = findings or wage_findings(source, month, system)
    months, wanted, found = findings.months, findings.wanted, findings.found
    if found is None:
        return
    table = read_table(source, [*wanted, months[0]])  # the error's: the births and careers whole
    count = table.num_rows
    birth = read_as_rules(_column(table, BIRTH), BIRTH, system)
    careers = read_as_rules(_column(table, f"{CAREER}.{month}") or _column(table, CAREER), CAREER, system)
    stated = next((assumed[name] for name in (f"{CAREER}.{month}", CAREER) if name in assumed), None)
    if careers is None and stated is not None:
        careers = np.full(count, int(stated))
    chunk = found.within(slice(0, count), count)
    if chunk is not None:
        refuse_unread_wages(birth, careers, chunk, month, label)


def _column(table: pa.Table, name: str) -> pa.ChunkedArray | None:
    return table.column(name) if name in table.column_names else None
