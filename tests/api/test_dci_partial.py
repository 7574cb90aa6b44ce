"""DCI messages completed in part, on a real server sharing a store file, and a real callback receiver: the records
that cannot be read are rejected one by one (``rjct.search_criteria.invalid``, their field named), the others
decided, the answers valid against the vendored ``registry_core`` schemas; a store of message ids that cannot be
written is a 503 whose retry is answered (``docs/dci.md``, "Partial answers" and "Duplicates")."""

from __future__ import annotations

import concurrent.futures
import copy
import json
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.api import test_dci_async
from tests.api.dci_receiver import Receiver
from tests.api.server import Server, start
from tests.api.test_dci_envelope import AS_OF, PERSONS, _message

HEADER = "/components/schemas/MsgCallbackHeader_V1.0.0"
ITEM = "/components/schemas/SearchResponse/properties/search_response/items"
ACK = "/components/responses/Response/content/application~1json/schema"
ROUTE, CALLBACK = "/dci/sync/eligibility", "/callback/on-eligibility"
# two records the rules decide, and four they cannot: a date and a code of the wrong kind, a DCI identifier
# missing its required value, a confinement before the mother's birth, and a member of her household
BAD = [
    dict(PERSONS[0], identifier="LA-0009", sex="martian", birth_date="1960-13-01"),
    {"identifier": [{"identifier_type": "UIN"}], "sex": "male", "birth_date": "1970-01-01"},
    {"identifier": "LA-0007", "sex": "F", "birth_date": "1990-01-01", "child_birth_date": "1980-01-01",
     "pregnancy_outcome": "live_birth", "number_of_children_born": 1, "household_identifier": "H-7"},
    {"identifier": "LA-0008", "sex": "M", "birth_date": "1990-01-01", "household_identifier": "H-7"},
]  # fmt: skip
MIXED = [PERSONS[0], BAD[0], PERSONS[1], BAD[1], BAD[2], BAD[3]]


# the callback receiver, and a client of this module's server
receiver, client = test_dci_async.receiver, test_dci_async.client


def _valid(pointer: str, value: Any) -> None:
    test_dci_async._valid("registry_core", pointer, value)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("dci-store") / "dci.sqlite3"


def sharing(store: Path, **environment: str) -> Iterator[Server]:
    """A server of one worker keeping its DCI ids and transactions in the file ``store``, calling back 127.0.0.1,
    with no API key, and ``environment``."""
    environment = {
        "OPENFISCA_SP_DCI_STORE": str(store),
        "OPENFISCA_SP_DCI_CALLBACK_HOSTS": "127.0.0.1",
        "OPENFISCA_SP_API_KEYS": "",
        "OPENFISCA_SP_API_KEYS_FILE": "",
        **environment,
    }
    running = start("--workers", "1", environment=environment)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def server(receiver: Receiver, store: Path) -> Iterator[Server]:
    yield from sharing(store)


def _check_partial(header: dict[str, Any], body: dict[str, Any]) -> None:
    """A partial answer to :data:`MIXED`: valid, two records decided, four rejected each saying why."""
    _valid(HEADER, header)
    assert header["status"] == "succ" and "status_reason_code" not in header
    assert header["total_count"] == header["completed_count"] == 6  # DCI: rejected requests are completed too
    assert header["status_reason_message"].startswith("4 of 6 records rejected")
    statuses = body["eligibility_status"]
    for item in statuses:
        _valid(ITEM, item)
    assert [item["reference_id"] for item in statuses] == [f"persons[{index}]" for index in range(6)]
    assert [item["status"] for item in statuses] == ["succ", "rjct", "succ", "rjct", "rjct", "rjct"]
    rejected = {index: statuses[index] for index in (1, 3, 4, 5)}
    assert {item["status_reason_code"] for item in rejected.values()} == {"rjct.search_criteria.invalid"}
    reasons = {index: item["status_reason_message"] for index, item in rejected.items()}
    assert "persons[1].birth_date:" in reasons[1] and "persons[1].sex:" in reasons[1] and "expected: " in reasons[1]
    assert reasons[3].startswith("persons[3].identifier[0].identifier_value: Field required; expected: a value")
    assert reasons[4].startswith("persons[4].child_birth_date: ") and "expected: on or after" in reasons[4]
    assert reasons[5].startswith("persons[5]: decided together with persons[4]")


def test_a_message_answers_its_good_records_and_rejects_its_bad_ones(client, server) -> None:
    message = _message(MIXED)
    answer = client.post(ROUTE, json=message)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    _check_partial(body["header"], body["message"])
    plain = client.post("/eligibility", json={"as_of": AS_OF, "persons": [PERSONS[0], PERSONS[1]]})
    assert body["message"]["eligibility_response"] == plain.json()  # the good records, decided as alone
    again = client.post(ROUTE, json=message)  # a retry: the partial answer kept, byte for byte
    assert again.status_code == 200 and again.content == answer.content
    assert again.headers["idempotent-replayed"] == "true"
    log = server.log_with(f'"correlation_id":"{answer.headers["x-correlation-id"]}","dci_status":"succ"')
    assert "LA-0009" not in log and "martian" not in log


