"""Concurrent requests evaluated together give each the answer it would get alone."""

from __future__ import annotations

import asyncio
import copy
import gc
import json
import weakref
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openfisca_core.parameters import ParameterNode
from openfisca_core.periods import DateUnit
from openfisca_core.reforms import Reform
from openfisca_core.variables import Variable

from openfisca_sp import tax_benefit_system
from openfisca_sp.api.batching import Coalescer
from openfisca_sp.api.situations import SituationError, calculate, execute
from openfisca_sp.api.situations.merging import merged_plan

MONTH = "2024-06"
SYSTEM = tax_benefit_system("lao")
OUTPUTS = ("old_age_pension_eligible", "old_age_pension_ineligibility_reason", "maternity_benefit", "age")


def _situation(seed: int) -> dict:
    rng = np.random.default_rng(seed)
    persons = {}
    for index in range(int(rng.integers(1, 4))):
        person = {
            "birth_date": {"ETERNITY": f"{rng.integers(1950, 2000)}-0{rng.integers(1, 10)}-15"},
            "sex": {"ETERNITY": ["male", "female"][int(rng.integers(2))]},
            "contribution_months": {MONTH: int(rng.integers(0, 400))},
            "insured_wage": {f"2024-0{m}": float(rng.integers(1, 50) * 100_000) for m in range(1, 6)},
            "pregnancy_outcome": {MONTH: ["none", "live_birth"][int(rng.integers(2))]},
        }
        if seed % 3 == 0:  # some requests set a formula variable as an input: they must not merge with the others
            person["old_age_pensionable_age_reached"] = {MONTH: bool(rng.integers(2))}
        persons[f"{seed}-{index}"] = person | {name: {MONTH: None} for name in OUTPUTS}
    situation = {"persons": persons}
    if seed % 2:
        situation["households"] = {"h": {"heads": [next(iter(persons))], "members": list(persons)[1:]}}
    return situation


def _together(coalescer: Coalescer, situations: list[Any]) -> list[Any]:
    """Each situation's answer (or its error), all submitted at once."""

    async def together() -> list[Any]:
        calls = (coalescer.calculate(copy.deepcopy(situation)) for situation in situations)
        return await asyncio.gather(*calls, return_exceptions=True)

    return asyncio.run(together())


def _alone(system: Any, situation: Any) -> Any:
    try:
        return calculate(system, copy.deepcopy(situation))
    except SituationError as error:
        return error


def _same(answers: list[Any], alone: list[Any]) -> bool:
    errors = [(type(x), x.path, x.message) if isinstance(x, SituationError) else x for x in answers]
    return errors == [(type(x), x.path, x.message) if isinstance(x, SituationError) else x for x in alone]


def test_a_batch_answers_each_request_as_alone() -> None:
    system = tax_benefit_system("lao")
    situations = [_situation(seed) for seed in range(30)]  # with households, or a formula set as an input
    coalescer = Coalescer(system, max_persons=10_000)
    assert _together(coalescer, situations) == [calculate(system, copy.deepcopy(s)) for s in situations]
    assert (coalescer.requests, coalescer.batches) == (30, 1)
    assert coalescer.read_as_one == 0  # planned one by one, merged by signature


def test_persons_only_situations_are_read_as_one_with_each_answer_its_own() -> None:
    system = tax_benefit_system("lao")
    situations = [_situation(seed) for seed in range(40) if seed % 2 == 0 and seed % 3][:12]
    situations[3]["persons"]["extra"] = {"sex": {"ETERNITY": "female"}, "age": {MONTH: None}}  # other variables
    coalescer = Coalescer(system, max_persons=10_000)
    answers = _together(coalescer, situations)
    assert answers == [calculate(system, copy.deepcopy(s)) for s in situations]
    assert (coalescer.batches, coalescer.read_as_one) == (1, 1)


def test_situations_with_households_are_read_as_one_each_household_its_own() -> None:
    system = tax_benefit_system("lao")
    situations = [_situation(seed) for seed in (1, 5, 7, 11, 13, 17)]  # each "h", its head and members
    coalescer = Coalescer(system, max_persons=10_000)
    assert _together(coalescer, situations) == [calculate(system, copy.deepcopy(s)) for s in situations]
    assert coalescer.read_as_one == 1
    mixed = Coalescer(system, max_persons=10_000)  # with and without households: each entity named by all, or
    assert _together(mixed, [situations[0], _situation(2)]) == [  # planned one by one
        calculate(system, copy.deepcopy(situations[0])),
        calculate(system, _situation(2)),
    ]
    assert mixed.read_as_one == 0


