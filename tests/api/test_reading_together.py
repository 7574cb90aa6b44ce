"""Small ``/eligibility`` requests read together in their batch get exactly the answer or error they get alone."""

from __future__ import annotations

import asyncio
import copy
import re
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import orjson
import pytest
from fastapi.exceptions import RequestValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openfisca_sp import tax_benefit_system
from openfisca_sp.api.batching import Batcher
from openfisca_sp.api.eligibility_answers import Claims, EligibilityAnswers
from openfisca_sp.api.hot_lane import validated
from openfisca_sp.api.reading_together import MOST_PERSONS, ReadingTogether, UnreadClaims, reading_together
from openfisca_sp.decisions.consistency import ContradictoryFactsError
from tests.api.server import start
from tests.api.test_eligibility import _synthetic
from tests.api.test_eligibility_batching import AS_OF, _requests

SYSTEMS: dict[str, tuple[EligibilityAnswers, ReadingTogether]] = {}


def _reading(code: str) -> tuple[EligibilityAnswers, ReadingTogether]:
    if code not in SYSTEMS:
        system = tax_benefit_system(code)
        answers = EligibilityAnswers(system)
        SYSTEMS[code] = answers, reading_together(system, answers, 10_000)
    return SYSTEMS[code]


def _alone(together: ReadingTogether, request: dict[str, Any]) -> bytes | Exception:
    """The answer or error of ``request`` read and decided alone, as before requests were read together."""
    try:
        claims = together.answers.claims(validated(together.request_model, _json(request)))
    except (RequestValidationError, ContradictoryFactsError) as error:
        return error
    return together.answers.decide([claims])[0]


def _json(request: dict[str, Any]) -> Any:
    return orjson.loads(orjson.dumps(request))  # as the hot lane parses it, no object shared with the test


def _same(found: bytes | Exception, expected: bytes | Exception) -> None:
    """The same answer, or an error of the same kind saying the same."""
    if isinstance(expected, bytes):
        assert found == expected
    elif isinstance(expected, RequestValidationError):
        assert isinstance(found, RequestValidationError) and found.errors() == expected.errors()
    else:
        assert isinstance(found, ContradictoryFactsError) and found.contradictions == expected.contradictions


@pytest.mark.parametrize("code", ["lao", "vnm", "ilo_c102"])
def test_small_requests_read_together_get_the_answers_they_get_alone(code: str) -> None:
    _, together = _reading(code)
    requests = [request for request in _requests(20, seed=3 + len(code)) if len(request["persons"]) <= MOST_PERSONS]
    unread = [together.unread(_json(request)) for request in requests]
    assert all(isinstance(claims, UnreadClaims) for claims in unread)
    batches = together.together
    decided = together.decide(unread)
    assert together.together == batches + 1  # read as one batch, not each alone
    assert decided == [_alone(together, request) for request in requests]


