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

from typing import Any

import numpy as np
import pyarrow as pa

from openfisca_sp.population.errors import PopulationError
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


def income_column(month: str) -> str:
    """The fallback income column: the insured wage of the month before ``month``."""
    previous = np.datetime64(month, "M") - 1
    return f"insured_wage.{previous}"


def _flag(table: pa.Table, name: str, default: bool) -> np.ndarray:
    if name not in table.column_names:
        return np.full(table.num_rows, default)
    column = table.column(name)
    if not pa.types.is_boolean(column.type):
        raise PopulationError(f"expected true or false, found {column.type}", name)
    return column.fill_null(default).to_numpy(zero_copy_only=False)


def _is(table: pa.Table, name: str, value: str) -> np.ndarray:
    if name not in table.column_names:
        return np.zeros(table.num_rows, dtype=bool)
    return equals_text(table.column(name), value)


def survey_arrays(table: pa.Table, month: str) -> tuple[dict[str, Any], list[str]]:
    """Arrays of the analysis columns (present ones only for the optional statuses), and notes."""
    notes = []
    if "sex" not in table.column_names:
        raise PopulationError("missing column 'sex': breakdowns and coverage by sex need it", "sex")
    arrays: dict[str, Any] = {
        "female": _is(table, "sex", Sex.female.name),
        "live_birth": _is(table, "pregnancy_outcome", PregnancyOutcome.live_birth.name) & _within_year(table, month),
        "is_disabled": _flag(table, "is_disabled", False),
    }
    separated = ~_is(table, "separation_reason", SeparationReason.not_separated.name)
    separated &= ~_is(table, "separation_reason", SeparationReason.retirement.name)
    separated &= "separation_reason" in table.column_names
    arrays["separated_and_available"] = separated & _flag(table, "is_available_for_work", True)
    for name in ("is_unemployed", "has_severe_disability", "is_urban"):
        if name in table.column_names:
            arrays[name] = _flag(table, name, False)
    fallback = income_column(month)
    if "income" in table.column_names:
        arrays["income"] = _number(table, "income")
    elif fallback in table.column_names:
        arrays["income"] = _number(table, fallback)
        notes.append(f"No income column: income deciles rank households by insured wages ({fallback}).")
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


def _number(table: pa.Table, name: str) -> np.ndarray:
    column = table.column(name)
    if not (pa.types.is_floating(column.type) or pa.types.is_integer(column.type)):
        raise PopulationError(f"expected a number, found {column.type}", name)
    values = column.fill_null(0).to_numpy().astype(np.float64, copy=False)
    return np.where(np.isnan(values), 0.0, values)  # NaN, as a DataFrame's missing values arrive: missing
