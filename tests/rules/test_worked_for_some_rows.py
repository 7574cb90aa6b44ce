"""Results worked out for the few persons they concern (the stated months of arduous work, the granted social
pensions) or once for each set of values in force (the unverified amounts capping an unemployment benefit), exactly
as the plain computation over everyone and every day gives them."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openfisca_sp import tax_benefit_system
from openfisca_sp.rules import formulas
from openfisca_sp.rules.provenance import provenance_of, same_values_in_force
from openfisca_sp.rules.simulations import simulation_from_arrays

DRAWS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PERSONS = st.lists(
    st.tuples(st.booleans(), st.sampled_from([0, 100, 180, 200]), st.sampled_from([0, 180]), st.sampled_from([0, 180])),
    min_size=1,
    max_size=120,
)


def _by_sex(node, female: np.ndarray):
    return np.where(female, node.women, node.men) if formulas.has(node, "men") else node


@DRAWS
@given(persons=PERSONS, period=st.sampled_from(["2020-06", "2022-06", "2025-08", "2026-10"]))
def test_the_lower_pensionable_age_of_those_stating_months_is_the_plain_formulas(persons, period):
    """Viet Nam's lower age of arduous work and of coal mining (SI Law 2014 Art 54(1)(b)-(c), SI Law 2024 Art
    64(1)(b)-(c)), worked out for those who state such months: the general age less each kind's months below it,
    the lowest, as ``np.where`` over everyone gives it; none (0) for the others."""
    female, work, area, coal = (np.array(column) for column in zip(*persons, strict=True))
    count = len(persons)
    inputs = {
        ("sex", "ETERNITY"): np.where(female, "female", "male"),
        ("birth_date", "ETERNITY"): np.full(count, np.datetime64("1972-01-01")),
        ("arduous_work_months", period): work,
        ("hardship_area_months", period): area,
        ("underground_coal_mining_months", period): coal,
        ("contribution_months", period): np.full(count, 400),
    }
    simulation = simulation_from_arrays(tax_benefit_system("vnm"), count, inputs)
    found = simulation.calculate("old_age_lower_pensionable_age_months", period)
    node = tax_benefit_system("vnm").parameters(period + "-01").old_age
    rules = node.arduous_work
    total = np.minimum(work + area, 400)
    added = formulas.has(rules, "hardship_area_months_added") and bool(rules.hardship_area_months_added)
    arduous = (
        total >= rules.minimum_months if added else (work >= rules.minimum_months) | (area >= rules.minimum_months)
    )
    general = _by_sex(node.pensionable_age, female)
    expected = np.where(arduous, general - _by_sex(rules.months_below_pensionable_age, female), 0)
    if formulas.has(rules, "underground_coal_mining", "minimum_months"):
        mining = rules.underground_coal_mining
        mining_age = general - _by_sex(mining.months_below_pensionable_age, female)
        mined = coal >= mining.minimum_months
        expected = np.where(mined & ((expected == 0) | (mining_age < expected)), mining_age, expected)
    np.testing.assert_array_equal(found, expected)


@DRAWS
@given(offsets=st.lists(st.integers(0, 12_000), min_size=1, max_size=60))
def test_the_unverified_amounts_of_each_day_are_those_of_its_set_of_values_in_force(offsets):
    """The regional minimum wage capping an unemployment benefit, read on each contract's end (Employment Law 2013
    Art 50(1)): asked once for each set of values in force, each day's answer is the one asked on that day."""
    system = tax_benefit_system("vnm")
    index = provenance_of(system)
    prefixes = ("reference_amounts.regional_minimum_wage",)
    days = np.datetime64("1995-01-01") + np.array(offsets, dtype="timedelta64[D]")
    ones, which = same_values_in_force(index, prefixes, days)
    assert list(ones) == sorted(set(ones.tolist()))
    for day, position in zip(days, which, strict=True):
        assert index.unverified(prefixes, str(ones[position])) == index.unverified(prefixes, str(day))
