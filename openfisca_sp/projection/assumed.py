"""Values for whole columns the person table lacks, each stated for every person: by the scenario
(``assumptions: assume:``, each with its source and status) or for one run (``project --assume COLUMN=VALUE``,
``project(assume={...})``), which overrides the scenario's value for the same column.

A column is a fact the rules read (``contribution_months``), one month of its history (``insured_wage.2026-09``),
or a fact's name for every month of it the rules read (``insured_wage``), as ``simulate --assume`` takes them. Its
value is checked as a cell of the table would be (a number within its bounds, a name of its enumeration, a date),
and is the base month's: a projection with an assumption is the projection of a table that states that value for
everyone (:mod:`~.assumed_columns`).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from openfisca_sp.decisions.facts import Fact
from openfisca_sp.population.columns import ColumnNeed
from openfisca_sp.population.errors import PopulationError
from openfisca_sp.population.fact_arrays import constant_array
from openfisca_sp.population.missing_columns import assumed_values, month_error
from openfisca_sp.projection.scenario_keys import did_you_mean

FOR_THE_RUN = "for this run (project --assume, or project(assume=...))"
FOR_THE_RUN_STATUS = "assumption"
MONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")
AGEING_COLUMNS = ("birth_date", "sex")  # every year reweights the table by sex and five-year age group


@dataclass(frozen=True)
class Assumed:
    """A value for a whole column the person table lacks, and where it comes from."""

    column: str
    value: Any
    source: str
    status: str
    line: int | None = None  # of the scenario file that states it; None: stated for the run

    @property
    def shown(self) -> Any:
        """The value as JSON holds it (a date as YYYY-MM-DD)."""
        return self.value.isoformat() if isinstance(self.value, datetime.date) else self.value

    def row(self, year: int) -> dict[str, Any]:
        """The assumption as a row of the projection's assumptions (``year``: the base month's)."""
        return {
            "assumption": f"{self.column} for every person",
            "column": self.column,
            "year": year,
            "value": self.shown,
            "source": self.source,
            "status": self.status,
        }

    def note(self) -> str:
        """What the projection's notes say of it, as ``simulate`` says of its assumptions."""
        return (
            f"{self.column} = {self.shown} for every person, in the base month, moved to each year as the table's "
            f"own columns are (stated assumption: {self.source}; status {self.status})"
        )


def read_from_the_table(column: str) -> str:
    """Why a projection reads ``column``, one of :data:`AGEING_COLUMNS`, from the person table and takes no
    assumption of it."""
    return (
        f"a projection reads {column} from the person table: every year reweights the persons by sex and five-year "
        "age group to the projected population (docs/projections.md), and one value for every person would leave "
        "the other groups with no one"
    )


def column_need(column: str, facts: Mapping[str, Fact], month: str) -> ColumnNeed:
    """The column as the rules would read it at ``month`` (its fact, its period); a ``ValueError`` saying what is
    wrong where it names no fact, or a month of a history that is not one."""
    variable, separator, period = column.partition(".")
    fact = facts.get(variable)
    if fact is None:
        raise ValueError(
            f"assumption '{column}': the rules have no fact '{variable}'{did_you_mean(variable, facts)} (a column "
            "is a fact, one month of its history: fact.YYYY-MM, or a fact's name for every month the rules read)"
        )
    if separator and not fact.eternal and (wrong := month_error(column)) is not None:
        raise ValueError(f"assumption '{column}': {wrong}")
    if separator and (fact.eternal or not MONTH.fullmatch(period)):
        expected = "has no history: name it alone" if fact.eternal else "is a history: name a month, fact.YYYY-MM"
        raise ValueError(f"assumption '{column}': the fact '{variable}' {expected}")
    return ColumnNeed(column, variable, "ETERNITY" if fact.eternal else period or month, fact)


def check_value(column: str, value: Any, facts: Mapping[str, Fact], month: str) -> None:
    """Refuse (``ValueError``) a value the column's fact does not take, with what it expects, and an assumption of
    a column the projection reads from the table itself (:data:`AGEING_COLUMNS`)."""
    if column in AGEING_COLUMNS:
        raise ValueError(f"assumption '{column}': {read_from_the_table(column)}")
    need = column_need(column, facts, month)
    try:
        constant_array(need, value, 1, None)
    except PopulationError as error:
        raise ValueError(f"assumption '{column}': {error.detail}") from None


def for_the_run(
    stated: Sequence[Assumed], given: Mapping[str, Any] | None, facts: Mapping[str, Fact], month: str
) -> tuple[Assumed, ...]:
    """The scenario's assumptions (``stated``) with those ``given`` for the run, each checked: a column given
    replaces the scenario's (its source says so)."""
    if not given:
        return tuple(stated)
    by_column = {item.column: item for item in stated}
    for column, value in assumed_values(given).items():
        check_value(str(column), value, facts, month)
        replaced = by_column.get(str(column))
        source = FOR_THE_RUN if replaced is None else f"{FOR_THE_RUN}, in place of the scenario's {replaced.shown!r}"
        by_column[str(column)] = Assumed(str(column), value, source, FOR_THE_RUN_STATUS)
    return tuple(by_column.values())
