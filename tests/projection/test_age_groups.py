"""A base table's groups of sex and age against the projected population's: a group it has no one in is counted
in the nearest younger group that has someone, said in a note naming that group; where no younger group has
anyone (a survey of persons aged 15 and over, a table of women), the projection is refused before any year is
computed, naming the groups and the persons projected there (an analyst's review: a table of persons aged 15+
dropped the 22.8 million persons aged 0-14 of 2026 without a word, its population, poverty and Gini those of
ages 15+)."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from openfisca_sp.cli import main
from openfisca_sp.distributed.projection_years import project_distributed
from openfisca_sp.population import PopulationError
from openfisca_sp.projection import demography, project
from openfisca_sp.projection.age_groups import ages_label, nearest_younger, uncovered
from openfisca_sp.projection.ageing import age_table
from openfisca_sp.rules.wording import count_text
from openfisca_sp.synthetic import sample_path
from tests.projection.scenarios import write_scenario

GROUPS = 21


def _aged_15_plus() -> pa.Table:
    table = pq.read_table(sample_path("vnm"))
    born = table.column("birth_date").cast(pa.date32())
    return table.filter(pc.less_equal(born, pa.scalar(datetime.date(2011, 10, 1), pa.date32())))


def test_the_nearest_younger_group_with_someone_is_found_per_sex() -> None:
    have = np.ones(2 * GROUPS)
    have[[0, 1, 2, GROUPS + 20, GROUPS + 9]] = 0  # no boy aged 0-14; no woman aged 45-49 or 100+
    younger = nearest_younger(have)
    assert younger[[0, 3, GROUPS + 9, GROUPS + 20, GROUPS]].tolist() == [-1, -1, GROUPS + 8, GROUPS + 19, -1]
    assert np.flatnonzero(uncovered(have, np.ones(2 * GROUPS))).tolist() == [0, 1, 2]
    assert not uncovered(have, np.where(np.arange(2 * GROUPS) < 3, 0.0, 1.0)).any()  # nobody projected there
    assert ages_label([0, 1, 2]) == "0–14" and ages_label([0, 1, 18, 19, 20]) == "0–9, 90+"


def test_a_table_without_children_is_refused_naming_the_ages_and_persons(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "vnm15plus.parquet"
    pq.write_table(_aged_15_plus(), path)
    scenario = write_scenario(tmp_path, years={"first": 2026, "last": 2028})
    children = float(demography("vnm").population(2026)[:, :3].sum())
    said = (
        f"{path}: the person table has no one aged 0–14: the projected population counts {count_text(children)} persons "
        "there in 2026, and no younger group of the same sex has anyone to stand in for them"
    )
    assert main(["project", str(scenario), "--population", str(path)]) == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith(f"openfisca-sp project: error: {said}") and "\n" not in error
    assert "give a person table with persons of those ages" in error
    with pytest.raises(PopulationError, match=re.escape(said)):
        project(scenario, population=str(path))
    with pytest.raises(PopulationError, match=re.escape(said)):  # on a cluster, before a task is sent
        project_distributed(None, scenario, path)
    with pytest.raises(PopulationError, match="no one aged 0–14: the projected population counts"):
        age_table(_aged_15_plus(), "2026-10", 2030, demography("vnm"), 1.0, frozenset())


def test_a_table_of_one_sex_is_refused_naming_the_other(tmp_path: Path) -> None:
    path = tmp_path / "women.parquet"
    table = pq.read_table(sample_path("vnm"))
    pq.write_table(table.filter(pc.equal(table.column("sex"), "female")), path)
    scenario = write_scenario(tmp_path, years={"first": 2026, "last": 2026}, reform=None)
    men = float(demography("vnm").population(2026)[0].sum())
    with pytest.raises(
        PopulationError, match=re.escape(f"has no male: the projected population counts {count_text(men)}")
    ):
        project(scenario, population=str(path))


def test_a_group_with_a_younger_one_is_counted_there_and_the_note_names_it() -> None:
    """The sample has no one aged 100 or over: each sex's 95-99 stands in, and the population is the projection's."""
    table = pq.read_table(sample_path("vnm"))
    aged = age_table(table, "2026-10", 2040, demography("vnm"), 1.0, frozenset())
    assert aged.weights.sum() == pytest.approx(demography("vnm").population(2040).sum(), rel=1e-9)
    for sex in ("male", "female"):
        assert (
            f"No {sex} aged 100+ in the person table: the projected persons of that group are counted in the nearest "
            f"younger group that has someone ({sex} aged 95–99)."
        ) in aged.notes
