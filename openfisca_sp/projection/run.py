"""Run a scenario year by year (:mod:`~.year`) and gather the years into a :class:`Projection`."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from openfisca_sp.analysis.comparison import json_records
from openfisca_sp.arguments import check_progress
from openfisca_sp.c_heap import freed_buffers_kept
from openfisca_sp.population.engine import resolve_system
from openfisca_sp.projection.demography import demography
from openfisca_sp.projection.forked import Progress, run_years
from openfisca_sp.projection.held_amounts import held_amounts_note
from openfisca_sp.projection.indexation import indexation_notes
from openfisca_sp.projection.line_changes import line_change_notes
from openfisca_sp.projection.reform_years import merged
from openfisca_sp.projection.scenario import Scenario, read_scenario, scenario_name, with_assumptions
from openfisca_sp.projection.year import YearResult, year_inputs
from openfisca_sp.reforms import load_reform
from openfisca_sp.rules.parametric_reforms import earliest_change
from openfisca_sp.rules.version import rules_version


@dataclass
class Projection:
    """A scenario's years: one row per year and side, with what they rest on."""

    scenario: Scenario
    years: pd.DataFrame
    branches: pd.DataFrame
    meta: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """Everything as plain JSON-ready data (``None`` where a figure is not modelled)."""
        return {
            "meta": self.meta,
            "assumptions": self.scenario.assumptions(),
            "years": json_records(self.years),
            "branches": json_records(self.branches),
        }


COVERAGE_NOTE = (
    "the coverage path reweights, within each group of sex and age, the persons with an insured wage in the month "
    "before up and the others down: those who have just lost an insured job (unemployment claimants among them) "
    "are weighted with the others, so fewer unemployment benefits, and less poverty, may follow from the path alone"
)


def reform_notes(scenario: Scenario, reform: Any) -> list[str]:
    """A note where none of a YAML reform's values is in force in any month projected (its rows are then the
    baseline's, which was read as a reform that changes nothing); ``reform`` is the scenario's, or None."""
    if reform is None:
        return []
    first = earliest_change(reform)
    last_month = np.datetime64(f"{scenario.last_year}-{scenario.base_month[5:]}", "M")
    last_day = str((last_month + 1).astype("datetime64[D]") - 1)
    if first is None or first <= last_day:
        return []
    return [
        f"none of the reform's values is in force in the months projected (the last is {last_month}): the first "
        f"starts on {first}, so the reform's rows are the baseline's"
    ]


def projection_of(scenario: Scenario, persons: int, results: list[YearResult]) -> Projection:
    """The projection of ``scenario`` over a table of ``persons`` from the results of its years, in order."""
    plain = resolve_system(scenario.jurisdiction)
    reform = load_reform(scenario.reform, plain) if scenario.reform else None
    years = pd.DataFrame([row for rows, _, _ in results for row in rows])
    branches = pd.DataFrame([row for _, rows, _ in results for row in rows])
    currency, decimals = plain.jurisdiction.currency, plain.jurisdiction.amount_decimals
    measured = years["poverty_line"].dropna().unique() if "poverty_line" in years else []
    meta = {
        "title": scenario.title,
        "scenario": scenario_name(scenario.path) if scenario.path else None,
        "jurisdiction": plain.jurisdiction.code,
        "jurisdiction_label": plain.jurisdiction.label,
        "currency": currency,
        "rules": rules_version(plain, scenario.base_month),
        "base_month": scenario.base_month,
        "years": [scenario.first_year, scenario.last_year],
        "reform": str(scenario.reform) if scenario.reform else None,
        "reform_from": scenario.reform_from if scenario.reform else None,
        "persons": persons,
        "demography": demography(scenario.jurisdiction).source.get("citation", "").strip(),
        "method": (
            "Static ageing: each year, the base person table moved forward by whole years (dates, history months) "
            "with money grown by the wage index, reweighted by sex and five-year age group to the projected "
            "population; a year's cost is the month's amounts payable times 12. Totals cover the benefits whose "
            "amounts are modelled on both sides: beneficiaries are the persons paid at least one of them, each "
            "counted once, and the cost is the sum of their costs."
        ),
        "notes": merged(
            list(
                dict.fromkeys(
                    [
                        *indexation_notes(scenario, plain.parameters),
                        *([COVERAGE_NOTE] if scenario.coverage else []),
                        *reform_notes(scenario, reform),
                        *held_amounts_note(scenario, [plain, *([reform] if reform is not None else [])]),
                        *line_change_notes(scenario, plain.parameters, measured, currency, decimals),
                        *(note for _, _, notes in results for note in notes),
                    ]
                )
            )
        ),
        "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    }
    return Projection(scenario, years, branches, meta)


def project(
    scenario: Scenario | str,
    *,
    progress: Progress | None = None,
    population: Any = None,
    workers: int | None = 1,
    assume: Mapping[str, Any] | None = None,
) -> Projection:
    """Run ``scenario`` (a :class:`Scenario`, the path of its YAML file, or ``scenario:<code>``: a shipped one)
    over its years, on this machine.

    ``population`` replaces the scenario's person table (a larger one, say); it must describe the same
    base month. ``workers`` processes run the years side by side, sharing the table (:mod:`~.forked`; 0 or
    None: one per core). ``assume`` states, for this run, a value for every person of columns the table lacks
    (``{"is_available_for_work": True}``), in place of the scenario's for the same column (:mod:`~.assumed`).
    :func:`openfisca_sp.distributed.project_distributed` runs the years on a Dask cluster.
    """
    check_progress(progress)
    if not isinstance(scenario, Scenario):
        scenario = read_scenario(scenario)
    scenario = with_assumptions(scenario, assume)
    with freed_buffers_kept():  # each chunk's buffers serve the next one's, not faulted in again
        inputs = year_inputs(scenario, population)
        results = run_years(inputs, scenario.years, workers, progress)
    return projection_of(scenario, inputs.base.num_rows, results)
