"""Projections: the cost of the rules and of a reform over the years, as a share of GDP, with its effect on
coverage and poverty.

A scenario (:mod:`~.scenario`) is one YAML file: the jurisdiction, a person table of a base month, the years,
a reform and its first year, and the assumptions, each with its source and status: GDP, prices, real wage
growth, a coverage path and the indexation of parameters (:mod:`~.economy`, :mod:`~.indexation`). Each year
the table is aged statically (:mod:`~.ageing`) to the UN World Population Prospects 2024 projection of its
population (:mod:`~.demography`) and the reform is compared with the baseline (:mod:`~.run`)::

    from openfisca_sp.projection import project, shipped_scenario

    projection = project(shipped_scenario("vnm"))
    projection.years  # cost, share of GDP, beneficiaries, contributors, coverage, poverty: by year and side
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from openfisca_sp.projection.demography import Demography, DemographyError, demography
from openfisca_sp.projection.run import Projection, project
from openfisca_sp.projection.scenario import Scenario, ScenarioError, read_scenario

SCENARIO_PREFIX = "scenario:"


def shipped_scenario(code: str) -> Path:
    """The path of the scenario shipped for jurisdiction ``code``."""
    path = Path(str(resources.files("openfisca_sp") / "data" / "scenarios" / f"{code}.yaml"))
    if not path.is_file():
        raise ScenarioError(path, None, f"no scenario is shipped for {code!r}")
    return path


def scenario_path(name: str | Path) -> Path:
    """A scenario file from its path or ``scenario:<code>`` (a shipped one)."""
    text = str(name)
    return shipped_scenario(text[len(SCENARIO_PREFIX) :]) if text.startswith(SCENARIO_PREFIX) else Path(text)


__all__ = [
    "Demography",
    "DemographyError",
    "Projection",
    "Scenario",
    "ScenarioError",
    "demography",
    "project",
    "read_scenario",
    "scenario_path",
    "shipped_scenario",
]
