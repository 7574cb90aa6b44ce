"""The DCI message envelope (DCI v1.0.0 ``registry_core``): header checks, reason codes, answer headers and the
message ids already seen.

DCI messages are ``{signature, header, message}``. A request's header is a
``MsgHeader`` (``version``, ``message_id``, ``message_ts``, ``action``,
``sender_id``, ``total_count`` …); an answer's is a ``MsgCallbackHeader``
whose ``status`` is one of ``RequestStatus`` (``rcvd``, ``pdng``, ``succ``,
``rjct``) and, when refused, whose ``status_reason_code`` is one of
``MsgHeaderStatusReasonCode``. Nothing here reads HTTP: the API maps each
reason to its HTTP status (:mod:`openfisca_sp.api.dci_routes`).
"""

from __future__ import annotations

import datetime
import hashlib
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import orjson

VERSIONS = ("1.0.0",)  # the DCI protocol versions understood
STATUSES = ("rcvd", "pdng", "succ", "rjct")  # RequestStatus
# MsgHeaderStatusReasonCode, in the specification's order
REASON_CODES = (
    "rjct.version.invalid",
    "rjct.message_id.duplicate",
    "rjct.message_ts.invalid",
    "rjct.action.invalid",
    "rjct.action.not_supported",
    "rjct.total_count.invalid",
    "rjct.total_count.limit_exceeded",
    "rjct.errors.too_many",
)
DUPLICATE = "rjct.message_id.duplicate"  # a message id its sender sent already
ENCRYPTION_INVALID = "err.encryption.invalid"  # a DCI Error code: an encrypted message is not read
# Actions of the DCI registry APIs: well formed, but not what the endpoint that received them does
DCI_ACTIONS = frozenset(
    {
        "search", "on-search", "subscribe", "on-subscribe", "notify", "unsubscribe", "on-unsubscribe",
        "txn-status", "txn-on-status", "eligibility", "on-eligibility",
    }
)  # fmt: skip


AHEAD = datetime.timedelta(days=1)  # a message_ts later than our clock by more than this is not a sending time


