"""Asynchronous DCI transactions: what became of each message answered with an ACK (web-free).

A message sent to the asynchronous endpoint is acknowledged at once, then
decided, and its result POSTed to the sender's callback. Each is a
:class:`Transaction`: its ``status`` goes ``rcvd`` (acknowledged) → ``pdng``
(being decided) → ``succ`` (decided) or ``rjct`` (the decision failed), as the
DCI ``RequestStatus``; the callback's and the IBR push's outcomes are kept
beside it, and, once decided, the answer itself. :class:`Transactions` keeps
them bounded and for a while only, like
:class:`~openfisca_sp.decisions.dci_envelope.MessageIds`: one store per process.

Each transaction belongs to the credential that sent it (its ``owner``: an API
key's digest, a sender whose signature was verified), and a status request is
answered only for its own (:func:`may_read`): a ``sender_id`` alone is a name
anyone can write. Without a credential (a service with neither keys nor
signatures), a transaction is found by its ``correlation_id`` only, the 128
random bits its acknowledgement gave, never by an identifier the sender chose.
"""

from __future__ import annotations

import datetime
import hmac
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

ATTRIBUTES = ("transaction_id", "correlation_id", "message_id")  # what a status request may look a transaction up by


def may_read(transaction: Transaction, owner: str, attribute: str) -> bool:
    """Whether a status request by the credential ``owner`` (\"\": none) that looks ``transaction`` up by
    ``attribute`` may read it: the credential that sent it only; without one, by its ``correlation_id`` only."""
    if not hmac.compare_digest(transaction.owner.encode(), owner.encode()):
        return False
    return bool(owner) or attribute == "correlation_id"


def now_ts() -> str:
    """The current time as a DCI ``message_ts`` (UTC, milliseconds)."""
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="milliseconds")


@dataclass
class Outcome:
    """What became of an outgoing POST: ``pending``, ``sent`` or ``failed`` (with why), after how many attempts."""

    status: str = "pending"
    reason: str | None = None
    attempts: int = 0
    http_status: int | None = None

    def as_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {"status": self.status, "attempts": self.attempts}
        if self.http_status is not None:
            found["http_status"] = self.http_status
        if self.reason is not None:
            found["reason"] = self.reason
        return found


ANSWER_BYTES = 64 * 1024 * 1024  # bytes of answers a store keeps by default (OPENFISCA_SP_DCI_TRANSACTION_BYTES)


@dataclass
class Transaction:
    """One asynchronous message: who sent it, its identifiers, its state and, once decided, its answer."""

    sender_id: str
    message_id: str
    transaction_id: str
    correlation_id: str
    total_count: int
    status: str = "rcvd"
    status_reason_message: str | None = None
    received_ts: str = field(default_factory=now_ts)
    updated_ts: str = field(default_factory=now_ts)
    callback: Outcome = field(default_factory=Outcome)
    ibr: Outcome | None = None  # None: no enrolment asked
    answer: bytes | None = None  # the eligibility answer (JSON), once decided
    enrolments: list[dict[str, Any]] | None = None
    statuses: list[dict[str, Any]] | None = None  # each record's status, when some were rejected (docs/dci.md)
    owner: str = ""  # the credential that sent it (:func:`may_read`); "": none
    store: Any = field(default=None, repr=False, compare=False)  # a shared store it is written to at each update

    def update(self, **changes: Any) -> None:
        """Make ``changes`` (:meth:`change`) and write them to the store."""
        self.change(**changes)
        self.save()

    def change(self, **changes: Any) -> None:
        """Make ``changes``, the time updated with them, not written to the store yet (:meth:`save`)."""
        for name, value in changes.items():
            setattr(self, name, value)
        self.updated_ts = now_ts()

    def save(self) -> None:
        """Write the transaction as it is to its store, if any (a shared store's busy file raises sqlite3's error)."""
        if self.store is not None:
            self.store.save(self)

    def summary(self) -> dict[str, Any]:
        """The transaction's state, without its answer (which may be large)."""
        found: dict[str, Any] = {
            "transaction_id": self.transaction_id,
            "correlation_id": self.correlation_id,
            "message_id": self.message_id,
            "status": self.status,
            "received_ts": self.received_ts,
            "updated_ts": self.updated_ts,
            "total_count": self.total_count,
            "callback": self.callback.as_dict(),
        }
        if self.status_reason_message is not None:
            found["status_reason_message"] = self.status_reason_message
        if self.ibr is not None:
            found["ibr"] = self.ibr.as_dict()
        return found


class Transactions:
    """The transactions of this process: at most ``size``, and answers of at most ``answer_bytes`` in all (the
    latest transaction always kept), each kept ``ttl`` seconds after it was received, the oldest forgotten first.
    A credential sees only its own (:func:`may_read`)."""

    def __init__(self, size: int, ttl: float, clock: Any = time.monotonic, answer_bytes: int = ANSWER_BYTES) -> None:
        self.size, self.ttl, self.clock, self.answer_bytes = size, ttl, clock, answer_bytes
        self.kept: OrderedDict[str, tuple[float, Transaction]] = OrderedDict()  # by correlation_id
        self.lock = threading.Lock()

    def _expire(self, now: float) -> None:
        while self.kept and next(iter(self.kept.values()))[0] <= now:
            self.kept.popitem(last=False)

    def add(self, transaction: Transaction) -> None:
        """Keep ``transaction`` (forgetting the oldest beyond ``size``)."""
        now = self.clock()
        with self.lock:
            self._expire(now)
            self.kept[transaction.correlation_id] = (now + self.ttl, transaction)
            while len(self.kept) > self.size:
                self.kept.popitem(last=False)
        transaction.store = self  # told of its answer (:meth:`save`)

    def save(self, transaction: Transaction) -> None:
        """``transaction`` changed: once it holds an answer, forget the oldest while the answers kept are over
        ``answer_bytes`` (each of 10,000 persons' answers is some 25 MB: 1,000 of them would be 25 GB)."""
        if transaction.answer is None:
            return
        with self.lock:
            held = sum(len(kept.answer) for _, kept in self.kept.values() if kept.answer is not None)
            while held > self.answer_bytes and len(self.kept) > 1:
                _, forgotten = self.kept.popitem(last=False)[1]
                held -= len(forgotten.answer) if forgotten.answer is not None else 0

    def forget(self, correlation_id: str) -> None:
        """Forget a transaction that was not acknowledged after all (its message may come again)."""
        with self.lock:
            self.kept.pop(correlation_id, None)

    def find(self, sender_id: str, attribute: str, value: str, owner: str = "") -> Transaction | None:
        """The latest transaction of ``sender_id`` whose ``attribute`` (one of :data:`ATTRIBUTES`) is ``value``
        that the credential ``owner`` may read (:func:`may_read`)."""
        if attribute not in ATTRIBUTES:
            raise ValueError(f"attribute: expected one of {', '.join(ATTRIBUTES)}")
        with self.lock:
            self._expire(self.clock())
            if attribute == "correlation_id":
                found = self.kept.get(value)
                transaction = found[1] if found else None
                mine = transaction and transaction.sender_id == sender_id and may_read(transaction, owner, attribute)
                return transaction if mine else None
            for _, transaction in reversed(self.kept.values()):
                if (
                    transaction.sender_id == sender_id
                    and getattr(transaction, attribute) == value
                    and may_read(transaction, owner, attribute)
                ):
                    return transaction
        return None

    def __len__(self) -> int:
        return len(self.kept)
