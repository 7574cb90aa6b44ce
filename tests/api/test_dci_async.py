"""The asynchronous DCI flow on a real server (one worker) and a real receiver process (``dci_receiver.py``):
ACK then the answer POSTed to ``sender_uri``, ``/dci/txn/status``, callback hosts refused, a receiver down, and
enrolments pushed to an IBR, valid against the vendored ``ibr_api`` and ``registry_core_api`` schemas."""

from __future__ import annotations

import asyncio
import copy
import json
import logging
import time
import uuid
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any

import httpx
import jsonschema_rs
import pytest
import yaml

from openfisca_sp.api.dci_callbacks import CallbackRefusedError, Delivery
from openfisca_sp.api.settings import Settings, SettingsError
from openfisca_sp.decisions.dci_transactions import Transaction, Transactions
from openfisca_sp.decisions.ibr_enrolments import beneficiaries
from tests.api.dci_receiver import Receiver, start_receiver
from tests.api.server import Server, free_port, start
from tests.api.test_dci_envelope import _message

SPECS = resources.files("openfisca_sp") / "data" / "dci"
IBR_PATH = "/registry/sync/enrollment/updates"
CALLBACK = "/callback/on-eligibility"
SENDER = "spp.example.org"


@cache
def _validator(name: str, pointer: str) -> Any:
    spec = yaml.safe_load((SPECS / f"{name}_api_v1.0.0.yaml").read_text(encoding="utf-8"))
    return jsonschema_rs.Draft4Validator({**spec, "$ref": "#" + pointer})


def _valid(name: str, pointer: str, value: Any) -> None:
    _validator(name, pointer).validate(value)


ACK = "/components/responses/Response/content/application~1json/schema"
CALLBACK_HEADER = "/components/schemas/MsgCallbackHeader_V1.0.0"
ENROLMENT = "/paths/~1registry~1sync~1enrollment~1updates/post/requestBody/content/application~1json/schema"
BENEFICIARY = (
    "/components/schemas/SearchResponse/properties/search_response/items/properties/data/properties/reg_records/items"
)


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    running = start_receiver(free_port())
    yield running
    running.stop()


@pytest.fixture(scope="module")
def server(receiver: Receiver) -> Iterator[Server]:
    environment = {
        "OPENFISCA_SP_DCI_CALLBACK_HOSTS": "127.0.0.1",
        "OPENFISCA_SP_DCI_CALLBACK_ATTEMPTS": "2",
        "OPENFISCA_SP_DCI_CALLBACK_TIMEOUT": "5",
        "OPENFISCA_SP_DCI_IBR_URL": receiver.url + IBR_PATH,
        "OPENFISCA_SP_API_KEYS": "",
        "OPENFISCA_SP_API_KEYS_FILE": "",
    }
    running = start("--workers", "1", environment=environment)  # two workers: test_dci_transaction_store.py
    yield running
    running.stop()


@pytest.fixture
def client(server: Server) -> Iterator[httpx.Client]:
    with server.client() as http:
        yield http


def _async_message(sender_uri: str | None, enrol: bool = False, **header: Any) -> dict[str, Any]:
    message = copy.deepcopy(_message(**({"sender_uri": sender_uri} if sender_uri else {}), **header))
    message["message"]["transaction_id"] = f"T-{uuid.uuid4().hex[:8]}"
    if enrol:
        message["message"]["ibr_enrolments"] = True
    return message


def _status(client: httpx.Client, attribute: str, value: str, sender_id: str = SENDER) -> httpx.Response:
    query = {
        "header": {
            "version": "1.0.0",
            "message_id": uuid.uuid4().hex,
            "message_ts": "2024-06-15T10:21:07-04:00",
            "action": "txn-status",
            "sender_id": sender_id,
            "total_count": 1,
        },
        "message": {
            "transaction_id": "Q-1",
            "txnstatus_request": {
                "reference_id": "R-1",
                "txn_type": "search",
                "attribute_type": attribute,
                "attribute_value": value,
            },
        },
    }
    return client.post("/dci/txn/status", json=query)


def _settled(client: httpx.Client, correlation_id: str, timeout: float = 60.0) -> dict[str, Any]:
    """The transaction's status once its callback is no longer pending."""
    deadline = time.monotonic() + timeout
    while True:
        answer = _status(client, "correlation_id", correlation_id)
        assert answer.status_code == 200, answer.text
        status = answer.json()["message"]["txnstatus_response"]["txn_status"]
        if status["callback"]["status"] != "pending":
            return status
        assert time.monotonic() < deadline, status
        time.sleep(0.1)


