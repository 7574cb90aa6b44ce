"""A registry that misbehaves costs its search an ``unavailable`` outcome, never a 500, the worker's memory nor an
unbounded wait (security review, findings 3 to 5): an answer nested ~1,000 deep, a gzip bomb, an answer dripped a
byte at a time, more searches than the worker's cap, a client that leaves. A real server and a fake registry
(:mod:`tests.api.hostile_registry`) on 127.0.0.1."""

from __future__ import annotations

import asyncio
import gzip
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import psutil
import pytest

from openfisca_sp.api.dci_callbacks import ClientCredentials, Delivery, TokenUnavailableError
from openfisca_sp.decisions.dci_signatures import jwks_keys
from tests.api.hostile_registry import HostileRegistry, search_answer
from tests.api.server import Server, start

LIMITS = {
    "OPENFISCA_SP_REGISTRY_TIMEOUT": "1",
    "OPENFISCA_SP_REGISTRY_ATTEMPTS": "2",
    "OPENFISCA_SP_REGISTRY_DEADLINE": "4",
    "OPENFISCA_SP_REGISTRY_CONCURRENCY": "6",
    "OPENFISCA_SP_REGISTRY_MAX_BYTES": str(1024 * 1024),
    "OPENFISCA_SP_API_KEYS": "",
    "OPENFISCA_SP_API_KEYS_FILE": "",
}


@pytest.fixture(scope="module")
def registry() -> Iterator[HostileRegistry]:
    running = HostileRegistry()
    yield running
    running.stop()


def _service(registry: HostileRegistry, **settings: str) -> Server:
    return start("--workers", "1", environment={**LIMITS, "OPENFISCA_SP_SOCIAL_REGISTRY_URL": registry.url, **settings})


@pytest.fixture(scope="module")
def service(registry: HostileRegistry) -> Iterator[Server]:
    running = _service(registry)
    yield running
    running.stop()


def _ask(service: Server, count: int = 1, timeout: float = 60) -> httpx.Response:
    identifiers = [{"identifier_type": "UIN", "identifier_value": f"X{index}"} for index in range(count)]
    with service.client() as http:
        return http.post(
            "/eligibility/by-identifier", json={"as_of": "2024-06-15", "identifiers": identifiers}, timeout=timeout
        )


def _social(answer: httpx.Response, index: int = 0) -> dict[str, Any]:
    assert answer.status_code == 200, answer.text
    searches = answer.json()["registries"][index]["searches"]
    return next(item for item in searches if item["registry"] == "social_registry")


def test_a_well_formed_answer_is_found(service: Server, registry: HostileRegistry) -> None:
    registry.reset("ok")
    assert _social(_ask(service))["status"] == "found"


@pytest.mark.parametrize(("depth", "reason"), [(990, "nested deeper than 64 levels"), (200_000, "not JSON")])
def test_an_answer_nested_a_thousand_deep_makes_the_registry_unavailable_not_a_500(
    service: Server, registry: HostileRegistry, depth: int, reason: str
) -> None:
    registry.reset("deep", depth=depth)
    search = _social(_ask(service))
    assert search["status"] == "unavailable" and reason in search["reason"], search


def test_a_gzip_bomb_is_read_up_to_the_limit_only(service: Server, registry: HostileRegistry) -> None:
    padded = search_answer([]).replace(b'"header"', b" " * (200 * 1024 * 1024) + b'"header"', 1)
    registry.reset("bomb", bomb=gzip.compress(padded, compresslevel=9))  # about 200 KB, 200 MB unfolded
    worker = psutil.Process(service.process.pid)
    before = worker.memory_info().rss
    peak = [before]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], worker.memory_info().rss)
            time.sleep(0.01)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        search = _social(_ask(service))
    finally:
        done.set()
        sampler.join()
    assert len(registry.bomb) < 1024 * 1024
    assert search["status"] == "unavailable" and search["reason"] == "the answer is larger than 1048576 bytes"
    assert (peak[0] - before) / 2**20 < 50, (before, peak[0])  # not the 200 MB it unfolds to


