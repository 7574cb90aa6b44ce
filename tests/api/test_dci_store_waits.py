"""The DCI store file held by another writer (a real second SQLite connection) on a real server whose store waits
``OPENFISCA_SP_DCI_STORE_BUSY_TIMEOUT`` (0.5 s) for a writer: an asynchronous message accepted but whose transaction
the store cannot record is a 503 ``ERR`` with ``Retry-After``, nothing started, its id released; status requests
are read in a thread without waiting for the writer, ``/health`` answering meanwhile (``docs/dci.md``,
"A store that cannot be written")."""

from __future__ import annotations

import concurrent.futures
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.api import test_dci_async, test_dci_partial
from tests.api.dci_receiver import Receiver
from tests.api.server import Server

receiver = test_dci_async.receiver
ASYNC, CALLBACK = "/dci/async/eligibility", "/callback/on-eligibility"
BUSY_SECONDS = 0.5  # the store's busy timeout on this server
NOT_RECORDED = "the transaction could not be recorded"
ATTEMPTS = 40


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("dci-store-waits") / "dci.sqlite3"


@pytest.fixture(scope="module")
def server(receiver: Receiver, store: Path) -> Iterator[Server]:
    yield from test_dci_partial.sharing(store, OPENFISCA_SP_DCI_STORE_BUSY_TIMEOUT=str(BUSY_SECONDS))


@pytest.fixture(scope="module")
def client(server: Server) -> Iterator[httpx.Client]:
    with server.client() as http:
        yield http


def _held_once_accepted(store: Path, sender_id: str, message_id: str, held: list[sqlite3.Connection]) -> None:
    """Take the store's write lock (``BEGIN IMMEDIATE``, kept in ``held``) the moment the message id is accepted,
    before the route records its transaction: the id's row is polled, a read that waits for no writer."""
    writer = sqlite3.connect(store, timeout=5, isolation_level=None, check_same_thread=False)
    deadline = time.monotonic() + 30
    query = "SELECT 1 FROM message_ids WHERE sender_id = ? AND message_id = ?"
    while writer.execute(query, (sender_id, message_id)).fetchone() is None and time.monotonic() < deadline:
        pass
    writer.execute("BEGIN IMMEDIATE")
    held.append(writer)


def _released(held: list[sqlite3.Connection]) -> None:
    for writer in held:
        writer.execute("ROLLBACK")
        writer.close()


def test_a_transaction_the_store_cannot_record_is_a_dci_503_and_nothing_is_started(
    client: httpx.Client, store: Path, receiver: Receiver
) -> None:
    """Never forced before: the message id accepted, then the file held by another writer when the route records
    the transaction. Refused as the route refuses (an ``ERR`` acknowledgement, valid against the specification's
    ``Response``, ``Retry-After``), nothing recorded nor called back, and the same message taken once sent again.
    The lock is taken between two writes of the route a fraction of a millisecond apart: when the route wins (its
    transaction recorded first: acknowledged, or its answer not kept, another 503), the test tries again with another
    message (about one attempt in three is held in time)."""
    outcomes = []
    for _attempt in range(ATTEMPTS):
        message = test_dci_async._async_message(receiver.url + CALLBACK)
        header = message["header"]
        held: list[sqlite3.Connection] = []
        holder = threading.Thread(
            target=_held_once_accepted, args=(store, header["sender_id"], header["message_id"], held)
        )
        holder.start()
        try:
            answer = client.post(ASYNC, json=message)
            holder.join(timeout=30)
        finally:
            _released(held)
        outcomes.append((answer.status_code, answer.text[:120]))
        if NOT_RECORDED in answer.text:
            break
    else:
        pytest.fail(f"the store was never held between the message id's write and the transaction's: {outcomes}")
    assert answer.headers["retry-after"] == "1"
    correlation_id = answer.headers["x-correlation-id"]
    acknowledgement = answer.json()
    test_dci_async._valid("registry_core", test_dci_async.ACK, acknowledgement)
    assert acknowledgement["message"]["ack_status"] == "ERR"
    error = acknowledgement["message"]["error"]
    assert error["code"] == "err.service.unavailable" and NOT_RECORDED in error["message"], error
    assert test_dci_async._status(client, "correlation_id", correlation_id).status_code == 404  # never recorded
    again = test_dci_async._acknowledged(client, message)  # its id released: the same message is taken now
    (callback,) = receiver.wait_for(CALLBACK, again)
    assert callback["body"]["header"]["status"] == "succ"
    assert not [item for item in receiver.received() if item.get("correlation_id") == correlation_id]


def test_status_requests_are_read_while_another_writer_holds_the_store(
    client: httpx.Client, store: Path, receiver: Receiver
) -> None:
    """``/dci/txn/status`` reads the store in a thread (an answer may be megabytes): a thread's first connection
    made the store's tables in a write transaction, which would wait for the writer and then refuse the read.
    Reads wait for no writer: every status is answered while the file is held, ``/health`` too."""
    correlation_id = test_dci_async._acknowledged(client, test_dci_async._async_message(receiver.url + CALLBACK))
    test_dci_async._settled(client, correlation_id)
    writer = sqlite3.connect(store, timeout=1, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        with concurrent.futures.ThreadPoolExecutor(16) as pool:
            asked = [pool.submit(test_dci_async._status, client, "correlation_id", correlation_id) for _ in range(48)]
            started = time.monotonic()
            health = client.get("/health")
            waited = time.monotonic() - started
            answers = [future.result(timeout=60) for future in asked]
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert health.status_code == 200 and waited < BUSY_SECONDS, waited
    assert {answer.status_code for answer in answers} == {200}, [answer.text for answer in answers][:2]
    statuses = {answer.json()["message"]["txnstatus_response"]["txn_status"]["status"] for answer in answers}
    assert statuses == {"succ"}
