"""The analysis columns of a person table: who is in which group, for breakdowns and coverage.

The rules never read these; the comparison does. ``sex`` and ``birth_date`` are
facts the rules read too. ``income`` (monthly, all sources) ranks households
into deciles; without it, the insured wage of the month before is used and the
comparison says so. ``is_unemployed`` and ``has_severe_disability`` are survey
statuses for SDG 1.3.1; without them, the coverage module derives membership
from the facts and says how. ``is_urban`` picks each household's poverty line
where it depends on the area (:mod:`~.poverty`).
"""

from __future__ import annotations

from enum import Enum
from typing import Any

import numpy as np
import pyarrow as pa

from openfisca_sp.population.errors import PopulationError
from openfisca_sp.population.fact_arrays import NUMBER, first_rows, flags, found_in
from openfisca_sp.population.text_columns import equals_text
from openfisca_sp.rules.enums import PregnancyOutcome, SeparationReason, Sex

COLUMNS = (
    "sex",
    "pregnancy_outcome",
    "child_birth_date",
    "separation_reason",
    "is_available_for_work",
    "is_disabled",
    "income",
    "is_unemployed",
    "has_severe_disability",
    "is_urban",
)


NEGATIVE_INCOME = (
    "The income column holds negative incomes: they count as zero in welfare, so poverty reads them as no income; "
    "where no household's income is above 0, the mean is 0 and the Gini coefficient is undefined."
)


def income_column(month: str) -> str:
    """The fallback income column: the insured wage of the month before ``month``."""
    previous = np.datetime64(month, "M") - 1
    return f"insured_wage.{previous}"


def _flag(table: pa.Table, name: str, default: bool, source: str | None = None) -> np.ndarray:
    """A true-or-false column (:func:`~openfisca_sp.population.fact_arrays.flags`); ``default`` where absent."""
    if name not in table.column_names:
        return np.full(table.num_rows, default)
    return flags(table.column(name), default, name, source)


def _is(table: pa.Table, name: str, value: Enum, source: str | None = None) -> np.ndarray:
    """Whether each person's ``name`` is the enumeration's ``value``; a column of no text names its names."""
    if name not in table.column_names:
        return np.zeros(table.num_rows, dtype=bool)
    return equals_text(table.column(name), value.name, name, source, names=type(value).__members__)


def survey_arrays(table: pa.Table, month: str, source: str | None = None) -> tuple[dict[str, Any], list[str]]:
    """Arrays of the analysis columns (present ones only for the optional statuses), and notes; ``source``
    names the table in errors."""
    notes = []
    if "sex" not in table.column_names:
        raise PopulationError("missing column 'sex': breakdowns and coverage by sex need it", "sex", source)
    arrays: dict[str, Any] = {
        "female": _is(table, "sex", Sex.female, source),
        "live_birth": (
            _is(table, "pregnancy_outcome", PregnancyOutcome.live_birth, source) & _within_year(table, month)
        ),
        "is_disabled": _flag(table, "is_disabled", False, source),
    }
    separated = ~_is(table, "separation_reason", SeparationReason.not_separated, source)
    separated &= ~_is(table, "separation_reason", SeparationReason.retirement, source)
    separated &= "separation_reason" in table.column_names
    arrays["separated_and_available"] = separated & _flag(table, "is_available_for_work", True, source)
    for name in ("is_unemployed", "has_severe_disability", "is_urban"):
        if name in table.column_names:
            arrays[name] = _flag(table, name, False, source)
    fallback = income_column(month)
    arrays["income_stated"] = np.full(table.num_rows, "income" in table.column_names)  # welfare needs it
    if "income" in table.column_names:
        arrays["income"] = _number(table, "income", source, empty_allowed=False)
        if (arrays["income"] < 0).any():
            notes.append(NEGATIVE_INCOME)
    elif fallback in table.column_names:
        arrays["income"] = _number(table, fallback, source)
        notes.append(
            f"No income column: income deciles rank households by insured wages ({fallback}); poverty and "
            "inequality are not measured (welfare is the household's income from all sources)."
        )
    else:
        arrays["income"] = np.zeros(table.num_rows)
        notes.append("No income column and no insured wage: income deciles are not meaningful (all in one).")
    return arrays, notes


def _within_year(table: pa.Table, month: str) -> np.ndarray:
    """Whose confinement falls in the 12 months ending with ``month`` (everyone's, when the table dates none)."""
    if "child_birth_date" not in table.column_names:
        return np.ones(table.num_rows, dtype=bool)
    column = table.column("child_birth_date")
    if pa.types.is_null(column.type):
        return np.zeros(table.num_rows, dtype=bool)
    try:
        days = column.cast(pa.date32()).to_numpy(zero_copy_only=False).astype("datetime64[D]")
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        raise PopulationError("expected dates (YYYY-MM-DD)", "child_birth_date") from None
    months = days.astype("datetime64[M]")
    last = np.datetime64(month, "M")
    return ~np.isnat(days) & (months <= last) & (months > last - 12)


def _number(table: pa.Table, name: str, source: str | None = None, empty_allowed: bool = True) -> np.ndarray:
    """A column of numbers as float64; an empty cell (null or NaN) 0 where ``empty_allowed`` (a month's insured
    wage used to rank households), else refused with its count and first row (an income not stated is not 0:
    it would count the person as poor), as is a number that is not finite, and a column of another type (text:
    how many cells are no number, the first row and its text, as the rules' columns are refused)."""
    column = table.column(name)
    if not (pa.types.is_floating(column.type) or pa.types.is_integer(column.type)):
        raise PopulationError(f"expected a number, found {found_in(column, NUMBER, 0)}", name, source)
    values = column.to_numpy(zero_copy_only=False).astype(np.float64, copy=False)  # nulls: NaN
    empty = np.isnan(values)
    if not empty_allowed and empty.any():
        raise PopulationError(
            f"empty in {first_rows(empty)}: state each person's income (0 for none)",
            name,
            source,
        )
    infinite = np.isinf(values)
    if infinite.any():
        raise PopulationError(
            f"expected a monthly amount; {first_rows(infinite, verb=('holds', 'hold'))} a number that is not finite",
            name,
            source,
        )
    return np.where(empty, 0.0, values)  # NaN, as a DataFrame's missing values arrive: missing
