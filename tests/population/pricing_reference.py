"""A branch's pricing as every row tells it, one function after another: what
:func:`~openfisca_sp.analysis.branch_amounts.pricing`, found over the claimants' rows, must give."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from openfisca_sp.analysis.branch_amounts import UNPRICED_PARTS
from openfisca_sp.population.payments import ScheduleUnknown
from openfisca_sp.population.totals import (
    amount_formulas_known,
    amounts_modelled,
    lump_sum_formulas_known,
    owed_unknown_weight,
    unpriced_weight,
)
from openfisca_sp.rules.branches import Branch


def straightforward_pricing(
    columns: Mapping[str, np.ndarray], branch: Branch, paid: np.ndarray, schedule: ScheduleUnknown, month: str
) -> tuple[bool, bool, tuple[str, ...]]:
    """(amount modelled, partly priced, the parts not priced) over every row: ``paid`` and ``schedule`` are every
    row's (:func:`~openfisca_sp.population.payments.month_payments`, :func:`~.payments.schedule_parts`)."""
    ones = np.ones(len(paid))
    unpriced, owed = unpriced_weight(ones, columns, branch, paid), owed_unknown_weight(ones, columns, branch, month)
    partly = bool(unpriced or owed) and unpriced < paid.sum() and not schedule.any.any()
    found = (
        not amount_formulas_known(columns, branch),
        bool(schedule.period.any()),
        bool((schedule.days & ~schedule.period).any()),
        not lump_sum_formulas_known(columns, branch, month),
    )
    parts = tuple(part for part, present in zip(UNPRICED_PARTS, found, strict=True) if present)
    return amounts_modelled(columns, branch, month, schedule), partly, parts
