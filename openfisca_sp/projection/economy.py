"""The economy of a scenario, year by year: price and wage indices, nominal GDP, the contributors' target share.

Rates are steps (:class:`~.scenario.Sourced`): a step's value holds from its year until the next one (the
first step covers the first year a rate is read: a scenario whose first step is later is refused). Indices
are 1 in the base year (the person table's); nominal GDP grows
from its sourced base year by real growth and the GDP deflator.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

from openfisca_sp.projection.demography import demography
from openfisca_sp.projection.scenario import PRODUCTIVITY, Scenario, Sourced


def step_in(steps: Sequence[Sourced], year: int) -> Sourced:
    """The step in force in ``year`` (the first one before it)."""
    current = steps[0]
    for step in steps:
        if step.year <= year:
            current = step
    return current


def rate_in(steps: Sequence[Sourced], year: int) -> float:
    """The rate a list of steps gives for ``year``."""
    return step_in(steps, year).value


def compounded(rate_of: Callable[[int], float], start: int, year: int) -> float:
    """The factor by which a quantity growing at ``rate_of(each year)`` grows from ``start`` to ``year`` (less
    than 1 going back in time)."""
    factor = 1.0
    for each in range(start + 1, year + 1):
        factor *= 1 + rate_of(each)
    for each in range(year + 1, start + 1):
        factor /= 1 + rate_of(each)
    return factor


def growth(steps: Sequence[Sourced], start: int, year: int) -> float:
    """The factor by which a quantity growing as the steps say grows from ``start`` to ``year``."""
    return compounded(lambda each: rate_in(steps, each), start, year)


def price_index(scenario: Scenario, year: int) -> float:
    """Consumer prices in ``year``, 1 in the base year."""
    return growth(scenario.prices, scenario.base_year, year)


def real_wage_rate(scenario: Scenario, year: int) -> float:
    """Real wage growth in ``year``: the step's rate, or for ``productivity`` real GDP growth per person aged
    15-64 (the working-age population of UN WPP 2024)."""
    step = step_in(scenario.real_wage_growth, year)
    if step.method != PRODUCTIVITY:
        return step.value
    working = demography(scenario.jurisdiction).working_age
    return (1 + rate_in(scenario.real_growth, year)) * working(year - 1) / working(year) - 1


def wage_index(scenario: Scenario, year: int) -> float:
    """Average nominal wages in ``year``, 1 in the base year: prices times real wage growth."""
    return price_index(scenario, year) * compounded(
        lambda each: real_wage_rate(scenario, each), scenario.base_year, year
    )


def index_of(scenario: Scenario, name: str, year: int) -> float:
    """The ``prices`` or ``wages`` index in ``year``."""
    return price_index(scenario, year) if name == "prices" else wage_index(scenario, year)


def nominal_gdp(scenario: Scenario, year: int) -> float | None:
    """GDP at current prices in ``year``, in the jurisdiction's currency (None without a sourced GDP)."""
    if scenario.gdp is None:
        return None
    start = scenario.gdp.year
    return scenario.gdp.value * growth(scenario.real_growth, start, year) * growth(scenario.deflator, start, year)


def coverage_target(scenario: Scenario, base_share: float, year: int) -> float | None:
    """The share of persons aged 15-64 contributing in ``year``: linear from the base year's share to each
    target, held after the last; None if the scenario sets no coverage path."""
    if not scenario.coverage:
        return None
    points = [(scenario.base_year, base_share)] + [(item.year, item.value) for item in scenario.coverage]
    for (start, low), (end, high) in itertools.pairwise(points):
        if year <= end:
            return low if end == start else low + (high - low) * max(0, year - start) / (end - start)
    return points[-1][1]
