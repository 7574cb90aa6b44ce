"""The simulations the API and the population engine build (``RulesSimulation``, its populations reading
values already known straight from their holders) give what openfisca-core's own ``Simulation`` gives:
the same values for every variable, the same trace, the same errors."""

from __future__ import annotations

import numpy as np
import pytest
from openfisca_core import periods
from openfisca_core.errors import CycleError
from openfisca_core.holders import Holder
from openfisca_core.indexed_enums import Enum, EnumMemberNotFoundError
from openfisca_core.memory_config import MemoryConfig
from openfisca_core.periods import DateUnit
from openfisca_core.populations import GroupPopulation, Population
from openfisca_core.simulations import Simulation, SimulationBuilder
from openfisca_core.variables import Variable
from openfisca_country_template import CountryTaxBenefitSystem
from openfisca_country_template.entities import Person

from openfisca_sp import tax_benefit_system
from openfisca_sp.rules import default_arrays, jurisdictions
from openfisca_sp.rules.cached_reads import CachedReadsMixin, RulesSimulation, cached_read_populations, new_holder
from openfisca_sp.rules.simulations import simulation_from_arrays
from tests.synthetic import persons

PERIOD = "2024-03"


def _as_core(simulation: Simulation) -> Simulation:
    """``simulation`` turned back into openfisca-core's own classes (before anything is computed)."""
    for population in simulation.populations.values():
        population.__class__ = GroupPopulation if isinstance(population, GroupPopulation) else Population
    simulation.__class__ = Simulation
    return simulation


def _pair(system, inputs: dict, count: int) -> tuple[Simulation, Simulation]:
    ours = simulation_from_arrays(system, count, inputs)
    core = _as_core(simulation_from_arrays(system, count, inputs))
    assert isinstance(ours, RulesSimulation) and isinstance(ours.persons, CachedReadsMixin)
    assert type(core) is Simulation and type(core.persons) is Population
    return ours, core


def _period(variable) -> str:
    return periods.ETERNITY if variable.definition_period == DateUnit.ETERNITY else PERIOD


@pytest.mark.parametrize("code", sorted(jurisdictions.registry()))
def test_every_variable_equals_openfisca_core(code):
    system = tax_benefit_system(code)
    inputs = persons(2_000, PERIOD, seed=11)
    ours, core = _pair(system, inputs, 2_000)
    for name in sorted(system.variables):  # in name order: each computes what it needs, in its own order
        variable = system.variables[name]
        expected = core.calculate(name, _period(variable))
        found = ours.calculate(name, _period(variable))
        assert found.dtype == expected.dtype, name
        np.testing.assert_array_equal(np.asarray(found), np.asarray(expected), err_msg=name)


def test_a_traced_computation_is_traced_as_openfisca_core_traces_it():
    system = tax_benefit_system("lao")
    inputs = persons(50, PERIOD, seed=3)
    ours, core = _pair(system, inputs, 50)
    for simulation in (ours, core):
        simulation.trace = True
        simulation.calculate("unemployment_benefit", PERIOD)
    assert ours.tracer.computation_log.lines() == core.tracer.computation_log.lines()
    assert any("insured_wage<2024-02>" in line for line in ours.tracer.computation_log.lines())


class _wrong_length(Variable):
    value_type = float
    entity = Person
    definition_period = DateUnit.MONTH

    def formula(person, period):  # noqa: N805 (openfisca formulas name their entity)
        return np.zeros(person.count + 1)


class _single_value(Variable):
    value_type = float
    entity = Person
    definition_period = DateUnit.MONTH

    def formula(person, period):  # noqa: N805 (openfisca formulas name their entity)
        return np.array(4.5)  # a 0-dimensional array: openfisca-core makes it one value per person


class _circular(Variable):
    value_type = float
    entity = Person
    definition_period = DateUnit.MONTH

    def formula(person, period):  # noqa: N805 (openfisca formulas name their entity)
        return person("_circular", period) + 1


class _spiral(Variable):
    value_type = float
    entity = Person
    definition_period = DateUnit.MONTH

    def formula(person, period):  # noqa: N805 (openfisca formulas name their entity)
        return person("_spiral", period.last_month) + person("salary", period)


class _Colour(Enum):
    red = "Red"
    green = "Green"