def _acknowledged(client: httpx.Client, message: dict[str, Any]) -> str:
    answer = client.post("/dci/async/eligibility", json=message)
    assert answer.status_code == 202, answer.text
    ack = answer.json()
    _valid("registry_core", ACK, ack)
    assert ack["message"]["ack_status"] == "ACK" and "error" not in ack["message"]
    assert ack["message"]["correlation_id"] == answer.headers["x-correlation-id"]
    return ack["message"]["correlation_id"]


def test_the_answer_is_posted_to_sender_uri_as_the_synchronous_route_answers(client, receiver) -> None:
    message = _async_message(receiver.url + CALLBACK)
    correlation_id = _acknowledged(client, message)
    before = _status(client, "correlation_id", correlation_id)
    assert before.status_code == 200, before.text
    assert before.json()["message"]["txnstatus_response"]["txn_status"]["status"] in ("rcvd", "pdng", "succ")
    (callback,) = receiver.wait_for(CALLBACK, correlation_id)
    header, body = callback["body"]["header"], callback["body"]["message"]
    _valid("registry_core", CALLBACK_HEADER, header)
    assert header["action"] == "on-eligibility" and header["status"] == "succ"
    assert header["completed_count"] == 2  # a message of its own: its message_id, our sender_id
    assert header["message_id"] != message["header"]["message_id"] and header["sender_id"] == "openfisca-sp"
    assert header["receiver_id"] == message["header"]["sender_id"]
    assert body["transaction_id"] == message["message"]["transaction_id"] and body["correlation_id"] == correlation_id
    assert "ibr_enrolments" not in body
    sync = client.post("/dci/sync/eligibility", json=_message())  # the same message, a new message_id
    assert sync.status_code == 200, sync.text
    assert body["eligibility_response"] == sync.json()["message"]["eligibility_response"]
    after = _settled(client, correlation_id)
    assert after["status"] == "succ" and after["callback"] == {"status": "sent", "attempts": 1, "http_status": 200}
    assert after["eligibility_response"] == body["eligibility_response"]
    # no key, no signature: found by its correlation id only, never by an id the sender chose (anyone may guess)
    for attribute, value in (
        ("message_id", message["header"]["message_id"]),
        ("transaction_id", message["message"]["transaction_id"]),
    ):
        guessed = _status(client, attribute, value)
        assert guessed.status_code == 404 and "look a transaction up by its correlation_id" in guessed.text
    other = _status(client, "correlation_id", correlation_id, sender_id="someone-else.example.org")
    assert other.status_code == 404 and other.json()["header"]["status"] == "rjct"  # another sender's: not shown
    _valid("registry_core", CALLBACK_HEADER, other.json()["header"])


@pytest.mark.parametrize(
    "sender_uri",
    [
        None,
        "http://localhost:{port}/callback",
        "ftp://127.0.0.1/callback",
        "http://user:secret@127.0.0.1:{port}/cb",
        "http://[::1/callback",
        "http://127.0.0.1:{port}/x\r\nX-Injected: 1",  # acknowledged, then never sent (httpx: InvalidURL)
        "http://127.0.0.1:{port}/x\x00",
        "http://127.0.0.1:{port}/a b",
        "http://127.0.0.1:{port}:1/cb",
    ],
)
def test_a_callback_to_a_host_not_allowed_is_refused_at_once(client, receiver, sender_uri) -> None:
    port = receiver.url.rsplit(":", 1)[1]
    message = _async_message(sender_uri and sender_uri.format(port=port))
    answer = client.post("/dci/async/eligibility", json=message)
    assert answer.status_code == 400, answer.text
    ack = answer.json()
    _valid("registry_core", ACK, ack)
    assert ack["message"]["ack_status"] == "ERR" and ack["message"]["error"]["code"] == "err.sender_uri.invalid"
    assert "sender_uri" in ack["message"]["error"]["message"]
    assert _status(client, "message_id", message["header"]["message_id"]).status_code == 404  # nothing started
    same_id = _async_message(receiver.url + CALLBACK, message_id=message["header"]["message_id"])
    assert client.post("/dci/async/eligibility", json=same_id).status_code == 202  # the id was not taken


