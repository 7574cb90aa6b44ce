"""A decision's outcome is the first that holds: not modelled, not provided by law, undetermined (a fact is
missing), eligible, not eligible."""

from __future__ import annotations

import numpy as np

from openfisca_sp.decisions import Outcome
from openfisca_sp.decisions.branch_decisions import _outcome
from openfisca_sp.rules.enums import NOT_MODELLED
from openfisca_sp.rules.enums import IneligibilityReason as Reason


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
