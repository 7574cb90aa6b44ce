"""The work one request may cause is bounded before it is done (security review 2, from an attacker's side).

Each test sends, to a real server, a small request that was answered after tens of seconds of one worker's CPU,
and checks that it is now refused at once, naming the place in the request.
"""

from __future__ import annotations

import time
from typing import Any

import psutil
import pytest

from openfisca_sp.api.bodies import TRIM_AFTER_BYTES
from tests.api.server import Server, free_port, settled, start
from tests.api.test_dci_async import _acknowledged, _async_message, _settled, _status

# Viet Nam's unemployment benefit reads the 24 to 36 months before each month asked: its costliest result
BENEFIT = "unemployment_benefit"


def _months(count: int, step: int = 19) -> list[str]:
    """``count`` months from January 1950, ``step`` months apart (no two share their months before them)."""
    return [f"{1950 + index * step // 12:04d}-{index * step % 12 + 1:02d}" for index in range(count)]


def _asking(months: list[str], persons: int = 1) -> dict[str, Any]:
    person = {"birth_date": {"ETERNITY": "1960-01-01"}, "sex": {"ETERNITY": "female"}, BENEFIT: dict.fromkeys(months)}
    return {"persons": {f"p{index}": person for index in range(persons)}}


@pytest.mark.parametrize(
    ("route", "months", "first_beyond"),
    [
        ("/vnm/calculate", 4_900, 120),  # 70 KB: 30 s and 100 MB before, within the 5,000 inputs and results
        ("/vnm/trace", 5_000, 12),  # 70 KB: 71 s and an answer of 55 MB before
    ],
)
def test_results_for_too_many_periods_are_refused_before_any_is_computed(
    client, route: str, months: int, first_beyond: int
) -> None:
    asked = _months(months)
    started = time.perf_counter()
    refused = client.post(route, json=_asking(asked))
    seconds = time.perf_counter() - started
    assert refused.status_code == 413, refused.text[:300]
    message = refused.json()["persons"]["p0"][BENEFIT][asked[first_beyond]]  # the first period beyond the limit
    assert f"at most {first_beyond} distinct periods per request" in message
    assert seconds < 3, seconds


def test_the_limit_counts_periods_not_persons_and_holds_on_every_path(client) -> None:
    """120 periods for 200 persons (a body the fast path reads from its bytes) are computed; one more period is
    refused at its cell, as the usual reading names it. ``2024-06`` asked of two variables is one period."""
    within = client.post("/vnm/calculate", json=_asking(_months(120), persons=200))
    assert within.status_code == 200, within.text[:300]
    assert len(within.json()["persons"]["p199"][BENEFIT]) == 120
    beyond = _months(121)
    refused = client.post("/vnm/calculate", json=_asking(beyond, persons=200))
    assert refused.status_code == 413, refused.text[:300]
    assert set(refused.json()["persons"]["p0"][BENEFIT]) == {beyond[120]}
    two_variables = _asking(_months(12))
    two_variables["persons"]["p0"]["old_age_pension"] = dict.fromkeys(_months(12))
    assert client.post("/vnm/trace", json=two_variables).status_code == 200


def test_the_limits_of_periods_are_settings_on_every_path() -> None:
    """``OPENFISCA_SP_MAX_RESULT_PERIODS`` and ``OPENFISCA_SP_MAX_TRACED_PERIODS`` (the bounds were constants, 120 and
    12): /calculate's usual reading and its reading of a table from its bytes (400 persons, over 64 KiB) answer 6
    periods and refuse a 7th at its cell; /trace answers 2 and refuses a 3rd."""
    server = start(environment={"OPENFISCA_SP_MAX_RESULT_PERIODS": "6", "OPENFISCA_SP_MAX_TRACED_PERIODS": "2"})
    try:
        with server.client() as http:
            for persons in (1, 400):
                within = http.post("/vnm/calculate", json=_asking(_months(6), persons))
                assert within.status_code == 200, within.text[:300]
                beyond = _months(7)
                refused = http.post("/vnm/calculate", json=_asking(beyond, persons))
                assert len(refused.request.content) > 65_536 or persons == 1
                assert refused.status_code == 413, refused.text[:300]
                message = refused.json()["persons"]["p0"][BENEFIT][beyond[6]]
                assert "at most 6 distinct periods per request" in message
            assert http.post("/vnm/trace", json=_asking(_months(2))).status_code == 200
            traced = http.post("/vnm/trace", json=_asking(_months(3)))
    finally:
        server.stop()
    assert traced.status_code == 413, traced.text[:300]
    assert "at most 2 distinct periods per request" in traced.json()["persons"]["p0"][BENEFIT][_months(3)[2]]


