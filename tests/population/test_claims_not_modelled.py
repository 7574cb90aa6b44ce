"""Claims whose own case has no source (a pregnancy loss in Viet Nam: SI Law 2014 Art 33 was not read) are decided
as not modelled, person by person, and a population's totals say that they leave them out rather than counting
them as refused."""

from __future__ import annotations

import numpy as np
import pytest

from openfisca_sp.analysis import compare
from openfisca_sp.analysis.aggregates import PARTLY_PRICED_NOTE
from openfisca_sp.population import simulate
from openfisca_sp.population.totals import CLAIMS_NOT_MODELLED, LUMP_SUMS_UNTOLD
from openfisca_sp.rules.enums import IneligibilityReason as Reason
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
    assert totals["note"] == (CLAIMS_NOT_MODELLED if left_out else None)
    # Viet Nam: the claims modelled are still costed. Lao PDR: what a day of the monthly allowance pays is in no
    # Lao source (law audit §4), so the cost of 105 days of it is not modelled
    assert (totals["cost"] is not None) == left_out
    notes = compare(table, MONTH, "r202_social_pension").meta["notes"]
    assert any(note.startswith("maternity (baseline): some claims are not modelled") for note in notes) == left_out


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
    assert row["cost"] is None and not row["amount_modelled"]
    others = float(np.dot(weights[priced], columns["old_age_pension"][priced]))
    unpriced = float(weights[paid & ~priced].sum())
    priced_note, _, untold_note = row["note"].rpartition("; ")
    assert priced_note.startswith(f"cost not modelled: the amounts of {unpriced:,.0f} of the ")
    assert priced_note.endswith(f"what the others are paid is {others:,.0f}")
    # no source says whether Tajik law pays a lump sum below the qualifying period: not counted, and said
    short = columns["old_age_pension_ineligibility_reason"] == Reason.insufficient_contributions.index
    assert not columns["old_age_lump_sum_entitled"].any()
    assert untold_note == f"{LUMP_SUMS_UNTOLD} to {weights[short].sum():,.0f} persons refused for too short a career"
    year = results.cost_over_year().set_index("branch").loc["old_age", "note"]
    assert year.startswith("cost not modelled in 12 of the 12 months: some amounts or lump sums owed")
    notes = compare(table, "2024-03", "r202_social_pension").meta["notes"]
    assert f"old_age (baseline): {PARTLY_PRICED_NOTE}" in notes  # the comparison says it too, without figures