def test_a_wrong_header_or_a_duplicate_is_answered_nack_with_its_reason_code(client, receiver) -> None:
    wrong = client.post("/dci/async/eligibility", json=_async_message(receiver.url + CALLBACK, version="2.0.0"))
    assert wrong.status_code == 400
    assert wrong.json()["message"]["ack_status"] == "NACK"
    assert wrong.json()["header"]["status_reason_code"] == "rjct.version.invalid"
    _valid("registry_core", ACK, wrong.json())
    _valid("registry_core", CALLBACK_HEADER, wrong.json()["header"])
    message = _async_message(receiver.url + CALLBACK)
    acknowledged = client.post("/dci/async/eligibility", json=message)
    assert acknowledged.status_code == 202, acknowledged.text
    retried = client.post("/dci/async/eligibility", json=message)  # the same content: its acknowledgement again
    assert retried.status_code == 202 and retried.content == acknowledged.content
    assert retried.headers["idempotent-replayed"] == "true"
    other = dict(message, message=dict(message["message"], transaction_id="T-other"))
    again = client.post("/dci/async/eligibility", json=other)
    assert again.status_code == 409 and again.json()["header"]["status_reason_code"] == "rjct.message_id.duplicate"
    assert "another header or message" in again.json()["header"]["status_reason_message"]
    invalid = _async_message(receiver.url + CALLBACK)
    for person in invalid["message"]["eligibility_request"]["persons"]:  # every record: refused as a whole
        person["sex"] = "robot"
    answer = client.post("/dci/async/eligibility", json=invalid)
    assert answer.status_code == 422 and "message.eligibility_request.persons[0].sex" in answer.text


@pytest.mark.parametrize("facts", [{"insured_wage": {"0001-01": 1}}, {"birth_date": "0001-01-01"}])
def test_a_value_outside_the_calendar_is_refused_before_the_ack(client, receiver, facts) -> None:
    """A year before 1000 was acknowledged, then failed deciding: the callback said ``rjct`` after an ACK."""
    message = _async_message(receiver.url + CALLBACK)
    for person in message["message"]["eligibility_request"]["persons"]:  # one only: rejected in the callback
        person.update(facts)
    answer = client.post("/dci/async/eligibility", json=message)
    assert answer.status_code == 422, answer.text
    assert f"message.eligibility_request.persons[0].{next(iter(facts))}" in answer.text
    assert _status(client, "message_id", message["header"]["message_id"]).status_code == 404  # nothing started


def test_a_receiver_down_is_recorded_in_the_transaction(client) -> None:
    correlation_id = _acknowledged(client, _async_message(f"http://127.0.0.1:{free_port()}/down"))
    status = _settled(client, correlation_id)
    assert status["status"] == "succ" and status["callback"]["status"] == "failed"
    assert status["callback"]["attempts"] == 2 and status["callback"]["reason"].startswith("no connection")
    assert client.get("/ready").status_code == 200


