"""What a projection's notes say of its base table, found once when the table is read: the one-off payments a
year counts, and the base year's population against the table's.

A year's cost is the base month's amounts payable times 12, and the table's events move by whole years. A
one-off payment (a lump sum, a birth grant) is due on its event's day, so only the events the table dates in
the base month count, 12 times; those it dates in the other months of the year that ends with the base month
count in no year. The note says so, with the weighted events of each branch paying one in that year and in
the base month (computed once, from the base table). Each year, the base year too, is reweighted to the
projected population, so the base year's figures are not ``openfisca-sp compare``'s on the same table and
month: the note gives both populations.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pyarrow as pa

from openfisca_sp.population.claims import NO_DATE, event_facts
from openfisca_sp.population.outputs import branches_of

MONTHS_BEFORE = 11  # the other months of the year that ends with the base month


def _event_days(table: pa.Table, name: str) -> np.ndarray | None:
    """Each row's event day in the column ``name`` as days since 1970 (``NO_DATE`` where it dates none; None if
    the column holds no dates: reading the table says so)."""
    try:
        days = table.column(name).cast(pa.date32())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    filled = days.fill_null(pa.scalar(_day_number(NO_DATE), pa.date32())).to_numpy(zero_copy_only=False)
    return filled.astype("datetime64[D]", copy=False).view(np.int64)


def _day_number(date: np.datetime64) -> int:
    """A month's first day, or a day, as days since 1970."""
    return int(date.astype("datetime64[D]").astype(np.int64))


def one_off_note(table: pa.Table, base_month: str, systems: Sequence[Any], weights: np.ndarray) -> str:
    """What a year's one-off payments count, with the weighted events of each branch paying one that the table
    dates in the year ending with ``base_month`` and in that month (only these count, 12 times)."""
    month = np.datetime64(base_month, "M")
    first = month - MONTHS_BEFORE
    branches = {branch.code: branch for system in systems for branch in branches_of(system) if branch.lump_sums}
    counts = []
    for code, name in event_facts(branches.values()).items():
        if name not in table.column_names:
            continue
        days = _event_days(table, name)
        if days is None:
            continue
        start, end, ends = _day_number(first), _day_number(month), _day_number(month + 1)  # end: the month's 1st
        in_year, in_month = (days >= start) & (days < ends), (days >= end) & (days < ends)
        if start <= _day_number(NO_DATE) < ends:  # a base month of the 1970s: no event is not one
            in_year, in_month = in_year & (days != _day_number(NO_DATE)), in_month & (days != _day_number(NO_DATE))
        year, inside = float(weights[in_year].sum()), float(weights[in_month].sum())
        if year > inside:
            label = f"{branches[code].label} ({', '.join(branches[code].lump_sums)})"
            counts.append(
                f"{label}: {year:,.0f} events, {year - inside:,.0f} outside {base_month} and {inside:,.0f} in it "
                f"(counted 12 times: {12 * inside:,.0f})"
            )
    note = (
        "one-off payments (lump sums, birth grants) are due on their event's day, and a year's are those due on the "
        f"events the base table dates in {base_month}, times 12: the events it dates in other months count in no year"
    )
    if not counts:
        return note
    return f"{note}. Weighted, the table dates in the 12 months from {first} to {month}: {'; '.join(counts)}"


def base_year_note(base_year: int, table_population: float, projected: float) -> str:
    """The base year's population as projected against the base table's (the weights ``compare`` uses)."""
    return (
        f"the base year {base_year} is reweighted, as every year, to the projected population by sex and five-year "
        f"age group: {projected:,.0f} persons against the base table's {table_population:,.0f}, so its figures "
        "differ from openfisca-sp compare's on the same table and month"
    )
