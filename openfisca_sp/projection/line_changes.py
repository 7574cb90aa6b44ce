"""What a projection says where the law changes a poverty line within its years.

A year's poverty headcount is measured against the line in force in its base month. Where the law sets a new
line (Viet Nam's rural line: VND 1,500,000 a month until 2026, 2,200,000 from 2027, Decree No. 351/2025/ND-CP),
the headcount moves with it that year though no one's income changed: the note says so, with the law's values
and the instrument that sets the new one. A line the scenario indexes moves with its index, and is said among the
assumptions, not here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openfisca_core.parameters import Parameter, ParameterNode

from openfisca_sp.analysis.poverty import LINE_NAMES
from openfisca_sp.projection.scenario import Scenario

BY_AREA = "by area"  # a table stating each person's area: the rural and the urban line


def _measured(names: Iterable[Any]) -> list[str]:
    """The lines the years' headcounts are measured against, from their ``poverty_line`` names."""
    found: list[str] = []
    for name in names:
        lines = ["rural", "urban"] if name == BY_AREA else [name] if name in LINE_NAMES else []
        found += [line for line in lines if line not in found]
    return found


def _instrument(parameter: Parameter, day: str) -> str | None:
    """The instrument the value in force on ``day`` cites first."""
    in_force = [at for at in parameter.values_list if at.instant_str <= day]
    if not in_force:
        return None
    references = (max(in_force, key=lambda at: at.instant_str).metadata or {}).get("reference") or []
    first = references[0] if isinstance(references, list) and references else {}
    return first.get("instrument") if isinstance(first, dict) else None


def _money(value: float, currency: str, decimals: int) -> str:
    return f"{currency} {value:,.{decimals}f}"


def line_change_notes(
    scenario: Scenario, parameters: ParameterNode, measured: Iterable[Any], currency: str, decimals: int
) -> list[str]:
    """A note for each year whose base month has a poverty line the law sets anew (``measured``: the years'
    ``poverty_line`` names; ``parameters``: the law's, not indexed)."""
    node = getattr(parameters, "children", {}).get("poverty_line")
    notes = []
    for name in _measured(measured):
        parameter = node.children.get(name) if isinstance(node, ParameterNode) else None
        if not isinstance(parameter, Parameter):
            continue
        before = None
        for year in scenario.years:
            day = f"{year}-{scenario.base_month[5:]}-01"
            value = parameter(day)
            if before is not None and value is not None and value != before:
                source = _instrument(parameter, day)
                notes.append(
                    f"the {name} poverty line is the law's {_money(value, currency, decimals)} a month in {year} "
                    f"({_money(before, currency, decimals)} the year before"
                    + (f"; {source}" if source else "")
                    + f"): {year}'s poverty headcount is measured against it, so it moves with the line, not "
                    "with incomes alone"
                )
            before = value
    return notes
