"""A vectorised run over 100,000 synthetic people equals person-by-person runs.

The vectorised run builds the population from arrays; each person-by-person
run goes through openfisca-core's own JSON situation builder, one person at a
time, so the two paths share nothing but the rules.
"""

from __future__ import annotations

import numpy as np
import pytest
from openfisca_core.simulations import SimulationBuilder

from openfisca_sp import tax_benefit_system
from openfisca_sp.rules import jurisdictions
from openfisca_sp.rules.simulations import simulation_from_arrays
from tests.synthetic import OUTPUTS, persons

POPULATION = 100_000
CHECKED = 400  # persons re-run one by one per jurisdiction (a random sample, fixed seed)
PERIODS = {"lao": ["2012-01", "2024-03"]}


def _json_value(variable, value):
    if getattr(variable, "possible_values", None) is not None:
        return variable.possible_values._member_names_[int(value)]
    if isinstance(value, np.datetime64):
        return str(value.astype("datetime64[D]"))
    if isinstance(value, np.bool_):
        return bool(value)
    return value.item() if hasattr(value, "item") else value


def _situation(system, inputs, index):
    person = {}
    for (name, period), values in inputs.items():
        variable = system.get_variable(name)
        person.setdefault(name, {})[period] = _json_value(variable, np.asarray(values)[index])
    return {"persons": {"p": person}, "households": {"h": {"heads": ["p"]}}}


@pytest.mark.parametrize("code", sorted(jurisdictions.registry()))
def test_vectorised_population_equals_person_by_person(code):
    system = tax_benefit_system(code)
    for period in PERIODS.get(code, ["2024-03"]):
        inputs = persons(POPULATION, period, seed=7)
        population = simulation_from_arrays(system, POPULATION, inputs)
        results = {output: population.calculate(output, period) for output in OUTPUTS}
        for output, values in results.items():
            assert len(values) == POPULATION, output
        sample = np.random.default_rng(11).choice(POPULATION, CHECKED, replace=False)
        for index in sample:
            single = SimulationBuilder().build_from_entities(system, _situation(system, inputs, index))
            for output in OUTPUTS:
                alone = single.calculate(output, period)[0]
                together = results[output][index]
                if isinstance(alone, (float, np.floating)):
                    assert np.isclose(alone, together, rtol=0, atol=0.5), (code, period, output, index)
                else:
                    assert alone == together, (code, period, output, index, alone, together)
