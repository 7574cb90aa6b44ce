"""Claims whose own case has no source (a pregnancy loss in Viet Nam: SI Law 2014 Art 33 was not read) are decided
as not modelled, person by person, and a population's totals say that they leave them out rather than counting
them as refused."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from openfisca_sp.analysis import compare
from openfisca_sp.analysis.aggregates import PARTLY_PRICED_NOTE
from openfisca_sp.cli import main
from openfisca_sp.population import simulate
from openfisca_sp.population.claims_notes import CASES, claims_note
from openfisca_sp.population.totals import (
    DAYS_UNPRICED,
    LUMP_SUMS_MODELLED,
    LUMP_SUMS_UNTOLD,
    PARTLY_PRICED,
    PERIODS_UNTOLD,
    UNDECIDED,
)
from openfisca_sp.rules.enums import IneligibilityReason as Reason
from openfisca_sp.rules.wording import count_text
from openfisca_sp.synthetic import generate

MONTH = "2026-10"


def _maternity(totals) -> dict:
    row = totals.set_index("branch").loc["maternity"].to_dict()
    return {**row, "note": row["note"] if isinstance(row["note"], str) else None}  # pandas: NaN beside texts


@pytest.mark.parametrize(("code", "left_out"), [("vnm", True), ("lao", False)])
def test_pregnancy_losses_are_not_modelled_where_their_rules_were_not_read_and_the_totals_say_so(code, left_out):
    table = generate(code, 3000, MONTH, seed=3)
    results = simulate(table, MONTH)
    losses = np.asarray(table["pregnancy_outcome"].to_numpy(zero_copy_only=False) == "pregnancy_loss")
    women = np.asarray(table["sex"].to_numpy(zero_copy_only=False) == "female")
    assert (losses & women).sum() > 0
    reasons = results.columns["maternity_benefit_ineligibility_reason"]
    unmodelled = reasons == Reason.outcome_not_modelled.index
    if left_out:  # Viet Nam: every woman's pregnancy loss, none paid; and only those
        assert np.array_equal(unmodelled, losses & women)
        assert not results.columns["maternity_benefit_eligible"][unmodelled].any()
    else:  # Lao PDR: the NSSF's rules for a pregnancy loss are modelled
        assert not unmodelled.any()
    totals = _maternity(results.totals())
    # Lao PDR: the note says why the cost is not modelled (what a day of the allowance pays), not claims left out
    loss = claims_note([CASES[Reason.outcome_not_modelled]])
    assert (totals["note"] == loss) if left_out else totals["note"].startswith(f"{PARTLY_PRICED}: ")
    # Viet Nam: the claims modelled are still costed. Lao PDR: what a day of the monthly allowance pays is in no
    # Lao source (law audit §4), so the cost of 105 days of it is not modelled
    assert pd.notna(totals["cost"]) == left_out
    rows = compare(table, MONTH, "r202_social_pension").branches.set_index("branch")["note"]
    assert (rows["maternity"] == loss) if left_out else loss not in str(rows["maternity"])  # simulate's row note


def test_a_cost_not_modelled_in_full_says_what_the_others_are_paid():
    """An outside review: Tajikistan's old-age cost read "not modelled" and nothing more, though most pensions
    have an amount: the amount is modelled from 7 February 2024 only. The note says who has no formula, and what
    the others are paid, in the month and over the year. A second review: the lump sum below the qualifying
    period, Viet Nam's, was owed to every Tajik refused for too short a career, and blocked the cost."""
    table = generate("tjk", 1500, "2024-03", seed=7)
    results = simulate(table, "2024-03")
    columns, weights = results.columns, results.weights
    paid = columns["old_age_pension_eligible"].astype(bool)
    priced = paid & columns["old_age_pension_amount_modelled"].astype(bool)
    assert priced.any() and (paid & ~priced).any()  # some amounts modelled, not all
    row = results.totals().set_index("branch").loc["old_age"]
    assert pd.isna(row["cost"]) and not row["amount_modelled"]
    others = float(np.dot(weights[priced], columns["old_age_pension"][priced]))
    unpriced = float(weights[paid & ~priced].sum())
    assert row["note"].startswith(f"cost not modelled: the amounts of {count_text(unpriced)} of the ")
    assert row["note"].endswith(f"what the others are paid is {others:,.2f}")  # TJS to the diram
    # no source says whether Tajik law pays a lump sum below the qualifying period: not counted, and said where
    # one would fall due in the month (a claim dated in it); the table's refusals are undated, and pay none
    short = columns["old_age_pension_ineligibility_reason"] == Reason.insufficient_contributions.index
    assert short.any() and np.isnat(columns["old_age_pension_claim_date"][short]).all()
    assert not columns["old_age_lump_sum_entitled"].any() and row["lump_sums"] == 0
    dates = table.column("old_age_claim_date").to_numpy(zero_copy_only=False).astype("datetime64[D]")
    dated = table.set_column(
        table.schema.get_field_index("old_age_claim_date"),
        "old_age_claim_date",
        pa.array(np.where(short, np.datetime64("2024-03-10"), dates), pa.date32()),
    )
    claimed = simulate(dated, "2024-03")
    refused = claimed.columns["old_age_pension_ineligibility_reason"] == Reason.insufficient_contributions.index
    claimed_row = claimed.totals().set_index("branch").loc["old_age"]
    untold = f"{LUMP_SUMS_UNTOLD} to {count_text(weights[refused].sum())} persons refused for too short a career"
    assert (refused == short).all() and claimed_row["note"].endswith(f"; {untold}")
    assert pd.isna(claimed_row["lump_sums"])  # whether any is owed is not known, never 0
    year = results.cost_over_year().set_index("branch").loc["old_age", "note"]
    assert year.startswith("cost not modelled in 12 of the 12 months: some amounts or lump sums owed")
    notes = compare(table, "2024-03", "r202_social_pension").meta["notes"]
    assert f"old_age (baseline): {PARTLY_PRICED_NOTE}" in notes  # the comparison says it too, without figures


