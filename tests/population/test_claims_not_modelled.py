"""Claims whose own case has no source (a pregnancy loss in Viet Nam: SI Law 2014 Art 33 was not read) are decided
as not modelled, person by person, and a population's totals say that they leave them out rather than counting
them as refused."""

from __future__ import annotations

import numpy as np
import pytest

from openfisca_sp.analysis import compare
from openfisca_sp.population import simulate
from openfisca_sp.population.totals import CLAIMS_NOT_MODELLED
from openfisca_sp.rules.enums import IneligibilityReason as Reason
from openfisca_sp.synthetic import generate

MONTH = "2026-10"


def _maternity(totals) -> dict:
    return totals.set_index("branch").loc["maternity"].to_dict()


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
    assert totals["cost"] is not None  # the claims modelled are still costed
    notes = compare(table, MONTH, "r202_social_pension").meta["notes"]
    assert any(note.startswith("maternity (baseline): some claims are not modelled") for note in notes) == left_out
