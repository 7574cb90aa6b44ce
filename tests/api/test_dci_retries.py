"""DCI messages sent again (a client that lost its answer retries), on real servers: the same ``message_id`` with
the same header and message gets the answer kept for it, byte for byte, from either worker sharing the store;
with another content it stays a ``rjct.message_id.duplicate`` (409) saying so. Answers kept are bounded in bytes
as the ids are in number (``docs/dci.md``, "Duplicates")."""

from __future__ import annotations

import copy
import time
from typing import Any

import pytest

from openfisca_sp.api.settings import Settings, SettingsError
from openfisca_sp.decisions.dci_envelope import DUPLICATE, MessageIds, RejectedError, Reply
from openfisca_sp.decisions.dci_message_store import SharedMessageIds
from tests.api.server import start
from tests.api.test_dci_envelope import PERSONS, _answer_header, _message

ROUTE = "/dci/sync/eligibility"


def _changed(message: dict[str, Any]) -> dict[str, Any]:
    """The same header (``message_id`` too), another message: a person more."""
    other = copy.deepcopy(message)
    other["message"]["eligibility_request"]["persons"].append(dict(PERSONS[0], identifier="LA-0003"))
    other["header"]["total_count"] += 1
    return other


def _duplicate_reason(answer: Any) -> str:
    assert answer.status_code == 409, answer.text
    header = _answer_header(answer)
    assert header["status"] == "rjct" and header["status_reason_code"] == DUPLICATE
    return header["status_reason_message"]


def test_a_message_sent_again_gets_its_answer_back_and_another_content_a_409(client, server) -> None:
    message = _message(PERSONS[:1])
    first = client.post(ROUTE, json=message)
    assert first.status_code == 200, first.text
    resigned = dict(message, signature='Signature: namespace="spdci", created="2"')  # the signature is not compared
    reordered = {"message": message["message"], "header": dict(reversed(list(message["header"].items())))}
    for again in (message, resigned, reordered):  # the same header and message, however serialised
        answer = client.post(ROUTE, json=again)
        assert answer.status_code == 200, answer.text
        assert answer.content == first.content  # the answer kept: its correlation_id and message_ts too
        assert answer.headers["x-correlation-id"] == first.headers["x-correlation-id"]
        assert answer.headers["idempotent-replayed"] == "true" and "idempotent-replayed" not in first.headers
        assert answer.headers["openfisca-sp-jurisdiction"] == first.headers["openfisca-sp-jurisdiction"]
        assert answer.headers["x-request-id"] != first.headers["x-request-id"]  # this request's own
        _answer_header(answer)
    reason = _duplicate_reason(client.post(ROUTE, json=_changed(message)))
    assert "another header or message" in reason and "new message_id" in reason
    replayed = f'"correlation_id":"{first.headers["x-correlation-id"]}","dci_status":"replayed"'
    assert replayed in server.log_with(replayed, times=3)  # each retry logged with the first correlation_id


def test_answers_kept_are_bounded_and_a_retry_past_them_says_so() -> None:
    server = start(environment={"OPENFISCA_SP_DCI_ANSWER_BYTES": "1"})  # no answer fits: none kept
    try:
        with server.client() as http:
            message = _message(PERSONS[:1])
            assert http.post(ROUTE, json=message).status_code == 200
            reason = _duplicate_reason(http.post(ROUTE, json=message))
        assert "answer is no longer kept" in reason
        log = server.log_with('"dci_status":"rjct.message_id.duplicate"')
        assert '"dci_status":"rjct.message_id.duplicate"' in log
    finally:
        server.stop()


def test_a_server_keeps_an_answer_no_longer_than_its_setting_says() -> None:
    """``OPENFISCA_SP_DCI_ANSWER_TTL`` reaches the server's store: a retry within it gets the answer, one after it
    is told the answer is no longer kept (the id still remembered)."""
    server = start(environment={"OPENFISCA_SP_DCI_ANSWER_TTL": "2"})
    try:
        with server.client() as http:
            message = _message(PERSONS[:1])
            first = http.post(ROUTE, json=message)
            assert first.status_code == 200
            assert http.post(ROUTE, json=message).content == first.content
            time.sleep(2.5)
            assert "answer is no longer kept" in _duplicate_reason(http.post(ROUTE, json=message))
    finally:
        server.stop()


@pytest.mark.parametrize(("store", "every_copy_answered"), [(None, True), ("", False)])
def test_two_workers_give_back_the_answer_the_other_kept(store, every_copy_answered) -> None:
    """The default with two workers, one file both open: each retry gets the first answer, whichever worker
    decided it and whichever takes the retry. Each worker's own memory: a retry reaching the other worker is
    decided again, another answer (its own correlation_id)."""
    environment = {} if store is None else {"OPENFISCA_SP_DCI_STORE": store}
    server = start("--workers", "2", environment=environment)
    try:
        server.wait_for_workers(2)
        messages = [_message(PERSONS[:1]) for _ in range(30)]
        first = []
        for message in messages:
            with server.client() as http:  # a fresh connection each time: either worker may take it
                first.append(http.post(ROUTE, json=message))
        again = []
        for message in messages:
            with server.client() as http:
                again.append(http.post(ROUTE, json=message))
        changed = []
        for message in messages[:10]:
            with server.client() as http:
                changed.append(http.post(ROUTE, json=_changed(message)).status_code)
    finally:
        server.stop()
    assert all(answer.status_code == 200 for answer in first + again)
    assert (all(a.content == b.content for a, b in zip(first, again, strict=True))) is every_copy_answered
    if every_copy_answered:
        assert changed == [409] * 10


