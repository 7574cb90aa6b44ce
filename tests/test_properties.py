"""Properties that must always hold, whatever the person: the law's invariants.

Hypothesis draws populations (seed, size, month, wage level) and each property
is checked on every person of every draw, for every jurisdiction.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openfisca_sp import tax_benefit_system
from openfisca_sp.rules import formulas, jurisdictions
from openfisca_sp.rules.branches import BRANCHES
from openfisca_sp.rules.simulations import simulation_from_arrays
from tests.synthetic import persons

CODES = sorted(jurisdictions.registry())
MONTHS = st.sampled_from(
    ["2012-01", "2015-06", "2017-03", "2019-07", "2021-01", "2023-02", "2024-08", "2025-09", "2026-03"]
)
DRAWS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
AMOUNTS = (
    "old_age_pension",
    "old_age_lump_sum",
    "maternity_benefit",
    "birth_grant",
    "unemployment_benefit",
    "disability_benefit",
)


def _simulate(code: str, seed: int, size: int, period: str, wage_scale: float = 1.0):
    inputs = persons(size, period, seed=seed, wage_scale=wage_scale)
    return simulation_from_arrays(tax_benefit_system(code), size, inputs), inputs


@pytest.mark.parametrize("code", CODES)
@DRAWS
@given(seed=st.integers(0, 10_000), size=st.integers(1, 300), period=MONTHS, wage_scale=st.sampled_from([0.01, 1, 30]))
def test_amounts_are_never_negative_and_zero_unless_eligible(code, seed, size, period, wage_scale):
    simulation, _ = _simulate(code, seed, size, period, wage_scale)
    for amount in AMOUNTS:
        values = simulation.calculate(amount, period)
        assert np.all(values >= 0), amount
        assert np.all(np.isfinite(values)), amount
    for branch, amount in [
        ("old_age_pension", "old_age_pension"),
        ("maternity_benefit", "maternity_benefit"),
        ("maternity_benefit", "birth_grant"),
        ("unemployment_benefit", "unemployment_benefit"),
        ("disability_benefit", "disability_benefit"),
    ]:
        eligible = simulation.calculate(f"{branch}_eligible", period)
        assert np.all(simulation.calculate(amount, period)[~eligible] == 0), amount


@pytest.mark.parametrize("code", CODES)
@DRAWS
@given(seed=st.integers(0, 10_000), size=st.integers(1, 300), period=MONTHS, wage_scale=st.sampled_from([1, 30]))
def test_amounts_never_exceed_their_legal_maximum(code, seed, size, period, wage_scale):
    simulation, _ = _simulate(code, seed, size, period, wage_scale)
    parameters = tax_benefit_system(code).parameters(period + "-01")
    ceiling = float(parameters.insured_wage.ceiling) if formulas.has(parameters, "insured_wage", "ceiling") else np.inf
    old_age = parameters.old_age if formulas.has(parameters, "old_age") else None
    if formulas.has(old_age, "replacement_rate", "maximum"):
        maximum = old_age.replacement_rate.maximum
        maximum = max(maximum.men, maximum.women) if formulas.has(maximum, "men") else float(maximum)
        wage = simulation.calculate("old_age_reference_wage", period)
        floor = 0.0
        if formulas.has(old_age, "minimum_pension"):
            floor = sum(
                float(old_age.minimum_pension[k]) * float(parameters.reference_amounts[k])
                for k in old_age.minimum_pension
            )
        bound = np.maximum(maximum * np.minimum(wage, ceiling), floor) + 1
        assert np.all(simulation.calculate("old_age_pension", period) <= bound)
    for branch in ("maternity", "unemployment"):
        node = parameters[branch] if formulas.has(parameters, branch) else None
        if not formulas.has(node, "benefit_rate"):
            continue
        wage = simulation.calculate(f"{branch}_reference_wage", period)
        assert np.all(wage <= ceiling + 1e-6), f"{branch} reference wage above the ceiling"
        amount = simulation.calculate("maternity_benefit" if branch == "maternity" else "unemployment_benefit", period)
        assert np.all(amount <= float(node.benefit_rate) * np.minimum(wage, ceiling) + 1)
    if formulas.has(parameters, "unemployment", "duration", "by_contribution_months"):
        durations = simulation.calculate("unemployment_benefit_duration", period)
        scale = parameters.unemployment.duration.by_contribution_months
        assert np.all(durations <= max(scale.amounts))


@pytest.mark.parametrize("code", CODES)
@DRAWS
@given(seed=st.integers(0, 10_000), size=st.integers(1, 200), period=MONTHS, extra=st.integers(1, 120))
def test_more_contributions_never_lower_a_benefit(code, seed, size, period, extra):
    """Monotone in contribution length: the laws encoded here never pay less for a longer career."""
    inputs = persons(size, period, seed=seed)
    longer = dict(inputs)
    longer[("contribution_months", period)] = inputs[("contribution_months", period)] + extra
    system = tax_benefit_system(code)
    shorter_run = simulation_from_arrays(system, size, inputs)
    longer_run = simulation_from_arrays(system, size, longer)
    for variable in ("old_age_pension_eligible", "old_age_pension", "unemployment_benefit_duration"):
        before = shorter_run.calculate(variable, period)
        after = longer_run.calculate(variable, period)
        assert np.all(after >= before), variable
    # Invalidity benefit ends when an old-age pension becomes payable (C102 Art 58): monotone below that.
    below_pension = ~longer_run.calculate("old_age_pension_eligible", period)
    for variable in ("disability_benefit_eligible", "disability_benefit"):
        before = shorter_run.calculate(variable, period)[below_pension]
        after = longer_run.calculate(variable, period)[below_pension]
        assert np.all(after >= before), variable


@pytest.mark.parametrize("code", CODES)
@DRAWS
@given(seed=st.integers(0, 10_000), size=st.integers(1, 200), period=MONTHS)
def test_a_duration_unit_is_not_applicable_unless_eligible(code, seed, size, period):
    """A decision tells no duration to a person not eligible, and does not compute it where nobody is
    (``decisions.branch_decisions``): every branch's duration unit is ``not_applicable`` for them."""
    simulation, _ = _simulate(code, seed, size, period)
    for branch in BRANCHES.values():
        eligible = simulation.calculate(f"{branch.benefit}_eligible", period)
        unit = simulation.calculate(f"{branch.benefit}_duration_unit", period).decode_to_str()
        assert set(unit[~eligible]) <= {"not_applicable"}, branch.code
