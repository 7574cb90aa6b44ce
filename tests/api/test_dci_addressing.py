"""Who a DCI message is for and from, on real servers: a message naming another ``receiver_id`` than ours (when
ours is set) is refused with DCI's ``err.receiver_id.invalid``; every answer names us as its ``sender_id``; a
``transaction_id`` is at most the specification's 99 characters; a 422 (or a 400 for a body that is no JSON)
carries the message's ``X-Correlation-ID`` as a 200 does. Answers validated against the vendored ``registry_core``
schemas."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.api.server import Server, start
from tests.api.test_dci_async import ACK, CALLBACK_HEADER, _valid
from tests.api.test_dci_envelope import PERSONS, _answer_header, _message

OURS = "openfisca-sp.example.org"
SYNC, ASYNC, STATUS = "/dci/sync/eligibility", "/dci/async/eligibility", "/dci/txn/status"


@pytest.fixture(scope="module")
def addressed() -> Iterator[Server]:
    """A server whose DCI id is set: the receiver_id messages must name, the sender_id of its answers."""
    running = start(
        environment={
            "OPENFISCA_SP_DCI_RECEIVER_ID": OURS,
            "OPENFISCA_SP_DCI_SENDER_ID": OURS,
            "OPENFISCA_SP_DCI_CALLBACK_HOSTS": "127.0.0.1",
        }
    )
    yield running
    running.stop()


@pytest.fixture
def http(addressed: Server) -> Iterator[httpx.Client]:
    with addressed.client() as client:
        yield client


def _status_request(**header: Any) -> dict[str, Any]:
    query = {"reference_id": "R-1", "attribute_type": "correlation_id", "attribute_value": "0" * 32}
    envelope = _message(PERSONS[:1], action="txn-status", total_count=1, **header)
    return {"header": envelope["header"], "message": {"transaction_id": "Q-1", "txnstatus_request": query}}


def test_a_message_for_another_receiver_is_refused_at_its_receiver_id(http: httpx.Client) -> None:
    message = _message(PERSONS[:1], receiver_id="registry.example.org")
    answer = http.post(SYNC, json=message)
    assert answer.status_code == 400, answer.text
    header = _answer_header(answer)
    assert header["status"] == "rjct" and "status_reason_code" not in header and header["sender_id"] == OURS
    (error,) = answer.json()["errors"]
    assert error["code"] == "err.receiver_id.invalid"
    assert error["message"] == f"header.receiver_id: expected '{OURS}' (this service), or none"
    asynchronous = _message(PERSONS[:1], receiver_id="registry.example.org", sender_uri="http://127.0.0.1:9/cb")
    acknowledged = http.post(ASYNC, json=asynchronous)
    assert acknowledged.status_code == 400, acknowledged.text
    ack = acknowledged.json()
    _valid("registry_core", ACK, ack)
    _valid("registry_core", CALLBACK_HEADER, ack["header"])
    assert ack["message"]["ack_status"] == "ERR" and ack["message"]["error"]["code"] == "err.receiver_id.invalid"
    status = http.post(STATUS, json=_status_request(receiver_id="registry.example.org"))
    assert status.status_code == 400 and status.json()["errors"][0]["code"] == "err.receiver_id.invalid"
    # the refusal took no message_id: the same one, addressed to us or to no one, is decided
    assert http.post(SYNC, json=_message(PERSONS[:1], message_id=message["header"]["message_id"])).status_code == 200
    del message["header"]["receiver_id"]
    message["header"]["message_id"] += "-none"
    assert http.post(SYNC, json=message).status_code == 200


def test_without_an_id_of_ours_any_receiver_is_taken(client: httpx.Client) -> None:
    answer = client.post(SYNC, json=_message(PERSONS[:1], receiver_id="anyone.example.org"))
    assert answer.status_code == 200, answer.text
    assert _answer_header(answer)["sender_id"] == "openfisca-sp"  # OPENFISCA_SP_DCI_SENDER_ID's default


def test_every_answer_names_us_as_its_sender(http: httpx.Client) -> None:
    decided = http.post(SYNC, json=_message(PERSONS[:1]))
    assert decided.status_code == 200 and _answer_header(decided)["sender_id"] == OURS
    refused = http.post(SYNC, json=_message(PERSONS[:1], version="9.9.9"))
    assert refused.status_code == 400 and _answer_header(refused)["sender_id"] == OURS
    nack = http.post(ASYNC, json=_message(PERSONS[:1], version="9.9.9", sender_uri="http://127.0.0.1:9/cb"))
    assert nack.status_code == 400 and nack.json()["header"]["sender_id"] == OURS
    _valid("registry_core", CALLBACK_HEADER, nack.json()["header"])
    unknown = http.post(STATUS, json=_status_request())
    assert unknown.status_code == 404 and unknown.json()["header"]["sender_id"] == OURS
    _valid("registry_core", CALLBACK_HEADER, unknown.json()["header"])


@pytest.mark.parametrize("route", [SYNC, ASYNC, STATUS])
def test_a_transaction_id_is_at_most_the_specifications_99_characters(http: httpx.Client, route: str) -> None:
    """``TransactionId`` has ``maxLength: 99`` in ``registry_core``: 100 characters are a 422 naming the field; 99
    are echoed."""
    if route == STATUS:
        message = _status_request()
    else:
        message = _message(PERSONS[:1], **({"sender_uri": "http://127.0.0.1:9/cb"} if route == ASYNC else {}))
    message["message"]["transaction_id"] = "T" * 100
    answer = http.post(route, json=message)
    assert answer.status_code == 422, answer.text
    (error,) = answer.json()["errors"]
    assert error["field"] == "message.transaction_id" and "99" in error["message"]
    if route == SYNC:
        message["message"]["transaction_id"] = "T" * 99
        answer = http.post(route, json=message)
        assert answer.status_code == 200 and answer.json()["message"]["transaction_id"] == "T" * 99


@pytest.mark.parametrize("route", [SYNC, ASYNC])
def test_a_422_carries_the_messages_correlation_id_as_a_200_does(addressed: Server, http: httpx.Client, route):
    message = _message([{"sex": "martian"}], sender_uri="http://127.0.0.1:9/cb")
    answer = http.post(route, json=message)
    assert answer.status_code == 422, answer.text
    correlation_id = answer.headers["x-correlation-id"]
    assert len(correlation_id) == 32 and answer.headers["x-request-id"]
    log = addressed.log_with(f'"correlation_id":"{correlation_id}"')
    assert f'"correlation_id":"{correlation_id}"' in log
    not_json = http.post(route, content=b"{", headers={"Content-Type": "application/json"})
    assert not_json.status_code == 400 and len(not_json.headers["x-correlation-id"]) == 32
