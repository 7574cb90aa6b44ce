"""The scenario's indexation: parameters uprated each 1 January by the price or wage index, as a reform.

From the year an indexation starts (or the year after the last value the law dates, if later: a value the law
sets is never replaced, and the projection's notes say so), a parameter's value on 1 January is the value the
law gives on the last day before it, times the index's growth since then. Indexed values carry the scenario's source and
are ``unverified`` unless the scenario's status for them is verified: a result that rests on one is
provisional.
"""

from __future__ import annotations

import re
from typing import Any

from openfisca_core import periods
from openfisca_core.parameters import Parameter, ParameterNode
from openfisca_core.reforms import Reform

from openfisca_sp.projection.economy import index_of
from openfisca_sp.projection.scenario import Scenario, ScenarioError
from openfisca_sp.projection.scenario_keys import did_you_mean
from openfisca_sp.rules.parametric_reforms import resolve_parameter

_MONEY = re.compile(r"currency\b|[A-Z]{3}\b")  # a parameter's unit in money: 'currency', 'VND per month', 'TJS'


def is_money(unit: Any) -> bool:
    """Whether a parameter's ``unit`` metadata is an amount of money ('currency', 'VND per month', 'TJS')."""
    return unit is not None and bool(_MONEY.match(str(unit)))


def indexed_values(scenario: Scenario, parameters: ParameterNode) -> list[tuple[Any, str, float, dict]]:
    """(parameter, 1 January, value, metadata) for every indexed parameter and year of the projection."""
    found = []
    for item in scenario.indexation:
        parameter = resolve_parameter(parameters, item.parameter)
        if parameter is None:
            continue  # a reform's parameter, absent from the baseline (check_indexation: in one of them)
        law_value = parameter(periods.instant(f"{item.start - 1}-12-31"))
        if not isinstance(law_value, (int, float)) or isinstance(law_value, bool):
            raise ScenarioError(
                scenario.path or "scenario", item.line, f"'{item.parameter}' is not a number: it cannot be indexed"
            )
        unit = parameter.metadata.get("unit")
        if unit is not None and not is_money(unit):
            raise ScenarioError(
                scenario.path or "scenario",
                item.line,
                f"'{item.parameter}' is in {unit!r}, not in money: only amounts (a currency, such as 'VND per month') "
                "are indexed by prices or wages; a rate, an age or a duration is not",
            )
        status = item.status if item.status in ("verified", "verified_2nd") else "unverified"
        metadata = {"status": status, "reference": [{"instrument": "projection scenario", "article": item.source}]}
        start = indexed_from(item.start, parameter)
        law_value = parameter(periods.instant(f"{start - 1}-12-31"))
        base = index_of(scenario, item.index, start - 1)
        for year in range(start, scenario.last_year + 1):
            found.append(
                (parameter, f"{year}-01-01", law_value * index_of(scenario, item.index, year) / base, metadata)
            )
    return found


def indexed_from(start: int, parameter: Any) -> int:
    """The first year a parameter is indexed: the scenario's, or the year after the last value the law dates,
    where the law sets one for that year or later (a value the law sets is never replaced by an indexed one)."""
    dated = [item.instant_str for item in parameter.values_list if item.value is not None]
    last = max(dated) if dated else None
    return max(start, int(last[:4]) + 1) if last is not None and last >= f"{start}-01-01" else start


def indexation_notes(scenario: Scenario, parameters: ParameterNode) -> list[str]:
    """What the projection says of an indexation that starts later than the scenario asks: the law's values."""
    notes = []
    for item in scenario.indexation:
        parameter = resolve_parameter(parameters, item.parameter)
        if parameter is not None and (start := indexed_from(item.start, parameter)) != item.start:
            notes.append(
                f"{item.parameter} is indexed from {start}, not {item.start}: the law sets its value until then "
                "(a value the law sets is not replaced)"
            )
    return notes


def check_indexation(scenario: Scenario, systems: list[Any]) -> None:
    """Every indexed parameter is a single-valued parameter of at least one of ``systems``."""
    for item in scenario.indexation:
        if all(resolve_parameter(system.parameters, item.parameter) is None for system in systems):
            names = {
                node.name
                for system in systems
                for node in system.parameters.get_descendants()
                if isinstance(node, Parameter)
            }
            raise ScenarioError(
                scenario.path or "scenario",
                item.line,
                f"no single-valued parameter '{item.parameter}' in the baseline or the reform"
                f"{did_you_mean(item.parameter, sorted(names), cutoff=0.8)} (see openfisca-sp parameter-names)",
            )


def indexed_system(scenario: Scenario, baseline: Any) -> Any:
    """``baseline`` (a system or a reform) with the scenario's indexation of the parameters it has (``baseline``
    itself when the scenario indexes none)."""
    if not scenario.indexation:
        return baseline

    class Indexed(Reform):
        name = "Indexation of the projection scenario"

        def apply(self) -> None:
            self.modify_parameters(self._index)

        def _index(self, parameters: ParameterNode) -> ParameterNode:
            for parameter, start, value, metadata in indexed_values(scenario, parameters):
                parameter.update(start=periods.instant(start), stop=periods.instant(f"{start[:4]}-12-31"), value=value)
                for item in parameter.values_list:
                    if item.instant_str == start:
                        item.metadata = dict(metadata)
            return parameters

    return Indexed(baseline)
