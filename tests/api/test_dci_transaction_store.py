"""Asynchronous DCI transactions kept in the SQLite file the workers share: the in-memory store's contract, each
update written through so that another worker (another store on the file) reads the latest, and a status
request answered whichever worker it reaches."""

from __future__ import annotations

import httpx
import pytest

from openfisca_sp.decisions.dci_transaction_store import SharedTransactions
from openfisca_sp.decisions.dci_transactions import Outcome, Transaction, Transactions
from tests.api.server import free_port, start
from tests.api.test_dci_async import SENDER, _acknowledged, _async_message, _status

OWNER = "key:0123456789abcdef"  # a credential (an API key's digest)


@pytest.mark.parametrize("kind", ["memory", "file"])
def test_the_stores_keep_the_same_contract(kind, tmp_path):
    now = [1_000.0]
    clock = lambda: now[0]  # noqa: E731
    kept = (
        Transactions(2, 10, clock) if kind == "memory" else SharedTransactions(tmp_path / "dci.sqlite3", 2, 10, clock)
    )
    for index in range(3):
        kept.add(Transaction(SENDER, f"m{index}", "T", f"c{index}", 1, owner=OWNER))
    assert kept.find(SENDER, "correlation_id", "c0", OWNER) is None and len(kept) == 2  # the oldest forgotten
    assert kept.find(SENDER, "transaction_id", "T", OWNER).correlation_id == "c2"  # the latest
    assert kept.find(SENDER, "message_id", "m1", OWNER).correlation_id == "c1"
    assert kept.find("other", "message_id", "m1", OWNER) is None  # a sender sees its own
    with pytest.raises(ValueError, match="attribute: expected one of"):
        kept.find(SENDER, "sender_id", SENDER)
    now[0] += 10
    assert kept.find(SENDER, "message_id", "m2", OWNER) is None and len(kept) == 0


@pytest.mark.parametrize("kind", ["memory", "file"])
def test_a_transaction_is_found_by_the_credential_that_sent_it_only(kind, tmp_path):
    kept = Transactions(10, 60) if kind == "memory" else SharedTransactions(tmp_path / "dci.sqlite3", 10, 60)
    kept.add(Transaction(SENDER, "m1", "T-1", "c1", 1, owner=OWNER))
    kept.add(Transaction(SENDER, "m2", "T-1", "c2", 1, owner="key:another"))  # the same ids, another key
    kept.add(Transaction(SENDER, "m3", "T-3", "c3", 1))  # sent with no credential
    for attribute, value in (("transaction_id", "T-1"), ("message_id", "m1"), ("correlation_id", "c1")):
        assert kept.find(SENDER, attribute, value, OWNER).correlation_id == "c1"  # its own, not the latest
        assert kept.find(SENDER, attribute, value, "key:third") is None
        assert kept.find(SENDER, attribute, value, "") is None
    assert kept.find(SENDER, "transaction_id", "T-1", "key:another").correlation_id == "c2"
    # no credential: by the correlation id only (random, given in the acknowledgement), and by no credential
    assert kept.find(SENDER, "correlation_id", "c3", "").message_id == "m3"
    assert kept.find(SENDER, "transaction_id", "T-3", "") is None
    assert kept.find(SENDER, "message_id", "m3", "") is None
    assert kept.find(SENDER, "correlation_id", "c3", OWNER) is None


