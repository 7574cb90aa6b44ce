"""A projection on a dask.distributed cluster: one task per year.

The client sends each worker the scenario's path, the person table's path, the values stated for the run
(``--assume``) and a year; a worker reads the scenario and the table once per process (cached, read again if
either file changes), ages the table to the year and compares the reform with the baseline
(:func:`openfisca_sp.projection.run.run_year`). Only the year's rows come back. Every worker holds the whole
base table, so that the years run side by side.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from typing import Any

import numpy as np
from distributed import Client

from openfisca_sp.arguments import check_progress
from openfisca_sp.c_heap import freed_buffers_kept
from openfisca_sp.distributed.tasks import Progress, gather
from openfisca_sp.population.columns import PERSON_ID, WEIGHT
from openfisca_sp.population.engine import resolve_system
from openfisca_sp.population.reading import read_table, source_label
from openfisca_sp.projection.ageing import cells_of
from openfisca_sp.projection.assumed import AGEING_COLUMNS
from openfisca_sp.projection.assumed_columns import check_ageing_values
from openfisca_sp.projection.run import Projection, projection_of
from openfisca_sp.projection.scenario import population_of, read_scenario, with_assumptions
from openfisca_sp.projection.scenario import scenario_path as scenario_file
from openfisca_sp.projection.year import YearInputs, YearResult, refuse_missing_groups, run_year, year_inputs

__all__ = ["project_distributed"]


def _stamp(path: str | None) -> int | None:
    return os.stat(path).st_mtime_ns if path and os.path.exists(path) else None


Given = tuple[tuple[str, Any], ...]  # the values stated for the run (``assume``), as a key of the worker's cache


@functools.lru_cache(maxsize=2)
def _inputs(
    scenario_path: str, population: str | None, given: Given, stamps: tuple[int | None, int | None]
) -> YearInputs:
    return year_inputs(with_assumptions(read_scenario(scenario_path), dict(given)), population)


def year_task(scenario_path: str, population: str | None, year: int, given: Given = ()) -> YearResult:
    """Run one year of the scenario on this worker (``given``: the values stated for the run, by column)."""
    with freed_buffers_kept():
        stamps = (_stamp(scenario_path), _stamp(population))
        return run_year(_inputs(scenario_path, population, given, stamps), year)


def project_distributed(
    client: Client,
    scenario_path: str | os.PathLike,
    population: str | os.PathLike | None = None,
    progress: Progress | None = None,
    assume: Mapping[str, Any] | None = None,
) -> Projection:
    """Run the scenario's years as tasks on ``client``'s cluster; the same projection as ``project`` (``assume``:
    values stated for this run for whole columns the person table lacks, as ``project`` takes them)."""
    check_progress(progress)
    path = os.path.abspath(scenario_file(scenario_path))  # a shipped one (scenario:<code>) by its file
    table = None if population is None else os.path.abspath(os.fspath(population))
    scenario = with_assumptions(read_scenario(path), assume)  # checked here first, so that a mistake is said once
    source = population_of(scenario, table)
    base = read_table(source, [PERSON_ID, *AGEING_COLUMNS, WEIGHT])
    check_ageing_values(base, source_label(source), resolve_system(scenario.jurisdiction), scenario.base_month)
    weights = base.column(WEIGHT).to_numpy(zero_copy_only=False).astype(np.float64)
    refuse_missing_groups(scenario, cells_of(base, scenario.base_month), weights, source)  # once, not in each task
    persons = base.num_rows
    given = tuple((assume or {}).items())
    futures = [client.submit(year_task, path, table, year, given, pure=False) for year in scenario.years]
    return projection_of(scenario, persons, gather(client, futures, progress))