def test_an_answer_dripped_a_byte_at_a_time_is_cut_off_and_searches_are_capped_per_worker(
    service: Server, registry: HostileRegistry
) -> None:
    registry.reset("drip", drip=0.3)
    started = time.monotonic()
    alone = _social(_ask(service))
    elapsed = time.monotonic() - started
    assert alone["status"] == "unavailable" and alone["reason"] == "no answer within 1 s", alone
    assert alone["attempts"] == 2 and elapsed < 3, elapsed  # 2 attempts of 1 s in all, not per byte
    registry.reset("drip", drip=0.3)
    seen: list[int] = []
    sampler = threading.Timer(0.6, lambda: seen.append(registry.open))  # the first attempts all under way
    started = time.monotonic()
    sampler.start()
    answer = _ask(service, count=20)
    elapsed = time.monotonic() - started
    searches = [_social(answer, index) for index in range(20)]
    assert elapsed < 4 + 2, elapsed  # the request's deadline (4 s), not the drip (10,000 bytes at 0.3 s)
    assert {item["status"] for item in searches} == {"unavailable"}
    reasons = {item["reason"] for item in searches}
    assert reasons <= {"no answer within 1 s", "no answer within the request's 4 s"}, reasons
    log = service.log_with("registry search: social_registry unavailable after 2 attempt(s)")
    assert "registry search: social_registry unavailable after 2 attempt(s)" in log  # it said "registry search"
    assert "registry search: social_registry unavailable after 0 attempt(s)" in log  # past the deadline
    assert "X1" not in log  # never an identifier
    assert seen == [6]  # OPENFISCA_SP_REGISTRY_CONCURRENCY, not 20 at once
    deadline = time.monotonic() + 3
    while registry.open and time.monotonic() < deadline:
        time.sleep(0.05)
    assert registry.open == 0  # every search's connection closed with the answer


def test_searches_are_cancelled_when_the_client_leaves(registry: HostileRegistry) -> None:
    service = _service(
        registry,
        OPENFISCA_SP_REGISTRY_TIMEOUT="60",
        OPENFISCA_SP_REGISTRY_DEADLINE="120",
        OPENFISCA_SP_REGISTRY_CONCURRENCY="100",
    )
    try:
        registry.reset("drip", drip=0.2)
        with pytest.raises(httpx.ReadTimeout):
            _ask(service, count=5, timeout=1.5)  # then the client closes its connection
        assert registry.searches == 5  # every search under way
        deadline = time.monotonic() + 5
        while registry.open and time.monotonic() < deadline:
            time.sleep(0.05)
        still_open = registry.open
        log = service.log_with('"status":499')
    finally:
        service.stop()
    assert still_open == 0  # cancelled with the request, not 60 s later
    assert '"path":"/eligibility/by-identifier","status":499' in log


def test_callbacks_and_token_requests_are_timed_in_all_and_key_sets_nested_deep_refused(
    registry: HostileRegistry,
) -> None:
    """The same bounds on the other outgoing requests: a receiver that drips its headers, or a token endpoint its
    answer, is cut off at the timeout (it held them as long as the drip); a callback's answer body is not read (a
    receiver's 200 is enough); a published key set nested deep is not a key set (a RecursionError escaped)."""
    delivery = Delivery(["127.0.0.1"], timeout=1, attempts=1)
    tokens = ClientCredentials(registry.url + "/token", "openfisca-sp", "secret", timeout=1)
    registry.reset("drip", drip=0.2)
    started = time.monotonic()
    with pytest.raises(TokenUnavailableError, match=r"no access token \(timeout\)"):
        asyncio.run(tokens.authorization())
    sent = asyncio.run(delivery.post(registry.url + "/callback", b"{}", "c0ffee", "callback"))
    registry.reset("drip_head", drip=0.2)
    outcome = asyncio.run(delivery.post(registry.url + "/callback", b"{}", "c0ffee", "callback"))
    assert sent.status == "sent"  # its 200 is enough: the body dripped after it is not waited for
    assert (outcome.status, outcome.reason) == ("failed", "timeout")
    assert time.monotonic() - started < 4  # two requests of 1 s in all, and one answered at once
    with pytest.raises(ValueError, match="a JSON Web Key Set"):
        jwks_keys("[" * 100_000 + "]" * 100_000)


def test_a_registry_giving_more_persons_than_a_request_may_decide_is_unavailable_not_a_413(
    registry: HostileRegistry,
) -> None:
    """The security review (finding 7): a Social Registry answering more persons than a request may decide gave
    the caller, who sent one identifier and no ``persons``, a 413 on ``persons``."""
    service = _service(registry, OPENFISCA_SP_MAX_PERSONS="50")
    try:
        registry.reset("many", records=60)
        answer = _ask(service)
    finally:
        service.stop()
    search = _social(answer)
    assert search["status"] == "unavailable", search
    assert search["reason"] == "more records than the 50 persons one request may decide"
    assert len(answer.json()["persons"]) == 1  # the person asked, by the identifier
