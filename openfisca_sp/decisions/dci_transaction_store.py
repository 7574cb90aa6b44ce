"""Asynchronous DCI transactions kept in the SQLite file the workers share (:mod:`~.dci_message_store`), so that
a status request finds a transaction whichever worker received its message, and after a restart.

:class:`SharedTransactions` has :class:`~openfisca_sp.decisions.dci_transactions.Transactions`' contract (at most
``size``, each ``ttl`` seconds after it was received, the oldest forgotten first, a credential sees its own). A
transaction it keeps or finds writes each :meth:`~.dci_transactions.Transaction.update` through to the file: the
worker deciding it records each step, any worker reads the latest.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from pathlib import Path

import orjson

from openfisca_sp.decisions.dci_message_store import BUSY_SECONDS, SQLiteFile, transaction
from openfisca_sp.decisions.dci_transactions import (
    ANSWER_BYTES,
    ATTRIBUTES,
    Outcome,
    Transaction,
    Transactions,
    may_read,
)

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS transactions ("
    " added INTEGER PRIMARY KEY AUTOINCREMENT, correlation_id TEXT NOT NULL UNIQUE, sender_id TEXT NOT NULL,"
    " transaction_id TEXT NOT NULL, message_id TEXT NOT NULL, expires REAL NOT NULL, state BLOB NOT NULL,"
    " answer BLOB)",
    "CREATE INDEX IF NOT EXISTS transactions_by_expiry ON transactions (expires)",
    "CREATE INDEX IF NOT EXISTS transactions_by_id ON transactions (sender_id, transaction_id)",
    "CREATE INDEX IF NOT EXISTS transactions_by_message ON transactions (sender_id, message_id)",
)
LOOKUPS = {  # by each of ATTRIBUTES: a sender's transactions not expired, the latest first
    "transaction_id": (
        "SELECT state, answer FROM transactions WHERE sender_id = ? AND transaction_id = ?"
        " AND expires > ? ORDER BY added DESC"
    ),
    "correlation_id": (
        "SELECT state, answer FROM transactions WHERE sender_id = ? AND correlation_id = ?"
        " AND expires > ? ORDER BY added DESC"
    ),
    "message_id": (
        "SELECT state, answer FROM transactions WHERE sender_id = ? AND message_id = ?"
        " AND expires > ? ORDER BY added DESC"
    ),
}

# the transactions older than the latest whose answers, with those of every newer one, are over the budget
FORGET_BEYOND_BYTES = (
    "DELETE FROM transactions WHERE added < (SELECT max(added) FROM transactions) AND added IN (SELECT added FROM"
    " (SELECT added, sum(coalesce(length(answer), 0)) OVER (ORDER BY added DESC) AS kept FROM transactions)"
    " WHERE kept > ?)"
)


def _state(found: Transaction) -> bytes:
    """Everything of a transaction but its answer (kept as it is, bytes) and its store."""
    fields = {item.name: getattr(found, item.name) for item in dataclasses.fields(found)}
    del fields["answer"], fields["store"]
    fields["callback"] = dataclasses.asdict(found.callback)
    fields["ibr"] = None if found.ibr is None else dataclasses.asdict(found.ibr)
    return orjson.dumps(fields)


def _transaction(state: bytes, answer: bytes | None, store: SharedTransactions) -> Transaction:
    fields = orjson.loads(state)
    fields["callback"] = Outcome(**fields["callback"])
    fields["ibr"] = None if fields["ibr"] is None else Outcome(**fields["ibr"])
    return Transaction(**fields, answer=answer, store=store)


class SharedTransactions:
    """The asynchronous transactions of every worker using the file ``path``: at most ``size``, and answers of at
    most ``answer_bytes`` in all (the latest always kept), each kept ``ttl`` seconds after it was received, the
    oldest forgotten first."""

    def __init__(
        self,
        path: str | Path,
        size: int,
        ttl: float,
        clock: Callable[[], float] = time.time,
        answer_bytes: int = ANSWER_BYTES,
        busy: float = BUSY_SECONDS,
    ) -> None:
        self.size, self.ttl, self.clock, self.answer_bytes = size, ttl, clock, answer_bytes
        self.file = SQLiteFile(path, SCHEMA, "asynchronous DCI transactions", busy)

    def add(self, found: Transaction) -> None:
        """Keep ``found`` (forgetting the oldest beyond ``size``); its updates are written here from now on."""
        connection = self.file.connection()
        now = self.clock()
        with transaction(connection):
            connection.execute("DELETE FROM transactions WHERE expires <= ?", (now,))
            connection.execute(
                "INSERT OR REPLACE INTO transactions"
                " (correlation_id, sender_id, transaction_id, message_id, expires, state, answer)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    found.correlation_id,
                    found.sender_id,
                    found.transaction_id,
                    found.message_id,
                    now + self.ttl,
                    _state(found),
                    found.answer,
                ),
            )
            connection.execute(
                "DELETE FROM transactions WHERE added <= (SELECT max(added) FROM transactions) - ?", (self.size,)
            )
        found.store = self

    def save(self, found: Transaction) -> None:
        """Write ``found``'s state and answer over what is kept of it (nothing if it was forgotten)."""
        connection = self.file.connection()
        with transaction(connection):
            connection.execute(
                "UPDATE transactions SET state = ?, answer = ? WHERE correlation_id = ?",
                (_state(found), found.answer, found.correlation_id),
            )
            if found.answer is not None:
                connection.execute(FORGET_BEYOND_BYTES, (self.answer_bytes,))

    def forget(self, correlation_id: str) -> None:
        """Forget a transaction that was not acknowledged after all (its message may come again)."""
        connection = self.file.connection()
        with transaction(connection):
            connection.execute("DELETE FROM transactions WHERE correlation_id = ?", (correlation_id,))

    def find(self, sender_id: str, attribute: str, value: str, owner: str = "") -> Transaction | None:
        """The latest transaction of ``sender_id`` whose ``attribute`` (one of :data:`ATTRIBUTES`) is ``value``
        that the credential ``owner`` may read (:func:`~.dci_transactions.may_read`; a transaction kept before
        owners were recorded has none)."""
        if attribute not in ATTRIBUTES:
            raise ValueError(f"attribute: expected one of {', '.join(ATTRIBUTES)}")
        if not owner and attribute != "correlation_id":
            return None
        lookup = self.file.connection().execute(LOOKUPS[attribute], (sender_id, value, self.clock()))
        for state, answer in lookup:  # at most the store's size
            found = _transaction(state, answer, self)
            if may_read(found, owner, attribute):
                return found
        return None

    def __len__(self) -> int:
        """How many transactions are kept and not expired."""
        count = self.file.connection().execute("SELECT count(*) FROM transactions WHERE expires > ?", (self.clock(),))
        return int(count.fetchone()[0])


TransactionStore = Transactions | SharedTransactions


def transaction_store(
    path: str | Path | None, size: int, ttl: float, answer_bytes: int = ANSWER_BYTES, busy: float = BUSY_SECONDS
) -> TransactionStore:
    """Where asynchronous DCI transactions are kept: the SQLite file ``path``, shared by every worker that opens
    it (a write waiting ``busy`` seconds for another writer), or (None) this process's memory."""
    if path is None:
        return Transactions(size, ttl, answer_bytes=answer_bytes)
    return SharedTransactions(path, size, ttl, answer_bytes=answer_bytes, busy=busy)
