"""Concurrent requests evaluated together give each the answer it would get alone."""

from __future__ import annotations

import asyncio
import copy
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from openfisca_sp import tax_benefit_system
from openfisca_sp.api.batching import Coalescer
from openfisca_sp.api.situations import calculate, plan_situation

MONTH = "2024-06"
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


def test_a_batch_answers_each_request_as_alone() -> None:
    system = tax_benefit_system("lao")
    situations = [_situation(seed) for seed in range(30)]
    alone = [calculate(system, copy.deepcopy(situation)) for situation in situations]
    coalescer = Coalescer(system, max_persons=10_000)

    async def together() -> list[dict]:
        return await asyncio.gather(
            *(coalescer.calculate(plan_situation(system, copy.deepcopy(s))) for s in situations)
        )

    assert asyncio.run(together()) == alone
    assert coalescer.requests == 30
    assert coalescer.batches == 2  # one batch per signature (formula inputs set or not)


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