def _template_household(index: int) -> dict:
    """openfisca-country-template's household: two adults, a child, rent, and results for each entity."""
    return {
        "persons": {
            "ana": {"salary": {"2024-01": 1000.0 + 100 * index}, "birth": {"ETERNITY": "1980-01-01"}},
            "bob": {"salary": {"2024-01": 500.0 * index}, "income_tax": {"2024-01": None}},
            "kid": {"birth": {"ETERNITY": f"20{10 + index}-05-05"}, "age": {"2024-01": None}},
        },
        "households": {
            "h": {
                "adults": ["ana", "bob"],
                "children": ["kid"],
                "rent": {"2024-01": 600.0 + index},
                "housing_occupancy_status": {"2024-01": "tenant"},
                "housing_allowance": {"2024-01": None},
                "total_benefits": {"2024-01": None},
            }
        },
    }


def test_another_country_packages_households_are_read_as_one_with_their_own_results() -> None:
    from openfisca_country_template import CountryTaxBenefitSystem

    system = CountryTaxBenefitSystem()
    situations = [_template_household(index) for index in range(5)]
    coalescer = Coalescer(system, max_persons=10_000)
    answers = _together(coalescer, situations)
    assert answers == [calculate(system, copy.deepcopy(situation)) for situation in situations]
    assert coalescer.read_as_one == 1
    assert all(isinstance(answer["households"]["h"]["total_benefits"]["2024-01"], float) for answer in answers)


def test_a_formula_set_as_an_input_is_not_read_with_others() -> None:
    system = tax_benefit_system("lao")
    situations = [_situation(seed) for seed in (2, 4, 6, 8)]  # persons only; 6 sets a formula variable
    coalescer = Coalescer(system, max_persons=10_000)
    assert _together(coalescer, situations) == [calculate(system, copy.deepcopy(s)) for s in situations]
    assert coalescer.read_as_one == 0


def test_in_a_batch_read_as_one_each_refusal_is_the_requests_own() -> None:
    system = tax_benefit_system("lao")
    good = [_situation(seed) for seed in (2, 4, 8, 10)]
    text = copy.deepcopy(good[0])
    next(iter(text["persons"].values()))["contribution_months"] = {MONTH: "many"}  # left to the reference: 400
    calendar = copy.deepcopy(good[1])
    next(iter(calendar["persons"].values()))["age"] = {"10000-01": None}  # a period beyond OpenFisca's calendar
    situations = [good[0], text, good[1], calendar, good[2], good[3], 7, {"persons": []}]
    alone = [_alone(system, situation) for situation in situations]
    assert sum(isinstance(answer, SituationError) for answer in alone) == 4
    assert _same(_together(Coalescer(system, max_persons=10_000), situations), alone)


class _ProbeRate(Reform):
    """A rate in force from 2020: asked for 2010, openfisca-core finds no parameter (a client error)."""

    def apply(self) -> None:
        class probe_amount(Variable):
            value_type = float
            entity = self.variables["age"].entity
            definition_period = DateUnit.MONTH

            def formula(person, period, parameters):  # noqa: N805 - an OpenFisca formula
                return person("insured_wage", period) * parameters(period).probe.rate

        def with_probe(parameters: ParameterNode) -> ParameterNode:
            parameters.add_child("probe", ParameterNode("probe", data={"rate": {"values": {"2020-01-01": 0.5}}}))
            return parameters

        self.add_variable(probe_amount)
        self.modify_parameters(with_probe)


def test_a_batch_read_as_one_that_fails_is_evaluated_again_one_by_one_and_wrote_nothing() -> None:
    system = _ProbeRate(tax_benefit_system("lao"))
    situations = [_situation(seed) for seed in (2, 4, 8)]
    for situation in situations:
        next(iter(situation["persons"].values()))["probe_amount"] = {MONTH: None}
    failing = copy.deepcopy(situations[1])
    next(iter(failing["persons"].values()))["probe_amount"] = {"2010-01": None}
    situations.insert(1, failing)
    alone = [_alone(system, situation) for situation in situations]
    assert [isinstance(answer, SituationError) for answer in alone] == [False, True, False, False]
    coalescer = Coalescer(system, max_persons=10_000)
    answers = _together(coalescer, situations)
    assert _same(answers, alone) and coalescer.read_as_one == 0

    as_sent = copy.deepcopy(situations)  # the plan read as one fails on the 2010 rate, before writing anything
    with pytest.raises(SituationError, match=r"probe\[rate\]"):
        execute(system, [merged_plan(system, situations, 10_000)])
    assert situations == as_sent