class RejectedError(Exception):
    """A message refused by its header: the DCI reason code and a message saying what was expected."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(code, message)
        self.code, self.message = code, message

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


def timestamp(text: Any) -> datetime.datetime:
    """A ``message_ts``: ISO 8601 with its time zone (``2022-12-04T17:20:07-04:00``, ``…Z``; ``t`` and ``z`` in
    lower case too, as RFC 3339 and the specification's ``format: date-time`` allow), else a rejection."""
    text = text.upper() if isinstance(text, str) else text
    try:
        moment = datetime.datetime.fromisoformat(text) if isinstance(text, str) and "T" in text else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise RejectedError(
            "rjct.message_ts.invalid", "message_ts: expected an ISO 8601 date and time with its time zone"
        )
    return moment


def check_header(header: Any, action: str, records: int, max_records: int, max_age: float | None = None) -> None:
    """Check a request's ``MsgHeader`` against the endpoint's ``action`` and the ``records`` its message holds
    (at most ``max_records``), its ``message_ts`` no more than ``max_age`` seconds old (None: any age): a
    :class:`RejectedError` for the first problem, in the order the header is read."""
    if header.version not in VERSIONS:
        raise RejectedError("rjct.version.invalid", f"version: expected one of {', '.join(VERSIONS)}")
    check_sent(timestamp(header.message_ts), max_age)
    if getattr(header, "is_msg_encrypted", False):
        raise RejectedError(
            ENCRYPTION_INVALID, "is_msg_encrypted: encrypted messages are not supported; send false, over TLS"
        )
    if header.action != action:
        code = "rjct.action.not_supported" if header.action in DCI_ACTIONS else "rjct.action.invalid"
        raise RejectedError(code, f"action: expected '{action}' at this endpoint")
    if header.total_count < 0:
        raise RejectedError("rjct.total_count.invalid", "total_count: expected 0 or more")
    if header.total_count > max_records:
        raise RejectedError("rjct.total_count.limit_exceeded", f"total_count: expected at most {max_records}")
    if header.total_count != records:
        raise RejectedError("rjct.total_count.invalid", f"total_count: expected the number of records sent ({records})")


def check_sent(sent: datetime.datetime, max_age: float | None) -> None:
    """A ``message_ts`` that is no time the message was sent refused: more than :data:`AHEAD` later than our
    clock, or more than ``max_age`` seconds before it (a zero value, ``0001-01-01T00:00:00Z`` or the Unix epoch,
    sent for a time never set; or a message too old for a copy of it to be known again as a duplicate)."""
    now = datetime.datetime.now(datetime.UTC)
    if sent > now + AHEAD:
        raise RejectedError("rjct.message_ts.invalid", "message_ts: expected the time the message was sent, not later")
    if max_age is not None and (now - sent).total_seconds() > max_age:  # a difference: no date before year 1
        raise RejectedError(
            "rjct.message_ts.invalid",
            f"message_ts: expected the time the message was sent, at most {max_age:,.0f} s ago (a message older, "
            f"or a time never set, is not taken)",
        )


def answer_header(
    header: Any,
    action: str,
    rejection: RejectedError | None = None,
    now: datetime.datetime | None = None,
    sent_by: tuple[str, str] | None = None,
    sender_id: str | None = None,
) -> dict[str, Any]:
    """The ``MsgCallbackHeader`` answering a request's ``header``: ``succ``, or ``rjct`` with its reason. An answer
    in the request's exchange keeps its ``message_id`` and names us ``sender_id``; a message of its own (an
    asynchronous callback) is ``sent_by`` (its new ``message_id``, our ``sender_id``)."""
    moment = now or datetime.datetime.now(datetime.UTC)
    answer: dict[str, Any] = {
        "version": VERSIONS[0],
        "message_id": sent_by[0] if sent_by else header.message_id,
        "message_ts": moment.isoformat(timespec="milliseconds"),
        "action": action,
        "status": "rjct" if rejection else "succ",
    }
    if rejection:
        answer["status_reason_code"] = rejection.code
        answer["status_reason_message"] = rejection.message[:999]
    answer["total_count"] = header.total_count
    answer["completed_count"] = 0 if rejection else header.total_count
    if sent_by or sender_id:
        answer["sender_id"] = sent_by[1] if sent_by else sender_id
    answer["receiver_id"] = header.sender_id
    answer["is_msg_encrypted"] = False
    return answer


# Why a message_id sent again is refused (rjct.message_id.duplicate), by what its store knows of it
OTHER_CONTENT = "message_id: already received from this sender_id with another header or message; send a new message_id"
BEING_ANSWERED = "message_id: this message is being answered; send it again in a moment to get its answer"
NOT_KEPT = "message_id: already received from this sender_id; its answer is no longer kept (send a new message_id)"
UNKNOWN_CONTENT = "message_id: already received from this sender_id"


@dataclass(frozen=True)
class Reply:
    """The answer given to a message, kept for its retries: HTTP status, headers and body as sent."""

    status: int
    headers: dict[str, str]
    content: bytes

    def encoded(self) -> bytes:
        """One blob: the status and headers as a JSON line, then the body."""
        return orjson.dumps({"status": self.status, "headers": self.headers}) + b"\n" + self.content

    @classmethod
    def decoded(cls, blob: bytes) -> Reply:
        head, _, content = bytes(blob).partition(b"\n")
        meta = orjson.loads(head)
        return cls(meta["status"], meta["headers"], content)


def message_digest(envelope: dict[str, Any]) -> bytes:
    """What identifies a message's content: a SHA-256 of its ``header`` and ``message`` as JSON values (keys
    sorted, the serialisation and the ``signature``, made again for a retry, not counted)."""
    content = {"header": envelope.get("header"), "message": envelope.get("message")}
    return hashlib.sha256(orjson.dumps(content, option=orjson.OPT_SORT_KEYS)).digest()


def duplicate(digest: bytes | None, given: bytes, reply: Reply | None, answered: bool) -> Reply:
    """The reply kept for a message sent again with the content ``given``, when it was first received with the
    content ``digest`` (None: not known) and ``answered``; else the ``rjct.message_id.duplicate`` saying why."""
    if digest is None:
        raise RejectedError(DUPLICATE, UNKNOWN_CONTENT)
    if digest != given:
        raise RejectedError(DUPLICATE, OTHER_CONTENT)
    if not answered:
        raise RejectedError(DUPLICATE, BEING_ANSWERED)
    if reply is None:
        raise RejectedError(DUPLICATE, NOT_KEPT)
    return reply


@dataclass
class _Seen:
    expires: float
    digest: bytes
    reply: Reply | None = None
    answered: bool = False


class MessageIds:
    """The ``message_id`` of each sender accepted lately: at most ``size``, each kept ``ttl`` seconds, the oldest
    forgotten first; with the digest of its content and its answer (at most ``answer_bytes`` of answers in all,
    each at most ``answer_ttl`` seconds, the oldest forgotten first). One store per process (a worker knows only
    the messages it received)."""

    def __init__(
        self,
        size: int,
        ttl: float,
        clock: Any = time.monotonic,
        answer_bytes: int = 0,
        answer_ttl: float = float("inf"),
    ) -> None:
        self.size, self.ttl, self.clock, self.answer_bytes = size, ttl, clock, answer_bytes
        self.answer_ttl = answer_ttl
        self.seen: OrderedDict[tuple[str, str], _Seen] = OrderedDict()
        # the answers kept, oldest first: their bytes and when they go
        self.replies: OrderedDict[tuple[str, str], tuple[int, float]] = OrderedDict()
        self.kept_bytes = 0
        self.lock = threading.Lock()

    def accept(self, sender_id: str, message_id: str, digest: bytes = b"") -> Reply | None:
        """Remember a new message (None), or give back the reply kept for the same content sent again, else a
        ``rjct.message_id.duplicate`` rejection saying why (another content, not answered yet, answer gone)."""
        key = (sender_id, message_id)
        now = self.clock()
        with self.lock:
            while self.seen and next(iter(self.seen.values())).expires <= now:
                self._drop(next(iter(self.seen)))
            while self.replies and next(iter(self.replies.values()))[1] <= now:  # answers past their lifetime
                self._drop_reply(next(iter(self.replies)))
            if (seen := self.seen.get(key)) is not None:
                return duplicate(seen.digest, digest, seen.reply, seen.answered)
            self.seen[key] = _Seen(now + self.ttl, digest)
            while len(self.seen) > self.size:
                self._drop(next(iter(self.seen)))
        return None

    def keep(self, sender_id: str, message_id: str, reply: Reply) -> None:
        """Keep the answer to a message accepted, for its retries, within the bytes allowed."""
        key, size = (sender_id, message_id), len(reply.encoded())
        with self.lock:
            if (seen := self.seen.get(key)) is None or seen.answered:
                return
            seen.answered = True
            if size > self.answer_bytes:
                return
            seen.reply, self.replies[key] = reply, (size, self.clock() + self.answer_ttl)
            self.kept_bytes += size
            while self.kept_bytes > self.answer_bytes:
                self._drop_reply(next(iter(self.replies)))

    def forget(self, sender_id: str, message_id: str) -> None:
        """Forget a message that was not accepted after all (its sender may send it again)."""
        with self.lock:
            if (sender_id, message_id) in self.seen:
                self._drop((sender_id, message_id))

    def release(self, sender_id: str, message_id: str) -> None:
        """Forget a message whose answer could not be kept (as :meth:`forget`: memory is always written)."""
        self.forget(sender_id, message_id)

    def _drop(self, key: tuple[str, str]) -> None:
        del self.seen[key]
        self.kept_bytes -= self.replies.pop(key, (0, 0.0))[0]

    def _drop_reply(self, key: tuple[str, str]) -> None:
        """Forget a kept answer (its id stays: the same content sent again is told its answer is no longer kept)."""
        self.kept_bytes -= self.replies.pop(key)[0]
        self.seen[key].reply = None
