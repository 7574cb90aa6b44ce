"""An analyst's check by hand: a table of a few persons whose every figure (cost, beneficiaries, winners, coverage,
poverty) is worked out from the law on paper, against what simulate and compare give."""

from __future__ import annotations

import pandas as pd
import pytest

from openfisca_sp.analysis import compare
from openfisca_sp.population import simulate

MONTH = "2026-10"
WAGE_MONTHS = [f"insured_wage.{month}" for month in pd.period_range("2024-10", "2026-09", freq="M").astype(str)]


def _viet_nam() -> pd.DataFrame:
    """Eight persons of five households, with weights that are not whole."""
    columns = ["person_id", "household_id", "weight", "birth_date", "sex", "contribution_months"]
    columns += ["career_average_insured_wage", "income", "pregnancy_outcome", "child_birth_date"]
    columns += ["number_of_children_born", "is_disabled", "disability_category", "wage"]
    rows = [  # the household of 1 and 4 is first: a household's rows are contiguous
        (1, 1, 2.0, "1951-10-01", "female", 0, 0.0, 0.0, "none", None, 0, False, 0, 0.0),  # 75: social pension
        (4, 1, 3.0, "1963-06-01", "male", 0, 0.0, 0.0, "none", None, 0, False, 0, 0.0),  # 63: none, 540,000 reformed
        (2, 2, 1.5, "1960-01-15", "male", 300, 10e6, 0.0, "none", None, 0, False, 0, 0.0),  # old-age pension
        (3, 3, 1.0, "1990-05-01", "female", 36, 8e6, 8e6, "live_birth", "2026-10-05", 1, False, 0, 8e6),  # mother
        (6, 3, 1.0, "1985-01-01", "male", 0, 0.0, 0.0, "none", None, 0, True, 1, 0.0),  # especially severe
        (7, 3, 1.0, "2020-01-01", "female", 0, 0.0, 0.0, "none", None, 0, False, 0, 0.0),
        (5, 4, 2.5, "1966-01-01", "female", 0, 0.0, 1e6, "none", None, 0, False, 0, 0.0),  # 60: 540,000 reformed
        (8, 5, 1.0, "1980-03-01", "male", 120, 12e6, 12e6, "none", None, 0, False, 0, 12e6),
    ]
    table = pd.DataFrame(rows, columns=columns)
    table = table.assign(**{name: table["wage"] for name in WAGE_MONTHS}).drop(columns="wage")
    table["birth_date"] = pd.to_datetime(table["birth_date"])
    table["child_birth_date"] = pd.to_datetime(table["child_birth_date"])
    return table.assign(is_available_for_work=True, separation_reason="not_separated")


@pytest.fixture(scope="module")
def viet_nam() -> pd.DataFrame:
    return _viet_nam()


def test_each_branch_s_cost_and_beneficiaries_are_those_worked_out_by_hand(viet_nam):
    totals = simulate(viet_nam, MONTH, "vnm").totals().set_index("branch")
    # SI Law 2024 Art 66: 45% at 20 years, 2% a further year: 55% of 10,000,000 for 25 years, to 1.5 persons
    assert totals.loc["old_age", ["beneficiaries", "cost"]].tolist() == [1.5, 8_250_000]
    # SI Law 2014 Art 39: 100% of the 6-month average, its benefit month 5 October to 4 November: 27 days of 31
    # in October (the schedule's stated method); Art 38: a birth grant of 2 x the base salary (2,530,000 from
    # 1 July 2026, Decree 161/2026). Rounded to the dong as the law and /eligibility's schedule round it (its running
    # total through October): 8,000,000 x 27/31 = 6,967,741.94 is paid 6,967,742
    assert totals.loc["maternity", "periodical_benefits"] == 6_967_742
    assert totals.loc["maternity", "lump_sums"] == 5_060_000
    # Decree 335/2026 Art 6(1)(e): coefficient 2.0 x the standard 540,000 (Art 4(2), from 1 July 2026) = 1,080,000
    # to 1 person; SI Law 2024 Art 21: 75 or more (person 1 is 75 on 1 October, paid from that month), 540,000
    # (Decree 335/2026 Art 31(1), from 1 July 2026) to 2 persons = 1,080,000
    assert totals.loc["disability", "cost"] == 1_080_000 and totals.loc["social_pension", "cost"] == 1_080_000
    assert totals["cost"].dtype == "float64"