def _colour_variable(name: str, index_when_paid: int) -> type[Variable]:
    """An enumeration variable whose formula gives integer indices (int64, as ``select`` gives them): 0, or
    ``index_when_paid`` for a salary above 1 (2 is no member of ``_Colour``)."""

    def formula(person, period):
        return np.where(person("salary", period) > 1, index_when_paid, 0)

    attributes = {"possible_values": _Colour, "default_value": _Colour.red, "formula": formula}
    shape = {"value_type": Enum, "entity": Person, "definition_period": DateUnit.MONTH}
    return type(name, (Variable,), shape | attributes)


_colour = _colour_variable("_colour", 1)
_colour_beyond = _colour_variable("_colour_beyond", 2)


def _template_pair(salaries: list[float], system=None) -> tuple[Simulation, Simulation]:
    """openfisca-core's builder over the country template, once as it builds it and once turned into ours."""
    system = system or CountryTaxBenefitSystem()
    for variable in (_wrong_length, _single_value, _circular, _spiral, _colour, _colour_beyond):
        system.add_variable(variable)
    situation = {
        "persons": {f"p{index}": {"salary": {"2024-01": salary}} for index, salary in enumerate(salaries)},
        "households": {f"h{index}": {"adults": [f"p{index}"]} for index in range(len(salaries))},
    }
    core = SimulationBuilder().build_from_entities(system, situation)
    ours = SimulationBuilder().build_from_entities(system, situation)
    cached_read_populations(ours.populations)
    ours.__class__ = RulesSimulation
    return ours, core


def test_a_formula_of_the_wrong_length_fails_as_in_openfisca_core():
    for simulation in _template_pair([0.0, 1.0, 2.0]):
        with pytest.raises(ValueError, match="as its length is 4 while there are 3 persons"):
            simulation.calculate("_wrong_length", "2024-01")


def test_a_single_value_is_spread_as_in_openfisca_core():
    ours, core = _template_pair([1.0])
    np.testing.assert_array_equal(
        ours.calculate("_single_value", "2024-01"), core.calculate("_single_value", "2024-01")
    )
    assert ours.calculate("_single_value", "2024-01").shape == (1,)


def test_enumeration_indices_are_cast_as_in_openfisca_core():
    ours, core = _template_pair([0.0, 2.0, 3.0])
    found, expected = ours.calculate("_colour", "2024-01"), core.calculate("_colour", "2024-01")
    assert type(found) is type(expected) and found.dtype == expected.dtype == np.int16
    np.testing.assert_array_equal(found.decode_to_str(), ["red", "green", "green"])
    np.testing.assert_array_equal(found, expected)
    for simulation in (ours, core):
        with pytest.raises(EnumMemberNotFoundError):
            simulation.calculate("_colour_beyond", "2024-01")


def test_a_circular_definition_fails_as_in_openfisca_core():
    for simulation in _template_pair([0.0, 1.0]):
        with pytest.raises(CycleError, match="_circular@2024-01"):
            simulation.calculate("_circular", "2024-01")


def test_a_spiral_is_cut_and_its_values_forgotten_as_in_openfisca_core():
    ours, core = _template_pair([1.0, 2.5])
    for month in ("2024-01", "2024-01", "2023-11"):  # the second time: nothing of the first kept but the given
        np.testing.assert_array_equal(ours.calculate("_spiral", month), core.calculate("_spiral", month))
        kept = [sorted(map(str, sim.persons._holders["_spiral"].get_known_periods())) for sim in (ours, core)]
        assert kept[0] == kept[1]
        assert ours.tracer.stack == core.tracer.stack == []


def test_a_period_of_the_wrong_unit_fails_as_in_openfisca_core():
    for simulation in _template_pair([1.0]):
        for period, unit in (("2024", "month"), ("month:2024-01:2", "month")):
            with pytest.raises(ValueError, match=f"must be computed for a whole {unit}"):
                simulation.calculate("_single_value", period)
        assert simulation.tracer.stack == []


def test_given_values_neutralised_variables_and_other_templates_read_as_in_openfisca_core():
    system = CountryTaxBenefitSystem()
    system.neutralize_variable("basic_income")
    ours, core = _template_pair([0.0, 1000.0, 5000.0], system)
    for name in ("salary", "basic_income", "income_tax", "social_security_contribution"):
        np.testing.assert_array_equal(ours.calculate(name, "2024-01"), core.calculate(name, "2024-01"), err_msg=name)
    assert ours.persons("salary", periods.period("2024-01")) is ours.persons._holders["salary"].get_array(
        periods.period("2024-01")
    )


