"""Comparing a reform with the baseline: every figure checked against a direct pandas computation."""

from __future__ import annotations

import datetime
import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from openfisca_core import periods
from openfisca_core.reforms import Reform

from openfisca_sp import tax_benefit_system
from openfisca_sp.analysis import compare
from openfisca_sp.analysis.breakdowns import (
    AGE_GROUPS,
    age_group_of,
    decile_cut_points,
    household_decile_cut_points,
    household_income_per_person,
)
from openfisca_sp.population import simulate
from openfisca_sp.population.payments import month_amounts, paid_in
from openfisca_sp.reforms import load_reform
from openfisca_sp.rules.formulas import round_money
from openfisca_sp.synthetic import generate
from tests.population.fixtures import mothers_table, person_table

MONTH = "2026-10"


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return person_table(6_000, MONTH, seed=5, household_size=4)


def _reform(path, jurisdiction: str, parameter: str, day: str, value: str, label: str = "test"):
    """A YAML reform setting one parameter from ``day`` (``value`` as YAML writes it), written to ``path``."""
    path.write_text(
        f"label: {label}\njurisdiction: {jurisdiction}\nreference: [{{instrument: A test, article: Art 1}}]\n"
        f"parameters:\n  {parameter}:\n    {day}: {value}\n",
        encoding="utf-8",
    )
    return path


def per_person(table: pd.DataFrame, system) -> pd.DataFrame:
    """Each person's amounts paid in the month and whether they are paid, per branch, straight from the engine."""
    results = simulate(table, MONTH, system)
    frame = pd.DataFrame({"weight": results.weights, "age": np.zeros(results.count)})
    for branch in results.branches:
        frame[f"{branch.code}.amount"] = np.nan_to_num(month_amounts(results.columns, branch, MONTH, results.decimals))
        frame[f"{branch.code}.eligible"] = paid_in(results.columns, branch, MONTH, results.decimals)
    return frame


@pytest.fixture(scope="module")
def social_pension(table):
    return compare(table, MONTH, "r202_social_pension", "lao")


def test_cost_beneficiaries_winners_and_losers_match_a_direct_computation(table, social_pension):
    baseline = per_person(table, tax_benefit_system("lao"))
    reform = per_person(table, load_reform("r202_social_pension", tax_benefit_system("lao")))
    weights = baseline["weight"]
    rows = social_pension.branches.set_index("branch")
    for code in ("maternity", "unemployment", "social_pension"):
        reform_amount = reform[f"{code}.amount"]
        baseline_amount = baseline[f"{code}.amount"] if f"{code}.amount" in baseline else 0 * reform_amount
        change = reform_amount - baseline_amount
        assert rows.loc[code, "reform_beneficiaries"] == pytest.approx(weights[reform[f"{code}.eligible"]].sum())
        # Lao PDR: unemployment, no waiting period or duration found, so a claim's months are unknown; maternity,
        # no source says what a day of the monthly 80% pays (105 days), so what a month pays is unknown
        if code in ("unemployment", "maternity"):
            assert np.isnan(rows.loc[code, "reform_cost"])
            assert np.isnan(rows.loc[code, "winners"]) and np.isnan(rows.loc[code, "losers"])  # not known, not 0
            continue
        # to the kip (the currency's smallest unit), as every cost of a comparison
        assert rows.loc[code, "reform_cost"] == pytest.approx((weights * reform_amount).sum(), abs=0.5)
        assert rows.loc[code, "winners"] == pytest.approx(weights[change > 0].sum())
        assert rows.loc[code, "losers"] == pytest.approx(weights[change < 0].sum())
    assert rows.loc["social_pension", "winners"] > 0
    assert rows.loc["social_pension", "baseline_cost"] == 0
    assert rows.loc["social_pension", "reform_average_benefit"] == pytest.approx(192_000)
    assert not rows.loc["social_pension", "provided_baseline"]


