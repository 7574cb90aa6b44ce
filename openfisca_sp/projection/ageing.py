"""Static ageing: the base person table moved to a future year, and reweighted to that year's population.

Every person keeps their record, moved forward by whole years: dates (birth, claims, events) and the months
of history columns (``insured_wage.2026-09`` becomes ``insured_wage.2040-09``) shift together, so each
person's age, careers and claims are those of the base year; money (insured wages, career averages, pension
capital, income) grows with the wage index. Then the weights change, cell by cell of sex and five-year age
group, so that the weighted table matches the projected population of the year (:mod:`~.demography`), and,
where the scenario sets a coverage path, so that the share of persons aged 15-64 who contribute follows it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from openfisca_sp.population.columns import WEIGHT
from openfisca_sp.population.errors import PopulationError
from openfisca_sp.population.text_columns import equals_text
from openfisca_sp.projection.age_groups import group_label, nearest_younger, uncovered, uncovered_message
from openfisca_sp.projection.demography import GROUPS, SEXES, Demography, group_of
from openfisca_sp.rules.calendar import completed_months

HISTORY = re.compile(r"^(?P<variable>.+)\.(?P<year>\d{4})-(?P<month>\d{2})$")
WORKING_AGE = (15, 65)  # ages 15-64, the ILO's working-age population
MONEY_COLUMNS = ("income",)  # analysis columns in currency (the rules' facts are found from their unit)


@dataclass(frozen=True)
class AgeingBase:
    """What reweighting reads of the base table, per person, computed once: cell, weight, working age, and
    whether they contribute."""

    cells: np.ndarray
    weights: np.ndarray  # float64
    working: np.ndarray  # aged 15-64
    contributor: np.ndarray  # an insured wage in the month before the base month
    kinds: np.ndarray | None = None  # cell, working age and contributing together (:func:`person_kinds`)
    working_contributor: np.ndarray | None = None  # aged 15-64 and contributing


@dataclass(frozen=True)
class YearWeights:
    """A year's weights, and what the reweighting found."""

    weights: np.ndarray
    working_age: float  # weighted persons aged 15-64
    contributors: float  # weighted persons aged 15-64 who contribute
    notes: tuple[str, ...]


@dataclass(frozen=True)
class AgedTable:
    """A person table moved to a year, with its weights."""

    table: pa.Table
    weights: np.ndarray
    working_age: float
    contributors: float
    notes: tuple[str, ...]


def shift_dates(days: np.ndarray, years: int, empty: np.datetime64 | None = None) -> np.ndarray:
    """Dates moved by whole years (29 February to 28 February where the year has none); NaT stays NaT, or
    becomes the day ``empty`` where given.

    Each day of the range the dates span is moved once, and the dates look their day up (a person table's
    dates span a century or so, its rows millions). Where most dates are empty (an event's date: a few persons
    in a hundred have one), only the others are looked at."""
    days = np.asarray(days, dtype="datetime64[D]")
    empties = np.isnat(days)
    if not empties.any():
        return _looked_up(days, years)
    known = ~empties
    moved = np.full(days.shape, np.datetime64("NaT") if empty is None else empty, dtype="datetime64[D]")
    moved[known] = _looked_up(days[known], years)
    return moved


def _looked_up(days: np.ndarray, years: int) -> np.ndarray:
    """Dates, none of them NaT, moved by whole years."""
    if not len(days):
        return days.copy()
    numbers = days.view(np.int64)  # days since 1970 (the min and max of dates take five times longer)
    return _looked_up_within(days, years, int(numbers.min()), int(numbers.max()))


def _looked_up_within(days: np.ndarray, years: int, low: int, high: int) -> np.ndarray:
    """Dates, none of them NaT, from day ``low`` to day ``high`` (since 1970), moved by whole years."""
    if high - low + 1 >= len(days):
        return _moved(days, years)
    return _moved(np.arange(low, high + 1).astype("datetime64[D]"), years)[days.view(np.int64) - low]


@dataclass(frozen=True)
class DateSpan:
    """Which dates of a column's run of rows are stated, and their first and last days, found once for every move
    of them (:func:`shift_spanned`): :func:`shift_dates` looks for them over every row each time, four passes of
    the six it makes over a column of birth dates."""

    known: np.ndarray | None  # the positions of the stated dates, where some are not (few: an event's date)
    low: int  # the first and last stated days (days since 1970); none stated: 0 and -1
    high: int


def date_span(days: np.ndarray) -> DateSpan | None:
    """The :class:`DateSpan` of ``days`` (``datetime64[D]``); None where most are stated and some not (their
    positions would take more memory than the dates: :func:`shift_dates` moves them)."""
    empties = np.isnat(days)
    known = None
    if empties.any():
        known = np.flatnonzero(~empties)
        if len(known) * 8 > len(days):
            return None
    numbers = (days if known is None else days[known]).view(np.int64)
    return DateSpan(known, int(numbers.min()), int(numbers.max())) if len(numbers) else DateSpan(known, 0, -1)


