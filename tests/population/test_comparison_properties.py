"""What must hold for any reform: the cost change is gains less losses, and more generous law costs more."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openfisca_sp.analysis import compare
from openfisca_sp.population import simulate
from tests.population.fixtures import person_table

MONTH = "2026-10"
TABLE = person_table(2_000, MONTH, seed=21, household_size=3)


def rate_reform(tmp_path, rate: float, months: int) -> str:
    """A YAML reform setting Viet Nam's maternity rate and qualifying period (Viet Nam's maternity benefit is
    counted in months and priced; Lao PDR's, in days, has no cost: no source says what a day of it pays).

    The rate is written with a decimal point and a signed exponent: YAML 1.1 reads ``5e-324`` as text.
    """
    path = tmp_path / f"reform-{rate}-{months}.yaml"
    path.write_text(
        "label: property\njurisdiction: vnm\nreference:\n  - {instrument: a property test, article: none}\n"
        f"parameters:\n  maternity.benefit_rate:\n    2026-01-01: {rate:.17e}\n"
        f"  maternity.qualifying_period.minimum_months.live_birth:\n    2026-01-01: {months}\n"
    )
    return str(path)


@settings(max_examples=12, deadline=None)
@given(rate=st.floats(min_value=0, max_value=1), months=st.integers(min_value=0, max_value=24))
def test_the_cost_change_is_gains_less_losses(tmp_path_factory, rate, months):
    branches = compare(TABLE, MONTH, rate_reform(tmp_path_factory.mktemp("r"), rate, months), "vnm").branches
    for row in branches.itertuples():
        if row.cost_change is not None and not np.isnan(row.cost_change):
            # each of the four to the kip (weights are not whole numbers): within half a kip each
            assert row.cost_change == pytest.approx(row.gains - row.losses, rel=1e-9, abs=2.0)
            assert row.winners >= 0 and row.losers >= 0
        else:  # an amount not modelled: its winners and losers are not known, never 0
            assert pd.isna(row.winners) and pd.isna(row.losers)


@settings(max_examples=8, deadline=None)
@given(
    rates=st.tuples(st.floats(0, 1), st.floats(0, 1)).map(sorted),
    months=st.tuples(st.integers(0, 24), st.integers(0, 24)).map(sorted),
)
def test_a_higher_rate_and_a_shorter_qualifying_period_never_cost_less(tmp_path_factory, rates, months):
    folder = tmp_path_factory.mktemp("m")
    meaner = compare(TABLE, MONTH, rate_reform(folder, rates[0], months[1]), "vnm").branches.set_index("branch")
    kinder = compare(TABLE, MONTH, rate_reform(folder, rates[1], months[0]), "vnm").branches.set_index("branch")
    assert kinder.loc["maternity", "reform_cost"] >= meaner.loc["maternity", "reform_cost"]
    assert kinder.loc["maternity", "reform_beneficiaries"] >= meaner.loc["maternity", "reform_beneficiaries"]


@pytest.mark.parametrize("jurisdiction", ["lao", "vnm", "ilo_c102"])
def test_population_amounts_are_never_negative_and_only_paid_to_the_eligible(jurisdiction):
    results = simulate(TABLE, MONTH, jurisdiction)
    for branch in results.branches:
        amount = results.columns[branch.benefit]
        untold = results.columns[branch.eligible] & ~results.columns[branch.amount_modelled]  # empty, never 0
        assert np.array_equal(np.isnan(amount), untold) and (amount[~untold] >= 0).all()
        assert not amount[~results.columns[branch.eligible]].any()
        for name in branch.lump_sums:
            assert (results.columns[name] >= 0).all()


def test_a_lump_sum_alone_is_no_pension_received_for_the_coverage_of_older_persons() -> None:
    """Beneficiaries now count whoever a branch pays in the month, lump sums included (Viet Nam's old-age lump
    sum to one refused the pension); SDG 1.3.1's older persons receiving a pension count those paid it only."""
    from openfisca_sp.analysis.aggregates import BranchAmounts, _covered
    from openfisca_sp.rules.branches import BRANCHES

    paid = np.array([True, True, False])  # a pensioner, a lump sum alone, nobody
    granted = np.array([True, False, False])
    pension = np.array([True, False, False])
    sides = {
        side: BranchAmounts(paid, np.array([1.0, 5.0, 0.0]), granted=granted, paid_periodically=pension)
        for side in ("baseline", "reform")
    }
    by_code = {side: {"old_age": BRANCHES["old_age"]} for side in ("baseline", "reform")}
    covered = _covered(by_code, {"old_age": sides}, 3)
    assert covered["baseline"]["older_persons"].tolist() == [True, False, False]
