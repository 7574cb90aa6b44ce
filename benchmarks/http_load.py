"""A lean HTTP/1.1 load generator on raw asyncio streams, for the API benchmark.

Python HTTP clients (httpx, aiohttp) spend more CPU per request than a fast
server does, and on a small machine the generator competes with the server
for the same cores. This client does as little as possible per request:

* requests are encoded once, in advance (``build_post``), and written as bytes;
* each connection is one coroutine that sends its next request when the
  previous answer has arrived (concurrency = number of connections);
* responses are parsed just enough: the status line, ``Content-Length``,
  ``Transfer-Encoding: chunked`` and ``Connection: close``.

Connections are kept alive (HTTP/1.1). When the server closes them (gunicorn
sync workers answer ``Connection: close`` to every request), the next request
opens a new connection, and its latency includes the connection set-up: that
is what a client of such a server pays.

The event loop is uvloop's when it is installed (``run``).
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")

MAX_HEADER_BYTES = 64 * 1024
STREAM_LIMIT = 1024 * 1024  # readuntil buffer for the header block


class ProtocolError(Exception):
    """The server's answer is not HTTP/1.1 as this client understands it."""


@dataclass
class Response:
    """One answer: status, lower-cased headers and the body (bytes)."""

    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def keep_alive(self) -> bool:
        """Whether the connection may carry another request."""
        return self.headers.get("connection", "").lower() != "close"


@dataclass
class LoadResult:
    """What a load run measured."""

    latencies: list[float] = field(default_factory=list)  # seconds, one per completed request
    statuses: Counter[int] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)  # exceptions: connection reset, timeout …
    elapsed: float = 0.0  # seconds, from the first request sent to the last answer read
    connections_opened: int = 0
    per_connection: list[int] = field(default_factory=list)  # answers each concurrent connection loop got

    @property
    def connection_spread(self) -> tuple[int, int]:
        """The fewest and the most answers a connection got: far apart when the server's workers are not
        equally loaded (a connection held by a busier worker waits longer for each answer)."""
        return (min(self.per_connection), max(self.per_connection)) if self.per_connection else (0, 0)

    @property
    def completed(self) -> int:
        """Requests answered (any status)."""
        return len(self.latencies)

    @property
    def requests_per_second(self) -> float:
        """Answers per second over the run."""
        return self.completed / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def failures(self) -> int:
        """Answers other than 200, and requests that failed without an answer."""
        return sum(count for status, count in self.statuses.items() if status != 200) + sum(self.errors.values())

    def problems(self) -> list[str]:
        """Human-readable failures (empty when every request got a 200)."""
        found = [f"HTTP {status}: {count}" for status, count in sorted(self.statuses.items()) if status != 200]
        found += [f"{error}: {count}" for error, count in self.errors.most_common()]
        return found


def build_post(host: str, port: int, path: str, body: bytes, content_type: str = "application/json") -> bytes:
    """A complete HTTP/1.1 ``POST`` request, ready to write."""
    head = (
        f"POST {path} HTTP/1.1\r\n"
        f"Host: {host}:{port}\r\n"
        f"Content-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\n"
        "\r\n"
    )
    return head.encode("ascii") + body


def build_get(host: str, port: int, path: str) -> bytes:
    """A complete HTTP/1.1 ``GET`` request, ready to write."""
    return f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode("ascii")


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    parts: list[bytes] = []
    while True:
        size_line = await reader.readuntil(b"\r\n")
        size = int(size_line.split(b";", 1)[0].strip(), 16)
        if size == 0:
            # trailers, if any, end with an empty line
            while (await reader.readuntil(b"\r\n")) != b"\r\n":
                pass
            return b"".join(parts)
        parts.append(await reader.readexactly(size))
        await reader.readexactly(2)  # the CRLF after each chunk


