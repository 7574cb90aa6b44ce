"""The base table converted once into the rules' arrays, and each year's chunk moved on those arrays.

A year used to move each chunk of the base table in Arrow (:func:`~.ageing.moved_rows`: dates shifted, money
scaled, history columns renamed) and then check and convert it into the rules' arrays again
(:func:`~openfisca_sp.population.engine.read_population`): a quarter of a year's work at 10 million persons.
Here the base table is checked and converted once, and a chunk of a year is made from those arrays: a history
period moves by whole years, a date is shifted (an empty cell stays empty and takes its fact's default), money
is scaled from its float64 value as a moved column is (float64, as the rules hold money), every other fact is the base
array itself (read-only). The columns read, the claims' months and the notes are found for each year as the
Arrow path finds them, from the moved names.

Whatever this cannot reproduce exactly gives None, and the year moves that chunk in Arrow as before: a table
the checks refuse (the Arrow path then says why), a fact the year reads that the base month did not, a
scaled amount beyond its bound or float64's, money held as whole numbers or with empty cells, dates written as
text, an event date stated as 1970-01-01 (moved, it would become a claim), weights that are not finite.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa

from openfisca_sp.analysis.survey import survey_arrays
from openfisca_sp.population.claims import NO_DATE, event_facts, event_months
from openfisca_sp.population.columns import ABSENCE, ColumnNeed
from openfisca_sp.population.engine import EventMonths, claim_months, columns_to_read, needs_of
from openfisca_sp.population.errors import PopulationError
from openfisca_sp.population.fact_arrays import fact_array, float64_amounts
from openfisca_sp.population.inputs import PopulationInputs, to_inputs
from openfisca_sp.population.missing_columns import default_note, unfilled_columns
from openfisca_sp.population.outputs import branches_of
from openfisca_sp.population.window_months import anchor_facts, ended_window_months
from openfisca_sp.projection.ageing import HISTORY, DateSpan, date_span, shift_dates, shift_spanned, shifted_name

Key = tuple[str, str]  # (variable, period)
FLOAT_MAX = float(np.finfo(np.float64).max)


@dataclass(frozen=True)
class Money:
    """A money fact's stated values in float64 (never empty: the checks refuse an empty amount), and what bounds
    a scaled value."""

    column: str  # the base table's
    values: np.ndarray
    highest: float  # of the stated values (0 if none)
    bound: float  # the fact's maximum, or float64's


@dataclass(frozen=True)
class ConvertedBase:
    """The base table as the rules' arrays, at the base month, for every fact any year's chunk reads."""

    base_month: str
    structure: PopulationInputs  # ids, households and heads of the whole table (no facts)
    plain: dict[Key, np.ndarray]  # facts a move leaves as they are (read-only)
    dates: dict[Key, tuple[np.ndarray, np.datetime64]]  # NaT where empty, and the fact's default
    money: dict[Key, Money]
    columns: frozenset[str]  # the base table's columns
    events: dict[str, dict[int, list[str]]]  # event fact -> chunk's first row -> its base months of events
    chunk_starts: frozenset[int]  # the chunks converted, by first row
    survey: dict[str, np.ndarray]  # the analysis arrays at the base month
    analysis: pa.Table  # the analysis columns, no rows: each year's notes are found on their moved names
    # each date fact's stated days in each chunk (by first and last row), found once for every year's move
    spans: dict[Key, dict[tuple[int, int], DateSpan | None]] = field(default_factory=dict)


def convert_base(
    table: pa.Table,
    base_month: str,
    systems: Sequence[Any],
    outputs: Sequence[Sequence[str]],
    extra_columns: Sequence[str],
    chunks: Sequence[slice],
    money_facts: frozenset[str],
    survey: Mapping[str, np.ndarray],
) -> ConvertedBase | None:
    """``table`` checked and converted for the facts the ``systems`` read at ``base_month`` (every chunk's
    claims included), with the analysis arrays of its ``extra_columns`` at that month (``survey``, as
    :func:`~openfisca_sp.analysis.survey.survey_arrays` reads them); None if the checks refuse it."""
    try:
        structure = to_inputs(table, base_month, [])
        for array in (structure.person_ids, structure.household_of, structure.household_ids, structure.is_head):
            _read_only(array)
        months = claim_months(table, systems, base_month)
        _, columns = columns_to_read(systems, base_month, outputs, extra_columns, months)
        needs = needs_of(systems, base_month, outputs, months, _present(table, columns))
        plain, dates, money = _converted_facts(table, needs, money_facts)
        events = _event_months(table, systems, base_month, dates, chunks)
        analysis = table.select([name for name in dict.fromkeys(extra_columns) if name in table.column_names])
    except PopulationError:
        return None
    if events is None:
        return None
    return ConvertedBase(
        base_month,
        structure,
        plain,
        dates,
        money,
        frozenset(table.column_names),
        events,
        frozenset(rows.start for rows in chunks),
        {name: _read_only(values) for name, values in survey.items()},
        analysis.slice(0, 0),
        {
            key: {(rows.start, rows.stop): date_span(stated[rows]) for rows in chunks}
            for key, (stated, _) in dates.items()
        },
    )


def sharing_money(table: pa.Table, base: ConvertedBase) -> pa.Table:
    """``table`` with each money column converted replaced by an Arrow column over the converted float64 array
    (no copy): the table then holds its amounts once, not twice (a float64 column as the Arrow path casts it;
    the same values)."""
    for money in base.money.values():
        index = table.column_names.index(money.column)
        table = table.set_column(index, money.column, pa.chunked_array([pa.array(money.values)]))
    return table


def _present(table: pa.Table, names: Sequence[str]) -> list[str]:
    return [name for name in names if name in table.column_names]


def _converted_facts(
    table: pa.Table, needs: Sequence[ColumnNeed], money_facts: frozenset[str]
) -> tuple[dict[Key, np.ndarray], dict[Key, tuple[np.ndarray, np.datetime64]], dict[Key, Money]]:
    """Each fact of ``needs`` the table has, checked as a chunk's column is and converted: dates (NaT where
    empty), money in float64 and the rest as the rules take them. A date written as text, or money with empty
    cells or as whole numbers, is left out (the Arrow path moves it)."""
    plain: dict[Key, np.ndarray] = {}
    dates: dict[Key, tuple[np.ndarray, np.datetime64]] = {}
    money: dict[Key, Money] = {}
    for need in needs:
        if need.column not in table.column_names:
            continue
        column, fact, key = table.column(need.column), need.fact, (need.variable, need.period)
        if fact.value_type is datetime.date and (pa.types.is_date(column.type) or pa.types.is_timestamp(column.type)):
            if column.null_count and fact.name not in ABSENCE:
                fact_array(column, need, None)  # refused: empty where the law gives no default
            stated = column.cast(pa.date32()).to_numpy(zero_copy_only=False)  # NaT where empty
            dates[key] = (_read_only(stated.astype("datetime64[D]", copy=False)), np.datetime64(fact.default, "D"))
        elif need.variable in money_facts:
            stated = float64_amounts(column, need, None) if fact.value_type is float else fact_array(column, need, None)
            if stated is not None and fact.value_type is float:
                bound = FLOAT_MAX if fact.maximum is None else min(FLOAT_MAX, float(fact.maximum))
                highest = float(stated.max()) if len(stated) else 0.0
                money[key] = Money(need.column, _read_only(stated), highest, bound)
        else:
            values = fact_array(column, need, None)  # the checks of a chunk, on the whole table
            if values.dtype.kind != "M":  # dates written as text: a move leaves them as they are
                plain[key] = _read_only(values)
    return plain, dates, money


def _read_only(values: np.ndarray) -> np.ndarray:
    values.flags.writeable = False  # shared by every year (and every forked worker): a write would be a bug
    return values


def _event_months(
    table: pa.Table, systems: Sequence[Any], month: str, dates: Mapping[Key, Any], chunks: Sequence[slice]
) -> dict[str, dict[int, list[str]]] | None:
    """For each event date fact the table has, each chunk's months of events at the base month; for each date
    that ends a branch's windows (a contract's end), each chunk's months of windows it ends early
    (:func:`~openfisca_sp.population.window_months.ended_window_months`), as
    :func:`~openfisca_sp.population.engine.claim_months` gives them. None if a stated date is 1970-01-01 (moved,
    it would become a date of event)."""
    branches = [branch for system in systems for branch in branches_of(system)]
    events, anchors = event_facts(branches), anchor_facts(branches)
    stated: dict[str, dict[int, list[str]]] = {}
    for name in sorted({*events.values(), *anchors.values()}):
        if (name, month) not in dates and (name, "ETERNITY") not in dates:
            if name in table.column_names:
                return None  # read as another kind than a date: leave the Arrow path to say so
            continue
        given, default = dates.get((name, month)) or dates[(name, "ETERNITY")]
        if default != NO_DATE or bool((given == NO_DATE).any()):
            return None
        filled = np.where(np.isnat(given), default, given)
        stated[name] = {rows.start: event_months([filled[rows]], month) for rows in chunks}
    found = {name: dict(stated[name]) for name in events.values() if name in stated}
    for branch in branches:
        anchor = anchors.get(branch.code)
        if anchor not in stated:
            continue
        claimed = stated.get(branch.event.date_fact, {})
        for rows in chunks:
            ended = ended_window_months(stated[anchor][rows.start], claimed.get(rows.start, []), month)
            by_chunk = found.setdefault(anchor, {})
            by_chunk[rows.start] = sorted({*by_chunk.get(rows.start, []), *ended})
    return found


def moved_chunk(
    base: ConvertedBase,
    rows: slice,
    years: int,
    systems: Sequence[Any],
    outputs: Sequence[Sequence[str]],
    extra_columns: Sequence[str],
    weights: np.ndarray,
    wage_factor: float,
    reads: dict[Any, list[ColumnNeed]] | None = None,
) -> tuple[PopulationInputs, dict[str, np.ndarray], list[str]] | None:
    """The chunk ``rows`` of the base table moved ``years`` whole years, as the rules' inputs, the analysis
    arrays and their notes, as the Arrow path gives them (``weights``: the chunk's in that year); None where
    it cannot be made exactly. ``reads`` keeps what the rules read, by month and months of events, for the
    other chunks of the same year, ``systems``, ``outputs`` and ``extra_columns`` (:func:`_chunk_needs`)."""
    if not (wage_factor > 0 and np.isfinite(wage_factor)) or not _valid(weights):
        return None
    month = _shifted_period(base.base_month, years)
    moved_names = {shifted_name(name, years) for name in base.columns}
    months = _chunk_months(base, rows, years, systems) if rows.start in base.chunk_starts else None
    if months is None:
        return None
    needs = _chunk_needs(systems, month, outputs, extra_columns, months, moved_names, {} if reads is None else reads)
    inputs: dict[Key, np.ndarray] = {}
    assumptions = []
    for need in needs:
        if need.column not in moved_names:
            if unfilled_columns([need], moved_names, ()):
                return None  # the Arrow path names the missing column
            assumptions.append(default_note(need))
            continue
        values = _moved_values(base, need, rows, years, wage_factor)
        if values is None:
            return None
        inputs[(need.variable, need.period)] = values
    part = base.structure.take(rows)
    population = PopulationInputs(
        part.count, part.person_ids, part.household_of, part.household_ids, part.is_head, weights, inputs, assumptions
    )
    population.checked_at = month  # its facts checked against each other as the Arrow path checks them
    survey = {name: values[rows] for name, values in base.survey.items()}
    survey["income"] = survey["income"] * wage_factor
    moved_analysis = base.analysis.rename_columns([shifted_name(name, years) for name in base.analysis.column_names])
    _, notes = survey_arrays(moved_analysis, month)
    return population, survey, notes


def _chunk_needs(
    systems: Sequence[Any],
    month: str,
    outputs: Sequence[Sequence[str]],
    extra_columns: Sequence[str],
    months: EventMonths,
    moved_names: Collection[str],
    reads: dict[Any, list[ColumnNeed]],
) -> list[ColumnNeed]:
    """What the rules read of a chunk whose claims' events fall in ``months``, found once per month and months
    of events in ``reads``: tracing the rules for every chunk took a tenth of a projection's year (10 million
    persons, 20 chunks, most of them with the same months). The key is complete within a year, whose systems and
    outputs are fixed; a year is traced afresh, not found by moving an earlier year's reads, since what a formula
    reads may turn on the date itself (a count of months from January 2014, a parameter's dates read outside the
    tree), the parameters in force and the formulas dated for it: only running the rules tells."""
    key = (month, tuple((event_month, tuple(facts)) for event_month, facts in months.items()))
    if key not in reads:
        _, columns = columns_to_read(systems, month, outputs, extra_columns, months)
        present = [name for name in columns if name in moved_names]
        reads[key] = needs_of(systems, month, outputs, months, present)
    return reads[key]


def _valid(weights: np.ndarray) -> bool:
    return bool(np.isfinite(weights).all() and (weights >= 0).all())


def _shifted_period(period: str, years: int) -> str | None:
    """A month ``YYYY-MM`` moved ``years`` whole years; ``ETERNITY`` as it is; None for anything else."""
    if period == "ETERNITY":
        return period
    match = HISTORY.match(f"x.{period}")
    if match is None:
        return None
    return f"{int(match['year']) + years:04d}-{match['month']}"


def _chunk_months(base: ConvertedBase, rows: slice, years: int, systems: Sequence[Any]) -> EventMonths | None:
    """The chunk's months of events in the moved year, fact by fact as
    :func:`~openfisca_sp.population.engine.claim_months` lists them (with the months of windows a contract's end
    ends early)."""
    found: dict[str, list[str]] = {}
    branches = [branch for system in systems for branch in branches_of(system)]
    for name in sorted({*event_facts(branches).values(), *anchor_facts(branches).values()}):
        if name not in base.events:
            if name in base.columns:
                return None
            continue
        for event_month in base.events[name].get(rows.start, []):
            found.setdefault(_shifted_period(event_month, years), []).append(name)
    return {event_month: tuple(found[event_month]) for event_month in sorted(found)}


def _moved_values(base: ConvertedBase, need: ColumnNeed, rows: slice, years: int, factor: float) -> np.ndarray | None:
    """One fact of the chunk, moved; None if the base did not convert it."""
    period = _shifted_period(need.period, -years)
    if period is None:
        return None
    key = (need.variable, period)
    if key in base.plain:
        return base.plain[key][rows]
    if key in base.dates:
        stated, default = base.dates[key]
        span = base.spans.get(key, {}).get((rows.start, rows.stop))
        return (
            shift_dates(stated[rows], years, default)
            if span is None
            else shift_spanned(stated[rows], span, years, default)
        )
    if key in base.money:
        money = base.money[key]
        if money.highest * factor > money.bound:
            return None  # the Arrow path refuses it, naming the rows
        stated = money.values[rows]
        return np.multiply(stated, factor)
    return None
