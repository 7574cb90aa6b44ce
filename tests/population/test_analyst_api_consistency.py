"""The analyst's Python API gives one figure one way: ``simulate``'s totals and ``compare``'s tables agree on the
same cost, average and flags; coverage and poverty say when they rest on unverified law; a reform or a month given
in a form the API does not read is refused naming the forms it does (reviews found each of these)."""

from __future__ import annotations

import datetime

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openfisca_sp.analysis import compare
from openfisca_sp.analysis.poverty import lines_unverified, poverty_lines, poverty_records, poverty_sums, welfare
from openfisca_sp.analysis.rows import ComparisonRows
from openfisca_sp.cli import main
from openfisca_sp.population import PopulationError, simulate
from openfisca_sp.report.poverty import poverty_table
from openfisca_sp.report.tables import coverage_table
from openfisca_sp.rules.formulas import round_money
from openfisca_sp.rules.system import tax_benefit_system
from tests.population.test_hand_checked_table import MONTH, _tajikistan, _viet_nam

MOTHER = 3  # person 3 of the hand-checked table: a live birth on 5 October 2026
# SI Law 2014 Art 39: 8,000,000 x 27/31 paid in October, to the dong (6,967,742); Art 38: 2 x 2,530,000
MOTHER_PAID = 6_967_742 + 5_060_000


def _weighted(weights: dict[int, float]) -> pd.DataFrame:
    """The hand-checked Viet Nam table with the persons' weights of ``weights`` changed."""
    table = _viet_nam()
    for person, weight in weights.items():
        table.loc[table["person_id"] == person, "weight"] = weight
    return table


def test_a_mother_weighted_a_third_averages_what_she_is_paid_in_simulate_and_compare():
    """By hand: the mother is paid 6,967,742 + 5,060,000 = 12,027,742 dong in October, weighted 1/3: the maternity
    cost is 4,009,247.33, written 4,009,247; the periodical benefits 2,322,580.67 (2,322,581) and the birth grants
    1,686,666.67 (1,686,667), each written to the dong on its own; the average benefit is what she is paid,
    12,027,742. simulate's totals said a cost of 4,009,247.333 (as summed) where compare said 4,009,247, and
    compare's average, from the cost written to the dong, said 12,027,741, which no one is paid."""
    table = _weighted({MOTHER: 1 / 3})
    totals = simulate(table, MONTH, "vnm").totals().set_index("branch").loc["maternity"]
    assert totals[["cost", "periodical_benefits", "lump_sums"]].tolist() == [4_009_247, 2_322_581, 1_686_667]
    assert totals["average_benefit"] == pytest.approx(MOTHER_PAID, abs=1e-6)
    branches = compare(table, MONTH, "r202_social_pension", "vnm").branches.set_index("branch")
    row = branches.loc["maternity"]
    assert row["baseline_cost"] == totals["cost"] == 4_009_247
    assert row["baseline_average_benefit"] == totals["average_benefit"]


def test_winners_weighted_a_seventh_average_the_gain_each_has():
    """R202 (docs/population.md): persons 4 (weight 3) and 5 (here 1/7) gain the social pension, 540,000 dong each
    (Decree 335/2026 Art 31(1), from 1 July 2026): gains 3 x 540,000 + 540,000 / 7 = 1,620,000 + 77,142.86,
    written 1,697,143; the average gain is 540,000, not 1,697,143 / (22/7) = 540,000.045 (it was taken from the gains
    written to the dong). A weight of 1/3 no longer shows it: 540,000 / 3 = 180,000 is a whole dong."""
    row = compare(_weighted({5: 1 / 7}), MONTH, "r202_social_pension", "vnm").branches.set_index("branch")
    social = row.loc["social_pension"]
    assert social["gains"] == 1_697_143 and social["winners"] == pytest.approx(22 / 7)
    assert social["average_gain"] == pytest.approx(540_000, abs=1e-6)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.floats(0.01, 50, allow_nan=False), min_size=3, max_size=3))
def test_persons_each_paid_the_same_average_it_whatever_their_weights(weights):
    """The social pension of persons 1 (75) under the baseline, and 4 and 5 under R202, is 540,000 each (Decree
    335/2026 Art 31(1), from 1 July 2026): whatever the weights, each table's average of it is 540,000 and its cost
    the weighted sum written to the dong, in simulate's
    totals and in compare's branch rows alike."""
    table = _weighted(dict(zip((1, 4, 5), weights, strict=True)))
    totals = simulate(table, MONTH, "vnm").totals().set_index("branch").loc["social_pension"]
    assert totals["average_benefit"] == pytest.approx(540_000, rel=1e-12)
    assert totals["cost"] == round_money(540_000 * weights[0], 0)
    row = compare(table, MONTH, "r202_social_pension", "vnm").branches.set_index("branch").loc["social_pension"]
    assert row["baseline_average_benefit"] == totals["average_benefit"] and row["baseline_cost"] == totals["cost"]
    assert row["reform_average_benefit"] == pytest.approx(540_000, rel=1e-12)
    assert row["reform_cost"] == pytest.approx(round_money(540_000 * sum(weights), 0), abs=1)