async def read_response(reader: asyncio.StreamReader) -> Response:
    """Read one response from ``reader``: status line, headers, body."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.LimitOverrunError as error:
        raise ProtocolError("header block too long") from error
    if len(head) > MAX_HEADER_BYTES:
        raise ProtocolError("header block too long")
    lines = head[:-4].split(b"\r\n")
    status_line = lines[0].split(b" ", 2)
    if len(status_line) < 2 or not status_line[0].startswith(b"HTTP/1."):
        raise ProtocolError(f"bad status line: {lines[0][:80]!r}")
    status = int(status_line[1])
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        headers[name.strip().lower().decode("latin-1")] = value.strip().decode("latin-1")
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        body = await _read_chunked(reader)
    elif status in (204, 304) or 100 <= status < 200:
        body = b""
    else:  # delimited by the end of the connection
        body = await reader.read()
        headers["connection"] = "close"
    return Response(status, headers, body)


class _Connection:
    """One keep-alive connection, reopened when the server closes it."""

    def __init__(self, host: str, port: int, result: LoadResult) -> None:
        self.host = host
        self.port = port
        self.result = result
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, payload: bytes) -> Response:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port, limit=STREAM_LIMIT)
            self.result.connections_opened += 1
        assert self.reader is not None
        self.writer.write(payload)
        response = await read_response(self.reader)
        if not response.keep_alive:
            self.close()
        return response

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def _drive(
    host: str,
    port: int,
    requests: Sequence[bytes],
    concurrency: int,
    keep_going: Callable[[], bool],
    timeout: float | None,
) -> LoadResult:
    """``concurrency`` connections, each sending the next request while ``keep_going()``."""
    if not requests:
        raise ValueError("no requests")
    result = LoadResult()
    latencies = result.latencies
    statuses = result.statuses
    position = 0
    clock = time.perf_counter

    async def connection_loop() -> None:
        nonlocal position
        connection = _Connection(host, port, result)
        answered = 0
        try:
            while keep_going():
                payload = requests[position % len(requests)]
                position += 1
                started = clock()
                try:
                    response = await connection.request(payload)
                except (OSError, asyncio.IncompleteReadError, ProtocolError, ValueError) as error:
                    result.errors[type(error).__name__] += 1
                    connection.close()
                    await asyncio.sleep(0.01)  # do not spin on a refusing server
                    continue
                latencies.append(clock() - started)
                statuses[response.status] += 1
                answered += 1
        finally:
            result.per_connection.append(answered)
            connection.close()

    started = clock()
    try:
        async with asyncio.timeout(timeout):
            await asyncio.gather(*(connection_loop() for _ in range(concurrency)))
    except TimeoutError:
        result.errors["TimeoutError (run)"] += 1
    result.elapsed = clock() - started
    return result


async def run_count(
    host: str,
    port: int,
    requests: Sequence[bytes],
    concurrency: int,
    count: int,
    timeout: float | None = None,
) -> LoadResult:
    """Send ``count`` requests (round-robin over ``requests``) on ``concurrency`` connections."""
    remaining = count

    def keep_going() -> bool:
        nonlocal remaining
        remaining -= 1
        return remaining >= 0

    return await _drive(host, port, requests, concurrency, keep_going, timeout)


async def run_duration(
    host: str,
    port: int,
    requests: Sequence[bytes],
    concurrency: int,
    seconds: float,
    timeout: float | None = None,
) -> LoadResult:
    """Send requests for ``seconds`` (then let those in flight finish) on ``concurrency`` connections."""
    deadline = time.perf_counter() + seconds
    clock = time.perf_counter

    def keep_going() -> bool:
        return clock() < deadline

    return await _drive(host, port, requests, concurrency, keep_going, timeout)


async def fetch(host: str, port: int, payload: bytes, timeout: float = 60.0) -> Response:
    """Send one request on a new connection and return the answer."""
    async with asyncio.timeout(timeout):
        reader, writer = await asyncio.open_connection(host, port, limit=STREAM_LIMIT)
        try:
            writer.write(payload)
            return await read_response(reader)
        finally:
            writer.close()


def run(coroutine_function: Callable[..., Awaitable[T]], *args: Any, **kwargs: Any) -> T:
    """Run ``coroutine_function(*args, **kwargs)`` to completion, on uvloop when it is installed."""
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvloop is a dependency on POSIX
        return asyncio.run(_call(coroutine_function, *args, **kwargs))
    return uvloop.run(_call(coroutine_function, *args, **kwargs))


async def _call(coroutine_function: Callable[..., Awaitable[T]], *args: Any, **kwargs: Any) -> T:
    return await coroutine_function(*args, **kwargs)


def event_loop_name() -> str:
    """Which event loop ``run`` uses."""
    try:
        import uvloop
    except ImportError:  # pragma: no cover
        return "asyncio"
    return f"uvloop {uvloop.__version__}"