def test_all_benefits_are_the_branches_whose_amount_is_modelled_on_both_sides(table, social_pension):
    baseline = per_person(table, tax_benefit_system("lao"))
    reform = per_person(table, load_reform("r202_social_pension", tax_benefit_system("lao")))
    rows = social_pension.branches.set_index("branch")
    modelled = [
        code for code in rows.index[:-1] if rows.loc[code, ["amount_modelled_baseline", "amount_modelled_reform"]].all()
    ]
    assert "social_pension" in modelled and "maternity" not in modelled and "old_age" not in modelled
    paid = np.zeros(len(table), dtype=bool)
    for code in modelled:
        paid |= reform[f"{code}.eligible"]
    every = rows.loc["all"]
    assert every["reform_beneficiaries"] == pytest.approx(baseline["weight"][paid].sum())
    assert every["reform_average_benefit"] == pytest.approx(every["reform_cost"] / every["reform_beneficiaries"])
    assert "not modelled: old_age" in every["note"]


def _covered_sum(rows: pd.DataFrame, column: str) -> float:
    branches = rows.drop(index="all")
    covered = branches[branches["baseline_cost"].notna() & branches["reform_cost"].notna()]
    return covered[column].sum()


def test_the_all_row_adds_up_the_branch_rows_that_give_a_cost_and_says_so(social_pension):
    rows = social_pension.branches.set_index("branch")
    for column in ("baseline_cost", "reform_cost", "cost_change"):
        # each row to the kip: the all row is their sum within half a kip a row
        assert rows.loc["all", column] == pytest.approx(_covered_sum(rows, column), abs=0.5 * len(rows))
    assert rows.loc["all", "note"].startswith(
        "beneficiaries: the persons paid at least one of social_pension (cost modelled on both sides), each counted once"
    )
    # Lao maternity: no source says what a day of its monthly allowance pays, so its cost is not modelled
    note = "; cost: the sum of their costs; left out, not modelled: old_age, maternity, unemployment, disability"
    assert note in rows.loc["all", "note"]


def test_all_benefits_count_a_person_paid_by_two_branches_once_and_say_so(capsys):
    """An analyst's review: on sample:vnm the branch rows' beneficiaries add to 6,434,245 and the all row gives
    6,288,810 (persons paid both an old-age pension and a disability allowance), under the note "the sum over
    old_age, maternity, disability, social_pension only". The total counts persons; its note, the report and the
    printed table say so."""
    from openfisca_sp.cli import main
    from openfisca_sp.report import render_report

    comparison = compare("sample:vnm", MONTH, "r202_social_pension")
    rows = comparison.branches.set_index("branch")
    covered = ["old_age", "maternity", "disability", "social_pension"]
    for side in ("baseline", "reform"):
        assert rows.loc["all", f"{side}_beneficiaries"] < rows.loc[covered, f"{side}_beneficiaries"].sum()
        assert rows.loc["all", f"{side}_cost"] == pytest.approx(rows.loc[covered, f"{side}_cost"].sum(), abs=2)
    note = rows.loc["all", "note"]
    assert note.startswith(f"beneficiaries: the persons paid at least one of {', '.join(covered)}")
    assert "sum over" not in note and "cost: the sum of their costs" in note
    page = render_report(comparison.to_dict())
    assert "All benefits: beneficiaries: the persons paid at least one of" in page
    assert "each counted once (a person paid two benefits is one beneficiary)" in page  # the breakdowns' tables
    assert main(["compare", "sample:vnm", "--reform", "r202_social_pension", "--no-progress"]) == 0
    assert f"all: {note}" in capsys.readouterr().out.splitlines()


def test_the_all_row_is_not_modelled_when_no_branch_gives_a_cost_on_both_sides(table, tmp_path):
    """Tajikistan's maternity benefit is modelled by the reform only: its row is "not modelled", and the all
    row gave the reform's cost, 14,310 beneficiaries and winners. A reform that ends Lao PDR's maternity rate
    left an all row of 0 and 0 for a sum over no branch."""
    tajik = compare("sample:tjk", MONTH, "tjk_maternity_c183").branches.set_index("branch")
    assert pd.isna(tajik.loc["maternity", "cost_change"]) and tajik.loc["maternity", "reform_cost"] > 0
    every = tajik.loc["all"]
    for column in ("baseline_beneficiaries", "reform_beneficiaries", "reform_cost", "cost_change", "winners"):
        assert pd.isna(every[column]), (column, every[column])
    assert every["note"].startswith("not modelled: no branch's cost is modelled on both sides (old_age, maternity")
    reform = _reform(
        tmp_path / "no_rate.yaml", "lao", "maternity.benefit_rate", "2026-01-01", "null", "No maternity rate"
    )
    lao = compare(table, MONTH, str(reform), "lao")
    assert pd.isna(lao.branches.set_index("branch").loc["all", "reform_cost"])
    every = lao.breakdown("sex").set_index(["group", "branch"]).loc[("female", "all")]
    assert pd.isna(every["reform_cost"]) and pd.isna(every["reform_beneficiaries"])


