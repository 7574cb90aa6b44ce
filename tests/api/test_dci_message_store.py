"""DCI message ids kept in a SQLite file: the in-memory store's contract (duplicates refused, at most ``size``
ids, the oldest forgotten first, each for ``ttl`` seconds), shared by every process that opens the file and
kept across a restart."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from openfisca_sp.cli.serve import _shared_file
from openfisca_sp.decisions.dci_envelope import DUPLICATE, MessageIds, RejectedError
from openfisca_sp.decisions.dci_message_store import SharedMessageIds, StoreError
from openfisca_sp.decisions.dci_transaction_store import SharedTransactions
from openfisca_sp.decisions.dci_transactions import Transaction
from tests.api.server import start
from tests.api.test_dci_envelope import PERSONS, _message, _other_transaction


def _refused(store, sender: str, message: str) -> bool:
    try:
        store.accept(sender, message)
    except RejectedError as rejection:
        assert rejection.code == DUPLICATE
        return True
    return False


@pytest.mark.parametrize("kind", ["memory", "file"])
def test_the_stores_keep_the_same_contract(kind, tmp_path):
    now = [1_000.0]
    clock = lambda: now[0]  # noqa: E731
    store = MessageIds(2, 10, clock) if kind == "memory" else SharedMessageIds(tmp_path / "ids.sqlite3", 2, 10, clock)
    assert not _refused(store, "a", "1")
    assert _refused(store, "a", "1")
    assert not _refused(store, "b", "1")  # ids are per sender
    assert not _refused(store, "a", "2")  # a third id: "a"'s "1", the oldest, forgotten
    assert not _refused(store, "a", "1")
    assert _refused(store, "a", "2")
    store.forget("a", "2")  # not accepted after all: it may come again
    assert not _refused(store, "a", "2")
    now[0] += 10  # every id expired
    assert not _refused(store, "a", "2")
    assert not _refused(store, "a", "1")
    if kind == "file":
        assert len(store) == 2


def _accept_all(path: str, sender: str, messages: list[str], refused) -> None:
    store = SharedMessageIds(path, 1_000_000, 3_600)
    refused.put(sum(_refused(store, sender, message) for message in messages))


def test_processes_sharing_the_file_refuse_what_the_other_accepted(tmp_path):
    path = str(tmp_path / "ids.sqlite3")
    SharedMessageIds(path, 1_000_000, 3_600)  # created before the workers start, as serve does
    messages = [f"m{index}" for index in range(300)]
    context = multiprocessing.get_context("spawn")  # as uvicorn starts its workers: nothing inherited
    refused = context.Queue()
    workers = [context.Process(target=_accept_all, args=(path, "sender", messages, refused)) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    counts = sorted(refused.get(timeout=5) for _ in workers)
    assert sum(counts) == len(messages)  # each message accepted once, by either worker, refused by the other


def test_a_restart_keeps_the_ids_and_their_count(tmp_path):
    path = tmp_path / "ids.sqlite3"
    first = SharedMessageIds(path, 3, 3_600)
    for message in "123":
        first.accept("a", message)
    again = SharedMessageIds(path, 3, 3_600)
    assert _refused(again, "a", "2")
    again.accept("a", "4")  # the fourth: the oldest, "1", forgotten
    assert len(again) == 3 and not _refused(again, "a", "1")


def test_a_store_that_cannot_be_opened_names_its_path(tmp_path):
    folder = tmp_path / "ids.sqlite3"
    folder.mkdir()  # a folder where the file should be
    with pytest.raises(StoreError, match=r"ids\.sqlite3: cannot be used to keep DCI message ids"):
        SharedMessageIds(folder, 10, 60)


@pytest.mark.parametrize(
    ("store", "every_copy_refused"),
    [(None, True), ("", False)],  # serve's default with two workers: one shared file; set empty: each worker's memory
)
def test_two_workers_refuse_a_message_sent_again_to_either(store, every_copy_refused):
    """Its message_id with another content (the same content is a retry: test_dci_retries.py)."""
    environment = {} if store is None else {"OPENFISCA_SP_DCI_STORE": store}
    server = start("--workers", "2", environment=environment)
    try:
        server.wait_for_workers(2)  # both serve, so that fresh connections reach both
        messages = [_message(PERSONS[:1]) for _ in range(40)]
        for message in messages:
            with server.client() as http:  # a fresh connection each time: either worker may take it
                assert http.post("/dci/sync/eligibility", json=message).status_code == 200
        statuses = []
        for message in messages:
            with server.client() as http:
                statuses.append(http.post("/dci/sync/eligibility", json=_other_transaction(message)).status_code)
    finally:
        server.stop()
    assert set(statuses) <= {200, 409}
    # each worker's own memory misses the copies that reach the other worker
    assert (statuses == [409] * len(messages)) is every_copy_refused


@contextlib.contextmanager
def _umask(mask: int) -> Iterator[None]:
    previous = os.umask(mask)
    try:
        yield
    finally:
        os.umask(previous)


def _modes(path: Path) -> dict[str, int]:
    """The permissions of the store file and the files SQLite keeps beside it, by their suffix."""
    return {
        suffix: stat.S_IMODE(Path(f"{path}{suffix}").stat().st_mode)
        for suffix in ("", "-wal", "-shm")
        if Path(f"{path}{suffix}").exists()
    }


def test_the_store_and_the_files_beside_it_are_private_whatever_the_umask(tmp_path):
    """It holds the messages' and answers' personal data: 0600, its -wal and -shm too, also when SQLite makes
    them again (after the last connection closed, which removes them); a file the operator made keeps its mode."""
    path = tmp_path / "dci.sqlite3"
    with _umask(0):  # what the files would get from the umask alone: 0644 for SQLite's own, 0666 for ours
        ids = SharedMessageIds(path, 100, 60)
        ids.accept("a", "1")
        transactions = SharedTransactions(path, 10, 60)
        transactions.add(Transaction("a", "1", "T-1", "c" * 32, 1, owner="key:x"))
        assert _modes(path) == {"": 0o600, "-wal": 0o600, "-shm": 0o600}
        for store in (ids, transactions):
            store.file.connection().close()
        assert _modes(path) == {"": 0o600}  # the last connection checkpointed and removed them
        SharedMessageIds(path, 100, 60).accept("a", "2")  # made again
        assert _modes(path) == {"": 0o600, "-wal": 0o600, "-shm": 0o600}
        theirs = tmp_path / "theirs.sqlite3"
        theirs.touch(mode=0o640)
        SharedMessageIds(theirs, 100, 60).accept("a", "1")
        assert _modes(theirs)[""] == 0o640


def test_the_folder_serve_makes_for_its_workers_store_is_private(tmp_path):
    with _umask(0):
        path = Path(_shared_file("openfisca-sp-dci-test-", "dci.sqlite3"))
        SharedMessageIds(path, 100, 60).accept("a", "1")
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700 and _modes(path)[""] == 0o600


def test_the_server_creates_its_store_private_and_warns_of_one_open_to_others(tmp_path):
    """On the real server (umask 0): the store a DCI message is recorded in is 0600 with its -wal and -shm; a
    store file others may read is named by a warning at start, with its mode (and no content)."""
    path = tmp_path / "dci.sqlite3"
    with _umask(0):
        server = start(environment={"OPENFISCA_SP_DCI_STORE": str(path)})
    try:
        with server.client() as http:
            assert http.post("/dci/sync/eligibility", json=_message(PERSONS[:1])).status_code == 200
        assert _modes(path) == {"": 0o600, "-wal": 0o600, "-shm": 0o600}
        assert "has mode" not in server.log()
    finally:
        server.stop()
    path.chmod(0o644)
    server = start(environment={"OPENFISCA_SP_DCI_STORE": str(path)})
    try:
        assert f"OPENFISCA_SP_DCI_STORE {path} has mode 0644" in server.log()
    finally:
        server.stop()