def test_an_eternal_value_given_is_read_from_its_holder_for_any_period(monkeypatch):
    """A date of birth is stored once (openfisca-core keys it by eternity): a read for any month or year is
    answered from the holder, the same array openfisca-core gives, without its calculation bookkeeping."""
    system = tax_benefit_system("lao")
    inputs = persons(50, PERIOD, seed=3)
    ours, core = _pair(system, inputs, 50)
    stored = ours.persons._holders["birth_date"].get_array(periods.period(periods.ETERNITY))
    assert stored is not None
    expected = core.calculate("birth_date", PERIOD)

    def core_path(*arguments):
        raise AssertionError("read through openfisca-core's calculation")

    monkeypatch.setattr(RulesSimulation, "_calculate", core_path)
    for period in (PERIOD, "2030-01", "2024", periods.ETERNITY):
        found = ours.calculate("birth_date", periods.period(period))
        assert found is stored
        np.testing.assert_array_equal(found, expected)
    assert ours.tracer.stack == []


@pytest.mark.parametrize("system", [tax_benefit_system(), CountryTaxBenefitSystem()], ids=["openfisca-sp", "template"])
def test_a_holder_made_without_its_constructor_is_the_one_openfisca_core_makes(system):
    """``new_holder`` sets every attribute ``Holder(variable, population)`` sets, to the same values, for every
    variable of openfisca-sp and of the country template; with a memory configuration, openfisca-core makes it."""
    simulation = SimulationBuilder().build_default_simulation(system, 2)
    for variable in system.variables.values():
        population = simulation.populations[variable.entity.key]
        made, core = new_holder(variable, population), Holder(variable, population)
        assert type(made) is Holder
        made_attributes, core_attributes = dict(vars(made)), dict(vars(core))
        made_storage, core_storage = made_attributes.pop("_memory_storage"), core_attributes.pop("_memory_storage")
        assert made_attributes == core_attributes, variable.name
        assert type(made_storage) is type(core_storage) and vars(made_storage) == vars(core_storage), variable.name
    simulation.memory_config = MemoryConfig(max_memory_occupation=0.01, priority_variables=["birth_date"])
    variable = system.variables["birth_date" if "birth_date" in system.variables else "salary"]
    assert vars(new_holder(variable, simulation.persons)).keys() == vars(Holder(variable, simulation.persons)).keys()


def test_a_population_fills_arrays_as_openfisca_core_fills_them():
    """``filled_array`` gives ``np.full``'s array, the caller's own to change, for a person and a household."""
    simulation = simulation_from_arrays(tax_benefit_system(), 3, {})
    for population in (simulation.persons, simulation.populations["household"]):
        for value, dtype in ((0, None), (1.5, np.float32), (True, None), ("a", object), (7, np.int16), ("1", str)):
            array, expected = population.filled_array(value, dtype), np.full(population.count, value, dtype)
            assert array.dtype == expected.dtype and array.tolist() == expected.tolist()
            array[0] = array[1]  # writeable, and the next one is not changed by it
        assert population.filled_array(2).tolist() == [2] * population.count


@pytest.mark.parametrize("code", sorted(jurisdictions.registry()))
def test_a_default_made_from_zeros_is_openfisca_cores_default(code):
    """An input not given is its default; where that default is zero bits, the array comes from ``np.zeros``
    (pages the system zeroes as they are touched, no fill): the same values, type and kind as openfisca-core's
    ``default_array``, for every variable of the system (numbers, flags, dates, enumerations with a default
    first item or another)."""
    system = tax_benefit_system(code)
    simulation = simulation_from_arrays(system, 3, {})
    made_from_zeros = 0
    for name, variable in system.variables.items():
        holder = simulation.get_holder(name)
        ours, core = default_arrays.default_array(holder), holder.default_array()
        assert type(ours) is type(core), name
        assert ours.dtype == core.dtype and np.array_equal(np.asarray(ours), np.asarray(core)), name
        if variable.value_type is Enum:
            assert ours.possible_values is core.possible_values, name
        made_from_zeros += default_arrays._zero_default(variable)
    assert 0 < made_from_zeros < len(system.variables)  # both kinds of default were met
