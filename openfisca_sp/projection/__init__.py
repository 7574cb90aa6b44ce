"""Projections: the cost of the rules and of a reform over the years, as a share of GDP, with its effect on
coverage and poverty.

A scenario (:mod:`~.scenario`) is one YAML file: the jurisdiction, a person table of a base month, the years,
a reform and its first year, and the assumptions, each with its source and status: GDP, prices, real wage
growth, a coverage path and the indexation of parameters (:mod:`~.economy`, :mod:`~.indexation`). Each year
the table is aged statically (:mod:`~.ageing`) to the UN World Population Prospects 2024 projection of its
population (:mod:`~.demography`) and the reform is compared with the baseline (:mod:`~.run`)::

    from openfisca_sp.projection import project, shipped_scenario

    projection = project("scenario:vnm")  # or a scenario file's path; shipped_scenario("vnm") is its path
    projection.years  # cost, share of GDP, beneficiaries, contributors, coverage, poverty: by year and side
"""

from __future__ import annotations

from openfisca_sp.projection.demography import Demography, DemographyError, demography
from openfisca_sp.projection.run import Projection, project
from openfisca_sp.projection.scenario import (
    SCENARIO_PREFIX,
    Scenario,
    ScenarioError,
    read_scenario,
    scenario_path,
    shipped_scenario,
)

__all__ = [
    "SCENARIO_PREFIX",
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
