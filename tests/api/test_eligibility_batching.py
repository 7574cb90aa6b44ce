"""Concurrent ``/eligibility`` requests decided together give each the answer it gets alone, byte for byte."""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import orjson
import pytest

from openfisca_sp import tax_benefit_system
from openfisca_sp.api.batching import Batcher
from openfisca_sp.api.decision_records import branch_records
from openfisca_sp.api.eligibility_answers import EligibilityAnswers, household_keys
from openfisca_sp.api.examples import eligibility_example
from openfisca_sp.api.models import eligibility_request_model
from openfisca_sp.decisions import decide_claims, group_households
from openfisca_sp.rules.version import rules_version
from tests.api.server import start
from tests.api.test_eligibility import _synthetic

AS_OF = "2024-06-15"


def _requests(count: int, seed: int) -> list[dict[str, Any]]:
    """Requests of 1 to 12 persons: events on other days than the date asked (claims decided on other rules
    days), the same household identifiers in different requests, DCI identifiers, facts some requests lack."""
    rng = np.random.default_rng(seed)
    found = []
    for index in range(count):
        persons = _synthetic(int(rng.integers(1, 13)), seed=seed * 1000 + index)
        for person in persons:
            if rng.random() < 0.3:
                person["household_identifier"] = f"h{rng.integers(3)}"  # "h1" of one request is not another's
            if rng.random() < 0.2:
                person["identifier"] = [{"identifier_type": "UIN", "identifier_value": person["identifier"]}]
            if rng.random() < 0.2:
                person["relationship_head"] = "self"
        found.append({"as_of": AS_OF, "persons": persons})
    return [eligibility_example() | {"as_of": AS_OF}, *found]


def _claims(answers: EligibilityAnswers, model: Any, request: dict[str, Any]) -> Any:
    return answers.claims(model.model_validate(orjson.loads(orjson.dumps(request))))


@pytest.mark.parametrize("code", ["lao", "vnm", "ilo_c102"])
def test_requests_decided_together_get_the_answers_they_get_alone(code: str) -> None:
    system = tax_benefit_system(code)
    model = eligibility_request_model(system, 10_000)
    answers = EligibilityAnswers(system)
    requests = _requests(25, seed=len(code))
    alone = [answers.decide([_claims(answers, model, request)])[0] for request in requests]
    together = answers.decide([_claims(answers, model, request) for request in requests])
    assert together == alone
    decided = [orjson.loads(body) for body in together]
    assert [len(body["persons"]) for body in decided] == [len(request["persons"]) for request in requests]
    days = {day for body in decided for branch in body["branches"].values() for day in branch["rules_in_force"]}
    assert len(days) > 1  # some claims were decided on the rules of another day than the others


def _as_dicts(system: Any, claims: Any) -> bytes:
    """The answer built as dicts, one per person and branch, and encoded by orjson as a whole."""
    persons, as_of = claims.persons, claims.as_of
    decisions = decide_claims(system, persons.columns, as_of, claims.codes, (persons.households, persons.heads))
    currency, decimals = system.jurisdiction.currency, system.jurisdiction.amount_decimals
    records = {code: branch_records(decisions.branches[code], currency, decimals, as_of) for code in claims.codes}
    body = {
        "rules": rules_version(system, str(as_of)),
        "as_of": str(as_of),
        "branches": {
            code: {
                "label": decisions.branches[code].branch.label,
                "rules_in_force": {
                    day: {"legal_basis": basis.values, "unverified_parameters": basis.unverified}
                    for day, basis in sorted(decisions.branches[code].bases.items())
                },
            }
            for code in claims.codes
        },
        "persons": [
            {
                "identifier": identifier,
                "household_identifier": household,
                "benefits": {c: records[c][row] for c in records},
            }
            for row, (identifier, household) in enumerate(zip(persons.identifiers, persons.households, strict=True))
        ],
    }
    return orjson.dumps(body, option=orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS)


@pytest.mark.parametrize("code", ["lao", "vnm"])
def test_an_answer_is_the_json_of_its_decisions_built_person_by_person(code: str) -> None:
    system = tax_benefit_system(code)
    model = eligibility_request_model(system, 10_000)
    answers = EligibilityAnswers(system)
    requests = [*_requests(6, seed=3), {"as_of": AS_OF, "persons": _synthetic(300, seed=5)}]
    for request in requests:
        claims = _claims(answers, model, request)
        assert answers.decide([claims])[0] == _as_dicts(system, claims)


def _partition(households: Any) -> list[list[int]]:
    """Who lives with whom, and who heads each household: (head, members) by person."""
    if households is None:
        return []
    groups: dict[int, list[int]] = {}
    for person, household in enumerate(households.household_of.tolist()):
        groups.setdefault(household, []).append(person)
    heads = np.flatnonzero(households.is_head).tolist()
    return sorted([next(person for person in members if person in heads), *members] for members in groups.values())


def test_households_of_requests_decided_together_stay_apart() -> None:
    system = tax_benefit_system("lao")
    model = eligibility_request_model(system, 10_000)
    answers = EligibilityAnswers(system)
    persons = [
        {"household_identifier": "H", "sex": "male"},
        {"household_identifier": "H", "relationship_head": "self", "sex": "female"},
        {"sex": "female"},
    ]
    claims = [_claims(answers, model, {"as_of": AS_OF, "persons": persons}) for _ in range(2)]
    heads = [head for item in claims for head in item.persons.heads]
    together = _partition(group_households(household_keys(claims), heads))
    alone = _partition(group_households(household_keys(claims[:1]), heads[:3]))
    shifted = [[person + 3 for person in household] for household in alone]
    assert together == sorted(alone + shifted)
    assert [1, 0, 1] in together and [4, 3, 4] in together  # "H" of each request, headed by its declared head