def test_all_benefits_change_is_not_modelled_where_a_branch_it_leaves_out_changes():
    """An analyst's review: on a table of mothers, Tajikistan's maternity benefit under tjk_maternity_c183 (the
    reform models it, the baseline does not) paid 12 weighted women TJS 34,835.07, while the all row, covering
    old age only (no one old enough), said cost change 0, 0 winners, and the report's decile chart "no one gains
    or loses". A change of all benefits that leaves out a branch the reform changes is not modelled, never 0."""
    from openfisca_sp.report import render_report

    table = mothers_table({"T1": 3000, "T2": 1500}, {"T1": "2026-10-11", "T2": "2026-07-01"}, {"T1": 2, "T2": 3})
    comparison = compare(table, MONTH, "tjk_maternity_c183", "tjk")
    rows = comparison.branches.set_index("branch")
    assert rows.loc["maternity", "reform_cost"] > 0 and rows.loc["old_age", "cost_change"] == 0
    every = rows.loc["all"]
    assert every["baseline_cost"] == 0 and every["reform_cost"] == 0  # the sums over old age, as the note says
    for column in ("cost_change", "beneficiaries_change", "winners", "losers", "gains", "losses"):
        assert pd.isna(every[column]), (column, every[column])
    assert "left out, not modelled: maternity" in every["note"]
    assert "change, winners and losers not modelled: the results of maternity, left out, differ" in every["note"]
    deciles = comparison.breakdown("income_decile")
    assert deciles[deciles["branch"] == "all"][["winners", "losers", "cost_change"]].isna().all().all()
    page = render_report(comparison.to_dict())
    assert "no one gains or loses" not in page
    # a reform that changes only the branches covered keeps its figures: Lao PDR's social pension (covered) is
    # all r202 changes; old age and maternity, left out, are the same on both sides
    mother = mothers_table({"L1": 3_000_000}, {"L1": "2026-08-20"}, {"L1": 1})
    working = {"is_available_for_work": False, "separation_reason": "not_separated"}
    lao = compare(mother, MONTH, "r202_social_pension", "lao", assume=working)
    every = lao.branches.set_index("branch").loc["all"]
    assert every["cost_change"] == 0 and every["winners"] == 0 and "differ" not in every["note"]


def test_printed_tables_give_amounts_to_the_currency_s_smallest_unit(tmp_path, capsys):
    """An analyst's review: compare printed Tajikistan's maternity cost as 34,835 where the JSON has 34,835.07; the
    printed tables give TJS to the diram, as the law rounds amounts (kip and dong whole)."""
    from openfisca_sp.cli import main

    path = tmp_path / "mothers.csv"
    mothers = mothers_table({"T1": 3000, "T2": 1500}, {"T1": "2026-10-11", "T2": "2026-07-01"}, {"T1": 2, "T2": 3})
    mothers.to_csv(path, index=False)
    rows = compare(path, MONTH, "tjk_maternity_c183", "tjk").branches.set_index("branch")
    cost = rows.loc["maternity", "reform_cost"]
    assert round(cost) != cost  # some dirams, which a whole number would drop
    common = ["--month", MONTH, "--jurisdiction", "tjk", "--no-progress"]
    assert main(["compare", str(path), "--reform", "tjk_maternity_c183", *common]) == 0
    printed = [line.split() for line in capsys.readouterr().out.splitlines()]
    paid = f"{rows.loc['maternity', 'reform_beneficiaries']:,.0f}"
    assert ["maternity", "not", "modelled", paid, "not", "modelled", f"{cost:,.2f}"] in [row[:7] for row in printed]
    assert main(["simulate", str(path), "--reform", "tjk_maternity_c183", *common]) == 0
    row = next(line.split() for line in capsys.readouterr().out.splitlines() if line.startswith("   maternity"))
    assert row.count(f"{cost:,.2f}") == 2  # periodical benefits and cost; the lump sums 0.00
    assert "0.00" in row


