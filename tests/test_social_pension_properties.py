"""The social pension's invariants, whatever the person (Viet Nam's law in force, and the R202 reform everywhere).

Viet Nam, Law on Social Insurance 2024, Arts 21-22 and Decree 176/2025: a flat amount from 75 (70 in a poor or
near-poor household) for those without a pension, the higher of it and a monthly social allowance.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openfisca_sp import tax_benefit_system
from openfisca_sp.reforms import load_reform
from openfisca_sp.rules import formulas, jurisdictions
from openfisca_sp.rules.simulations import simulation_from_arrays
from tests.synthetic import persons

MONTHS = st.sampled_from(["2025-06", "2025-07", "2026-03", "2026-10", "2030-01"])
DRAWS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SIZES = st.integers(1, 300)


def _systems(code: str) -> list:
    """The law in force, and the R202 reform where one is proposed for the jurisdiction."""
    system = tax_benefit_system(code)
    from reforms.r202_social_pension import r202_social_pension

    reformed = [load_reform("r202_social_pension", system)] if code in r202_social_pension.jurisdictions else []
    return [system, *reformed]


def _amount_in_force(system, period: str) -> float | None:
    parameters = system.parameters(period + "-01")
    if not formulas.has(parameters, "social_pension", "amount"):
        return None
    return float(parameters.social_pension.amount)


@pytest.mark.parametrize("code", sorted(jurisdictions.registry()))
@DRAWS
@given(seed=st.integers(0, 10_000), size=SIZES, period=MONTHS)
def test_the_social_pension_is_the_flat_amount_or_nothing(code, seed, size, period):
    """Never negative, 0 unless eligible, and the amount in force (never more) when eligible; where no amount is
    in force (not modelled, or a jurisdiction whose law has none), 0 for everyone."""
    inputs = persons(size, period, seed=seed)
    for system in _systems(code):
        simulation = simulation_from_arrays(system, size, inputs)
        amounts = simulation.calculate("social_pension", period)
        eligible = simulation.calculate("social_pension_eligible", period)
        amount = _amount_in_force(system, period)
        assert np.all(amounts >= 0)
        assert np.all(amounts[~eligible] == 0)
        if amount is None:
            assert np.all(amounts == 0)
        else:
            assert np.all(amounts[eligible] == amount)


@DRAWS
@given(seed=st.integers(0, 10_000), size=SIZES, period=MONTHS)
def test_no_one_old_enough_is_left_below_the_floor(seed, size, period):
    """Viet Nam: everyone of 75 or more gets at least the social pension's amount from the old-age pension, the
    social pension or the disability allowance (Art 21(1): those without a pension; Art 22(2): the higher of the
    social pension and a social allowance), once the law is in force."""
    system = tax_benefit_system("vnm")
    amount = _amount_in_force(system, period)
    inputs = persons(size, period, seed=seed)
    simulation = simulation_from_arrays(system, size, inputs)
    if amount is None:
        assert np.all(simulation.calculate("social_pension", period) == 0)
        return
    old = simulation.calculate("age_in_months", period) >= 900
    income = sum(
        simulation.calculate(name, period).astype(np.float64)
        for name in ("old_age_pension", "social_pension", "disability_benefit")
    )
    assert np.all(income[old] >= amount)


@DRAWS
@given(seed=st.integers(0, 10_000), size=SIZES, period=MONTHS, extra=st.integers(1, 240))
def test_more_contributions_never_lower_an_older_person_s_pensions(seed, size, period, extra):
    """Viet Nam: a longer career may replace the social pension by an old-age pension (Art 21(1)(b)), never by
    less: the old-age and social pensions together are monotone in the contribution months (the minimum pension,
    the base salary, is above the social pension)."""
    system = tax_benefit_system("vnm")
    inputs = persons(size, period, seed=seed)
    longer = dict(inputs)
    longer[("contribution_months", period)] = inputs[("contribution_months", period)] + extra

    def pensions(table):
        simulation = simulation_from_arrays(system, size, table)
        return sum(
            simulation.calculate(name, period).astype(np.float64) for name in ("old_age_pension", "social_pension")
        )

    assert np.all(pensions(longer) >= pensions(inputs))


@DRAWS
@given(seed=st.integers(0, 10_000), size=SIZES, period=MONTHS, months=st.integers(1, 240))
def test_an_older_person_is_never_refused_for_the_age(seed, size, period, months):
    """Viet Nam: a person granted the social pension, made older with the same facts, is never refused it for the
    age (they may instead reach the old-age pension, which is more)."""
    system = tax_benefit_system("vnm")
    inputs = persons(size, period, seed=seed)
    older = dict(inputs)
    birth = inputs[("birth_date", "ETERNITY")].astype("datetime64[M]") - np.timedelta64(months, "M")
    older[("birth_date", "ETERNITY")] = birth.astype("datetime64[D]")
    before = simulation_from_arrays(system, size, inputs)
    after = simulation_from_arrays(system, size, older)
    granted = before.calculate("social_pension_eligible", period)
    reason = after.calculate("social_pension_ineligibility_reason", period).decode_to_str()
    assert not np.any(reason[granted] == "below_pensionable_age")


@DRAWS
@given(
    period=st.sampled_from(["2025-07", "2026-09", "2026-11", "2030-01"]),
    day=st.integers(0, 27),
    offsets=st.lists(st.integers(-400, 400), min_size=1, max_size=60),
    stated=st.lists(st.booleans(), min_size=60, max_size=60),
)
def test_viet_nam_pays_the_pension_from_the_decision_s_month_from_5_october_2026(period, day, offsets, stated):
    """Decree 335/2026/ND-CP Art 31(2): from 5 October 2026 a whole month, never before the request's, the decision's
    where later, a reading exactly where no later decision date is stated; before, the request's day, a reading."""
    requested = np.full(len(offsets), np.datetime64(period, "D") + day)
    decided = np.where(stated[: len(offsets)], requested + np.array(offsets), np.datetime64("1970-01-01", "D"))
    inputs = {("event_date", period): requested, ("social_pension_decision_date", period): decided}
    simulation = simulation_from_arrays(tax_benefit_system("vnm"), len(offsets), inputs)
    first = np.asarray(simulation.calculate("social_pension_first_day", period), dtype="datetime64[D]")
    read = np.asarray(simulation.calculate("social_pension_first_day_read", period), dtype=bool)
    if period < "2026-10":
        assert np.array_equal(first, requested) and read.all()
        return
    months, asked = first.astype("datetime64[M]"), requested.astype("datetime64[M]")
    assert np.all(months.astype("datetime64[D]") == first) and np.all(months >= asked)
    named = (decided != np.datetime64("1970-01-01", "D")) & (decided.astype("datetime64[M]") >= asked)
    assert np.all(months[named] == decided[named].astype("datetime64[M]"))
    assert np.all(months[~named] == asked[~named]) and np.array_equal(read, ~named)
