"""A value by sex and a position by minimum-wage region, looked up for many persons, are exactly what the plain
computation gives: ``np.where`` between the two values by sex, and each region clipped into the table by region; and
the unemployment benefit's maximum, computed once for all that read it, is the one the law gives."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from openfisca_core import periods
from openfisca_core.parameters import ParameterNode

from openfisca_sp import tax_benefit_system
from openfisca_sp.rules import formulas
from openfisca_sp.rules.reference_amounts import _region_positions
from openfisca_sp.rules.simulations import build_simulation, set_input

NUMBERS = st.one_of(st.integers(-2_000, 2_000), st.floats(-1e6, 1e6, allow_nan=False))


def _node(**values):
    """A parameter folder in force on 2026-01-01 with ``values`` as its parameters."""
    data = {name: {"values": {"2000-01-01": value}} for name, value in values.items()}
    return ParameterNode("by_sex", data=data)("2026-01-01")


@settings(max_examples=80, deadline=None)
@given(flags=st.lists(st.booleans(), min_size=1, max_size=4 * formulas.FEW_OBJECTS), men=NUMBERS, women=NUMBERS)
def test_a_value_by_sex_is_np_wheres_choice_of_the_two(flags, men, women):
    """Pensionable ages in months (ints) or rates (floats), for a few persons or many: the same values and type as
    ``np.where(female, women, men)``."""
    female = np.array(flags, dtype=bool)
    node = _node(men=men, women=women)
    found, expected = formulas.by_sex(node, female), np.where(female, women, men)
    assert found.dtype == expected.dtype
    np.testing.assert_array_equal(found, expected)


def test_a_value_the_law_sets_for_everyone_is_the_value_itself():
    node = _node(rate=0.02).rate
    assert formulas.by_sex(node, np.ones(100, dtype=bool)) == 0.02


@settings(max_examples=80, deadline=None)
@given(regions=st.lists(st.integers(-3, 9), min_size=0, max_size=200), width=st.integers(1, 7))
def test_a_persons_position_by_region_is_the_region_clipped_into_the_table(regions, width):
    """Regions the table names are their own positions; any other (unknown below 0, or beyond the regions the law
    names) the last: as the clip and modulo give them."""
    region = np.array(regions, dtype=np.int32)
    person = lambda name, period: region  # noqa: E731 - the region input is all the lookup reads
    found = _region_positions(person, None, width)
    np.testing.assert_array_equal(found, np.clip(region, -1, width - 1) % width)


@settings(max_examples=30, deadline=None)
@given(
    ends=st.lists(st.sampled_from(["1970-01-01", "2019-12-31", "2020-01-01", "2024-06-30", "2026-09-15"]), min_size=1),
    regions=st.lists(st.integers(-1, 5), min_size=1),
)
def test_the_unemployment_maximum_computed_once_is_the_end_of_contracts_or_the_months(ends, regions):
    """Viet Nam's cap of the unemployment benefit (Employment Law 2013 Art 50(1)), a variable the amount, its
    provisional check and its day read: the amounts in force on the day the contract ended where stated, else the
    month's for the person's region."""
    count = min(len(ends), len(regions))
    month = "2026-10"
    simulation = build_simulation(tax_benefit_system("vnm"), np.arange(count))
    set_input(simulation, "employment_end_date", month, np.array(ends[:count], dtype="datetime64[D]"))
    set_input(simulation, "minimum_wage_region", month, np.array(regions[:count], dtype=np.int32))
    parameters = tax_benefit_system("vnm").parameters
    node = parameters(month + "-01").unemployment
    at_end = simulation.calculate("unemployment_benefit_maximum_at_end", month)
    of_month = formulas.person_reference_amount(simulation.persons, periods.period(month), parameters, node.maximum)
    found = simulation.calculate("unemployment_benefit_maximum", month)
    np.testing.assert_array_equal(found, np.where(np.isnan(at_end), of_month, at_end))