def test_a_reform_s_cost_winners_coverage_and_poverty_are_those_worked_out_by_hand(viet_nam):
    comparison = compare(viet_nam, MONTH, "r202_social_pension", "vnm")
    rows = comparison.branches.set_index("branch")
    # the social pension from the pensionable age (men 61 years 6 months, women 57 in 2026): persons 4 (3) and 5
    # (2.5) gain 540,000, (3 + 2.5) x 540,000 = 2,970,000; person 2 has a contributory pension
    assert rows.loc["social_pension", ["reform_beneficiaries", "cost_change", "winners", "losers"]].tolist() == [
        7.5,
        2_970_000,
        5.5,
        0,
    ]
    assert rows.loc["all", ["baseline_beneficiaries", "reform_beneficiaries"]].tolist() == [5.5, 11]
    older = comparison.coverage.set_index(["indicator", "sex"]).loc[("older_persons", "all")]
    assert older[["population", "baseline_covered", "reform_covered"]].tolist() == [9, 3.5, 9]
    poverty = comparison.poverty.set_index(["line", "dimension"]).loc[("rural", "all")]
    # household income per person against the rural line, 1,500,000: before benefits households 1, 2 and 4 are
    # poor (5 + 1.5 + 2.5 of 13); after the baseline's, household 1 (540,000 / 2 = 270,000 a head) and 4
    # (1,000,000); after the reform's, household 1 alone (2 x 540,000 / 2 = 540,000 a head; household 4 has
    # 1,000,000 + 540,000 = 1,540,000); the gaps are (1 - 270,000 / 1,500,000 = 0.82) x 5 + (1/3) x 2.5 ...
    assert poverty["headcount_before"] == pytest.approx(9 / 13)
    assert poverty["headcount_baseline"] == pytest.approx(7.5 / 13)
    assert poverty["headcount_reform"] == pytest.approx(5 / 13)
    assert poverty["gap_before"] == pytest.approx((5 + 1.5 + 2.5 / 3) / 13)
    assert poverty["gap_baseline"] == pytest.approx((5 * 0.82 + 2.5 / 3) / 13)
    assert poverty["gap_reform"] == pytest.approx((5 * 0.64) / 13)  # 1 - 540,000 / 1,500,000 = 0.64


def _tajikistan() -> pd.DataFrame:
    """Five persons of four households in March 2024, weights not whole: pensions of 750.01, 305.56 and 250 somoni."""
    return pd.DataFrame(
        {
            "person_id": [1, 2, 3, 4, 5],
            "household_id": [1, 2, 3, 3, 4],
            "weight": [1.25, 2.5, 1.0, 0.75, 1.0],
            "birth_date": pd.to_datetime(["1961-03-01", "1966-01-01", "1961-03-01", "1990-01-01", "1950-01-01"]),
            "sex": ["male", "female", "male", "female", "male"],
            "contribution_months": [300, 240, 299, 0, 300],
            "pension_capital": [90_001.0, 10_000.0, 50_000.0, 0.0, 0.0],
        }
    )


def test_tajik_pensions_are_to_the_diram_and_their_sums_float64():
    """Law of 12 January 2010: the base pension (250 somoni from 7 February 2024) plus the capital over 180, each
    pension to the diram; the totals are float64 sums of them written to the diram, as the law rounds amounts, in
    simulate's totals as in compare's (the totals said 1,951.4125 where compare said 1,951.41), and the average is
    their mean to the diram, the same in both."""
    table = _tajikistan()
    results = simulate(table, "2024-03", "tjk")
    pensions = results.to_frame(["old_age_pension", "old_age_pension_provisional"])
    assert pensions["old_age_pension"].tolist() == [750.01, 305.56, 0, 0, 250]  # 750.0056, 305.5556
    assert pensions["old_age_pension_provisional"].all()  # the base pension is unverified: carried to every row
    row = results.totals().set_index("branch").loc["old_age"]
    assert row["cost"] == 1951.41 and row["provisional"]  # 1.25 x 750.01 + 2.5 x 305.56 + 250 = 1,951.4125
    assert row["average_benefit"] == 410.82  # the mean of the pensions paid, 1,951.4125 / 4.75, to the diram
    compared = compare(table, "2024-03", "r202_social_pension", "tjk").branches.set_index("branch")
    assert compared.loc["old_age", "baseline_cost"] == 1951.41  # 1,951.4125 to the diram
    assert compared.loc["old_age", "baseline_average_benefit"] == row["average_benefit"]


def test_every_group_s_all_benefits_row_is_provisional_as_the_comparison_s(viet_nam):
    """The old-age pension rests on unverified values: the comparison's "all benefits" row said provisional, and
    every group's of its breakdowns said None."""
    comparison = compare(viet_nam, MONTH, "r202_social_pension", "vnm")
    branches = comparison.branches.set_index("branch")["provisional"]
    assert branches["old_age"] and branches["all"]
    for dimension in ("sex", "age_group", "income_decile"):
        rows = comparison.breakdown(dimension)
        assert rows.loc[rows["branch"] == "all", "provisional"].eq(True).all(), dimension
        assert rows.loc[rows["branch"] == "old_age", "provisional"].eq(True).all(), dimension