def test_a_reform_not_yet_in_force_in_the_month_says_so(table, tmp_path):
    """An outside review: a reform from 2027 compared in 2026-10 gave every change 0 and no word, and was read as
    a reform that changes nothing."""
    reform = tmp_path / "later.yaml"
    text = (
        "label: A later rate\njurisdiction: lao\nreference: [{instrument: A test, article: Art 1}]\n"
        "parameters:\n  maternity.benefit_rate:\n    START: 1.0\n"
    )
    reform.write_text(text.replace("START", "2027-01-01"), encoding="utf-8")
    later = compare(table, MONTH, str(reform), "lao")
    note = f"none of the reform's values is in force in {MONTH}: the first starts on 2027-01-01, so every change is 0"
    assert note in later.meta["notes"]
    maternity = later.branches.set_index("branch").loc["maternity"]  # its cost is not modelled (days not priced)
    assert maternity["baseline_beneficiaries"] == maternity["reform_beneficiaries"] > 0
    reform.write_text(text.replace("START", f"{MONTH}-31"), encoding="utf-8")  # in force on the month's last day
    assert not any("is in force in" in note for note in compare(table, MONTH, str(reform), "lao").meta["notes"])


def test_a_branch_whose_amount_is_not_modelled_has_no_cost_but_has_beneficiaries(social_pension):
    old_age = social_pension.branches.set_index("branch").loc["old_age"]
    assert old_age["baseline_cost"] is None or np.isnan(old_age["baseline_cost"])
    assert old_age["baseline_beneficiaries"] > 0
    every = social_pension.branches.set_index("branch").loc["all"]
    assert "old_age" in every["note"]


def test_a_branch_whose_rule_is_not_modelled_has_no_cost_while_a_benefit_the_law_lacks_costs_zero(social_pension):
    rows = social_pension.branches.set_index("branch")
    disability = rows.loc["disability"]  # Lao PDR: no source for the invalidity rules
    assert disability["baseline_cost"] is None or np.isnan(disability["baseline_cost"])
    assert "disability" in rows.loc["all", "note"]
    assert rows.loc["social_pension", "baseline_cost"] == 0  # not provided by the baseline law: nothing paid


def test_simulate_totals_say_not_modelled_for_a_rule_without_source(table):
    totals = simulate(table, MONTH, "lao").totals().set_index("branch")
    assert not totals.loc["disability", "amount_modelled"]
    assert totals.loc["disability", "cost"] is None or np.isnan(totals.loc["disability", "cost"])
    assert not totals.loc["maternity", "amount_modelled"]  # what a day of the monthly allowance pays: no source
    assert totals.loc["maternity", "cost"] is None or np.isnan(totals.loc["maternity", "cost"])


def test_breakdowns_add_up_to_the_totals(social_pension):
    totals = social_pension.branches.set_index("branch")
    for dimension in ("sex", "age_group", "income_decile"):
        table = social_pension.breakdown(dimension)
        assert table[table["branch"] == "maternity"]["reform_cost"].isna().all()  # not modelled in any group
        for code in ("social_pension", "all"):
            rows = table[table["branch"] == code]
            # each row to the kip: the groups add up to the total within half a kip a group
            assert rows["reform_cost"].sum() == pytest.approx(totals.loc[code, "reform_cost"], abs=0.5 * len(rows))
            assert rows["winners"].sum() == pytest.approx(totals.loc[code, "winners"], rel=1e-12)


def test_breakdown_by_sex_matches_a_direct_groupby(table, social_pension):
    reform = per_person(table, load_reform("r202_social_pension", tax_benefit_system("lao")))
    reform["sex"] = table["sex"].to_numpy()
    expected = (reform["weight"] * reform["social_pension.amount"]).groupby(reform["sex"]).sum()
    rows = social_pension.breakdown("sex").query("branch == 'social_pension'").set_index("group")
    for sex in ("male", "female"):
        assert rows.loc[sex, "reform_cost"] == pytest.approx(expected[sex], abs=0.5)  # to the kip
    population = table.groupby("sex")["weight"].sum()
    assert rows.loc["female", "population"] == pytest.approx(population["female"])


