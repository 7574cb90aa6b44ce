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
from openfisca_sp.rules.latest_months import MONTHS_BACK
from tests.population.fixtures import ENUMS, inputs_table, mothers_table, person_record
from tests.synthetic import months_before, persons

MONTH = "2026-10"
COUNT = 48


def _mothers(seed: int, any_day: bool = False) -> dict:
    """``persons()``'s inputs made women with a live birth on the month's first day (``any_day``: on any day, with
    the wage of the month of the birth stated too), a wage that changes each month (below every ceiling since 2024:
    20 × 2,340,000) and months without contributions (about 1 in 3), some of whom rested on prescription."""
    rng = np.random.default_rng(seed)
    inputs = persons(COUNT, MONTH, seed)
    period = MONTH
    inputs[("sex", "ETERNITY")] = np.full(COUNT, ENUMS["sex"].female.index)
    inputs[("pregnancy_outcome", period)] = np.full(COUNT, ENUMS["pregnancy_outcome"].live_birth.index)
    inputs[("number_of_children_born", period)] = np.ones(COUNT, dtype=int)
    inputs[("child_birth_date", period)] = np.full(COUNT, np.datetime64(f"{MONTH}-01"))
    inputs[("rested_during_pregnancy_on_prescription", period)] = rng.random(COUNT) < 0.5
    if any_day:  # a birth on or after the 15th counts its month where contributed (Circular 59/2015 Art 9(1))
        days = rng.integers(0, 28, COUNT).astype("timedelta64[D]")
        inputs[("child_birth_date", period)] = np.datetime64(f"{MONTH}-01") + days
        inputs[("insured_wage", period)] = np.zeros(COUNT)
    history = [key for key in inputs if key[0] == "insured_wage"]
    for key in history:
        wage = np.round(rng.uniform(4_000_000, 40_000_000, COUNT), -3)
        inputs[key] = np.where(rng.random(COUNT) < 0.35, 0.0, wage)
    paid = sum((inputs[key] > 0).astype(int) for key in history if key[1] != period)  # the months before it
    inputs[("contribution_months", period)] = paid + rng.integers(0, 40, COUNT)
    return inputs


@pytest.mark.parametrize(("seed", "any_day"), [(5, False), (21, False), (8, True), (13, True)])
def test_mothers_with_gaps_get_alone_what_the_population_gives_them(seed, any_day):
    inputs = _mothers(seed, any_day)
    system = tax_benefit_system("vnm")
    results = simulate(inputs_table(inputs, MONTH), MONTH, system).columns
    eligible = results["maternity_benefit_eligible"]
    skipped = 0
    for row in range(COUNT):
        alone = decide_claims(system, [person_record(inputs, MONTH, row)], datetime.date(2026, 10, 31), ("maternity",))
        decided = alone.branches["maternity"]
        assert (decided.outcome[0] == Outcome.eligible) == bool(eligible[row]), row
        assert bool(decided.provisional[0]) == bool(results["maternity_benefit_provisional"][row]), row
        if eligible[row]:
            assert decided.amount[0] == pytest.approx(float(results["maternity_benefit"][row]), abs=0.5), row
        wages = [inputs[("insured_wage", month)][row] for month in months_before(MONTH, 6)]
        skipped += bool(eligible[row]) and 0 < sum(wage == 0 for wage in wages) < 6
    assert skipped  # some eligible mothers had a month without contributions among the 6 before the birth
    if any_day:  # some eligible mothers born on or after the 15th contributed that month: it counted
        born = inputs[("child_birth_date", MONTH)].astype("datetime64[D]")
        late = (born - np.datetime64(f"{MONTH}-01")).astype(int) >= 14
        assert (eligible & late & (inputs[("insured_wage", MONTH)] > 0)).any()


def test_a_gap_is_skipped_not_counted_as_zero():
    """Each eligible mother's benefit is the average of her 6 latest months with contributions, looked for back to
    the engine's bound (24 months, within the table's 28): some reach before the 12 months of the window."""
    inputs = _mothers(5)
    results = simulate(inputs_table(inputs, MONTH), MONTH, tax_benefit_system("vnm")).columns
    reaching = 0
    for row in np.flatnonzero(results["maternity_benefit_eligible"]):
        months = reversed(months_before(MONTH, MONTHS_BACK))
        paid = [wage for month in months if (wage := inputs[("insured_wage", month)][row])]
        assert float(results["maternity_benefit"][row]) == pytest.approx(np.mean(paid[:6]), abs=0.5), row
        window = [month for month in months_before(MONTH, 12) if inputs[("insured_wage", month)][row]]
        reaching += len(window) < 6
    assert reaching  # some averaged months before the 12 (after a prescribed rest)


def test_months_before_the_tables_history_read_as_none_and_the_amount_is_provisional():
    """A mother of a birth of March 2026, in a table of October 2026 whose wages start in 2024-10: her latest months
    with contributions are looked for 24 months back from March (2024-03), before the table's history. Those months
    are read as none, not refused as missing columns (they only change her amount, and say so): with 3 months in
    the 12 after a prescribed rest and 30 in all, she is averaged over the 3 found, provisionally."""
    table = mothers_table({"M1": 0.0}, {"M1": "2026-03-05"}, {"M1": 1.0})
    table = table.assign(
        **{f"insured_wage.{month}": [5_000_000.0] for month in ("2025-12", "2026-01", "2026-02")},
        contribution_months=30,
        rested_during_pregnancy_on_prescription=True,
        is_available_for_work=False,
        separation_reason="not_separated",
        career_average_insured_wage=5_000_000.0,
        is_disabled=False,
        disability_category=0,
    )
    results = simulate(table, MONTH, tax_benefit_system("vnm"))
    columns = results.columns
    assert bool(columns["maternity_benefit_eligible"][0]) and bool(columns["maternity_benefit_provisional"][0])
    assert float(columns["maternity_benefit"][0]) == 5_000_000
    assert any(note.startswith("insured_wage.2024-03 not given: no contributions") for note in results.assumptions)