@pytest.mark.parametrize("kind", ["memory", "file"])
def test_answers_kept_are_bounded_in_bytes_the_latest_always_kept(kind, tmp_path):
    """At most 1,000 transactions were the only bound: each of 10,000 persons' answers is some 25 MB, so a sender
    could have a worker hold 25 GB (or write it to the shared file) for an hour."""
    path = tmp_path / "dci.sqlite3"
    kept = (
        Transactions(10, 60, answer_bytes=100)
        if kind == "memory"
        else SharedTransactions(path, 10, 60, answer_bytes=100)
    )
    for index in range(3):
        transaction = Transaction(SENDER, f"m{index}", f"T-{index}", f"c{index}", 1)
        kept.add(transaction)
        transaction.update(status="succ", answer=b"x" * 40)
    assert [kept.find(SENDER, "correlation_id", f"c{index}") is not None for index in range(3)] == [False, True, True]
    waiting = Transaction(SENDER, "m3", "T-3", "c3", 1)  # no answer yet: kept whatever the answers hold
    kept.add(waiting)
    large = Transaction(SENDER, "m4", "T-4", "c4", 1)
    kept.add(large)
    large.update(status="succ", answer=b"x" * 500)  # alone over the bound: the latest is kept, the others go
    assert [kept.find(SENDER, "correlation_id", f"c{index}") is not None for index in range(5)] == [False] * 4 + [True]


def test_each_update_is_read_by_another_worker(tmp_path):
    deciding, asked = (SharedTransactions(tmp_path / "dci.sqlite3", 100, 3_600) for _ in range(2))
    transaction = Transaction(SENDER, "m", "T-1", "c", 2, owner=OWNER)
    deciding.add(transaction)
    assert asked.find(SENDER, "transaction_id", "T-1", OWNER).status == "rcvd"
    transaction.update(status="pdng")
    assert asked.find(SENDER, "correlation_id", "c", OWNER).status == "pdng"
    answer = b'{"eligibility_response": [{"reference_id": "1"}]}'
    enrolments = [{"person": "LA-1", "programme": "old_age", "from": "2024-06-01"}]
    transaction.update(status="succ", answer=answer, enrolments=enrolments, ibr=Outcome("sent", None, 1, 200))
    transaction.update(callback=Outcome("failed", "HTTP 503", 3, 503))
    found = asked.find(SENDER, "message_id", "m", OWNER)
    assert (found.status, found.answer, found.enrolments) == ("succ", answer, enrolments)
    assert found.callback == Outcome("failed", "HTTP 503", 3, 503) and found.ibr == Outcome("sent", None, 1, 200)
    assert found.summary() == transaction.summary()
    found.update(status_reason_message="read back and updated by the other")  # a transaction found writes too
    assert (
        deciding.find(SENDER, "correlation_id", "c", OWNER).status_reason_message
        == "read back and updated by the other"
    )


@pytest.mark.parametrize(("store", "every_status_found"), [(None, True), ("", False)])
def test_two_workers_answer_a_status_request_whichever_received_the_message(store, every_status_found):
    environment = {
        "OPENFISCA_SP_DCI_CALLBACK_HOSTS": "127.0.0.1",
        "OPENFISCA_SP_DCI_CALLBACK_ATTEMPTS": "1",
        "OPENFISCA_SP_DCI_CALLBACK_TIMEOUT": "2",
        "OPENFISCA_SP_API_KEYS": "",
        "OPENFISCA_SP_API_KEYS_FILE": "",
    }
    if store is not None:  # None: serve's default with two workers, one file they share; empty: each one's memory
        environment["OPENFISCA_SP_DCI_STORE"] = store
    server = start("--workers", "2", environment=environment)
    down = f"http://127.0.0.1:{free_port()}/down"  # nobody listens: each callback fails, recorded
    try:
        server.wait_for_workers(2)  # both serve, so that fresh connections reach both
        correlation_ids = []
        for _ in range(30):
            with httpx.Client(base_url=server.url, timeout=60) as http:  # a fresh connection: either worker
                correlation_ids.append(_acknowledged(http, _async_message(down)))
        found = []
        for correlation_id in correlation_ids:
            with httpx.Client(base_url=server.url, timeout=60) as http:
                found.append(_status(http, "correlation_id", correlation_id).status_code)
    finally:
        server.stop()
    assert set(found) <= {200, 404}
    assert (found == [200] * len(correlation_ids)) is every_status_found