def test_income_deciles_hold_a_tenth_of_the_weighted_population_each(table, social_pension):
    deciles = social_pension.breakdown("income_decile").query("branch == 'all'")
    total = table["weight"].sum()
    assert len(deciles) == 10
    assert deciles["population"].sum() == pytest.approx(total)
    largest_household = table.groupby("household_id")["weight"].sum().max()
    assert np.all(np.abs(deciles["population"] - total / 10) <= 2 * largest_household)


def test_decile_cut_points_are_weighted_quantiles():
    values = np.arange(100, dtype=float)
    assert list(decile_cut_points(values, np.ones(100))) == [9, 19, 29, 39, 49, 59, 69, 79, 89]
    weighted = decile_cut_points(np.array([1.0, 2.0]), np.array([9.0, 1.0]))
    assert list(weighted) == [1.0] * 9


@settings(max_examples=100, deadline=None)
@given(
    arrays(np.float64, st.integers(1, 300), elements=st.floats(0, 1e9, allow_subnormal=False)),
    st.floats(0.5, 5.0),
    st.integers(0, 2**32 - 1),
)
def test_an_earlier_order_gives_the_same_cut_points(values, scale, seed):
    """The order of the base year's incomes, kept for later years, gives the cut points a fresh sort gives,
    when the incomes have since been scaled (ties and rounding may reorder a few), and even when it is wrong."""
    rng = np.random.default_rng(seed)
    weights = rng.uniform(0.1, 10.0, len(values))
    earlier = np.argsort(values, kind="stable")
    scaled = np.round(values * scale, 2)
    expected = decile_cut_points(scaled, weights)
    assert np.array_equal(decile_cut_points(scaled, weights, earlier), expected)
    assert np.array_equal(decile_cut_points(scaled, weights, rng.permutation(len(values))), expected)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.integers(1, 8), min_size=1, max_size=120),
    st.integers(0, 2**32 - 1),
    st.booleans(),
)
def test_household_cut_points_are_the_persons_cut_points(sizes, seed, with_order):
    """Deciles of household income per person found over households (each weighing its members' weights) are
    those found over persons. Whole weights and incomes keep every sum exact, so they must be equal to the bit;
    zero weights and equal incomes in different households included."""
    rng = np.random.default_rng(seed)
    household_of = np.repeat(np.arange(len(sizes)), sizes)
    income = rng.integers(0, 5, len(household_of)).astype(np.float64) * 1000
    weights = rng.integers(0, 4, len(household_of)).astype(np.float64)
    per_member = np.bincount(household_of, weights=income) / np.bincount(household_of)
    order = np.argsort(per_member, kind="stable") if with_order else None
    expected = decile_cut_points(household_income_per_person(income, household_of), weights)
    assert np.array_equal(household_decile_cut_points(income, weights, household_of, order), expected)


def test_coverage_of_older_persons_rises_with_the_social_pension(table, social_pension):
    coverage = social_pension.coverage.set_index(["indicator", "sex"])
    older = coverage.loc[("older_persons", "all")]
    assert older["reform_rate"] > older["baseline_rate"]
    assert older["reform_covered"] <= older["population"]
    severe = coverage.loc[("persons_with_severe_disabilities", "all")]
    assert severe["baseline_rate"] is None or np.isnan(severe["baseline_rate"])  # Lao disability: not modelled
    assert ("mothers_of_newborns", "male") not in coverage.index


def test_coverage_counts_match_a_direct_computation(table):
    comparison = compare(table, MONTH, "lao_maternity_c183", "lao")
    reform = per_person(table, load_reform("lao_maternity_c183", tax_benefit_system("lao")))
    mothers = (table["sex"] == "female") & (table["pregnancy_outcome"] == "live_birth")
    row = comparison.coverage.set_index(["indicator", "sex"]).loc[("mothers_of_newborns", "all")]
    assert row["population"] == pytest.approx(table["weight"][mothers].sum())
    assert row["reform_covered"] == pytest.approx(table["weight"][mothers & reform["maternity.eligible"]].sum())


