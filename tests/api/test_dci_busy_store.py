"""The DCI store file held by another writer (a real second SQLite connection), on a real server: the worker keeps
answering while a message waits out the store's busy timeout, a message the store cannot take is a 503 in the
route's DCI form with ``Retry-After``, and an asynchronous transaction whose state cannot be written while it is
decided is still decided and called back, its state written once the file is free (``docs/dci.md``, "Duplicates").
"""

from __future__ import annotations

import concurrent.futures
import sqlite3
import time
from pathlib import Path

import httpx

from tests.api import test_dci_async, test_dci_partial
from tests.api.dci_receiver import Receiver
from tests.api.test_dci_envelope import PERSONS

# the callback receiver, a server sharing a store file with these tests, and its client
receiver, store, server, client = (
    test_dci_async.receiver,
    test_dci_partial.store,
    test_dci_partial.server,
    test_dci_async.client,
)
ASYNC, CALLBACK = "/dci/async/eligibility", "/callback/on-eligibility"
BUSY_SECONDS = 5.0  # the store's busy timeout (openfisca_sp.decisions.dci_message_store)


def _held(store: Path) -> sqlite3.Connection:
    """Another writer holding the store file (``BEGIN IMMEDIATE``: its write lock, until rolled back)."""
    writer = sqlite3.connect(store, timeout=0.1, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    return writer


def _released(writer: sqlite3.Connection) -> None:
    writer.execute("ROLLBACK")
    writer.close()


def test_a_message_the_busy_store_cannot_take_is_a_dci_503_and_the_worker_answers_meanwhile(
    client: httpx.Client, store: Path, receiver: Receiver
) -> None:
    """The store's busy timeout was waited out in the event loop: for 5 s the worker answered nothing, /health
    included. It is now waited in a thread; the message is then refused as the route refuses (an ``ERR``
    acknowledgement, valid against the specification's ``Response``), ``Retry-After``, and taken once sent again."""
    message = test_dci_async._async_message(receiver.url + CALLBACK)
    writer = _held(store)
    try:
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            sent = pool.submit(client.post, ASYNC, json=message)
            time.sleep(0.5)  # the message is waiting for the store
            started = time.monotonic()
            health = client.get("/health")
            waited = time.monotonic() - started
            assert not sent.done(), sent.result().text
            answer = sent.result(timeout=60)
    finally:
        _released(writer)
    assert health.status_code == 200 and waited < 1.0, waited
    assert answer.status_code == 503, answer.text
    assert answer.headers["retry-after"] == "1" and answer.headers["x-correlation-id"]
    acknowledgement = answer.json()
    test_dci_async._valid("registry_core", test_dci_async.ACK, acknowledgement)
    assert acknowledgement["message"]["ack_status"] == "ERR"
    assert acknowledgement["message"]["error"]["code"] == "err.service.unavailable"
    correlation_id = test_dci_async._acknowledged(client, message)  # nothing was recorded: taken now
    (callback,) = receiver.wait_for(CALLBACK, correlation_id)
    assert callback["body"]["header"]["status"] == "succ"


def test_a_transaction_whose_state_cannot_be_written_while_decided_is_still_called_back(
    server, client: httpx.Client, store: Path, receiver: Receiver
) -> None:
    """The file held from the acknowledgement until the decision is over: writing ``pdng`` failed in the background
    task, which ended there ("Task exception was never retrieved", a traceback in the log): the message was
    acknowledged and never answered. The flow goes on: the callback is sent, the state written once the file is free."""
    persons = [dict(PERSONS[0], identifier=f"LA-{index:05d}") for index in range(2_000)]
    message = test_dci_async._async_message(receiver.url + CALLBACK)
    message["message"]["eligibility_request"]["persons"] = persons
    message["header"]["total_count"] = len(persons)
    answer = client.post(ASYNC, json=message)
    writer = _held(store)
    try:
        assert answer.status_code == 202, answer.text
        correlation_id = answer.headers["x-correlation-id"]
        (callback,) = receiver.wait_for(CALLBACK, correlation_id, timeout=4 * BUSY_SECONDS + 30)
    finally:
        _released(writer)
    assert callback["body"]["header"]["status"] == "succ"
    assert len(callback["body"]["message"]["eligibility_response"]["persons"]) == len(persons)
    status = test_dci_async._settled(client, correlation_id)  # written once the file is free
    assert status["status"] == "succ" and status["callback"]["status"] == "sent", status
    log = server.log_with("dci transaction state not recorded (store busy): OperationalError")
    assert "Traceback" not in log and "Task exception" not in log
    assert correlation_id in log and "LA-00001" not in log