def test_lump_sums_computed_are_given_where_the_periodical_part_is_not_and_each_row_says_what_is_not_modelled(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A user review: on sample:lao, every birth grant (60% of the 6-month average wage per child) is computed, yet
    the maternity row's lump sums read "not modelled" because what a day of the monthly allowance pays is not; and
    the maternity and unemployment rows said nothing of why their cost is not modelled."""
    results = simulate("sample:lao", MONTH, "lao")
    totals = results.totals().set_index("branch")
    columns, weights = results.columns, results.weights
    due = columns["maternity_benefit_claim_date"].astype("datetime64[M]") == np.datetime64(MONTH)
    grants = float(np.dot(weights[due], columns["birth_grant"][due]))
    maternity = totals.loc["maternity"]
    assert grants > 0 and maternity["lump_sums"] == pytest.approx(grants, rel=1e-12)
    # the cost and the periodical part stay not modelled: what a part month of a claim in days pays has no source
    assert pd.isna(maternity["cost"]) and pd.isna(maternity["periodical_benefits"])
    assert pd.isna(maternity["average_benefit"]) and not maternity["amount_modelled"]
    days = columns["maternity_benefit_eligible"] & np.isnan(columns["maternity_benefit_days_a_month"])
    assert f"{DAYS_UNPRICED}: the claims granted to " in maternity["note"] and days.any()
    assert maternity["note"].startswith(f"{PARTLY_PRICED}: ") and maternity["note"].endswith(LUMP_SUMS_MODELLED)
    # unemployment: no lump sum in the law (0, told); its benefit period is not modelled, and the note says so
    unemployment = totals.loc["unemployment"]
    assert unemployment["lump_sums"] == 0 and pd.isna(unemployment["cost"])
    assert unemployment["note"] == f"{PARTLY_PRICED}: {PERIODS_UNTOLD}: the claims granted to 3,349.35 persons"
    # old age: no source says whether its lump sum is owed to those refused; none is dated in the month, so none
    # falls due in it (an undated claim pays none): 0, told
    old_age = totals.loc["old_age"]
    assert old_age["lump_sums"] == 0
    assert (
        old_age["note"]
        == f"{PARTLY_PRICED}: the amounts of all 15,258.15 beneficiaries have no formula at their claims' dates"
    )
    assert totals.loc["disability", "note"] == UNDECIDED and pd.isna(totals.loc["disability", "lump_sums"])
    year = results.cost_over_year().set_index("branch").loc["maternity"]
    assert year["lump_sums"] > grants and pd.isna(year["cost"]) and pd.isna(year["periodical_benefits"])
    assert year["note"] == f"{PARTLY_PRICED} in 12 of the 12 months: {PERIODS_UNTOLD}; {DAYS_UNPRICED}"
    assert main(["simulate", "sample:lao", "--month", MONTH, "--no-progress"]) == 0
    printed = capsys.readouterr().out.splitlines()
    row = next(line for line in printed if line.split()[:1] == ["maternity"])
    assert f"not modelled {grants:,.0f} not modelled" in " ".join(row.split())
    assert f"maternity: {maternity['note']}" in printed and f"disability: {UNDECIDED}" in printed
    rows = compare(generate("lao", 2000, MONTH, seed=3), MONTH, "r202_social_pension").branches.set_index("branch")
    note = rows.loc["maternity", "note"]  # the comparison's row says it too, without figures
    assert note.startswith(f"{PARTLY_PRICED} (baseline and reform): ") and note.endswith(DAYS_UNPRICED)
    assert rows.loc["unemployment", "note"] == f"{PARTLY_PRICED} (baseline and reform): {PERIODS_UNTOLD}"


def _lao_2011(refusal_date: str | None) -> pd.DataFrame:
    """Lao PDR under Decree 207/PM (the lump sum provided, its formula not found): two pensions in payment, undated
    (10 and 25 points), and a man refused the pension (59 months) whose claim is dated ``refusal_date``."""
    months = [str(month) for month in pd.period_range("2010-01", "2011-12", freq="M")]
    wages = {"P1": 1_200_000, "P2": 2_000_000, "P3": 1_000_000}
    table = pd.DataFrame(
        {
            "person_id": list(wages),
            "household_id": ["H1", "H2", "H3"],
            "birth_date": ["1952-01-01", "1951-06-01", "1951-06-01"],
            "sex": "male",
            "contribution_months": [60, 120, 59],
            "pension_points": [10, 25, 10],
            "number_of_children_born": 0,
            "old_age_claim_date": [None, None, refusal_date],
        }
    )
    return table.assign(**{f"insured_wage.{month}": list(wages.values()) for month in months})


def test_a_lump_sum_with_no_formula_leaves_only_the_month_it_falls_due_in_not_modelled():
    """An analyst's review: a Lao lump sum owed with no formula (before 2014), due on 15 December 2011, made the
    old-age cost "not modelled" in every month of costs_by_month, and an undated refusal, which pays no lump sum,
    made the month's cost not modelled too. The pensions (180,000 + 562,500) are modelled in every month."""
    pensions = 180_000 + 562_500  # 10 and 25 points of 1.5% of the wage (capped at 1,500,000)
    dated = simulate(_lao_2011("2011-12-15"), "2012-01", "lao")
    assert dated.columns["old_age_lump_sum_entitled"][2] and not dated.columns["old_age_lump_sum_modelled"][2]
    by_month = dated.costs_by_month(12).set_index(["branch", "month"]).loc["old_age"]
    assert pd.isna(by_month.loc["2011-12", "cost"]) and pd.isna(by_month.loc["2011-12", "lump_sums"])
    assert by_month.loc["2011-12", "note"].startswith(f"{PARTLY_PRICED}: the lump sums owed to 1 person")
    others = by_month.drop(index="2011-12")
    assert (others["cost"] == pensions).all() and (others["lump_sums"] == 0).all() and others["note"].isna().all()
    year = dated.cost_over_year().set_index("branch").loc["old_age"]
    assert pd.isna(year["cost"]) and year["note"].startswith(f"{PARTLY_PRICED} in 1 of the 12 months")
    undated = simulate(_lao_2011(None), "2012-01", "lao").totals().set_index("branch").loc["old_age"]
    assert undated["cost"] == pensions and undated["lump_sums"] == 0 and undated["amount_modelled"]
    rows = compare(_lao_2011(None), "2012-01", "r202_social_pension", "lao").branches.set_index("branch")
    assert rows.loc["old_age", "baseline_cost"] == pensions and pd.isna(rows.loc["old_age", "note"])


def test_compare_says_a_branch_with_no_source_is_not_modelled_as_simulate_does(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``compare`` on ``sample:tjk`` printed "not modelled" for maternity, unemployment and disability with no note
    saying why, where ``simulate`` says that no rule of these branches has a source at the month; a side with no
    source alone is named (the Tajik C183 reform gives maternity one)."""
    table = generate("tjk", 2000, MONTH, seed=3)
    said = simulate(table, MONTH).totals().set_index("branch")["note"]
    rows = compare(table, MONTH, "r202_social_pension").branches.set_index("branch")
    for code in ("maternity", "unemployment", "disability"):
        assert said[code] == UNDECIDED and rows.loc[code, "note"] == UNDECIDED
    rows = compare(table, MONTH, "tjk_maternity_c183").branches.set_index("branch")
    claims = claims_note([CASES[Reason.not_modelled], CASES[Reason.outcome_not_modelled]], ["reform"])
    assert rows.loc["maternity", "note"] == f"{claims}; {UNDECIDED} (baseline)"  # the reform's claims, as simulate
    assert main(["compare", "sample:tjk", "--reform", "r202_social_pension", "--no-progress"]) == 0
    assert f"disability: {UNDECIDED}" in capsys.readouterr().out.splitlines()