def shift_spanned(days: np.ndarray, span: DateSpan, years: int, empty: np.datetime64 | None = None) -> np.ndarray:
    """:func:`shift_dates` of ``days`` (``datetime64[D]``), whose :class:`DateSpan` is ``span``."""
    if span.known is None:
        return _looked_up_within(days, years, span.low, span.high) if len(days) else days.copy()
    moved = np.full(days.shape, np.datetime64("NaT") if empty is None else empty, dtype="datetime64[D]")
    if len(span.known):
        moved[span.known] = _looked_up_within(days[span.known], years, span.low, span.high)
    return moved


def _moved(days: np.ndarray, years: int) -> np.ndarray:
    months = days.astype("datetime64[M]")
    day = (days - months.astype("datetime64[D]")).astype(np.int64)
    moved = months + np.timedelta64(12 * years, "M")
    length = ((moved + np.timedelta64(1, "M")).astype("datetime64[D]") - moved.astype("datetime64[D]")).astype(np.int64)
    return moved.astype("datetime64[D]") + np.minimum(day, length - 1).astype("timedelta64[D]")


def shifted_name(name: str, years: int) -> str:
    """A history column's name moved by whole years; other names as they are."""
    match = HISTORY.match(name)
    if not match:
        return name
    return f"{match['variable']}.{int(match['year']) + years:04d}-{match['month']}"


def age_in_years(birth: np.ndarray, month: str) -> np.ndarray:
    """Completed years of age on the first day of ``month``, as the rules count them
    (:func:`~openfisca_sp.rules.calendar.completed_months`: born on the 1st of ``month``, a year older that day;
    later in the month, not yet)."""
    return completed_months(np.asarray(birth, dtype="datetime64[D]"), np.datetime64(month, "D")) // 12


def move_table(table: pa.Table, years: int, wage_factor: float, money: frozenset[str]) -> pa.Table:
    """The table moved forward ``years`` whole years, money columns times ``wage_factor``."""
    columns, names = [], []
    for name, column in zip(table.column_names, table.columns, strict=True):
        variable = HISTORY.match(name)["variable"] if HISTORY.match(name) else name
        if pa.types.is_date(column.type) or pa.types.is_timestamp(column.type):
            days = column.cast(pa.date32()).to_numpy(zero_copy_only=False).astype("datetime64[D]")
            column = pa.array(shift_dates(days, years), type=pa.date32())
        elif variable in money and (pa.types.is_floating(column.type) or pa.types.is_integer(column.type)):
            # nulls stay null, chunks as they are; integers beyond 2**53 rounded to the nearest float64
            column = pc.multiply(column.cast(pa.float64(), safe=False), wage_factor)
        columns.append(column)
        names.append(shifted_name(name, years))
    return pa.Table.from_arrays(columns, names=names)


def ages_of(table: pa.Table, month: str) -> np.ndarray:
    """Each person's completed years of age on the first day of ``month``."""
    birth = table.column("birth_date").cast(pa.date32()).to_numpy(zero_copy_only=False).astype("datetime64[D]")
    return age_in_years(birth, month)


def cells_of(table: pa.Table, month: str, ages: np.ndarray | None = None) -> np.ndarray:
    """Each person's cell: sex (0 male, 1 female) times 21 plus the five-year age group (of ``ages`` if given)."""
    female = equals_text(table.column("sex"), SEXES[1], "sex", names=SEXES).astype(np.int64)
    return female * GROUPS + group_of(ages_of(table, month) if ages is None else ages)


def demographic_factors(
    cells: np.ndarray, weights: np.ndarray, target: np.ndarray, year: int | None = None
) -> tuple[np.ndarray, list[str]]:
    """Per cell, the factor taking the table's weighted persons to the projected ones (of ``year``). A cell the table
    has no one in gives its persons to the nearest younger cell of the same sex that has someone (said in a note);
    where no younger cell has anyone, the table is refused (:mod:`~.age_groups`)."""
    have = np.bincount(cells, weights=weights, minlength=2 * GROUPS)
    wanted = target.reshape(-1).astype(np.float64).copy()
    if (missing := np.flatnonzero(uncovered(have, wanted))).size:
        raise PopulationError(uncovered_message(missing, wanted, year))
    donors = nearest_younger(have)
    notes = []
    for cell in np.flatnonzero((have <= 0) & (wanted > 0)):
        sex, group = divmod(int(cell), GROUPS)
        wanted[donors[cell]] += wanted[cell]
        notes.append(
            f"No {SEXES[sex]} aged {group_label(group)} in the person table: the projected persons of that group are "
            f"counted in the nearest younger group that has someone ({SEXES[sex]} aged "
            f"{group_label(int(donors[cell]) % GROUPS)})."
        )
        wanted[cell] = 0.0
    return np.divide(wanted, have, out=np.zeros_like(wanted), where=have > 0), notes


def contributing(table: pa.Table, month: str) -> np.ndarray:
    """Who has an insured wage in the month before ``month`` (a contributor then; the table describes
    ``month``)."""
    previous = str(np.datetime64(month, "M") - np.timedelta64(1, "M"))
    name = f"insured_wage.{previous}"
    if name not in table.column_names:
        return np.zeros(table.num_rows, dtype=bool)
    values = table.column(name).fill_null(0).to_numpy(zero_copy_only=False)
    return values > 0