def test_entitlements_are_pushed_to_the_ibr_as_enrolments(client, receiver) -> None:
    message = _async_message(receiver.url + CALLBACK, enrol=True)
    correlation_id = _acknowledged(client, message)
    (pushed,) = receiver.wait_for(IBR_PATH, correlation_id)
    _valid("ibr", ENROLMENT, pushed["body"])
    header, records = pushed["body"]["header"], pushed["body"]["message"]["enrolled_updates"]["beneficiaries"]
    assert header["action"] == "notify" and header["total_count"] == len(records) == 2
    example = yaml.safe_load((SPECS / "ibr_api_v1.0.0.yaml").read_text(encoding="utf-8"))
    shape = example["components"]["schemas"]["SearchResponse"]["properties"]["search_response"]["items"]
    shape = shape["properties"]["data"]["properties"]["reg_records"]["items"]["example"]["member"]
    for record in records:
        _valid("ibr", BENEFICIARY, record)
        member = record["member"]
        assert record["@type"] == "Beneficiary" and set(member) <= set(shape)
        assert set(member["programme_identifier"]) == set(shape["programme_identifier"])
        assert set(member["programme_identifier"]["benefits"]) == set(shape["programme_identifier"]["benefits"])
        assert set(member["demographic_info"]["person"]) == {"identifier_type", "identifier_value"}  # no more
    old_age, maternity = (record["member"]["programme_identifier"] for record in records)
    assert old_age["programme"]["programme_identifier"] == "lao.old_age" and old_age["enrolment_date"] == "2024-06-15"
    assert maternity["enrolment_status"] == "Active"
    assert maternity["benefits"] == {
        "benefit_type": "Cash",
        "benefit_date": "2024-05-28",
        "benefit_value": "LAK 2400000",
        "benefit_frequency": "Monthly",
    }
    (callback,) = receiver.wait_for(CALLBACK, correlation_id)
    assert callback["body"]["message"]["ibr"] == {"status": "sent", "attempts": 1, "http_status": 200}
    assert callback["body"]["message"]["ibr_enrolments"] == records
    status = _settled(client, correlation_id)
    assert status["ibr"]["status"] == "sent" and status["ibr_enrolments"] == records
    pushes = len([item for item in receiver.received() if item["path"] == IBR_PATH])
    sync = client.post("/dci/sync/eligibility", json=_async_message(None, enrol=True))
    assert sync.status_code == 200 and sync.json()["message"]["ibr_enrolments"] == records  # offered, not sent:
    assert len([item for item in receiver.received() if item["path"] == IBR_PATH]) == pushes
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    titles = {name.split("_")[0]: schemas[name]["title"] for name in schemas if "EligibilityRequest_lao" in name}
    assert titles["DCIEnvelope"] == "DCI eligibility message" and titles["EligibilityMessage"] == "Eligibility message"
    assert titles["DCIAsyncEnvelope"] == "DCI asynchronous eligibility message"
    assert titles["AsyncEligibilityMessage"] == "Asynchronous eligibility message"


def test_delivery_retries_what_may_pass_and_never_follows_a_redirect(receiver) -> None:
    delivery = Delivery(["127.0.0.1"], timeout=5, attempts=3, backoff=0.01)

    def post(path: str) -> Any:
        return asyncio.run(delivery.post(receiver.url + path, b"{}", "c0ffee", "test"))

    unavailable = post("/status/503")
    assert (unavailable.status, unavailable.attempts, unavailable.reason) == ("failed", 3, "HTTP 503")
    refused = post("/status/400")
    assert (refused.status, refused.attempts, refused.http_status) == ("failed", 1, 400)
    moved = post("/redirect")
    assert moved.status == "failed" and "not followed" in moved.reason
    assert not [item for item in receiver.received() if item["path"] == "/redirected"]
    with pytest.raises(CallbackRefusedError):
        delivery.check("http://[::1]:8000/callback")
    assert Delivery(["[::1]:8000"]).check("http://[::1]:8000/cb") == "http://[::1]:8000/cb"
    assert Delivery(["*"]).check("https://anywhere.example.org/cb")


def test_a_post_that_cannot_be_sent_is_a_failed_outcome_and_logged(caplog) -> None:
    """An exception of the HTTP client (an invalid URL) escaped ``post`` and was recorded with no log line."""
    with caplog.at_level(logging.INFO, logger="openfisca_sp.api.dci"):
        outcome = asyncio.run(Delivery(["*"]).post("http://127.0.0.1:1/LA-0001\n", b"{}", "c0ffee", "callback"))
    assert (outcome.status, outcome.reason, outcome.attempts) == ("failed", "not sent (InvalidURL)", 1)
    (line,) = [record.getMessage() for record in caplog.records if "c0ffee" in record.getMessage()]
    assert "callback to 127.0.0.1: not sent (InvalidURL)" in line and "LA-0001" not in line


def test_transactions_are_bounded_and_forgotten_in_time() -> None:
    now = [0.0]
    kept = Transactions(size=2, ttl=10, clock=lambda: now[0])
    for index in range(3):
        kept.add(Transaction(SENDER, f"m{index}", "T", f"c{index}", 1, owner="key:a"))
    assert kept.find(SENDER, "correlation_id", "c0", "key:a") is None and len(kept) == 2
    assert kept.find(SENDER, "transaction_id", "T", "key:a").correlation_id == "c2"  # the latest
    assert kept.find("other", "message_id", "m1", "key:a") is None
    now[0] = 11
    assert kept.find(SENDER, "message_id", "m2", "key:a") is None and len(kept) == 0


