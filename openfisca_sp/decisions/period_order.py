"""No eligible claim's benefit period ends before it starts: a guard on the decisions answered.

Viet Nam's unemployment benefit was found eligible with 0 months (a period from 16 March to 15 March) where the
career total stated was below the insured months its window counted: facts now refused as contradicting each
other (:mod:`.consistency`). An inverted period can only come of a defect, in the rules or in that check: it is
raised, never answered. The decisions made again under values not stated (:mod:`.unstated_amounts` …) are
hypotheses, and are not held to it; the decisions they settle are.
"""

from __future__ import annotations

import numpy as np

from openfisca_sp.decisions.branch_decisions import Decisions
from openfisca_sp.decisions.outcomes import Outcome
from openfisca_sp.rules.small_arrays import anyone


class InvertedPeriodError(RuntimeError):
    """An eligible claim's benefit period ends before it starts: a defect, never an answer."""


def check_period_order(decisions: Decisions) -> None:
    """Raise :class:`InvertedPeriodError` where an eligible claim's benefit period ends before it starts."""
    for code, branch in decisions.branches.items():
        inverted = branch.end < branch.start  # False where either is NaT: every answer passes here
        if not inverted.any():
            continue
        inverted &= branch.outcome == Outcome.eligible
        if anyone(inverted):
            row = int(np.flatnonzero(inverted)[0])
            raise InvertedPeriodError(  # no date nor amount: the message may be logged, and logs hold no personal data
                f"{code}: the person at position {row} of the batch is eligible with a benefit period that ends before "
                "it starts: a defect of the rules or of the check of facts that contradict each other "
                "(openfisca_sp.decisions.consistency)"
            )