def person_kinds(cells: np.ndarray, working: np.ndarray, contributor: np.ndarray) -> np.ndarray:
    """Each person's cell, working age and contributing as one small number (a cell's four kinds in a row)."""
    if len(cells) and not 0 <= int(cells.min()) <= int(cells.max()) < 2 * GROUPS:
        raise IndexError(f"a cell number outside 0 to {2 * GROUPS - 1}")
    flags = [np.asarray(flag, dtype=bool).view(np.uint8) for flag in (working, contributor)]
    return (cells.astype(np.uint8) << 2) | (flags[0] << 1) | flags[1]


def coverage_factors(
    cells: np.ndarray,
    working: np.ndarray,
    contributor: np.ndarray,
    weights: np.ndarray,
    scale: float,
    kinds: np.ndarray | None = None,
) -> np.ndarray:
    """Per person, the factor that scales the contributors' share of each working-age cell by ``scale`` (at most
    everyone), the others' weights changing so that the cell keeps its persons. ``kinds``: :func:`person_kinds`
    of the same persons, if already found (each person's factor is then looked up once, by kind)."""
    cells_count = 2 * GROUPS
    total = np.bincount(cells, weights=weights * working, minlength=cells_count)
    covered = np.bincount(cells, weights=weights * (working & contributor), minlength=cells_count)
    share = np.divide(covered, total, out=np.zeros(cells_count), where=total > 0)
    new_share = np.minimum(1.0, share * scale)
    up = np.divide(new_share, share, out=np.ones(cells_count), where=share > 0)
    down = np.divide(1 - new_share, 1 - share, out=np.ones(cells_count), where=share < 1)
    by_kind = np.ones((cells_count, 4))  # not of working age: 1
    by_kind[:, 2], by_kind[:, 3] = down, up  # of working age, not contributing and contributing
    return by_kind.reshape(-1)[person_kinds(cells, working, contributor) if kinds is None else kinds]


def ageing_base(table: pa.Table, base_month: str) -> AgeingBase:
    """The per-person arrays every year's reweighting reads, from the base table."""
    age = ages_of(table, base_month)
    cells, working, contributor = (
        cells_of(table, base_month, age),
        (age >= WORKING_AGE[0]) & (age < WORKING_AGE[1]),
        contributing(table, base_month),
    )
    return AgeingBase(
        cells=cells,
        weights=table.column(WEIGHT).to_numpy(zero_copy_only=False).astype(np.float64),
        working=working,
        contributor=contributor,
        kinds=person_kinds(cells, working, contributor),
        working_contributor=working & contributor,
    )


COVERAGE_TOLERANCE = 0.0005  # a share reached within 0.05 points of the path's is the path's (float sums)


def year_weights(base: AgeingBase, demography: Demography, year: int, coverage_share: Any = None) -> YearWeights:
    """Everyone's weight in ``year``: each cell of sex and age group at its projected population, and the
    contributors' share of persons aged 15-64 at ``coverage_share`` where given."""
    factors, notes = demographic_factors(base.cells, base.weights, demography.population(year), year)
    weights = base.weights * factors[base.cells]
    working, contributor = base.working, base.contributor
    both = working & contributor if base.working_contributor is None else base.working_contributor
    working_total = float(weights[working].sum())
    share = float(weights[both].sum()) / working_total if working_total else 0.0
    if coverage_share is not None and share > 0:
        scale = coverage_share / share
        weights = weights * coverage_factors(base.cells, working, contributor, weights, scale, base.kinds)
    contributors = float(weights[both].sum())
    reached = contributors / working_total if working_total else 0.0
    if coverage_share is not None and reached < coverage_share - COVERAGE_TOLERANCE:
        notes.append(
            f"{year}: the coverage path asks {coverage_share:.1%} of persons aged 15–64 contributing; reweighting the "
            f"table reaches {reached:.1%} (a group of sex and age with no contributor in the table stays at none, and "
            "one is at most all contributors)"
        )
    return YearWeights(weights, working_total, contributors, tuple(notes))


def moved_rows(
    table: pa.Table, base_month: str, year: int, weights: np.ndarray, wage_factor: float, money: frozenset[str]
) -> pa.Table:
    """Rows of the base table moved to ``year``, with their weights in that year (``weights``: theirs)."""
    moved = move_table(table, year - int(base_month[:4]), wage_factor, money | set(MONEY_COLUMNS))
    return moved.set_column(moved.column_names.index(WEIGHT), WEIGHT, pa.array(weights))


def age_table(
    table: pa.Table,
    base_month: str,
    year: int,
    demography: Demography,
    wage_factor: float,
    money: frozenset[str],
    coverage_share: Any = None,
) -> AgedTable:
    """The whole base table moved to ``year``, reweighted to its projected population (and coverage path)."""
    reweighted = year_weights(ageing_base(table, base_month), demography, year, coverage_share)
    moved = moved_rows(table, base_month, year, reweighted.weights, wage_factor, money)
    return AgedTable(moved, reweighted.weights, reweighted.working_age, reweighted.contributors, reweighted.notes)