@pytest.mark.parametrize("code", ["lao", "vnm", "tjk"])
def test_compare_s_baseline_is_simulate_s_totals_figure_by_figure(code):
    """A comparison's baseline side and simulate's totals of the same sample are one computation: the same cost,
    average, flags and beneficiaries, to the last bit (Lao PDR's mothers, weighted 372.15 each, were
    10,420.199999999997 in simulate's totals, summed over the column, and 10,420.199999999999 in compare's, summed per
    cell: both are now the weights summed exactly, :mod:`openfisca_sp.population.weight_sums`)."""
    totals = simulate(f"sample:{code}", "2026-10").totals().set_index("branch")
    rows = compare(f"sample:{code}", "2026-10", "r202_social_pension").branches.set_index("branch")
    for branch, total in totals.iterrows():
        row = rows.loc[branch]
        for figure in ("beneficiaries", "cost", "average_benefit"):
            column = f"baseline_{figure}"
            if pd.isna(total[figure]):  # not modelled (or no one paid) in both
                assert pd.isna(row[column]), (branch, figure)
            else:
                assert row[column] == total[figure], (branch, figure)
        assert row["baseline_cost"] == total["cost"] or pd.isna(total["cost"])  # to the unit: the very same
        assert row["amount_modelled_baseline"] == total["amount_modelled"], branch


def test_cost_over_a_year_is_the_sum_of_its_months_as_each_is_written():
    """Law of 12 January 2010 (test_hand_checked_table): Tajik pensions of 750.01 and 305.56 somoni weighted 1.25 and
    2.5, and one of 250: each month's cost is 1,951.4125 summed, written 1,951.41 in every month's totals; the year
    is the sum of its months so written, 23,416.92 (it was 23,416.95, the months as summed, with float noise)."""
    table = _tajikistan()
    results = simulate(table, "2024-03", "tjk")
    months = results.costs_by_month(12)
    pensions = months.loc[months["branch"] == "old_age", "cost"]
    assert pensions.tolist() == [1951.41] * 12
    year = results.cost_over_year().set_index("branch").loc["old_age"]
    assert year["cost"] == 23_416.92 and year["periodical_benefits"] == 23_416.92


def test_coverage_is_provisional_where_a_benefit_covering_the_group_rests_on_unverified_law():
    """The old-age pension of person 2 rests on unverified values (its row says provisional): the coverage of older
    persons, which it pays, says so too; with persons 1 and 4 alone (a social pension on verified values), it does
    not. Coverage rows had no provisional flag at all."""
    pensioner = compare(_viet_nam().query("person_id == 2"), MONTH, "r202_social_pension", "vnm")
    assert pensioner.branches.set_index("branch").loc["old_age", "provisional"]
    older = pensioner.coverage.set_index(["indicator", "sex"])["provisional"]
    assert older[("older_persons", "all")] and older[("older_persons", "male")]
    assert not older[("persons_with_severe_disabilities", "all")]  # the disability benefit rests on none here
    household = compare(_viet_nam().query("person_id in (1, 4)"), MONTH, "r202_social_pension", "vnm")
    branches = household.branches.set_index("branch")["provisional"]
    assert not branches["old_age"] and not branches["social_pension"]
    assert not household.coverage.set_index(["indicator", "sex"])["provisional"][("older_persons", "all")]
    assert household.to_dict()["coverage"][0]["provisional"] is False
    saved = ComparisonRows.from_dict(pensioner.to_dict())
    assert saved.coverage[0].provisional is True
    notes = coverage_table(saved.coverage).notes
    assert any(note.startswith("Older persons receiving a pension: provisional") for note in notes)


def test_poverty_is_provisional_as_the_benefits_it_adds_and_its_line():
    """Poverty after benefits adds every benefit "all benefits" covers: its rows are provisional where that row is;
    a poverty line with an unverified value makes every headcount and gap measured against it provisional."""
    comparison = compare(_viet_nam(), MONTH, "r202_social_pension", "vnm")
    assert comparison.branches.set_index("branch").loc["all", "provisional"]
    assert comparison.poverty["provisional"].all()
    notes = poverty_table(comparison.to_dict()["poverty"][:3], "VND", "t").notes
    assert any(note.startswith("Provisional, resting on values not verified (a benefit added after") for note in notes)
    vnm = tax_benefit_system("vnm")
    lines = poverty_lines(vnm, MONTH)
    assert lines and not lines_unverified(vnm, MONTH)  # Decree 07/2021/ND-CP's lines, verified_2nd
    incomes = welfare(np.array([1e6, 2e6]), {"baseline": np.zeros(2), "reform": np.zeros(2)}, np.array([0, 1]))
    sums, _ = poverty_sums(incomes, np.ones(2), np.zeros(2, dtype=np.int64), lines)
    assert not any(record["provisional"] for record in poverty_records(sums))
    assert all(record["provisional"] for record in poverty_records(sums, benefits_provisional=True))
    other, _ = poverty_sums(incomes, np.ones(2), np.zeros(2, dtype=np.int64), lines)
    sums.lines_unverified = True  # as a comparison marks each chunk's sums where its line is unverified
    assert all(record["provisional"] for record in poverty_records(sums))
    assert all(record["provisional"] for record in poverty_records(other.merge(sums)))


