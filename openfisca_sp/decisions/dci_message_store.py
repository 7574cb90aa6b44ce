"""DCI message ids kept in a SQLite file, so that every worker of a service refuses a message another one
accepted, and a restart forgets none of them.

:class:`~openfisca_sp.decisions.dci_envelope.MessageIds` keeps them in one process's memory: with several
workers, a message sent again (a replay of a signed message, a retry) is refused only if it reaches the same
worker. :class:`SharedMessageIds` has the same contract (at most ``size`` ids, each ``ttl`` seconds, the oldest
forgotten first) over one file that each worker opens, each accept one short write transaction (SQLite's
write-ahead log lets the others read meanwhile). Expiry times are wall-clock seconds, shared by processes and
kept across restarts.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from openfisca_sp.decisions.dci_envelope import DUPLICATE, MessageIds, RejectedError

PRIVATE = 0o600  # the store file's mode: the service's user reads and writes it, no one else
BUSY_SECONDS = 5.0  # how long a worker waits for another's write transaction (each takes microseconds)
SCHEMA = (
    "CREATE TABLE IF NOT EXISTS message_ids ("
    " sender_id TEXT NOT NULL, message_id TEXT NOT NULL, expires REAL NOT NULL,"
    " PRIMARY KEY (sender_id, message_id)) WITHOUT ROWID",
    "CREATE INDEX IF NOT EXISTS message_ids_by_expiry ON message_ids (expires)",
    "CREATE TABLE IF NOT EXISTS kept (id INTEGER PRIMARY KEY CHECK (id = 0), count INTEGER NOT NULL)",
    "INSERT OR IGNORE INTO kept VALUES (0, (SELECT count(*) FROM message_ids))",
)


class StoreError(ValueError):
    """The file the workers share cannot be opened (its path and the cause)."""


class SQLiteFile:
    """A SQLite file that several processes open, its tables made by ``schema``: a connection per thread and
    process (never one shared across a fork), in write-ahead-log mode. One that cannot be opened is a
    :class:`StoreError` saying for ``what``."""

    def __init__(self, path: str | Path, schema: tuple[str, ...], what: str) -> None:
        self.path, self.schema = Path(path), schema
        self._local = threading.local()
        try:
            create_private(self.path)
            self.connection()
        except OSError as error:
            raise StoreError(f"{self.path}: cannot be used to keep {what} ({error.strerror})") from None
        except sqlite3.Error as error:
            raise StoreError(f"{self.path}: cannot be used to keep {what} ({error})") from None

    def connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is not None and self._local.pid == os.getpid():
            return connection
        connection = sqlite3.connect(self.path, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=True)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")  # durable at each checkpoint; a crash loses the last few
        with transaction(connection):
            for statement in self.schema:
                connection.execute(statement)
        self._local.connection, self._local.pid = connection, os.getpid()
        return connection


def create_private(path: Path) -> None:
    """Create ``path``, if it does not exist, readable and writable by the service's user only (0600, whatever
    the umask): the store holds the messages' and answers' personal data. SQLite gives the files it makes beside
    it (``-wal``, ``-shm``, a journal), whenever it makes them again, the database file's permissions. A file
    that exists keeps its own (the operator's)."""
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, PRIVATE)
    except FileExistsError:
        return
    try:
        os.fchmod(descriptor, PRIVATE)  # the umask may have taken bits from the mode asked
    finally:
        os.close(descriptor)


class SharedMessageIds:
    """The ``message_id`` of each sender accepted lately by any worker using the file ``path``: at most
    ``size``, each kept ``ttl`` seconds, the oldest forgotten first."""

    def __init__(self, path: str | Path, size: int, ttl: float, clock: Callable[[], float] = time.time) -> None:
        self.size, self.ttl, self.clock = size, ttl, clock
        self.file = SQLiteFile(path, SCHEMA, "DCI message ids")

    def accept(self, sender_id: str, message_id: str) -> None:
        """Remember a message, or a ``rjct.message_id.duplicate`` rejection if its sender sent it already (to
        any worker, before any restart, within ``ttl``)."""
        connection = self.file.connection()
        now = self.clock()
        with transaction(connection):
            expired = connection.execute("DELETE FROM message_ids WHERE expires <= ?", (now,)).rowcount
            added = connection.execute(
                "INSERT INTO message_ids VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                (sender_id, message_id, now + self.ttl),
            ).rowcount
            if not added:
                raise RejectedError(DUPLICATE, "message_id: already received from this sender_id")
            (count,) = connection.execute(
                "UPDATE kept SET count = count + ? RETURNING count", (added - expired,)
            ).fetchone()
            if count > self.size:  # the oldest forgotten first
                forgotten = connection.execute(
                    "DELETE FROM message_ids WHERE (sender_id, message_id) IN"
                    " (SELECT sender_id, message_id FROM message_ids ORDER BY expires LIMIT ?)",
                    (count - self.size,),
                ).rowcount
                connection.execute("UPDATE kept SET count = count - ?", (forgotten,))

    def forget(self, sender_id: str, message_id: str) -> None:
        """Forget a message that was not accepted after all (its sender may send it again)."""
        connection = self.file.connection()
        with transaction(connection):
            gone = connection.execute(
                "DELETE FROM message_ids WHERE sender_id = ? AND message_id = ?", (sender_id, message_id)
            ).rowcount
            connection.execute("UPDATE kept SET count = count - ?", (gone,))

    def __len__(self) -> int:
        """How many ids are kept (expired ones included until the next accept)."""
        return int(self.file.connection().execute("SELECT count FROM kept").fetchone()[0])


@contextlib.contextmanager
def transaction(connection: sqlite3.Connection) -> Iterator[None]:
    """``BEGIN IMMEDIATE`` (the write lock at once: no deadlock between two readers that would both write),
    committed on leaving, rolled back on an error."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


MessageStore = MessageIds | SharedMessageIds


def message_store(path: str | Path | None, size: int, ttl: float) -> MessageStore:
    """Where DCI message ids are kept: the SQLite file ``path``, shared by every worker that opens it, or (None)
    this process's memory."""
    return MessageIds(size, ttl) if path is None else SharedMessageIds(path, size, ttl)