def test_a_reform_that_changes_nothing_has_no_winners_or_losers(table, tmp_path):
    path = _reform(tmp_path / "same.yaml", "lao", "maternity.benefit_rate", "2026-01-01", "0.8", "same")
    same = compare(table, MONTH, str(path), "lao")
    rows = same.branches
    assert rows["winners"].sum() == 0 and rows["losers"].sum() == 0
    assert (rows["cost_change"].dropna() == 0).all()
    assert (
        f"the reform changes no one's result in {MONTH}: every person's result in every branch is the same"
        in (same.meta["notes"])
    )


NO_ONE = "the reform changes no one's result in"


def test_a_reform_that_sets_the_law_s_own_values_or_changes_nothing_says_so(tmp_path):
    """An analyst: a reform setting Tajikistan's pensionable age of men to the 756 months in force, or an empty
    Python reform, gave a comparison of zeros and no word; only a reform not yet in force was noted."""
    month = "2024-03"
    tajik = generate("tjk", 600, month, seed=3).to_pandas()
    path = _reform(tmp_path / "same_age.yaml", "tjk", "old_age.pensionable_age.men", "2020-01-01", "756", "Same age")
    notes = compare(tajik, month, str(path), "tjk", chunk_persons=100).meta["notes"]
    assert (
        f"the reform sets no value that differs from the law in force in {month}: old_age.pensionable_age.men = 756, "
        "as the law already does, so every change is 0"
    ) in notes
    assert any(note.startswith(f"{NO_ONE} {month}") for note in notes)

    class Nothing(Reform):
        def apply(self) -> None:
            pass

    notes = compare(tajik, month, Nothing, "tjk").meta["notes"]
    assert any(note.startswith(f"{NO_ONE} {month}") for note in notes)
    assert not any(note.startswith("the reform sets no value") for note in notes)  # a Python reform sets none
    path.write_text(path.read_text(encoding="utf-8").replace("756", "720"), encoding="utf-8")  # 60 years: a change
    lower = compare(tajik, month, str(path), "tjk", chunk_persons=100)
    assert not any(note.startswith(("the reform sets no value", NO_ONE)) for note in lower.meta["notes"])


def test_a_reform_of_the_month_s_own_value_that_changes_earlier_claims_is_not_said_to_change_nothing(tmp_path):
    """A review: Viet Nam's men's age set to 738 months from 2016 is the law of 2026-10, but not of 2025 (735),
    when the table's claims were made: millions lost their pension, and the notes said "every change is 0"."""
    month = "2026-10"
    table = generate("vnm", 400, month, seed=5).to_pandas()
    men = table["sex"] == "male"
    table.loc[men, "birth_date"] = datetime.date(1964, 1, 10)
    table.loc[men, "old_age_claim_date"] = datetime.date(2025, 6, 1)
    table.loc[men, "contribution_months"] = 300
    path = _reform(tmp_path / "age_738.yaml", "vnm", "old_age.pensionable_age.men", "2016-01-01", "738", "738")
    compared = compare(table, month, str(path), "vnm")
    assert compared.branches.set_index("branch").loc["old_age", "losers"] > 0
    assert not any(note.startswith(("the reform sets no value", NO_ONE)) for note in compared.meta["notes"])


def test_a_reform_that_changes_results_but_no_amount_of_the_month_is_not_said_to_change_nothing(table, tmp_path):
    """The note is of every result, not only of the amounts payable in the month: a maternity benefit paid 7 months
    instead of 6 for a birth on 1 October changes its durations and benefit periods, not October's payments (Viet
    Nam's, counted in months: Lao PDR's, in days, has no cost, no source saying what a day pays)."""
    births = table["child_birth_date"].notna()
    first = table.assign(child_birth_date=table["child_birth_date"].where(~births, pd.Timestamp(f"{MONTH}-01")))
    path = _reform(tmp_path / "longer.yaml", "vnm", "maternity.duration.single_birth", "2026-01-01", "7", "longer")
    longer = compare(first, MONTH, str(path), "vnm")
    maternity = longer.branches.set_index("branch").loc["maternity"]
    assert maternity["reform_beneficiaries"] > 0 and maternity["winners"] == 0 and maternity["losers"] == 0
    assert not any(note.startswith(NO_ONE) for note in longer.meta["notes"])