def test_a_reform_given_as_none_is_refused_as_a_missing_argument():
    """``compare``'s reform is a required argument: None said "unknown reform 'None'", as if a reform of that name
    were looked for. It is refused as a TypeError naming what a reform is (the baseline itself compares it with
    itself)."""
    with pytest.raises(TypeError, match=r"no reform given \(None\): give a shipped reform name, a YAML file"):
        compare(_viet_nam(), MONTH, None, "vnm")
    with pytest.raises(TypeError, match=r"a reform is a shipped reform name, .*, not int 42"):
        compare(_viet_nam(), MONTH, 42, "vnm")
    same = compare(_viet_nam(), MONTH, tax_benefit_system("vnm"), "vnm").branches
    assert (same["cost_change"].dropna() == 0).all() and (same["winners"].dropna() == 0).all()


@pytest.mark.parametrize("assume", [["is_available_for_work", True], "is_available_for_work=true"])
def test_assumptions_given_as_other_than_a_mapping_are_a_type_error(assume):
    """A hunt (stop 77): ``simulate(table, month, assume=[...])`` raised AttributeError ("'list' object has no
    attribute 'items'") from deep inside."""
    with pytest.raises(TypeError, match=r"assume maps a column to the value every person is given .*, not (list|str)$"):
        simulate(_viet_nam(), MONTH, "vnm", assume=assume)


@pytest.mark.parametrize("month", [pd.Period("2026-10", "M"), np.datetime64("2026-10"), np.str_("2026-10")])
def test_a_month_given_as_a_period_or_a_datetime64_of_months_is_that_month(month):
    """A monthly Period or a datetime64 of months names one month, as '2026-10' does: simulate, its totals and
    compare read it so (they refused it)."""
    table = _viet_nam()
    results = simulate(table, month, "vnm")
    assert results.month == "2026-10"
    expected = simulate(table, MONTH, "vnm").totals()
    pd.testing.assert_frame_equal(results.totals(), expected)
    comparison = compare(table, month, "r202_social_pension", "vnm")
    assert comparison.meta["month"] == "2026-10"
    # persons 4 and 5 gain the social pension of 540,000 (Decree 335/2026 Art 31(1)): (3 + 2.5) x 540,000
    assert comparison.branches.set_index("branch").loc["social_pension", "cost_change"] == 2_970_000


@pytest.mark.parametrize(
    "day",
    [
        datetime.date(2026, 10, 1),
        datetime.date(2026, 10, 15),
        datetime.datetime(2026, 10, 1),
        pd.Timestamp("2026-10-01"),
        np.datetime64("2026-10-01"),
        np.datetime64("2026-10-15T08:00"),
        pd.Period("2026-10-15", "D"),
        "2026-10-15",
    ],
)
def test_a_day_for_a_month_is_refused_naming_the_month_and_the_forms_accepted(day):
    """A day, in any form and the first of the month too, is not read as its month: each dated claim is decided on
    its own event's day, so a day could mean that day's claims (as /eligibility's as_of). The refusal says why,
    the forms accepted and the month of that day."""
    message = r"month must be a month, not the day .*that day's claims; give a month: 'YYYY-MM' .* is '2026-10'"
    with pytest.raises(PopulationError, match=message):
        simulate(_viet_nam(), day, "vnm")
    with pytest.raises(PopulationError, match=message):
        compare(_viet_nam(), day, "r202_social_pension", "vnm")


@pytest.mark.parametrize(
    "month", [None, pd.NaT, np.datetime64("NaT"), pd.Period("2026Q4"), np.datetime64("2026"), 2026]
)
def test_what_names_no_month_is_refused_naming_the_forms_accepted(month):
    with pytest.raises(
        PopulationError, match=r"month must be a month, not .*: give a month: .YYYY-MM. .*a monthly pandas Period"
    ):
        simulate(_viet_nam(), month, "vnm")


def test_compare_prints_each_branch_s_provisional_flag_as_simulate_does(capsys: pytest.CaptureFixture[str]) -> None:
    """simulate printed each branch's provisional flag, compare's printed table did not (its JSON and report did):
    it prints it, and "–" for an "all benefits" row of no branch (not modelled)."""
    assert main(["compare", "sample:tjk", "--reform", "r202_social_pension", "--no-progress"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[2].split()[-1] == "provisional"
    rows = {line.split()[0]: line.split()[-1] for line in lines[3:9]}
    assert rows["old_age"] == "True" and rows["maternity"] == "False" and rows["all"] == "–"