def test_what_is_wrong_with_the_message_or_every_record_is_still_refused(client) -> None:
    whole = _message([PERSONS[0], BAD[0]])
    whole["message"]["eligibility_request"]["as_of"] = "2024-13-01"
    answer = client.post(ROUTE, json=whole)  # the date asked is the message's: nothing decided
    assert answer.status_code == 422, answer.text
    fields = {error["field"] for error in answer.json()["errors"]}
    assert "message.eligibility_request.as_of" in fields and "message.eligibility_request.persons[1].sex" in fields
    every = client.post(ROUTE, json=_message([BAD[0], BAD[1]]))  # no record to decide: refused as a whole
    assert every.status_code == 422, every.text
    assert {error["field"] for error in every.json()["errors"]} >= {
        "message.eligibility_request.persons[0].sex",
        "message.eligibility_request.persons[1].identifier[0].identifier_value",
    }
    deep = json.dumps(_message([PERSONS[0], dict(PERSONS[0], sex="DEEP")])).replace('"DEEP"', "[" * 300 + "]" * 300)
    nested = client.post(ROUTE, content=deep, headers={"Content-Type": "application/json"})
    assert nested.status_code == 422, nested.text  # nested past any record: a bound of the whole (was a 500)
    linked = client.post(ROUTE, json=_message([BAD[2], BAD[3]]))  # the second only decided with the first
    assert linked.status_code == 422, linked.text
    assert linked.json()["errors"][0]["field"] == "persons[0].child_birth_date"


def test_an_asynchronous_message_calls_back_its_partial_answer(client, receiver) -> None:
    message = _message(MIXED, sender_uri=receiver.url + CALLBACK)
    answer = client.post("/dci/async/eligibility", json=message)
    assert answer.status_code == 202, answer.text
    _valid(ACK, answer.json())
    (callback,) = receiver.wait_for(CALLBACK, answer.headers["x-correlation-id"])
    _check_partial(callback["body"]["header"], callback["body"]["message"])
    status = test_dci_async._settled(client, answer.headers["x-correlation-id"])  # /dci/txn/status says the same
    assert (
        status["status"] == "succ" and status["eligibility_status"] == callback["body"]["message"]["eligibility_status"]
    )
    assert status["status_reason_message"] == callback["body"]["header"]["status_reason_message"]


def _row(store: Path, message_id: str) -> tuple[Any, ...] | None:
    with sqlite3.connect(store, timeout=0.1) as reading:
        return reading.execute("SELECT answer FROM message_ids WHERE message_id = ?", (message_id,)).fetchone()


def test_an_answer_the_store_cannot_keep_is_a_503_and_its_retry_is_answered(client, store) -> None:
    """The store file held by another writer past its busy timeout (5 s) while the message is decided: the
    answer cannot be kept, so it is not given (a 503 saying so, ``Retry-After``) and its id is released: the same
    message sent again once the file is free is decided and answered (it read "being answered", a 500 first)."""
    persons = [dict(PERSONS[0], identifier=f"LA-{index:05d}") for index in range(10_000)]  # decided in a while
    message = _message(persons)
    message_id = message["header"]["message_id"]
    writer = sqlite3.connect(store, timeout=0.1, isolation_level=None)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        sent = pool.submit(client.post, ROUTE, json=message)
        deadline = time.monotonic() + 60
        while (row := _row(store, message_id)) is None:  # accepted: being decided
            assert time.monotonic() < deadline and not sent.done(), sent.done() and sent.result().text
            time.sleep(0.002)
        writer.execute("BEGIN IMMEDIATE")  # another writer holds the file
        try:
            assert row == (None,), "answered before the file was held: decide more persons"
            answer = sent.result(timeout=120)
        finally:
            writer.execute("ROLLBACK")
    writer.close()
    assert answer.status_code == 503, answer.text
    assert answer.headers["retry-after"] == "1" and answer.headers["x-correlation-id"]
    body = answer.json()
    _valid(HEADER, body["header"])
    assert body["header"]["status"] == "rjct" and "message" not in body
    (error,) = body["errors"]
    assert error["code"] == "err.service.unavailable" and "could not be kept" in error["message"]
    assert "send the same message again" in error["message"]
    retried = client.post(ROUTE, json=message)
    assert retried.status_code == 200, retried.text[:500]
    assert "idempotent-replayed" not in retried.headers  # decided, not told it is being answered
    assert retried.json()["header"]["status"] == "succ"
    again = client.post(ROUTE, json=message)
    assert again.status_code == 200 and again.headers["idempotent-replayed"] == "true"
    assert again.content == retried.content


def test_a_message_the_store_cannot_record_is_a_503_nothing_taken(client, store) -> None:
    message = copy.deepcopy(_message(PERSONS[:1]))
    writer = sqlite3.connect(store, timeout=0.1, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        answer = client.post(ROUTE, json=message)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert answer.status_code == 503, answer.text
    assert answer.headers["retry-after"] == "1"
    assert answer.json()["errors"][0]["code"] == "err.service.unavailable"
    assert client.post(ROUTE, json=message).status_code == 200  # nothing was recorded: taken now


@pytest.mark.parametrize("part", ["header", "message"])
def test_a_value_read_by_no_one_nested_past_what_is_kept_is_a_422(client, part: str) -> None:
    """``header.meta`` and a person's ``address`` are accepted unread; nested 300 levels deep, the message's
    digest (kept for retries) could not be written: a 500 before the message was decided."""
    message = _message([PERSONS[0]])
    if part == "header":
        message["header"]["meta"] = {"a": "DEEP"}
    else:
        message["message"]["eligibility_request"]["persons"][0] = dict(PERSONS[0], address="DEEP")
    text = json.dumps(message).replace('"DEEP"', "[" * 300 + "]" * 300)
    answer = client.post(ROUTE, content=text, headers={"Content-Type": "application/json"})
    assert answer.status_code == 422, answer.text
    (error,) = answer.json()["errors"]
    assert error["field"] == part and error["expected"].startswith("at most 128 levels"), error
