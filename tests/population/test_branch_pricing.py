"""A branch's pricing (:func:`~openfisca_sp.analysis.branch_amounts.pricing`) found over the rows a claim may pay is
what the straightforward look over every row gives: the amounts' formulas, the lump sums owed, the schedules, in
populations where some of each are not told."""

from __future__ import annotations

import numpy as np
import pytest

from openfisca_sp.analysis.branch_amounts import UNPRICED_PARTS, pricing
from openfisca_sp.population import simulate
from openfisca_sp.population.payments import claimants_of, month_payments, schedule_parts
from openfisca_sp.population.totals import (
    amount_formulas_known,
    amounts_modelled,
    lump_sum_formulas_known,
    owed_unknown_weight,
    unpriced_weight,
)
from openfisca_sp.synthetic import generate

MONTH = "2026-10"


def _straightforward(columns, branch, paid, schedule) -> tuple:
    """The pricing as every row tells it, one function after another."""
    ones = np.ones(len(paid))
    unpriced, owed = unpriced_weight(ones, columns, branch, paid), owed_unknown_weight(ones, columns, branch, MONTH)
    partly = bool(unpriced or owed) and unpriced < paid.sum() and not schedule.any.any()
    found = (
        not amount_formulas_known(columns, branch),
        bool(schedule.period.any()),
        bool((schedule.days & ~schedule.period).any()),
        not lump_sum_formulas_known(columns, branch, MONTH),
    )
    parts = tuple(part for part, present in zip(UNPRICED_PARTS, found, strict=True) if present)
    return amounts_modelled(columns, branch, MONTH, schedule), partly, parts


def _untold(columns: dict, branch, rng: np.random.Generator) -> dict:
    """``columns`` with some of those granted or refused left without a formula (amount or lump sum owed)."""
    changed = dict(columns)
    if branch.amount_modelled:
        changed[branch.amount_modelled] = columns[branch.amount_modelled] & (
            rng.random(len(columns[branch.eligible])) > 0.3
        )
    for name in branch.lump_sums:
        entitled = columns[f"{name}_entitled"].astype(bool) | (rng.random(len(columns[branch.eligible])) > 0.9)
        changed[f"{name}_entitled"] = entitled
        changed[f"{name}_modelled"] = columns[f"{name}_modelled"].astype(bool) & (rng.random(len(entitled)) > 0.5)
    return changed


@pytest.mark.parametrize("jurisdiction", ["vnm", "lao", "tjk"])
def test_pricing_over_the_claimants_is_pricing_over_every_row(jurisdiction: str) -> None:
    results = simulate(generate(jurisdiction, 3_000, MONTH, seed=7), MONTH, jurisdiction)
    rng = np.random.default_rng(11)
    seen = set()
    for branch in results.branches:
        for columns in (results.columns, _untold(results.columns, branch, rng)):
            claimants = claimants_of(columns, branch)
            paid = month_payments(columns, branch, MONTH, 0, claimants).paid
            schedule = schedule_parts(columns, branch, MONTH, claimants)
            found = pricing(columns, branch, MONTH, paid, schedule, claimants)
            alone = pricing(columns, branch, MONTH, paid, schedule)  # over every row
            expected = _straightforward(columns, branch, paid, schedule)
            for priced in (found, alone):
                assert (priced.amount_modelled, priced.partly_priced, priced.unpriced) == expected, branch.code
                assert type(priced.partly_priced) is type(expected[1])
            seen.add((expected[0], bool(expected[1]), bool(expected[2])))
    assert len(seen) > 1  # some branches told, some not
