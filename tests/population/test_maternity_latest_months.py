"""Viet Nam's maternity reference wage averages the 6 latest months with contributions, a gap skipped (Circular
59/2015 Art 12(1)(a)): the population engine gives each mother with gaps and changing wages the decision, amount and
provisional flag that the Python API (and /eligibility) gives her alone."""

from __future__ import annotations

import datetime

import numpy as np
import pytest

from openfisca_sp import tax_benefit_system
from openfisca_sp.decisions import Outcome, decide_claims
from openfisca_sp.population import simulate
from tests.population.fixtures import ENUMS, inputs_table, person_record
from tests.synthetic import months_before, persons

MONTH = "2026-10"
COUNT = 48


def _mothers(seed: int) -> dict:
    """``persons()``'s inputs made women with a live birth on the month's first day, a wage that changes each month
    (below every ceiling since 2024: 20 × 2,340,000) and months without contributions (about 1 in 3), some of whom
    rested on prescription."""
    rng = np.random.default_rng(seed)
    inputs = persons(COUNT, MONTH, seed)
    period = MONTH
    inputs[("sex", "ETERNITY")] = np.full(COUNT, ENUMS["sex"].female.index)
    inputs[("pregnancy_outcome", period)] = np.full(COUNT, ENUMS["pregnancy_outcome"].live_birth.index)
    inputs[("number_of_children_born", period)] = np.ones(COUNT, dtype=int)
    inputs[("child_birth_date", period)] = np.full(COUNT, np.datetime64(f"{MONTH}-01"))
    inputs[("rested_during_pregnancy_on_prescription", period)] = rng.random(COUNT) < 0.5
    history = [key for key in inputs if key[0] == "insured_wage"]
    for key in history:
        wage = np.round(rng.uniform(4_000_000, 40_000_000, COUNT), -3)
        inputs[key] = np.where(rng.random(COUNT) < 0.35, 0.0, wage)
    paid = sum((inputs[key] > 0).astype(int) for key in history)
    inputs[("contribution_months", period)] = paid + rng.integers(0, 40, COUNT)
    return inputs


@pytest.mark.parametrize("seed", [5, 21])
def test_mothers_with_gaps_get_alone_what_the_population_gives_them(seed):
    inputs = _mothers(seed)
    system = tax_benefit_system("vnm")
    results = simulate(inputs_table(inputs, MONTH), MONTH, system).columns
    eligible = results["maternity_benefit_eligible"]
    skipped = 0
    for row in range(COUNT):
        alone = decide_claims(system, [person_record(inputs, MONTH, row)], datetime.date(2026, 10, 1), ("maternity",))
        decided = alone.branches["maternity"]
        assert (decided.outcome[0] == Outcome.eligible) == bool(eligible[row]), row
        assert bool(decided.provisional[0]) == bool(results["maternity_benefit_provisional"][row]), row
        if eligible[row]:
            assert decided.amount[0] == pytest.approx(float(results["maternity_benefit"][row]), abs=0.5), row
        wages = [inputs[("insured_wage", month)][row] for month in months_before(MONTH, 6)]
        skipped += bool(eligible[row]) and 0 < sum(wage == 0 for wage in wages) < 6
    assert skipped  # some eligible mothers had a month without contributions among the 6 before the birth


def test_a_gap_is_skipped_not_counted_as_zero():
    inputs = _mothers(5)
    results = simulate(inputs_table(inputs, MONTH), MONTH, tax_benefit_system("vnm")).columns
    for row in np.flatnonzero(results["maternity_benefit_eligible"]):
        paid = [wage for month in reversed(months_before(MONTH, 12)) if (wage := inputs[("insured_wage", month)][row])]
        assert float(results["maternity_benefit"][row]) == pytest.approx(np.mean(paid[:6]), abs=0.5), row
