"""Answers a client never reads: the connection is closed within ``OPENFISCA_SP_WRITE_TIMEOUT`` and its memory
freed, and the bytes so queued are capped per worker (security review, finding 1).

A real ``openfisca-sp serve`` on 127.0.0.1 and real sockets with a small receive buffer that never read.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import time
from urllib.parse import urlsplit

import psutil

from tests.api.server import Server, settled, start

# 10,000 minimal persons: a 280 KB request (within every limit) answered with about 22 MB
BODY = json.dumps({"as_of": "2024-06-15", "persons": [{"birth_date": "1960-01-01"}] * 10000}).encode()
REQUEST = (
    b"POST /eligibility HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(BODY)
) + BODY


CLOSED = re.compile(r"closed (\d+) connections whose clients did not read their answers in time")


def _rss_mib(server: Server) -> float:
    process = psutil.Process(server.process.pid)
    return sum(each.memory_info().rss for each in [process, *process.children(recursive=True)]) / 2**20


def _slow_readers(server: Server, count: int) -> list[socket.socket]:
    address = urlsplit(server.url)
    readers = []
    for _ in range(count):
        reader = socket.socket()
        reader.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        reader.connect((address.hostname, address.port))
        reader.sendall(REQUEST)
        readers.append(reader)
    return readers


def _received(reader: socket.socket) -> int:
    """The bytes the server had sent before it closed (read now, so as not to wait for a whole answer)."""
    reader.settimeout(5)
    total = 0
    with contextlib.suppress(TimeoutError, ConnectionResetError):
        while chunk := reader.recv(1 << 20):
            total += len(chunk)
    return total


def test_an_answer_not_read_within_the_write_timeout_is_dropped_and_its_memory_freed() -> None:
    server = start(environment={"OPENFISCA_SP_WRITE_TIMEOUT": "2"})
    try:
        with server.client() as http:  # one whole answer first: its size, and the worker's memory warmed up
            whole = len(http.post("/eligibility", content=BODY, headers={"content-type": "application/json"}).content)
        before = _rss_mib(server)
        readers = _slow_readers(server, 6)  # 132 MB: less than the free heap glibc keeps (256 MiB) untrimmed
        server.log_with('"path":"/eligibility"', times=7)  # each logged once its answer is queued, not read
        held = _rss_mib(server)
        after = settled(lambda: _rss_mib(server), before + 64, seconds=6.0)  # closed at 2 s, freed
        received = [_received(reader) for reader in readers]
        for reader in readers:
            reader.close()
        deadline = time.monotonic() + 10  # the warning lines: one a second at most, so maybe two
        while sum(map(int, CLOSED.findall(log := server.log()))) < 6 and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        server.stop()
    assert whole > 20_000_000
    assert held - before > 100, (before, held)  # 6 answers of 22 MB were held while unread
    assert after - before < 64, (before, held, after)
    assert all(count < whole for count in received), (whole, received)  # cut short: the rest was dropped
    assert sum(map(int, CLOSED.findall(log))) == 6, CLOSED.findall(log)


def _whole_answer(reader: socket.socket) -> int:
    """The length of one whole answer's body, read to its end (its head says how long it is)."""
    reader.settimeout(10)
    received = b""
    while b"\r\n\r\n" not in received:
        received += reader.recv(65536)
    head, _, body = received.partition(b"\r\n\r\n")
    length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
    size = len(body)
    while size < length and (chunk := reader.recv(1 << 20)):
        size += len(chunk)
    return size


def test_unread_answers_over_the_worker_cap_close_the_longest_waiting_first() -> None:
    # 64 MiB: room for three answers of 22 MB; the write timeout stays 60 s
    server = start(environment={"OPENFISCA_SP_MAX_BYTES_QUEUED": str(64 * 2**20)})
    try:
        readers = _slow_readers(server, 1)
        time.sleep(0.5)
        readers += _slow_readers(server, 3)  # the fourth passes the cap: the first, waiting longest, is closed
        time.sleep(1.0)
        first = _received(readers[0])
        others = [_whole_answer(reader) for reader in readers[1:]]
        for reader in readers:
            reader.close()
        log = server.log_with("did not read their answers in time")
    finally:
        server.stop()
    assert first < 22_000_000  # cut short
    assert others == [others[0]] * 3 and others[0] > 22_000_000  # the others, read late, whole
    assert "closed 1 connections whose clients did not read their answers in time" in log
