"""A window's months computed as one stack (``RulesSimulation.calculate_months``) give what openfisca-core gives
month by month, and a formula that cannot be computed so is computed month by month."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openfisca_core import periods
from openfisca_core.periods import DateUnit
from openfisca_core.populations import GroupPopulation, Population
from openfisca_core.simulations import Simulation, SimulationBuilder
from openfisca_core.variables import Variable
from openfisca_country_template import CountryTaxBenefitSystem
from openfisca_country_template.entities import Person

from openfisca_sp import tax_benefit_system
from openfisca_sp.rules import cached_reads
from openfisca_sp.rules.cached_reads import RulesSimulation, cached_read_populations, holder_of, stacked_months
from openfisca_sp.rules.simulations import simulation_from_arrays
from openfisca_sp.rules.windows import months_back, months_of

WINDOW = months_of(months_back(periods.period("2024-06"), 24))  # 2022-06 to 2024-05


def _monthly(name: str, formula, value_type: type = float) -> type[Variable]:
    shape = {"value_type": value_type, "entity": Person, "definition_period": DateUnit.MONTH}
    return type(name, (Variable,), shape | {"formula": formula})


def _doubled(person, period):
    return person("salary", period) * 2


def _paid(person, period):
    return person("salary", period) > 1_000


def _last_month(person, period):
    return person("salary", period.last_month)


def _period_text(person, period):
    return person("salary", period) + int(str(period)[-2:])  # the month's number: the period itself is used


def _through_filled_array(person, period):
    return person.filled_array(1.0) + person("salary", period)


def _with_parameters(person, period, parameters):
    return person("salary", period) * 0 + 3


def _from_a_formula(person, period):
    return person("_doubled", period) + 1  # ``_doubled`` is computed: not a value known or an input


def _reduced(person, period):
    return np.sum(person("salary", period))  # one value, not one a person: spread by openfisca-core


VARIABLES = {
    "_doubled": _monthly("_doubled", _doubled),
    "_paid": _monthly("_paid", _paid, bool),
    "_last_month": _monthly("_last_month", _last_month),
    "_period_text": _monthly("_period_text", _period_text),
    "_through_filled_array": _monthly("_through_filled_array", _through_filled_array),
    "_with_parameters": _monthly("_with_parameters", _with_parameters),
    "_from_a_formula": _monthly("_from_a_formula", _from_a_formula),
    "_reduced": _monthly("_reduced", _reduced),
}
STACKED = {"_doubled": True, "_paid": True}  # the others are computed month by month


def _template_pair(salaries: dict[str, list[float]], *more: type[Variable]) -> tuple[RulesSimulation, Simulation]:
    """The country template, with the variables above (and ``more``), as openfisca-core builds it and turned
    into ours."""
    system = CountryTaxBenefitSystem()
    for variable in (*VARIABLES.values(), *more):
        system.add_variable(variable)
    situation = {
        "persons": {
            f"p{index}": {"salary": {month: salary for month, salary in zip(salaries, row, strict=False)}}
            for index, row in enumerate(zip(*salaries.values(), strict=True))
        },
        "households": {"h": {"adults": [f"p{index}" for index in range(len(next(iter(salaries.values()))))]}},
    }
    core = SimulationBuilder().build_from_entities(system, situation)
    ours = SimulationBuilder().build_from_entities(system, situation)
    cached_read_populations(ours.populations)
    ours.__class__ = RulesSimulation
    return ours, core


SALARIES = {"2023-01": [0.0, 1_500.0, 900.0], "2024-03": [2_000.0, 0.0, 1_001.0]}


@pytest.mark.parametrize("name", sorted(VARIABLES))
def test_every_month_equals_openfisca_core_month_by_month(name):
    ours, core = _template_pair(SALARIES)
    holder = holder_of(ours, name, create=True)
    assert stacked_months(ours, holder, WINDOW) is STACKED.get(name, False)
    found = ours.calculate_months(ours.persons, name, WINDOW)
    for month, array in zip(WINDOW, found, strict=True):
        expected = core.calculate(name, month)
        assert array.dtype == expected.dtype, (name, month)
        np.testing.assert_array_equal(array, expected, err_msg=f"{name} {month}")
        assert ours.calculate(name, month) is array  # stored as openfisca-core stores it
    assert ours.tracer.stack == []


def test_a_formula_failing_on_a_stack_fails_month_by_month_as_in_openfisca_core():
    def _failing(person, period):
        return person("no_such_variable", period)

    ours, core = _template_pair(SALARIES, _monthly("_failing", _failing))
    with pytest.raises(Exception) as ours_error:
        ours.calculate_months(ours.persons, "_failing", WINDOW)
    with pytest.raises(Exception) as core_error:
        core.calculate("_failing", WINDOW[0])
    assert type(ours_error.value) is type(core_error.value) and str(ours_error.value) == str(core_error.value)


def test_months_already_known_are_kept_and_only_the_others_computed():
    ours, core = _template_pair(SALARIES)
    known = ours.calculate("_doubled", WINDOW[5])
    found = ours.calculate_months(ours.persons, "_doubled", WINDOW)
    assert found[5] is known
    for month, array in zip(WINDOW, found, strict=True):
        np.testing.assert_array_equal(array, core.calculate("_doubled", month))


def test_many_persons_are_computed_month_by_month():
    count = cached_reads.STACKED_MOST // len(WINDOW) + 1
    ours, _ = _template_pair({"2024-03": [1_000.0] * count})
    original = cached_reads.stacked_months
    calls = []
    cached_reads.stacked_months = lambda *arguments: calls.append(arguments) or original(*arguments)
    try:
        ours.calculate_months(ours.persons, "_doubled", WINDOW)
    finally:
        cached_reads.stacked_months = original
    assert calls == []


@settings(max_examples=30, deadline=None)
@given(
    count=st.integers(1, 12),
    stated=st.lists(st.tuples(st.integers(0, 23), st.integers(0, 11), st.integers(0, 3_000_000)), max_size=40),
    given_flags=st.lists(st.tuples(st.integers(0, 23), st.integers(0, 11), st.booleans()), max_size=10),
    code=st.sampled_from(["lao", "vnm"]),  # Tajikistan's rules count no window of months
)
def test_a_jurisdictions_window_counts_equal_openfisca_cores(count, stated, given_flags, code):
    """Months of contributions (``contributed_in_month``, stated for some months, else from the wage) and the
    windows that count them, for a few persons: the same as openfisca-core's own simulation gives."""
    system = tax_benefit_system(code)
    inputs = {("birth_date", "ETERNITY"): np.full(count, np.datetime64("1980-01-01"))}
    for month, person, wage in stated:
        key = ("insured_wage", str(WINDOW[month]))
        inputs.setdefault(key, np.zeros(count, dtype=np.float64))[person % count] = wage
    for month, person, flag in given_flags:
        key = ("contributed_in_month", str(WINDOW[month]))
        inputs.setdefault(key, np.zeros(count, dtype=bool))[person % count] = flag
    ours = simulation_from_arrays(system, count, inputs)
    core = simulation_from_arrays(system, count, inputs)
    core.__class__ = Simulation
    for population in core.populations.values():
        population.__class__ = GroupPopulation if isinstance(population, GroupPopulation) else Population
    stacked = []
    original = cached_reads.stacked_months
    cached_reads.stacked_months = lambda *arguments: stacked.append(original(*arguments)) or stacked[-1]
    try:
        for name in ("unemployment_contribution_months", "maternity_contribution_months", "maternity_reference_wage"):
            np.testing.assert_array_equal(ours.calculate(name, "2024-06"), core.calculate(name, "2024-06"), name)
    finally:
        cached_reads.stacked_months = original
    assert True in stacked  # the months of contributions were computed as one stack
    for month in WINDOW:
        np.testing.assert_array_equal(
            ours.calculate("contributed_in_month", month), core.calculate("contributed_in_month", month)
        )