def test_a_cut_makes_losers(table, tmp_path):
    path = _reform(tmp_path / "cut.yaml", "vnm", "maternity.benefit_rate", "2026-01-01", "0.5", "cut")  # priced
    maternity = compare(table, MONTH, str(path), "vnm").branches.set_index("branch").loc["maternity"]
    assert maternity["losers"] > 0 and maternity["winners"] == 0
    assert maternity["cost_change"] < 0
    assert maternity["losses"] == pytest.approx(-maternity["cost_change"], rel=1e-9)


def test_results_do_not_depend_on_chunks(table, social_pension):
    chunked = compare(table, MONTH, "r202_social_pension", "lao", chunk_persons=777)
    for name, frame in social_pension.tables.items():
        pd.testing.assert_frame_equal(frame, chunked.tables[name], rtol=1e-12, obj=name)


def test_the_comparison_is_json_with_its_rules_version_and_notes(social_pension):
    data = json.loads(json.dumps(social_pension.to_dict()))
    assert data["meta"]["rules"]["package"] == "openfisca-sp"
    assert data["meta"]["month"] == MONTH
    assert data["meta"]["reform"]["references"][0]["article"].startswith("Para 5(d)")
    assert any("is_unemployed" in note for note in data["meta"]["notes"])
    assert set(data["breakdowns"]) == {"sex", "age_group", "income_decile"}


@given(st.lists(st.integers(-5, 150) | st.floats(-5, 150), min_size=1, max_size=30))
def test_an_age_falls_in_the_group_whose_bounds_hold_it(ages: list) -> None:
    """The group looked up by age is the one whose lower bound the completed years reach and the next does not."""
    completed = [max(int(age), 0) if age >= 0 else 0 for age in ages]
    expected = [max(i for i, (lower, _) in enumerate(AGE_GROUPS) if lower <= age) for age in completed]
    for kind in (np.int32, np.int64, np.float64):
        if kind is not np.float64 and any(isinstance(age, float) for age in ages):
            continue
        assert age_group_of(np.array(ages, dtype=kind)).tolist() == expected


MONEY = ("baseline_cost", "reform_cost", "cost_change", "gains", "losses")


def _in_cents(frame: pd.DataFrame) -> None:
    """Every money figure of a table is a whole number of the currency's smallest unit (two decimals)."""
    for column in MONEY:
        figures = frame[column].dropna().to_numpy(dtype=float)
        assert np.array_equal(figures, round_money(figures, 2)), (column, figures[figures != round_money(figures, 2)])


def test_money_figures_are_rounded_to_the_currency_s_smallest_unit():
    """An analyst: a Python reform with Tajikistan's divisor 150 gave cost_change = 5311.0999999999985 while
    gains = 5311.1; the costs, gains and losses, by branch and in every breakdown, were float sums with no rounding.
    They are now to the diram, the change the difference of the costs so rounded."""
    month = "2024-03"
    table = generate("tjk", 3000, month, seed=3).to_pandas().assign(old_age_claim_date=None)
    long = (table["contribution_months"] >= 300) | (pd.to_datetime(table["birth_date"]) > "1970-01-01")
    table = table[long].reset_index(drop=True).assign(household_id=lambda frame: frame["person_id"])
    table = table.assign(is_household_head=True)

    class Divisor150(Reform):
        def apply(self) -> None:
            def divide(parameters):
                parameters.old_age.insurance_part.divisor.update(start=periods.instant("2013-01-01"), value=150)
                return parameters

            self.modify_parameters(divide)

    comparison = compare(table, month, Divisor150, "tjk")
    old_age = comparison.branches.set_index("branch").loc["old_age"]
    assert old_age["cost_change"] > 0 and old_age["gains"] == old_age["cost_change"]
    assert old_age["cost_change"] == round_money(old_age["reform_cost"] - old_age["baseline_cost"], 2)
    _in_cents(comparison.branches)
    for dimension in ("sex", "age_group", "income_decile"):
        _in_cents(comparison.breakdown(dimension))


def test_an_unknown_breakdown_names_the_known_ones(social_pension):
    """An analyst's review: ``comparison.breakdown("region")`` raised a bare ``KeyError: 'region'``."""
    with pytest.raises(
        ValueError, match=r"^unknown breakdown 'region': expected one of sex, age_group, income_decile$"
    ):
        social_pension.breakdown("region")
    assert not social_pension.breakdown("age_group").empty
