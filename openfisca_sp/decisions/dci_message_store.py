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
from typing import Any

from openfisca_sp.decisions.dci_envelope import MessageIds, Reply, duplicate

PRIVATE = 0o600  # the store file's mode: the service's user reads and writes it, no one else
BUSY_SECONDS = 5.0  # how long a worker waits for another's write transaction (each takes microseconds), by default
SCHEMA = (
    "CREATE TABLE IF NOT EXISTS message_ids ("
    " sender_id TEXT NOT NULL, message_id TEXT NOT NULL, expires REAL NOT NULL,"
    " digest BLOB, answer BLOB, answer_expires REAL, PRIMARY KEY (sender_id, message_id)) WITHOUT ROWID",
    "CREATE INDEX IF NOT EXISTS message_ids_by_expiry ON message_ids (expires)",
    "CREATE TABLE IF NOT EXISTS kept (id INTEGER PRIMARY KEY CHECK (id = 0), count INTEGER NOT NULL)",
    "INSERT OR IGNORE INTO kept VALUES (0, (SELECT count(*) FROM message_ids))",
)
# the ids forgotten, each with its answer's bytes
DELETE = {
    "expired": "DELETE FROM message_ids WHERE expires <= ? RETURNING coalesce(length(answer), 0)",
    "oldest": "DELETE FROM message_ids WHERE (sender_id, message_id) IN (SELECT sender_id, message_id"
    " FROM message_ids ORDER BY expires LIMIT ?) RETURNING coalesce(length(answer), 0)",
    "one": "DELETE FROM message_ids WHERE sender_id = ? AND message_id = ? RETURNING coalesce(length(answer), 0)",
    "unanswered": "DELETE FROM message_ids WHERE sender_id = ? AND message_id = ? AND answer IS NULL RETURNING 0",
}
# answer: NULL while the message is answered, X'' once answered with no answer kept, else the Reply kept
ANSWERS = (
    "CREATE INDEX IF NOT EXISTS message_answers_by_expiry ON message_ids (expires) WHERE answer > X''",
    "CREATE INDEX IF NOT EXISTS message_answers_by_lifetime ON message_ids (answer_expires) WHERE answer > X''",
    "CREATE TABLE IF NOT EXISTS kept_answers (id INTEGER PRIMARY KEY CHECK (id = 0), bytes INTEGER NOT NULL)",
    "INSERT OR IGNORE INTO kept_answers VALUES (0, (SELECT coalesce(sum(length(answer)), 0) FROM message_ids))",
)


class StoreError(ValueError):
    """The file the workers share cannot be opened (its path and the cause)."""