def _large_situation(first_seed: int) -> dict:
    """At least 1,000 persons, without groups, none setting a formula variable."""
    persons: dict = {}
    seed = first_seed
    while len(persons) < 1_000:
        if seed % 3:
            persons |= _situation(seed)["persons"]
        seed += 1
    return {"persons": persons}


def test_concurrent_http_requests_get_their_own_answers(client) -> None:
    situations = [_situation(seed) for seed in range(40)] + [_large_situation(1_000)]  # merged with small ones
    alone = [client.post("/calculate", json=situation).json() for situation in situations]
    with ThreadPoolExecutor(max_workers=16) as pool:
        together = list(pool.map(lambda situation: client.post("/calculate", json=situation).json(), situations))
    assert together == alone


class _Persons(dict):
    """A situation's persons that can be watched (a weak reference) to see when they are freed."""


def test_a_refused_request_is_freed_at_once_not_kept_in_a_cycle_until_the_collector_runs() -> None:
    system = tax_benefit_system("lao")
    coalescer = Coalescer(system, max_persons=10)
    refused = [{"persons": _Persons((f"p{index}", {}) for index in range(11))}, {"persons": _Persons(a={"age": 7})}]
    watched = [weakref.ref(situation["persons"]) for situation in refused]

    async def submitted(situations: list[Any]) -> list[Any]:
        return await asyncio.gather(*(coalescer.calculate(each) for each in situations), return_exceptions=True)

    collector_was_on = gc.isenabled()
    gc.disable()
    try:
        errors = asyncio.run(submitted(refused))
        assert [type(error) for error in errors] == [SituationError, SituationError]  # 413 persons; 400 age
        del errors, refused
        assert [each() for each in watched] == [None, None]
    finally:
        if collector_was_on:
            gc.enable()


VALUES = {  # inputs a delivery system sends, with a few it gets wrong (each then refused or left to the reference)
    "birth_date": st.sampled_from([{"ETERNITY": "1958-03-01"}, {"ETERNITY": "1990-12-31"}, {"ETERNITY": "1961"}]),
    "sex": st.sampled_from([{"ETERNITY": "male"}, {"ETERNITY": "female"}, {MONTH: "female"}, {"ETERNITY": 3}]),
    "contribution_months": st.sampled_from([{MONTH: 0}, {MONTH: 180}, {MONTH: 420}, {MONTH: -5}, {MONTH: "x"}]),
    "insured_wage": st.sampled_from(
        [{f"2024-0{month}": 2_000_000.0 for month in range(1, 6)}, {"2024-05": 900_000}, {"2024": 12_000_000.0}]
    ),
    "pregnancy_outcome": st.sampled_from([{MONTH: "live_birth"}, {MONTH: "none"}, {MONTH: "twins"}]),
    "old_age_pensionable_age_reached": st.sampled_from([{MONTH: True}]),  # a formula set as an input
}
WANTED = st.sampled_from([{MONTH: None}, {"2024-07": None}, {"2025-01": None}])
PERSON = st.fixed_dictionaries(
    {},
    optional={
        **VALUES,
        **{name: WANTED for name in (*OUTPUTS, "unemployment_benefit", "old_age_pension")},
    },
)
PERSONS = st.dictionaries(st.sampled_from(["a", "b", "c"]), PERSON, min_size=1, max_size=3)
SITUATION = st.one_of(
    PERSONS.map(lambda persons: {"persons": persons}),
    PERSONS.map(  # planned alone: read with others only when they set the same formula variables
        lambda persons: {
            "persons": persons,
            "households": {"h": {"heads": [next(iter(persons))], "members": list(persons)[1:]}},
        }
    ),
    st.just({"persons": {}}),
).map(lambda situation: json.loads(json.dumps(situation)))  # as a request sends it: no object shared by two
# places (``sampled_from`` gives the same dict each time: results written into one shared by two outputs would
# then depend on the order they are written in, which a JSON body cannot ask)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(situations=st.lists(SITUATION, min_size=2, max_size=6))
def test_any_batch_answers_each_situation_as_it_would_be_answered_alone(situations: list[dict]) -> None:
    alone = [_alone(SYSTEM, situation) for situation in situations]
    assert _same(_together(Coalescer(SYSTEM, max_persons=10_000), situations), alone)
