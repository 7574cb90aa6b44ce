"""A projection's assumptions as its report's table names them: each with its year, value, status and source."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from openfisca_sp.report.formatting import money, percent
from openfisca_sp.report.tables import Cell, Table, cell, label_cell
from openfisca_sp.rules.wording import status_label

Row = Mapping[str, Any]

ASSUMPTION_LABELS = {  # the scenario's keys (docs/projections.md) as a reader names them
    "gdp": "GDP of the base year",
    "real_growth": "Real GDP growth",
    "deflator": "GDP deflator",
    "prices": "Consumer prices",
    "real_wage_growth": "Real wage growth",
    "coverage": "Contributors, share of ages 15–64",
}


def assumption_label(item: Row) -> str:
    """An assumption as a reader names it: "GDP of the base year" for ``gdp``; one the scenario names in words
    (``indexation of social_pension.amount by prices``) with a capital, as the others; one of a person table's
    column (``career_average_insured_wage for every person``) as it is, the column's name kept."""
    name = str(item["assumption"])
    if name in ASSUMPTION_LABELS:
        return ASSUMPTION_LABELS[name]
    return name if item.get("column") else name[:1].upper() + name[1:]


def _assumed(name: str, value: Any, currency: str | None, column: str | None = None) -> str:
    """An assumption's value: GDP in the currency, a rate or share as a percentage, a method by name
    (``productivity``), a person table's cell as the table writes it (``column``: the column it states), or
    nothing."""
    if value is None:
        return ""
    if column is not None:
        return str(value).lower() if isinstance(value, bool) else str(value)
    if isinstance(value, str):
        return value
    if name == "gdp":
        return money(value, currency or "") or ""
    return percent(value, 2) or ""


def assumptions_table(assumptions: Sequence[Row], currency: str | None = None) -> Table:
    """Every assumption: what, from or for which year, value, status and source."""
    body = [
        [
            label_cell(assumption_label(item)),
            cell(str(item["year"])),
            cell(_assumed(item["assumption"], item["value"], currency, item.get("column")), missing=""),
            cell(status_label(item["status"])),
            Cell(item["source"], kind="src"),  # prose that wraps (as a number it ran on one line across the page)
        ]
        for item in assumptions
    ]
    return Table("assumptions", "Assumptions", ["Assumption", "Year", "Value", "Status", "Source"], body)