@pytest.mark.parametrize("kind", ["memory", "file"])
def test_the_stores_keep_answers_within_their_bytes(kind, tmp_path) -> None:
    """Both stores: a retry (same digest) before its answer is kept is told to come again; once kept, the reply
    comes back; answers over the bytes allowed are forgotten oldest first (their ids still refused)."""
    now = [1_000.0]
    clock = lambda: now[0]  # noqa: E731
    one, two = Reply(200, {"X-Correlation-ID": "c1"}, b"123456"), Reply(202, {}, b"abcdef")
    allowed = len(one.encoded()) + len(two.encoded()) - 1  # both kept: one byte too many
    store = (
        MessageIds(10, 60, clock, answer_bytes=allowed)
        if kind == "memory"
        else SharedMessageIds(tmp_path / "ids.sqlite3", 10, 60, clock, answer_bytes=allowed)
    )
    assert store.accept("a", "1", b"d1") is None
    with pytest.raises(RejectedError, match="being answered"):
        store.accept("a", "1", b"d1")
    with pytest.raises(RejectedError, match="another header or message"):
        store.accept("a", "1", b"other")
    store.keep("a", "1", one)
    assert store.accept("a", "1", b"d1") == one
    assert store.accept("a", "2", b"d2") is None
    store.keep("a", "2", two)  # the oldest answer, 1's, forgotten
    assert store.accept("a", "2", b"d2") == two
    with pytest.raises(RejectedError, match="no longer kept"):
        store.accept("a", "1", b"d1")
    assert store.accept("a", "3", b"d3") is None
    store.keep("a", "3", Reply(200, {}, b"x" * allowed))  # larger than every answer allowed: not kept
    with pytest.raises(RejectedError, match="no longer kept"):
        store.accept("a", "3", b"d3")
    assert store.accept("a", "2", b"d2") is not None
    store.forget("a", "2")
    assert store.accept("a", "2", b"d2") is None  # forgotten: taken as new
    now[0] += 60
    assert store.accept("a", "1", b"d1") is None  # expired
    if kind == "file":
        again = SharedMessageIds(tmp_path / "ids.sqlite3", 10, 60, clock, answer_bytes=allowed)
        store.keep("a", "1", Reply(200, {}, b"kept"))
        assert again.accept("a", "1", b"d1") == Reply(200, {}, b"kept")  # another process's store, the same file


@pytest.mark.parametrize("kind", ["memory", "file"])
def test_an_answer_is_kept_no_longer_than_its_lifetime(kind, tmp_path) -> None:
    """Both stores: an answer holds its persons' personal data, so it is kept at most ``answer_ttl`` seconds
    (``OPENFISCA_SP_DCI_ANSWER_TTL``), however long its id is remembered; after that the same content sent again
    is told its answer is no longer kept, and its bytes are free for others."""
    now = [1_000.0]
    clock = lambda: now[0]  # noqa: E731
    answer = Reply(200, {}, b"decided")
    size = len(answer.encoded())
    if kind == "memory":
        store = MessageIds(10, 86_400, clock, answer_bytes=size, answer_ttl=3_600)
    else:
        store = SharedMessageIds(tmp_path / "ids.sqlite3", 10, 86_400, clock, answer_bytes=size, answer_ttl=3_600)
    assert store.accept("a", "1", b"d1") is None
    store.keep("a", "1", answer)
    now[0] += 3_599
    assert store.accept("a", "1", b"d1") == answer  # within its lifetime
    now[0] += 1
    with pytest.raises(RejectedError, match="no longer kept"):
        store.accept("a", "1", b"d1")
    with pytest.raises(RejectedError, match="another header or message"):  # the id itself is still remembered
        store.accept("a", "1", b"other")
    assert store.accept("a", "2", b"d2") is None
    store.keep("a", "2", answer)  # the bytes the first answer held are free again: kept
    assert store.accept("a", "2", b"d2") == answer


def test_the_answers_lifetime_is_a_setting_an_hour_by_default() -> None:
    """``OPENFISCA_SP_DCI_ANSWER_TTL``: as long as an asynchronous transaction's result is kept, by default."""
    assert Settings().dci_answer_ttl == Settings().dci_transaction_ttl == 3_600
    assert Settings.from_environment({"OPENFISCA_SP_DCI_ANSWER_TTL": "600"}).dci_answer_ttl == 600
    with pytest.raises(SettingsError, match="OPENFISCA_SP_DCI_ANSWER_TTL"):
        Settings.from_environment({"OPENFISCA_SP_DCI_ANSWER_TTL": "0"})


def test_a_store_made_before_answers_were_kept_is_read(tmp_path) -> None:
    """A file of 0.27 (ids without digests or answers) is taken over: its ids are still refused, new ones answered
    again."""
    import sqlite3

    path = tmp_path / "ids.sqlite3"
    with sqlite3.connect(path) as old:
        old.execute(
            "CREATE TABLE message_ids (sender_id TEXT NOT NULL, message_id TEXT NOT NULL, expires REAL NOT NULL,"
            " PRIMARY KEY (sender_id, message_id)) WITHOUT ROWID"
        )
        old.execute("CREATE TABLE kept (id INTEGER PRIMARY KEY CHECK (id = 0), count INTEGER NOT NULL)")
        old.execute("INSERT INTO message_ids VALUES ('a', '1', ?)", (time.time() + 60,))
        old.execute("INSERT INTO kept VALUES (0, 1)")
    old.close()
    store = SharedMessageIds(path, 10, 60, answer_bytes=100)
    with pytest.raises(RejectedError, match=r"already received from this sender_id$"):
        store.accept("a", "1", b"d1")
    assert store.accept("a", "2", b"d2") is None
    store.keep("a", "2", Reply(200, {}, b"ok"))
    assert store.accept("a", "2", b"d2") == Reply(200, {}, b"ok") and len(store) == 2