def _broken(requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The requests with some made wrong as a client makes them: a number as text, a mistyped field, a person
    born after the date asked (a contradiction), a birth with no child."""
    broken = copy.deepcopy(requests)
    broken[1]["persons"][0]["contribution_months"] = "ten"
    broken[3]["persons"][-1]["contributions_months"] = 12
    broken[4]["persons"][0]["birth_date"] = "2030-01-01"
    broken[6]["persons"][0] |= {"pregnancy_outcome": "live_birth", "child_birth_date": "2024-06-01"}
    broken[6]["persons"][0]["number_of_children_born"] = 0
    return broken


def test_a_wrong_request_gets_its_own_error_and_the_others_their_answers() -> None:
    _, together = _reading("lao")
    requests = _broken([{"as_of": AS_OF, "persons": _synthetic(1 + index % 4, seed=index)} for index in range(8)])
    decided = together.decide([together.unread(_json(request)) for request in requests])
    expected = [_alone(together, request) for request in requests]
    assert [type(found) for found in expected[:7]] == [
        bytes, RequestValidationError, bytes, RequestValidationError, ContradictoryFactsError, bytes,
        ContradictoryFactsError,
    ]  # fmt: skip
    for found, alone in zip(decided, expected, strict=True):
        _same(found, alone)


def test_requests_read_on_arrival_and_unread_ones_share_a_batch() -> None:
    answers, together = _reading("vnm")
    requests = [request for request in _requests(10, seed=21) if len(request["persons"]) <= MOST_PERSONS]
    batch: list[Claims | UnreadClaims] = [
        together.unread(_json(request)) if index % 3 else answers.claims(validated(together.request_model, request))
        for index, request in enumerate(requests)
    ]
    assert {type(claims) for claims in batch} == {Claims, UnreadClaims}
    assert together.decide(batch) == [_alone(together, request) for request in requests]


def _request(**changes: Any) -> dict[str, Any]:
    return {"as_of": AS_OF, "persons": _synthetic(2, seed=5)} | changes


@pytest.mark.parametrize(
    "body",
    [
        _request(persons=_synthetic(MOST_PERSONS + 1, seed=1)),  # its own reading is no longer mostly fixed cost
        _request(persons=[]),
        _request(persons=[{"@type": "Group", "group_identifier": "g1"}]),  # a DCI record: read as flat persons first
        _request(persons=["p1"]),
        _request(persons={"p1": {}}),
        _request(as_of="2024-02-30"),  # the whole model names the error
        _request(branches=["old-age"]),
        _request(unexpected=1),
        [_request()],
    ],
)
def test_what_is_read_on_arrival(body: Any) -> None:
    _, together = _reading("lao")
    assert together.unread(_json(body)) is None


WRONG_VALUES = st.sampled_from(
    [
        ("contribution_months", "ten"),
        ("contribution_months", -1),
        ("contribution_months", 2**40),
        ("sex", "unknown"),
        ("birth_date", "2024-02-30"),
        ("birth_date", "2030-01-01"),
        ("insured_wage", {"2024-13": 1.0}),
        ("insured_wage", {"2024-01": -5.0}),
        ("is_disabled", "yes"),
        ("household_identifier", "h" * 500),
        ("contributions_months", 3),
    ]
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    sizes=st.lists(st.integers(1, 5), min_size=1, max_size=8),
    wrong=st.lists(st.tuples(st.integers(0, 7), WRONG_VALUES), max_size=3),
    seed=st.integers(0, 10_000),
)
def test_any_batch_answers_each_request_as_alone(sizes: list[int], wrong: list[Any], seed: int) -> None:
    _, together = _reading("lao")
    requests = [{"as_of": AS_OF, "persons": _synthetic(size, seed=seed + index)} for index, size in enumerate(sizes)]
    for index, (field, value) in wrong:
        if index < len(requests):
            requests[index]["persons"][0][field] = value
    decided = together.decide([together.unread(_json(request)) for request in requests])
    for found, request in zip(decided, requests, strict=True):
        _same(found, _alone(together, request))


def test_a_batch_read_together_is_decided_in_the_columns_it_was_read_in() -> None:
    answers, together = _reading("lao")
    requests = [{"as_of": AS_OF, "persons": _synthetic(3, seed=seed)} for seed in range(4)]
    claims = together.read([together.unread(_json(request)) for request in requests])
    whole = claims[0].persons.whole
    assert whole is not None and whole.count == 12
    assert all(part.persons.whole is whole for part in claims)
    assert [part.persons.identifiers for part in claims] == [["p0", "p1", "p2"]] * 4
    alone = [answers.decide([part])[0] for part in claims]  # one part: its own rows only
    assert answers.decide(claims) == alone
    assert answers.decide(claims[::-1]) == alone[::-1]  # out of order: the parts joined again
    assert answers.decide(claims[1:3]) == alone[1:3]


def test_concurrent_requests_in_one_batcher_are_read_together() -> None:
    _, together = _reading("lao")
    batcher = Batcher(together.decide, max_size=10_000)
    requests = _broken([{"as_of": AS_OF, "persons": _synthetic(2, seed=seed)} for seed in range(8)])

    async def concurrently() -> list[Any]:
        unread = [together.unread(_json(request)) for request in requests]
        submitted = (batcher.submit(claims, claims.key, len(claims.records)) for claims in unread)
        return await asyncio.gather(*submitted, return_exceptions=True)

    for found, request in zip(asyncio.run(concurrently()), requests, strict=True):
        _same(found, _alone(together, request))
    assert batcher.batches == 1


def _answer(http: Any, request: dict[str, Any]) -> tuple[int, Any]:
    answer = http.post("/eligibility", json=request)
    body = answer.json()
    if answer.status_code != 200:
        body.pop("request_id", None)
    return answer.status_code, body


def test_concurrent_http_requests_with_wrong_ones_among_them() -> None:
    server = start("--log-level", "debug")
    try:
        requests = _broken([{"as_of": AS_OF, "persons": _synthetic(1 + seed % 3, seed=seed)} for seed in range(8)])
        requests *= 6
        with server.client() as http:
            alone = [_answer(http, request) for request in requests]
            with ThreadPoolExecutor(max_workers=16) as pool:
                together = list(pool.map(lambda request: _answer(http, request), requests))
        assert together == alone
        assert {status for status, _ in alone} == {200, 422}
        batched = [int(count) for count in re.findall(r"eligibility: (\d+) requests evaluated together", server.log())]
        assert batched and max(batched) > 1, server.log()[-3000:]
    finally:
        server.stop()


def test_each_part_holds_the_columns_its_records_read_alone_give() -> None:
    _, together = _reading("vnm")
    requests = [{"as_of": AS_OF, "persons": _synthetic(1 + seed % 4, seed=seed)} for seed in range(6)]
    for part, request in zip(together.read([together.unread(_json(r)) for r in requests]), requests, strict=True):
        alone = together.reader.read(_json(request)["persons"]).columns
        columns = part.persons.columns
        assert columns.count == alone.count == len(request["persons"])
        for found, expected in ((columns.values, alone.values), (columns.histories, alone.histories)):
            stated = {key for key, (_, mask) in found.items() if mask.any()}
            assert stated == {key for key, (_, mask) in expected.items() if mask.any()}
            for key in stated:
                kinds = found[key][0].dtype, expected[key][0].dtype  # texts: as wide as the batch's longest
                assert kinds[0] == kinds[1] or kinds[0].kind == kinds[1].kind == "U"
                assert (found[key][0] == expected[key][0]).all() and (found[key][1] == expected[key][1]).all()