class SQLiteFile:
    """A SQLite file that several processes open, its tables made by ``schema`` (by the first connection: a thread's
    own only reads until it writes, so that a read waits for no writer), a connection per thread and process (never
    one shared across a fork), in write-ahead-log mode, a write waiting ``busy`` seconds for another writer. One
    that cannot be opened is a :class:`StoreError` saying for ``what``."""

    def __init__(self, path: str | Path, schema: tuple[str, ...], what: str, busy: float = BUSY_SECONDS) -> None:
        self.path, self.schema, self.busy = Path(path), schema, busy
        self._made = False  # whether the schema was made
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
        connection = sqlite3.connect(self.path, timeout=self.busy, isolation_level=None, check_same_thread=True)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")  # durable at each checkpoint; a crash loses the last few
        if not self._made:
            with transaction(connection):
                for statement in self.schema:
                    connection.execute(statement)
            self._made = True
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
    ``size``, each kept ``ttl`` seconds, the oldest forgotten first; with the digest of its content and its answer
    (at most ``answer_bytes`` of answers in all, each at most ``answer_ttl`` seconds, the oldest forgotten
    first)."""

    def __init__(
        self,
        path: str | Path,
        size: int,
        ttl: float,
        clock: Callable[[], float] = time.time,
        answer_bytes: int = 0,
        answer_ttl: float = float("inf"),
        busy: float = BUSY_SECONDS,
    ) -> None:
        self.size, self.ttl, self.clock, self.answer_bytes = size, ttl, clock, answer_bytes
        self.answer_ttl = answer_ttl
        self.file = SQLiteFile(path, SCHEMA, "DCI message ids", busy)
        self.releasing: set[tuple[str, str]] = set()  # ids whose answer could not be kept, to forget (release)
        connection = self.file.connection()
        with transaction(connection):  # a file of 0.27 has ids only: their content and answer unknown
            columns = {row[1] for row in connection.execute("PRAGMA table_info(message_ids)")}
            for column, kind in (("digest", "BLOB"), ("answer", "BLOB"), ("answer_expires", "REAL")):
                if column not in columns:
                    connection.execute(f"ALTER TABLE message_ids ADD COLUMN {column} {kind}")
            for statement in ANSWERS:
                connection.execute(statement)

    def accept(self, sender_id: str, message_id: str, digest: bytes = b"") -> Reply | None:
        """Remember a new message (None), or give back the reply kept for the same content sent again (to any
        worker, before any restart, within ``ttl``), else a ``rjct.message_id.duplicate`` rejection saying why."""
        connection = self.file.connection()
        now = self.clock()
        released = list(self.releasing)
        with transaction(connection):
            self._released(connection, released)
            expired = self._deleted(connection, "expired", (now,))
            self._answers_past_lifetime(connection, now)
            added = connection.execute(
                "INSERT INTO message_ids (sender_id, message_id, expires, digest) VALUES (?, ?, ?, ?)"
                " ON CONFLICT DO NOTHING",
                (sender_id, message_id, now + self.ttl, digest),
            ).rowcount
            if not added:
                kept, answer = connection.execute(
                    "SELECT digest, answer FROM message_ids WHERE sender_id = ? AND message_id = ?",
                    (sender_id, message_id),
                ).fetchone()
                reply = Reply.decoded(answer) if answer else None
                return duplicate(None if kept is None else bytes(kept), digest, reply, answer is not None)
            (count,) = connection.execute(
                "UPDATE kept SET count = count + ? RETURNING count", (added - expired,)
            ).fetchone()
            if count > self.size:  # the oldest forgotten first
                forgotten = self._deleted(connection, "oldest", (count - self.size,))
                connection.execute("UPDATE kept SET count = count - ?", (forgotten,))
        self.releasing.difference_update(released)
        return None

    def keep(self, sender_id: str, message_id: str, reply: Reply) -> None:
        """Keep the answer to a message accepted, for its retries, within the bytes allowed."""
        encoded = reply.encoded()
        answer = encoded if len(encoded) <= self.answer_bytes else b""
        connection = self.file.connection()
        with transaction(connection):
            kept = connection.execute(
                "UPDATE message_ids SET answer = ?, answer_expires = ?"
                " WHERE sender_id = ? AND message_id = ? AND answer IS NULL",
                (answer, self.clock() + self.answer_ttl, sender_id, message_id),
            ).rowcount
            if not kept or not answer:
                return
            (total,) = connection.execute(
                "UPDATE kept_answers SET bytes = bytes + ? RETURNING bytes", (len(answer),)
            ).fetchone()
            oldest = connection.execute(
                "SELECT sender_id, message_id, length(answer) FROM message_ids WHERE answer > X'' ORDER BY expires"
            )
            dropped = []
            for sender, message, size in oldest:
                if total <= self.answer_bytes:
                    break
                dropped.append((sender, message))
                total -= size
            connection.executemany(
                "UPDATE message_ids SET answer = X'' WHERE sender_id = ? AND message_id = ?", dropped
            )
            connection.execute("UPDATE kept_answers SET bytes = ?", (total,))

    def forget(self, sender_id: str, message_id: str) -> None:
        """Forget a message that was not accepted after all (its sender may send it again)."""
        connection = self.file.connection()
        with transaction(connection):
            gone = self._deleted(connection, "one", (sender_id, message_id))
            connection.execute("UPDATE kept SET count = count - ?", (gone,))

    def release(self, sender_id: str, message_id: str) -> None:
        """Forget a message whose answer could not be kept (the file busy), so that its retry is answered rather
        than told it is being answered: now if the file can be written, else in this worker's next accept."""
        self.releasing.add((sender_id, message_id))
        released = list(self.releasing)
        with contextlib.suppress(sqlite3.Error):  # still busy: the next accept releases it
            connection = self.file.connection()
            with transaction(connection):
                self._released(connection, released)
            self.releasing.difference_update(released)

    @staticmethod
    def _released(connection: sqlite3.Connection, keys: list[tuple[str, str]]) -> None:
        """Forget the ids ``keys`` still being answered (their answers could not be kept)."""
        if keys:
            gone = sum(len(connection.execute(DELETE["unanswered"], key).fetchall()) for key in keys)
            connection.execute("UPDATE kept SET count = count - ?", (gone,))

    @staticmethod
    def _answers_past_lifetime(connection: sqlite3.Connection, now: float) -> None:
        """Forget the answers kept past their lifetime (their ids stay: the same content sent again is told its
        answer is no longer kept), their bytes taken from those kept."""
        (freed,) = connection.execute(
            "SELECT coalesce(sum(length(answer)), 0) FROM message_ids WHERE answer > X'' AND answer_expires <= ?",
            (now,),
        ).fetchone()
        if freed:
            connection.execute("UPDATE message_ids SET answer = X'' WHERE answer > X'' AND answer_expires <= ?", (now,))
            connection.execute("UPDATE kept_answers SET bytes = bytes - ?", (freed,))

    @staticmethod
    def _deleted(connection: sqlite3.Connection, which: str, parameters: tuple[Any, ...]) -> int:
        """Delete the ids of :data:`DELETE` ``which``, their answers' bytes taken from those kept: how many."""
        sizes = connection.execute(DELETE[which], parameters).fetchall()
        if freed := sum(size for (size,) in sizes):
            connection.execute("UPDATE kept_answers SET bytes = bytes - ?", (freed,))
        return len(sizes)

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


def message_store(
    path: str | Path | None,
    size: int,
    ttl: float,
    answer_bytes: int = 0,
    answer_ttl: float = float("inf"),
    busy: float = BUSY_SECONDS,
) -> MessageStore:
    """Where DCI message ids (and the answers kept for retries, ``answer_bytes`` at most, each ``answer_ttl``
    seconds at most) are kept: the SQLite file ``path``, shared by every worker that opens it (a write waiting
    ``busy`` seconds for another writer), or (None) this process's memory."""
    if path is None:
        return MessageIds(size, ttl, answer_bytes=answer_bytes, answer_ttl=answer_ttl)
    return SharedMessageIds(path, size, ttl, answer_bytes=answer_bytes, answer_ttl=answer_ttl, busy=busy)