def test_concurrent_requests_with_the_same_date_and_branches_make_one_batch() -> None:
    system = tax_benefit_system("lao")
    model = eligibility_request_model(system, 10_000)
    answers = EligibilityAnswers(system)
    batcher = Batcher(answers.decide, max_size=10_000)
    requests = _requests(12, seed=7)
    requests[3]["branches"] = ["old_age"]  # another set of branches: decided in a batch of its own
    alone = [answers.decide([_claims(answers, model, request)])[0] for request in requests]

    async def concurrently() -> list[bytes]:
        claims = [_claims(answers, model, request) for request in requests]
        return await asyncio.gather(*(batcher.submit(item, item.key, item.persons.count) for item in claims))

    assert asyncio.run(concurrently()) == alone
    assert (batcher.requests, batcher.batches) == (13, 2)


def test_a_batch_never_exceeds_the_persons_limit() -> None:
    system = tax_benefit_system("lao")
    model = eligibility_request_model(system, 10_000)
    answers = EligibilityAnswers(system)
    batcher = Batcher(answers.decide, max_size=20)
    requests = [{"as_of": AS_OF, "persons": _synthetic(8, seed=seed)} for seed in range(5)]

    async def concurrently() -> list[bytes]:
        claims = [_claims(answers, model, request) for request in requests]
        return await asyncio.gather(*(batcher.submit(item, item.key, item.persons.count) for item in claims))

    together = asyncio.run(concurrently())
    assert together == [answers.decide([_claims(answers, model, request)])[0] for request in requests]
    assert batcher.batches == 3  # 8 + 8, 8 + 8, 8


def test_concurrent_http_requests_are_batched_and_get_their_own_answers() -> None:
    server = start("--log-level", "debug")
    try:
        requests = _requests(48, seed=11)
        with server.client() as http:
            alone = [http.post("/eligibility", json=request).content for request in requests]
            with ThreadPoolExecutor(max_workers=16) as pool:
                together = list(pool.map(lambda request: http.post("/eligibility", json=request).content, requests))
        assert together == alone
        batched = [int(count) for count in re.findall(r"eligibility: (\d+) requests evaluated together", server.log())]
        assert batched and max(batched) > 1, server.log()[-3000:]
    finally:
        server.stop()


@pytest.mark.parametrize("code", ["lao", "vnm"])
def test_a_few_rows_are_grouped_as_many_rows_are(code: str) -> None:
    """A few rows are grouped by their answers' keys in Python (``grouped_by_key``), many by ranking arrays
    (``distinct_decisions``): the same groups."""
    from openfisca_sp.api import decision_json

    system = tax_benefit_system(code)
    answers, model = EligibilityAnswers(system), eligibility_request_model(system, 100)
    for seed in range(6):
        persons = _synthetic(20, seed=seed)
        for index in range(0, 20, 3):  # some answers alike: the same facts as another person
            persons[index] = {**persons[1], "identifier": f"copy{index}"}
        claims = _claims(answers, model, {"as_of": AS_OF, "persons": persons})
        decisions = decide_claims(system, claims.persons.columns, claims.as_of)
        for branch in decisions.branches.values():
            _, few_first, few_group = decision_json.grouped_by_key(
                decision_json.answer_keys(branch, None, claims.as_of)
            )
            many_first, many_group = decision_json.distinct_decisions(branch)
            assert len(few_first) == len(many_first) < 20  # some rows grouped, alike both ways
            assert np.array_equal(few_first[few_group], many_first[many_group])  # each row's group, by its first row


@pytest.mark.parametrize("code", ["lao", "vnm"])
def test_answers_kept_from_earlier_batches_are_the_answers_built_afresh(code: str, monkeypatch) -> None:
    """A worker keeps each distinct branch answer encoded across batches (``KnownAnswers``): a worker that has
    answered other requests, on other dates asked, answers each request byte for byte as a new worker does; the
    same request again builds no answer."""
    from openfisca_sp.api import decision_json

    system = tax_benefit_system(code)
    model = eligibility_request_model(system, 10_000)
    warm = EligibilityAnswers(system)
    for as_of in ("2024-06-15", "2025-02-03", "2024-06-16"):  # open-ended schedules run to the date asked
        requests = [request | {"as_of": as_of} for request in _requests(12, seed=7)]
        for request in requests:
            fresh = EligibilityAnswers(system)
            assert warm.decide([_claims(warm, model, request)]) == fresh.decide([_claims(fresh, model, request)])
    assert len(warm.known.encoded) > 20
    built: list[int] = []
    records = decision_json.branch_records
    monkeypatch.setattr(
        decision_json, "branch_records", lambda decisions, *rest: built.append(1) or records(decisions, *rest)
    )
    again = warm.decide([_claims(warm, model, requests[3])])
    assert not built and again == EligibilityAnswers(system).decide([_claims(warm, model, requests[3])])
    assert built  # a new worker builds them


def test_the_answers_kept_are_bounded() -> None:
    from openfisca_sp.api.decision_json import KnownAnswers

    known = KnownAnswers(size=3)
    for key in range(10):
        known.keep(key, b"{}")
        assert len(known.encoded) <= 3 and known.encoded[key] == b"{}"