def test_the_asynchronous_settings_are_read_and_checked() -> None:
    settings = Settings.from_environment(
        {
            "OPENFISCA_SP_DCI_CALLBACK_HOSTS": "spp.example.org, 10.0.0.5:8443",
            "OPENFISCA_SP_DCI_IBR_URL": "https://ibr.example.org/registry/sync/enrollment/updates",
        }
    )
    assert settings.dci_callback_hosts == ("spp.example.org", "10.0.0.5:8443")
    assert Settings().dci_callback_hosts == () and Settings().dci_ibr_url is None
    for name, value in (
        ("OPENFISCA_SP_DCI_CALLBACK_HOSTS", "https://spp.example.org/cb"),
        ("OPENFISCA_SP_DCI_IBR_URL", "ftp://ibr.example.org/"),
        ("OPENFISCA_SP_DCI_CALLBACK_ATTEMPTS", "0"),
        ("OPENFISCA_SP_DCI_CALLBACK_HOSTS", "[::1"),
        ("OPENFISCA_SP_DCI_IBR_URL", "http://[::1/enrol"),
    ):
        with pytest.raises(SettingsError, match=name):
            Settings.from_environment({name: value})


def test_an_ended_benefit_and_a_lump_sum_alone_are_enrolled_as_the_module_says() -> None:
    decision = {"decision": "eligible", "frequency": None, "amount": None, "lump_sums": {"grant": 1500.5}}
    ended = {
        "decision": "eligible",
        "frequency": "monthly",
        "amount": 100.0,
        "dci_benefit": {"benefit_type": "Cash", "benefit_value": "LAK 100", "benefit_frequency": "Monthly"},
        "payments": {"start": "2024-01-10", "end": "2024-04-09", "status": "ended", "lump_sums": []},
    }
    answer = {
        "rules": {"jurisdiction": "lao", "jurisdiction_label": "Lao PDR", "currency": "LAK"},
        "as_of": "2024-06-15",
        "branches": {"maternity": {"label": "Maternity benefit"}},
        "persons": [
            {"identifier": [{"identifier_type": "NID", "identifier_value": "1"}], "benefits": {"maternity": decision}},
            {"identifier": "2", "benefits": {"maternity": ended, "old_age": {"decision": "not_eligible"}}},
            {"identifier": None, "benefits": {"maternity": ended}},  # no identifier: not enrolled
        ],
    }
    lump, over = (record["member"] for record in beneficiaries(answer))
    assert lump["demographic_info"]["person"] == {"identifier_type": "NID", "identifier_value": "1"}
    assert lump["programme_identifier"]["benefits"] == {
        "benefit_type": "Cash",
        "benefit_date": "2024-06-15",
        "benefit_value": "LAK 1500.5",
        "benefit_frequency": "One-off",
    }
    enrolment = over["programme_identifier"]
    assert (enrolment["enrolment_status"], enrolment["status_change_date"]) == ("Inactive", "2024-04-09")
    assert enrolment["benefits"]["benefit_date"] == "2024-01-10" and enrolment["benefits"]["benefit_value"] == "LAK 100"


def test_a_callback_url_is_never_logged_with_its_path_or_query(client, server, receiver) -> None:
    """A ``sender_uri`` may carry a token or a person's identifier: the log names the host and the outcome
    only (docs/dci.md), also where the HTTP client library would log every URL it calls."""
    secret = "access_token=SECRET-" + uuid.uuid4().hex
    message = _async_message(f"{receiver.url}{CALLBACK}/LA-0001?{secret}")
    correlation_id = _acknowledged(client, message)
    assert _settled(client, correlation_id)["callback"]["status"] == "sent"
    log = server.log_with(correlation_id)
    assert correlation_id in log and "127.0.0.1" in log
    assert secret not in log and "LA-0001" not in log and CALLBACK not in log


def test_a_status_request_counts_its_one_request(client) -> None:
    """A ``TxnStatusRequest`` holds one request: ``total_count: 0`` was accepted (the header's count was checked
    against itself), though the message held one."""
    query = _status(client, "correlation_id", "nothing").request
    body = json.loads(query.content)
    for count, status, code in ((0, 400, "rjct.total_count.invalid"), (2, 413, "rjct.total_count.limit_exceeded")):
        body["header"] |= {"total_count": count, "message_id": uuid.uuid4().hex}
        answer = client.post("/dci/txn/status", json=body)
        assert answer.status_code == status, answer.text
        assert answer.json()["header"]["status_reason_code"] == code
    body["header"] |= {"total_count": 1, "message_id": uuid.uuid4().hex}
    assert client.post("/dci/txn/status", json=body).status_code == 404  # well formed: no such transaction
