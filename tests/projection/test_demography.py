"""The shipped UN WPP 2024 projections: totals by sex as published, age-group shares that add up, in between
snapshots linear, and a year outside the projection refused."""

from __future__ import annotations

import csv
from importlib import resources

import numpy as np
import pytest

from openfisca_sp.projection.demography import GROUPS, DemographyError, demography, group_of

CODES = ("lao", "vnm", "tjk")


def _published_totals(code: str) -> dict[tuple[int, str], float]:
    path = resources.files("openfisca_sp") / "data" / "demography" / f"{code}.csv"
    with path.open(encoding="utf-8") as stream:
        return {
            (int(row["year"]), row["sex"]): float(row["thousands"]) * 1000
            for row in csv.DictReader(stream)
            if row["kind"] == "total"
        }


@pytest.mark.parametrize("code", CODES)
def test_each_year_adds_up_to_the_published_totals_by_sex(code: str) -> None:
    people = demography(code)
    totals = _published_totals(code)
    for year in (2026, 2035, 2055):
        population = people.population(year)
        assert population.shape == (2, GROUPS)
        assert (population >= 0).all()
        assert population[0].sum() == pytest.approx(totals[(year, "male")], rel=1e-12)
        assert population[1].sum() == pytest.approx(totals[(year, "female")], rel=1e-12)


def test_the_published_figures_we_rely_on() -> None:
    """Three numbers of WPP 2024 (medium variant), as the wpp2024 package gives them, in thousands."""
    totals = {code: _published_totals(code) for code in CODES}
    assert totals["lao"][(2025, "male")] == pytest.approx(3_980_813)
    assert totals["vnm"][(2025, "female")] == pytest.approx(51_994_083)
    assert totals["tjk"][(2055, "male")] == pytest.approx(8_189_565)


def test_shares_between_two_snapshots_are_linear() -> None:
    people = demography("vnm")
    assert np.allclose(people.shares(2027), 0.6 * people.shares(2025) + 0.4 * people.shares(2030), rtol=0, atol=1e-3)
    assert np.allclose(people.shares(2030), people.groups[2030] / people.groups[2030].sum(axis=1, keepdims=True))
    assert np.allclose(people.shares(2026).sum(axis=1), 1.0)


def test_the_population_grows_older() -> None:
    """Viet Nam's share of persons aged 65 and over rises from 2026 to 2055 in WPP 2024."""
    people = demography("vnm")

    def older_share(year: int) -> float:
        population = people.population(year)
        return population[:, 13:].sum() / population.sum()

    assert older_share(2055) > older_share(2026) + 0.05


def test_a_year_outside_the_projection_is_refused_with_the_years_covered() -> None:
    with pytest.raises(DemographyError, match="2024–2100"):
        demography("lao").population(2101)
    with pytest.raises(DemographyError, match="no population projection is shipped"):
        demography("fra")


def test_age_groups() -> None:
    assert group_of(np.array([0, 4, 5, 64, 65, 99, 100, 117])).tolist() == [0, 0, 1, 12, 13, 19, 20, 20]
