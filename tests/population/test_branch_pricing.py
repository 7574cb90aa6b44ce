"""A branch's pricing (:func:`~openfisca_sp.analysis.branch_amounts.pricing`) found over the rows a claim may pay is
what the straightforward look over every row gives: the amounts' formulas, the lump sums owed, the schedules, in
populations where some of each are not told."""

from __future__ import annotations

import numpy as np
import pytest

from openfisca_sp.analysis.branch_amounts import pricing
from openfisca_sp.population import simulate
from openfisca_sp.population.payments import (
    claimant_payments,
    claimant_schedule,
    claimants_of,
    month_payments,
    schedule_parts,
)
from openfisca_sp.synthetic import generate
from tests.population.pricing_reference import straightforward_pricing

MONTH = "2026-10"


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
            paid = claimant_payments(claimants, branch, MONTH, 0).paid
            schedule = claimant_schedule(claimants, branch, MONTH)
            found = pricing(columns, branch, MONTH, claimants, paid, schedule)
            every = month_payments(columns, branch, MONTH, 0).paid
            expected = straightforward_pricing(columns, branch, every, schedule_parts(columns, branch, MONTH), MONTH)
            # an eligibility given as numbers (0 and 1): the flags would index as positions, so found over every row
            numbers = {**columns, branch.eligible: columns[branch.eligible].astype(np.int8)}
            as_numbers = pricing(numbers, branch, MONTH, claimants, paid, schedule)
            expected_numbers = straightforward_pricing(
                numbers, branch, every, schedule_parts(numbers, branch, MONTH), MONTH
            )
            for priced, wanted in ((found, expected), (as_numbers, expected_numbers)):
                assert (priced.amount_modelled, priced.partly_priced, priced.unpriced) == wanted, branch.code
                assert type(priced.partly_priced) is type(wanted[1])
            seen.add((expected[0], bool(expected[1]), bool(expected[2])))
    assert len(seen) > 1  # some branches told, some not
