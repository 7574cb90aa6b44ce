"""Request bodies read within bounds, before any application code sees them.

A body is refused as soon as it passes the size limit (413, whether its length
was declared or it came in chunks), when the worker already holds too many
bytes of bodies (503: retry), when it is not JSON by its Content-Type (415), or
when it holds more JSON values than a request may (413). Counting values is an
upper bound computed at C speed (commas, brackets and braces), so a body of
millions of tiny items is refused in milliseconds, before anything parses it.
"""

from __future__ import annotations

import email.policy
import functools
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import unquote_to_bytes

import numpy as np

from openfisca_sp.api.guards import Refusal, header
from openfisca_sp.api.heap import QuietTrim
from openfisca_sp.rules.wording import counted

Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
BODY_METHODS = ("POST", "PUT", "PATCH")


class ClientGone(Exception):  # noqa: N818 - a state of the connection, not an error of ours
    """The client disconnected before sending its whole body."""


class InFlight:
    """The bytes of request bodies this worker holds at once, under a cap."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.held = 0
        self.peak = 0  # the most held at once since the worker last held none
        self.trim = QuietTrim(lambda: self.held > 0)

    def take(self, size: int) -> bool:
        """Hold ``size`` more bytes if the cap allows (True), else hold nothing (False)."""
        if self.held + size > self.cap:
            return False
        self.held += size
        self.peak = max(self.peak, self.held)
        return True

    def give_back(self, size: int, answered: int = 0) -> None:
        """Release ``size`` bytes of a request answered ``answered`` bytes. Once none are held after a load of
        large bodies (one, or several together, of :data:`TRIM_AFTER_BYTES` or more) or a large answer (a small
        body whose work grew the heap: 10,000 claims on as many days, 2.5 MB, answered 23 MB and left 400 MB
        held), freed memory goes back to the system when the worker is quiet
        (:class:`~openfisca_sp.api.heap.QuietTrim`)."""
        self.held -= size
        self.peak = max(self.peak, answered)
        if self.held == 0:
            if self.peak >= TRIM_AFTER_BYTES:
                self.trim.large_request_ended()
            self.peak = 0


TRIM_AFTER_BYTES = 4 * 1024 * 1024


def too_large(limit: int, received: int | None = None) -> Refusal:
    body: dict[str, object] = {
        "error": "Request body too large",
        "field": "body",
        "expected": f"at most {counted(limit, 'byte')}",
    }
    if received is not None:
        body["received"] = counted(received, "byte")
    return Refusal(413, body)


DCI_BAD_REQUEST = "err.request.bad"  # the DCI Error code of a message the service cannot take as sent
DCI_UNAVAILABLE = "err.service.unavailable"  # the DCI Error code of a message the service cannot take now (retry)
DCI_HTTP_ERRORS = {413: DCI_BAD_REQUEST, 503: DCI_UNAVAILABLE}  # refusals before the header is read, in DCI's form


def dci_http_error(body: dict[str, object], code: str = DCI_BAD_REQUEST) -> dict[str, object]:
    """A refusal of a DCI route made before the message is read (its header unknown) in DCI's form for those,
    ``HttpErrorResponse``: ``{"errors": [{code, message}]}``, the item naming the field and what was expected."""
    message = f"{body['error']}: expected {body['expected']}"
    if "received" in body:
        message += f" (received {body['received']})"
    item = {"code": code, "message": message, "field": body["field"], "expected": body["expected"]}
    return {"errors": [item]}


def busy() -> Refusal:
    return Refusal(
        503,
        {
            "error": "Server busy: too many request bytes in flight",
            "field": "body",
            "expected": "the same request again in a moment",
        },
        ((b"retry-after", b"1"),),
    )


def unsupported(error: str, field: str, expected: str, declared: bytes | None) -> Refusal:
    """A 415 naming the header refused, what was expected and what was received (its first 80 characters)."""
    received = declared.decode("latin-1")[:80] if declared else None
    return Refusal(415, {"error": error, "field": field, "expected": expected, "received": received})


# RFC 9110 lets a parameter list hold empty entries (``application/json;;charset=utf-8``); MIME's grammar, which the
# standard library's parser follows, does not: that defect alone is not a malformed header
EMPTY_PARAMETER = "parameter entry with no content"
MALFORMED_EXPECTED = "application/json, any parameter written name=value (charset=utf-8)"


@functools.lru_cache(maxsize=64)  # a client sends the same few values: parsed once each (24 µs), then looked up
def _media_type(declared: bytes) -> tuple[str, str | None, bool]:
    """The media type declared (lower case), its ``charset`` if any, and whether the header is well formed, as the
    standard library's MIME header parser reads it (its defects: a parameter that is no name=value, text after the
    type, a quoted string left open, a parameter given twice, a control character)."""
    parsed = email.policy.default.header_factory("content-type", declared.decode("latin-1"))
    malformed = any(str(defect) != EMPTY_PARAMETER for defect in parsed.defects)
    return parsed.content_type, parsed.params.get("charset"), not malformed


def content_type_refusal(headers: list[tuple[bytes, bytes]]) -> Refusal | None:
    """415 unless the body is declared JSON (``application/json`` or ``application/…+json``), in UTF-8 (JSON is
    UTF-8: RFC 8259; a ``charset`` other than ``utf-8`` is refused), in a well-formed header (``application/json;==``
    is refused, not read as its first word)."""
    declared = header(headers, b"content-type")
    if not declared or not declared.strip():
        return unsupported("Unsupported media type", "header Content-Type", "application/json", declared)
    media, charset, well_formed = _media_type(declared)
    if not (media == "application/json" or (media.startswith("application/") and media.endswith("+json"))):
        return unsupported("Unsupported media type", "header Content-Type", "application/json", declared)
    if not well_formed:
        return unsupported("Malformed Content-Type", "header Content-Type", MALFORMED_EXPECTED, declared)
    if charset is not None and charset.strip().lower() not in ("utf-8", "utf8"):
        wanted = "application/json in UTF-8 (charset=utf-8, or no charset)"
        return unsupported("Unsupported character set", "header Content-Type", wanted, declared)
    return None


def encoding_refusal(headers: list[tuple[bytes, bytes]]) -> Refusal | None:
    """415 for a body sent compressed (``Content-Encoding: gzip``, ``Transfer-Encoding: gzip, chunked`` …): bodies
    are read as sent, uncompressed, so that their size limit bounds the work they cause (a compressed body could
    unfold a thousandfold)."""
    declared = header(headers, b"content-encoding")
    if declared is not None and declared.strip().lower() not in (b"", b"identity"):
        return unsupported(
            "Unsupported content encoding",
            "header Content-Encoding",
            "none (identity): the body uncompressed",
            declared,
        )
    # a transfer coding before chunked (gzip, chunked) is not undone by the server: its bytes were read as JSON
    transfer = b", ".join(value for name, value in headers if name == b"transfer-encoding") or None
    codings = [coding.strip() for coding in (transfer or b"").lower().split(b",")]
    if transfer is not None and any(coding not in (b"chunked", b"identity") for coding in codings):
        return unsupported(
            "Unsupported transfer encoding",
            "header Transfer-Encoding",
            "chunked, or none: the body uncompressed",
            transfer,
        )
    return None


def query_refusal(query: bytes) -> Refusal | None:
    """422 for a query string sent with a body: no route that takes a body reads one, and one ignored answers
    another question than the one asked (``POST /eligibility?as_of=2025-01-01`` was decided on the body's date)."""
    names = [name for name, _, _ in (pair.partition(b"=") for pair in query.split(b"&")) if name]
    if not names:
        return None
    name = unquote_to_bytes(names[0].replace(b"+", b" ")).decode("utf-8", "replace")[:80]
    field, expected = f"query.{name}", "no query string: every field of the request in its JSON body"
    message = f"query parameter {name!r} not read: this route reads its JSON body only"
    problem = {"field": field, "message": message, "type": "query_not_read", "expected": expected}
    return Refusal(422, {"error": "Invalid request", "field": field, "expected": expected, "errors": [problem]})


def json_problem(raw: bytes, message: str, position: int) -> tuple[str, int]:
    """What is wrong with a body that is not JSON, and where: bytes that are not UTF-8 are named as such
    (a compressed or Latin-1 body), rather than by the JSON parser's message at position 0."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        byte = raw[error.start]
        return (
            f"the body is not UTF-8 text: byte 0x{byte:02x} at position {error.start} (send JSON in UTF-8)",
            error.start,
        )
    return message, position


def declared_length(headers: list[tuple[bytes, bytes]]) -> int | None:
    value = header(headers, b"content-length")
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        return None


ARRAY_COUNT_FROM_BYTES = 4096  # from this size a body's marks are counted as an array


def json_values(body: bytes) -> int:
    """An upper bound on the JSON values in ``body`` (every value but the first follows a comma or opens a
    container). Past a few kilobytes the bytes are counted as an array (5 MB: 1.9 ms, against 5.9 ms for
    ``bytes.count`` three times); below, ``bytes.count`` is the quicker (700 bytes: 1.2 µs against 5.2)."""
    if len(body) < ARRAY_COUNT_FROM_BYTES:
        return body.count(b",") + body.count(b"[") + body.count(b"{") + 1
    octets = np.frombuffer(body, dtype=np.uint8)
    return sum(int(np.count_nonzero(octets == ord(mark))) for mark in ",[{") + 1


async def read_body(
    receive: Receive, limit: int, in_flight: InFlight, held: list[int], read: list[int] | None = None
) -> bytes | Refusal:
    """The whole body, or the refusal to answer; the bytes held are added to ``held[0]`` (to give back), and the
    bytes read, refused or not, set ``read[0]`` (for the access log)."""
    chunks = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientGone
        chunk = message.get("body", b"")
        size += len(chunk)
        if read is not None:
            read[0] = size
        if size > limit:
            return too_large(limit)
        if not in_flight.take(len(chunk)):
            return busy()
        held[0] += len(chunk)
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that gives the body already read, then waits on the connection as the original does."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed
