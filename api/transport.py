"""The HTTP/1.1 protocol the service runs on: uvicorn's httptools protocol with bounds and a graceful drain.

uvicorn bounds neither the request line and headers nor the time a client takes
to send them: one 128 MB header cost 23.6 s of CPU, and 1,100 connections that
never finished a request locked every new client out. This protocol:

* refuses a request line and headers over ``OPENFISCA_SP_MAX_HEADER_BYTES``
  (431, connection closed) however they arrive: a head still incomplete after a
  chunk is counted as its bytes arrive, before the parser sees more, and a head
  the parser read whole (within one chunk, or completed by one) is counted as it
  is read (its request line and each header), and refused before it reaches the
  application;
* closes a connection that has not sent a complete request line and headers
  ``OPENFISCA_SP_HEADER_TIMEOUT`` seconds after it opened or started a request
  (408), and one whose body has not arrived ``OPENFISCA_SP_BODY_TIMEOUT``
  seconds after its headers (408);
* closes a connection whose client does not read its answer: a write buffer
  not drained within ``OPENFISCA_SP_WRITE_TIMEOUT`` seconds, or the longest
  waiting when the worker's unread answers pass ``OPENFISCA_SP_MAX_BYTES_QUEUED``
  (:mod:`~.queued_answers`);
* on shutdown, keeps an idle keep-alive connection open
  ``OPENFISCA_SP_DRAIN_SECONDS`` more, answers a request that arrives meanwhile
  with ``Connection: close``, then closes it: a client sending on a kept-alive
  connection as the worker stops gets its answer, not a reset.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from functools import cache
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from openfisca_sp.api.held_head import HeldHead
from openfisca_sp.api.queued_answers import QUEUED
from openfisca_sp.api.setting_values import SettingsError, flag

log = logging.getLogger("openfisca_sp.transport")


@dataclass(frozen=True)
class TransportLimits:
    """Bounds on what a connection may send, and how long it may take; whether a refusal is written to the access
    log (``OPENFISCA_SP_ACCESS_LOG``, which the application's own lines obey too)."""

    max_header_bytes: int = 64 * 1024
    header_timeout: float = 10.0
    body_timeout: float = 60.0
    drain_seconds: float = 2.0
    write_timeout: float = 60.0
    max_bytes_queued: int = 256 * 1024 * 1024
    access_log: bool = True

    @classmethod
    def from_environment(cls, environ: Any = None) -> TransportLimits:
        """Limits from ``OPENFISCA_SP_MAX_HEADER_BYTES``, ``…_HEADER_TIMEOUT``, ``…_BODY_TIMEOUT``,
        ``…_DRAIN_SECONDS``, ``…_WRITE_TIMEOUT``, ``…_MAX_BYTES_QUEUED``, and ``…_ACCESS_LOG``; a bad value
        raises :class:`SettingsError`."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        if "OPENFISCA_SP_ACCESS_LOG" in environ:
            values["access_log"] = flag("OPENFISCA_SP_ACCESS_LOG", environ["OPENFISCA_SP_ACCESS_LOG"])
        for attribute, name, kind, minimum in (
            ("max_header_bytes", "OPENFISCA_SP_MAX_HEADER_BYTES", int, 1024),
            ("header_timeout", "OPENFISCA_SP_HEADER_TIMEOUT", float, 0.1),
            ("body_timeout", "OPENFISCA_SP_BODY_TIMEOUT", float, 0.1),
            ("drain_seconds", "OPENFISCA_SP_DRAIN_SECONDS", float, 0.0),
            ("write_timeout", "OPENFISCA_SP_WRITE_TIMEOUT", float, 0.1),
            ("max_bytes_queued", "OPENFISCA_SP_MAX_BYTES_QUEUED", int, 65536),
        ):
            if name not in environ:
                continue
            text = environ[name]
            try:
                value = kind(text)
            except ValueError:
                value = None
            if value is None or value != value or value < minimum or value == float("inf"):
                kind_text = "a whole number" if kind is int else "a number"
                raise SettingsError(name, text, f"{kind_text}, {minimum:g} or more")
            values[attribute] = value
        return cls(**values)


@cache
def limits() -> TransportLimits:
    """The limits of this process (read once from its environment)."""
    return TransportLimits.from_environment()


class _SlowClients:
    """Connections closed for slowness: one warning line a second at most, never one per connection."""

    def __init__(self) -> None:
        self.count = 0
        self.report_due: Any = None

    def closed(self, loop: Any) -> None:
        self.count += 1
        if self.report_due is None:
            self.report_due = loop.call_later(1.0, self._report)

    def _report(self) -> None:
        log.warning(
            "closed %d connections that sent no whole request in time (408; OPENFISCA_SP_HEADER_TIMEOUT, "
            "OPENFISCA_SP_BODY_TIMEOUT)",
            self.count,
        )
        self.count, self.report_due = 0, None


SLOW_CLIENTS = _SlowClients()


CONNECTION_ROUTE = "(connection)"  # the route label of a refusal made before any route: no request was read


def _refused_on_connection(status: int) -> None:
    """Log and count a request refused before any route read it (malformed, too slow, a head too large): as
    every other answer is, with no data of the request (none was read)."""
    from openfisca_sp.api import metrics  # the metrics' registry, set up by the application

    metrics.observe(CONNECTION_ROUTE, "-", status, 0.0, 0)
    if limits().access_log:
        logging.getLogger("openfisca_sp.access").info(
            '{"method":null,"path":"%s","status":%d}', CONNECTION_ROUTE, status
        )


def _plain_response(status: bytes, text: str) -> bytes:
    body = text.encode()
    return b"".join(
        [
            b"HTTP/1.1 " + status + b"\r\n",
            b"content-type: application/json\r\n",
            b"content-length: " + str(len(body)).encode() + b"\r\n",
            b"connection: close\r\n\r\n",
            body,
        ]
    )


class Shutdown:
    """Whether this worker is shutting down (a signal asked it to stop; its connections are draining)."""

    started = False


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with bounded headers, request timeouts and a graceful drain (see the module)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limits = limits()
        self.header_bytes = 0  # bytes received while a head was incomplete after its chunk was parsed
        self.head_bytes = 0  # bytes of the request line and headers the parser has read of the current request
        self.refused = False  # a head too large was answered 431: nothing more of this connection is read
        self.in_headers = True  # between requests or reading a request line and headers
        self.deadline: Any = None
        self.write_deadline: Any = None  # armed while the write buffer is above its high-water mark
        self.draining = False

    # timers
    def _arm(self, seconds: float) -> None:
        self._disarm()
        self.deadline = self.loop.call_later(seconds, self._too_slow)

    def _disarm(self) -> None:
        if self.deadline is not None:
            self.deadline.cancel()
            self.deadline = None

    def _too_slow(self) -> None:
        self.deadline = None
        if self.transport is None or self.transport.is_closing():
            return
        if self.cycle is not None and not self.cycle.response_complete and not self.in_headers:
            if self.cycle.more_body:  # still waiting for the body: the application sees a disconnect
                self.cycle.disconnected = True
                self.cycle.message_event.set()
            else:
                return  # the request is whole: the application is working on it
        message = '{"error": "Request not received in time", "field": "request", "expected": "a whole request"}'
        self._refuse(b"408 Request Timeout", message)
        SLOW_CLIENTS.closed(self.loop)

    def _refuse(self, status: bytes, message: str) -> None:
        """Answer a refusal made before any route read the request (JSON ``message``), close the connection, and
        log and count it as every other answer is."""
        self.transport.write(_plain_response(status, message))
        self.transport.close()
        _refused_on_connection(int(status[:3]))

    # protocol
    def connection_made(self, transport: Any) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm(self.limits.header_timeout)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        self._drained()
        super().connection_lost(exc)

    # answers the client does not read (:mod:`~.queued_answers`)
    def pause_writing(self) -> None:
        super().pause_writing()
        if self.write_deadline is None:
            self.write_deadline = self.loop.call_later(self.limits.write_timeout, self._not_read)
        QUEUED.queued(self, self.transport.get_write_buffer_size(), self.limits.max_bytes_queued)

    def resume_writing(self) -> None:
        self._drained()
        super().resume_writing()

    def _drained(self) -> None:
        if self.write_deadline is not None:
            self.write_deadline.cancel()
            self.write_deadline = None
        QUEUED.drained(self)

    def _not_read(self) -> None:
        self.write_deadline = None
        QUEUED.close(self)

    def abort_unread(self) -> None:
        """Close the connection now, dropping the answer its client has not read (its memory is freed)."""
        self._disarm()
        if self.write_deadline is not None:
            self.write_deadline.cancel()
            self.write_deadline = None
        if self.cycle is not None:
            self.cycle.disconnected = True  # a streamed answer still being written stops
            self.cycle.message_event.set()
        self.transport.abort()

    def data_received(self, data: bytes) -> None:
        if self.refused:
            return
        counting = self.in_headers
        if counting and self.deadline is None:
            self._arm(self.limits.header_timeout)
        super().data_received(data)
        if not (counting and self.in_headers) or self.transport.is_closing():
            return  # the headers were complete within this chunk (counted as parsed: on_headers_complete)
        self.header_bytes += len(data)
        if self.header_bytes > self.limits.max_header_bytes:  # stopped one chunk past the limit, at most
            self._refuse_head()

    def _refuse_head(self) -> None:
        """Answer 431 and close: the request line and headers are over the limit."""
        message = (
            '{"error": "Request line and headers too large", "field": "headers", '
            f'"expected": "at most {self.limits.max_header_bytes} bytes"}}'
        )
        self.refused = True
        self._disarm()
        self._refuse(b"431 Request Header Fields Too Large", message)

    def send_400_response(self, msg: str) -> None:
        """uvicorn's answer to bytes that are no HTTP request, as JSON like every other refusal (it was text)."""
        message = (
            '{"error": "Invalid HTTP request", "field": "request", '
            '"expected": "an HTTP/1.1 request line, headers and a body of the length declared"}'
        )
        self._disarm()
        self._refuse(b"400 Bad Request", message)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self.in_headers = True
        self.head_bytes = 0

    def on_url(self, url: bytes) -> None:
        super().on_url(url)
        self.head_bytes += len(url) + 16  # with the method and the protocol version ("GET … HTTP/1.1\r\n")

    def on_header(self, name: bytes, value: bytes) -> None:
        super().on_header(name, value)
        self.head_bytes += len(name) + len(value) + 4  # "name: value\r\n"

    def on_headers_complete(self) -> None:
        if self.refused:
            return
        if self.head_bytes > self.limits.max_header_bytes:  # read whole in one chunk, or completed by one
            self._refuse_head()
            return
        previous = self.cycle
        super().on_headers_complete()
        if self.cycle is not previous:  # a new request (not an upgrade): its head leaves with its body
            self.cycle.transport = HeldHead(self.transport, self.cycle, self.loop)
        self.in_headers = False
        self.header_bytes = 0
        self._arm(self.limits.body_timeout)
        if self.draining and self.cycle is not None:
            self.cycle.keep_alive = False  # answered, then closed

    def on_body(self, body: bytes) -> None:
        if not self.refused:  # the rest of a chunk after a head refused is never read
            super().on_body(body)

    def on_message_complete(self) -> None:
        if self.refused:
            return
        super().on_message_complete()
        self._disarm()

    def on_response_complete(self) -> None:
        self.in_headers = True
        self.header_bytes = 0
        super().on_response_complete()

    def shutdown(self) -> None:
        """Stop gracefully: an idle connection stays open ``drain_seconds`` for a request already on its way."""
        Shutdown.started = True  # /ready answers 503 from now on: a load balancer sends no more
        idle = self.cycle is None or self.cycle.response_complete
        if not idle or self.limits.drain_seconds <= 0:
            super().shutdown()
            return
        self.draining = True
        self.loop.call_later(self.limits.drain_seconds, self._close_if_idle)

    def _close_if_idle(self) -> None:
        if self.transport is not None and (self.cycle is None or self.cycle.response_complete):
            self.transport.close()
