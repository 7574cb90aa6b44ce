"""What a projection's notes say of its base table, found once when the table is read: the one-off payments a
year counts, and the base year's population against the table's.

A year's cost is the base month's amounts payable times 12, and the table's events move by whole years. A
one-off payment (a lump sum, a birth grant) is due on its event's day, so only the events the table dates in
the base month count, 12 times; those it dates in the other months of the year that ends with the base month
count in no year. The note says so, with the weighted claims of each branch paying one in that year and in
the base month: those the table dates in them whose lump sum the rules find owed (more than 0, or owed with no
formula), under the baseline or the reform, decided once for the households with such a claim (an old-age
pension granted pays none; only a refusal may). Each year, the base year too, is reweighted to the
projected population, so the base year's figures are not ``openfisca-sp compare``'s on the same table and
month: the note gives both populations.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pyarrow as pa

from openfisca_sp.population.chunks import run_chunks
from openfisca_sp.population.claims import NO_DATE, event_facts
from openfisca_sp.population.columns import HOUSEHOLD_ID
from openfisca_sp.population.engine import read_population
from openfisca_sp.population.outputs import branches_of, modelled_flags, owed_flags
from openfisca_sp.rules.branches import Branch
from openfisca_sp.rules.wording import count_text, counted

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


def _window(days: np.ndarray, base_month: str) -> tuple[np.ndarray, np.ndarray]:
    """Whether each event day falls in the 12 months ending with ``base_month``, and in that month."""
    month = np.datetime64(base_month, "M")
    start, end, ends = _day_number(month - MONTHS_BEFORE), _day_number(month), _day_number(month + 1)
    in_year, in_month = (days >= start) & (days < ends), (days >= end) & (days < ends)
    if start <= _day_number(NO_DATE) < ends:  # a base month of the 1970s: no event is not one
        in_year, in_month = in_year & (days != _day_number(NO_DATE)), in_month & (days != _day_number(NO_DATE))
    return in_year, in_month


def pays_lump_sum(columns: Mapping[str, np.ndarray], branch: Branch) -> np.ndarray:
    """Whose claim of ``branch`` pays a lump sum, as one side's results tell it: more than 0, or owed where its
    formula is not found (an old-age pension granted pays none)."""
    pays = np.zeros(len(columns[branch.eligible]), dtype=bool)
    modelled = modelled_flags(branch)
    for name in branch.lump_sums:
        pays |= np.nan_to_num(columns[name].astype(np.float64)) > 0
        owed = owed_flags(branch).get(name)
        if owed is not None:
            pays |= columns[owed].astype(bool) & ~columns[modelled[name]].astype(bool)
    return pays


def _dated_claims(
    table: pa.Table, base_month: str, codes: Mapping[str, str]
) -> tuple[dict[str, tuple[np.ndarray, np.ndarray]], np.ndarray]:
    """Per branch code, whether each row's event (``codes``: the column dating it) falls in the 12 months ending
    with ``base_month`` and in that month; and each row's household holding such an event."""
    found, eventful = {}, np.zeros(table.num_rows, dtype=bool)
    for code, name in codes.items():
        days = _event_days(table, name) if name in table.column_names else None
        if days is not None:
            found[code] = _window(days, base_month)
            eventful |= found[code][0]
    ids = table.column(HOUSEHOLD_ID).to_numpy(zero_copy_only=False)
    return found, np.isin(ids, ids[eventful])


def lump_sum_outputs(branch: Branch) -> tuple[str, ...]:
    """The results :func:`pays_lump_sum` reads of ``branch``."""
    modelled = modelled_flags(branch)
    owed = owed_flags(branch)
    flags = [flag for name in branch.lump_sums for flag in (modelled.get(name), owed.get(name)) if flag is not None]
    return (branch.eligible, *branch.lump_sums, *flags)


def _decided(table: pa.Table, rows: np.ndarray, base_month: str, systems: Sequence[Any]) -> list[dict]:
    """Each system's results that :func:`pays_lump_sum` reads, in ``base_month``, for the rows ``rows`` of
    ``table`` (whole households): the branches paying no lump sum are not decided (at 10 million persons, the
    note took 3.4 s deciding every branch)."""
    outputs = [
        tuple(name for branch in branches_of(system) if branch.lump_sums for name in lump_sum_outputs(branch))
        for system in systems
    ]
    inputs, _ = read_population(table.take(pa.array(rows)), systems, base_month, outputs)
    inputs.checked_at = None  # a note's count: the facts are checked against each other where the first year reads them
    return run_chunks(systems, inputs, base_month, outputs)


def one_off_note(table: pa.Table, base_month: str, systems: Sequence[Any], weights: np.ndarray) -> str:
    """What a year's one-off payments count, with the weighted claims of each branch paying one that the table
    dates in the year ending with ``base_month`` and in that month (only these count, 12 times)."""
    first = np.datetime64(base_month, "M") - MONTHS_BEFORE
    per_system = [{branch.code: branch for branch in branches_of(system) if branch.lump_sums} for system in systems]
    branches = {code: branch for found in per_system for code, branch in found.items()}
    dated, households = _dated_claims(table, base_month, event_facts(branches.values()))
    rows = np.flatnonzero(households)
    results = _decided(table, rows, base_month, systems) if len(rows) else []
    counts = []
    for code, (in_year, in_month) in dated.items():
        pays = np.zeros(len(rows), dtype=bool)  # under either side
        for found, columns in zip(per_system, results, strict=True):
            if code in found:
                pays |= pays_lump_sum(columns, found[code])
        year, inside = (float(weights[rows][pays & dates[rows]].sum()) for dates in (in_year, in_month))
        if year > inside:
            label = f"{branches[code].label} ({', '.join(branches[code].lump_sums)})"
            counts.append(
                f"{label}: {counted(year, 'claim', form=count_text)} paying one, {count_text(year - inside)} outside "
                f"{base_month} and {count_text(inside)} in it (counted 12 times: {count_text(12 * inside)})"
            )
    note = (
        "one-off payments (lump sums, birth grants) are due on their event's day, and a year's are those due on the "
        f"events the base table dates in {base_month}, times 12: the events it dates in other months count in no year"
    )
    if not counts:
        return note
    return f"{note}. Weighted, the table dates in the 12 months from {first} to {base_month}: {'; '.join(counts)}"


def base_year_note(base_year: int, table_population: float, projected: float) -> str:
    """The base year's population as projected against the base table's (the weights ``compare`` uses)."""
    return (
        f"the base year {base_year} is reweighted, as every year, to the projected population by sex and five-year "
        f"age group: {counted(projected, 'person', form=count_text)} against the base table's "
        f"{count_text(table_population)}, "
        "so its figures "
        "differ from openfisca-sp compare's on the same table and month"
    )
