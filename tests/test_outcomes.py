"""A decision's outcome is the first that holds: not modelled, not provided by law, undetermined (a fact is
missing), eligible, not eligible."""

from __future__ import annotations

import datetime

import numpy as np
import pytest

from openfisca_sp import tax_benefit_system
from openfisca_sp.decisions import Outcome, decide_claims
from openfisca_sp.decisions.branch_decisions import _outcome
from openfisca_sp.rules.enums import NOT_MODELLED
from openfisca_sp.rules.enums import IneligibilityReason as Reason
from tests.api.test_eligibility import _synthetic


def _expected(reason: Reason, undecided: bool) -> Outcome:
    if reason in NOT_MODELLED:  # the branch, or the person's case (an outcome, an early or reduced pension)
        return Outcome.not_modelled
    if reason is Reason.not_provided_by_law:
        return Outcome.not_provided_by_law
    if undecided:
        return Outcome.undetermined
    return Outcome.eligible if reason is Reason.eligible else Outcome.not_eligible


def test_every_reason_with_and_without_a_missing_fact_gets_the_first_outcome_that_holds() -> None:
    cases = [(reason, undecided) for reason in Reason for undecided in (False, True)]
    reasons = np.array([reason.index for reason, _ in cases], dtype=np.int16)
    undecided = np.array([flag for _, flag in cases])
    found = _outcome(reasons, undecided)
    assert found.tolist() == [int(_expected(reason, flag)) for reason, flag in cases]
    for one, (reason, flag) in enumerate(cases):  # one person at a time, as a one-person request decides
        assert _outcome(reasons[one : one + 1], undecided[one : one + 1]).tolist() == [int(_expected(reason, flag))]


@pytest.mark.parametrize("code", ["lao", "vnm", "tjk", "ilo_c102"])
def test_an_undetermined_decision_is_not_provisional(code: str) -> None:
    """Nothing undetermined rests on an unverified value (its legal basis is none): persons stating some facts
    only, on dates whose rules hold unverified values (Lao PDR's old age and maternity, ILO C102's unemployment…)."""
    system = tax_benefit_system(code)
    persons = [
        {name: value for name, value in person.items() if name not in ("identifier", "household_identifier")}
        for person in _synthetic(200, seed=3)
    ]
    undetermined = 0
    for as_of in (datetime.date(2012, 1, 15), datetime.date(2024, 6, 15), datetime.date(2026, 8, 1)):
        for branch in decide_claims(system, persons, as_of).branches.values():
            unknown = branch.outcome == Outcome.undetermined
            assert not branch.provisional[unknown].any(), (as_of, branch.branch.code)
            undetermined += int(unknown.sum())
    assert undetermined > 50
