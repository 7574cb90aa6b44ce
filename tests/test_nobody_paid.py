"""A branch none of whose claims in a batch is paid (each refused, undetermined or not modelled) tells no
amount, duration, waiting period or benefit period, and does not compute them; its claims are decided as
they are beside a claim that is paid."""

from __future__ import annotations

import datetime

import numpy as np
import pytest

from openfisca_sp import tax_benefit_system
from openfisca_sp.decisions import decide_claims
from openfisca_sp.decisions.outcomes import Outcome
from openfisca_sp.rules import cached_reads
from openfisca_sp.rules.branches import BRANCHES

AS_OF = datetime.date(2024, 6, 15)
WAGES = {f"2024-{month:02d}": 3_000_000.0 for month in range(1, 6)} | {"2023-12": 3_000_000.0}
PENSIONER = {  # of pensionable age with a long career: paid an old-age pension in Lao PDR and Viet Nam
    "birth_date": "1950-01-10",
    "sex": "male",
    "contribution_months": 420,
    "insured_wage": WAGES,
    "old_age_claim_date": "2024-06-01",
}
YOUNG = {"birth_date": "1995-03-01", "sex": "female", "contribution_months": 30}  # no wages: amounts' facts lacking
FIELDS = ("outcome", "reason", "amount", "duration", "duration_unit", "frequency", "start", "end", "provisional")


def _decided(code: str, records: list[dict], branches: list[str]) -> tuple[dict, set[str]]:
    """The decisions, and the variables the rules computed or read for them."""
    asked: set[str] = set()
    calculate = cached_reads.RulesSimulation.calculate

    def recording(simulation, variable_name, period):
        if type(simulation).calculate is recording:  # a decision's, not the call graph's of missing facts
            asked.add(variable_name)
        return calculate(simulation, variable_name, period)

    cached_reads.RulesSimulation.calculate = recording
    try:
        return decide_claims(tax_benefit_system(code), records, AS_OF, branches).branches, asked
    finally:
        cached_reads.RulesSimulation.calculate = calculate


@pytest.mark.parametrize("code", ["lao", "vnm"])
def test_a_branch_nobody_is_paid_computes_no_amount_and_decides_as_beside_one_paid(code: str) -> None:
    branches = ["old_age", "unemployment"]
    alone, asked_alone = _decided(code, [YOUNG], branches)
    beside, asked_beside = _decided(code, [PENSIONER, YOUNG], branches)
    assert beside["old_age"].outcome[0] == Outcome.eligible  # the pensioner is paid: amounts are computed
    assert not np.isnat(beside["old_age"].start[0])  # its benefit period is told
    # its amount is computed where it can be told (not in Lao PDR, whose amount is not modelled; in Viet Nam the
    # career-average wage is not stated, and the amount is computed only to try it at both ends: unstated_amounts)
    if not np.isnan(beside["old_age"].amount[0]):
        assert BRANCHES["old_age"].benefit in asked_beside
    for code_ in branches:
        benefit = BRANCHES[code_].benefit
        assert alone[code_].outcome[0] != Outcome.eligible
        assert f"{benefit}_duration" not in asked_alone
        if not BRANCHES[code_].lump_sums:  # a lump sum may read the benefit (old age's, after a short career)
            assert benefit not in asked_alone
        for field in FIELDS:
            found, expected = getattr(alone[code_], field)[0], getattr(beside[code_], field)[1]
            assert found == expected or (found != found and expected != expected), (code_, field, found, expected)
        for facts in ("missing_for_decision", "missing_for_amount"):
            told_alone = [fact.label for fact in getattr(alone[code_], facts) if fact.lacking[0]]
            assert told_alone == [fact.label for fact in getattr(beside[code_], facts) if fact.lacking[1]], facts
        assert np.isnan(alone[code_].amount[0]) and np.isnat(alone[code_].start[0]) and np.isnat(alone[code_].end[0])
        waiting = alone[code_].waiting_days
        assert (waiting is None) == (BRANCHES[code_].waiting_days is None)
        if waiting is not None:
            assert np.isnan(waiting[0]) and np.isnan(beside[code_].waiting_days[1])