def test_too_many_inputs_and_results_are_refused_at_the_entity(client) -> None:
    """The 5,000 inputs and results of the fast path were refused as ``{"error": …}``, naming no place."""
    person = {"birth_date": {"ETERNITY": "1960-01-01"}, "insured_wage": dict.fromkeys(_months(5_001, step=1), 1)}
    refused = client.post("/calculate", json={"persons": {"a": person}})
    assert refused.status_code == 413, refused.text[:300]
    assert "At most 5000 inputs and results" in refused.json()["persons"]


def test_the_memory_a_small_request_grew_goes_back_once_the_worker_is_quiet(server: Server, client) -> None:
    """Freed memory went back to the system only after a large body (4 MiB or more): 10,000 claims on as many
    days, 2.5 MB, answered 23 MB and left 400 MB held until some large body came. A large answer now counts as
    a large load."""
    claim = {"sex": "female", "birth_date": "1964-01-01", "child_birth_date": "2024-01-10"}
    request = {"as_of": "2024-06-15", "persons": [dict(claim, identifier=f"P{index}") for index in range(10_000)]}
    process = psutil.Process(server.process.pid)
    client.post("/vnm/eligibility", json=request)  # every cache a decision fills, filled
    answer = client.post("/vnm/eligibility", json=request)
    grown = process.memory_info().rss
    assert answer.status_code == 200 and len(answer.content) > TRIM_AFTER_BYTES > len(answer.request.content)
    below = grown - 16 * 1024 * 1024
    assert settled(lambda: process.memory_info().rss, below) < below


def test_answers_of_asynchronous_transactions_are_kept_within_their_bytes() -> None:
    """Each asynchronous transaction kept its answer for an hour, 1,000 of them: 20 messages of 10,000 persons
    (25 MB each) took one worker from 346 to 916 MB. Past ``OPENFISCA_SP_DCI_TRANSACTION_BYTES`` the oldest are
    forgotten (a status request then answers 404, as past ``OPENFISCA_SP_DCI_TRANSACTIONS``); the latest stays."""
    environment = {
        "OPENFISCA_SP_DCI_CALLBACK_HOSTS": "127.0.0.1",
        "OPENFISCA_SP_DCI_CALLBACK_ATTEMPTS": "1",
        "OPENFISCA_SP_DCI_CALLBACK_TIMEOUT": "2",
        "OPENFISCA_SP_DCI_TRANSACTION_BYTES": "1",  # no answer fits: the latest alone is kept
        "OPENFISCA_SP_API_KEYS": "",
        "OPENFISCA_SP_API_KEYS_FILE": "",
    }
    server = start("--workers", "1", environment=environment)
    down = f"http://127.0.0.1:{free_port()}/down"  # nobody listens: each callback fails, recorded
    try:
        with server.client() as http:
            first = _acknowledged(http, _async_message(down))
            assert _settled(http, first)["status"] == "succ"
            latest = _acknowledged(http, _async_message(down))
            assert _settled(http, latest)["status"] == "succ"
            forgotten = _status(http, "correlation_id", first)
            found = _status(http, "correlation_id", latest)
    finally:
        server.stop()
    assert forgotten.status_code == 404, forgotten.text[:300]
    assert (
        found.status_code == 200
        and "eligibility_response" in found.json()["message"]["txnstatus_response"]["txn_status"]
    )
