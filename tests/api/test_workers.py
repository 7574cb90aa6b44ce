"""Several workers: they hold as many connections each, a killed one is replaced, stopping lets requests finish."""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import numpy as np
import psutil
import pytest

from openfisca_sp.cli.balancing import CONNECTIONS_FILE, SLOTS
from openfisca_sp.cli.workers import balancing_available
from tests.api.server import Server, start

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from api_benchmark import eligibility_body, synthetic_persons  # the benchmark's synthetic persons

pytestmark = pytest.mark.skipif(not balancing_available(), reason="workers share their counts on POSIX systems only")


def _port(server: Server) -> int:
    return int(server.url.rsplit(":", 1)[1])


def _workers(server: Server) -> list[psutil.Process]:
    """The supervisor's live worker processes (not multiprocessing's resource tracker; a zombie has no command
    line)."""
    found = []
    for child in psutil.Process(server.process.pid).children():
        try:
            if "spawn_main" in " ".join(child.cmdline()):
                found.append(child)
        except psutil.NoSuchProcess:
            continue
    return found


def _sockets(server: Server, status: str, supervisor: bool = False) -> dict[int, int]:
    """How many sockets of the server's port each worker (or the supervisor) holds in ``status``."""
    found = {}
    for process in [psutil.Process(server.process.pid)] if supervisor else _workers(server):
        try:
            connections = process.net_connections(kind="tcp")
        except psutil.NoSuchProcess:
            continue
        held = [c for c in connections if c.laddr and c.laddr.port == _port(server) and c.status == status]
        if held:
            found[process.pid] = len(held)
    return found


def _table(server: Server) -> dict[int, int]:
    """Each live worker with a slot in the table of connections (it accepts once it has one): its count."""
    alive = {worker.pid for worker in _workers(server)}
    for worker in _workers(server):
        try:
            path = worker.environ().get(CONNECTIONS_FILE)
        except psutil.NoSuchProcess:
            continue
        if path and os.path.exists(path):
            table = np.fromfile(path, dtype=np.int64).reshape(SLOTS, 2)
            return {int(pid): int(count) for pid, count in table.tolist() if pid in alive}
    return {}


def _serving(server: Server) -> set[int]:
    return set(_table(server))


def _wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def _connections_by_worker(server: Server, count: int = 16) -> dict[int, int]:
    """Open ``count`` connections, each answered once, and say which worker holds each."""
    opened = []
    try:
        for _ in range(count):
            connection = socket.create_connection(("127.0.0.1", _port(server)))
            connection.sendall(b"GET /health HTTP/1.1\r\nHost: test\r\n\r\n")
            assert connection.recv(4096).startswith(b"HTTP/1.1 200")
            opened.append(connection)
        return _sockets(server, psutil.CONN_ESTABLISHED)
    finally:
        for connection in opened:
            connection.close()


@pytest.fixture(scope="module")
def workers() -> Iterator[Server]:
    server = start("--workers", "2")
    try:
        assert _wait_for(lambda: len(_serving(server)) == 2, 120), server.log()[-2000:]
        yield server
    finally:
        server.stop()


def test_every_worker_writes_the_access_log(workers: Server) -> None:
    """Worker processes start with no logging of their own: each configures it (``api.app``), else the access
    log and the errors' log lines of a service with several workers are lost."""
    with workers.client() as http:
        for _ in range(16):  # on fresh connections: the two workers take turns to accept
            assert http.get("/health", headers={"Connection": "close"}).status_code == 200
    log = workers.log_with('"path":"/health"', times=16)
    lines = [json.loads(line) for line in log.splitlines() if line.startswith("{") and '"/health"' in line]
    assert len(lines) == 16
    assert all(line["status"] == 200 and line["request_id"] for line in lines)


def test_the_workers_hold_as_many_connections_each(workers: Server) -> None:
    for _ in range(3):  # the kernel alone splits 16 connections 8 and 8 one time in five
        assert _wait_for(lambda: not any(_table(workers).values()), 10)  # the last round's connections closed
        held = sorted(_connections_by_worker(workers).values())
        assert len(held) == 2 and held[1] - held[0] <= 1, (held, _table(workers))


def test_a_killed_worker_is_replaced_while_the_other_answers(workers: Server) -> None:
    killed = min(_sockets(workers, psutil.CONN_LISTEN))
    os.kill(killed, signal.SIGKILL)
    assert _wait_for(lambda: killed not in _sockets(workers, psutil.CONN_LISTEN), 5)  # its socket closed with it
    with httpx.Client(base_url=workers.url, timeout=10) as http:
        replaced = False
        # uvicorn's supervisor looks at its workers every half second, in turn: it pings a live one and waits for
        # its answer up to timeout_worker_healthcheck (5 s) before it looks at the next, so a busy survivor listed
        # first delays the dead one's replacement by up to 5.5 s (a full run on a slow hour saw it late)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and not replaced:
            assert http.get("/health").status_code == 200  # the other worker answers meanwhile
            replaced = len({worker.pid for worker in _workers(workers)} - {killed}) == 2  # a dead one is a zombie
            time.sleep(0.05)
    assert replaced, workers.log()[-2000:]
    assert _wait_for(lambda: len(_serving(workers)) == 2, 120), workers.log()[-2000:]
    assert killed not in _serving(workers)  # its slot in the table was taken over by its replacement
    held = sorted(_connections_by_worker(workers).values())
    assert len(held) == 2 and held[1] - held[0] <= 1, held


def test_stopping_lets_the_requests_in_flight_finish(workers: Server) -> None:
    answers: list[httpx.Response] = []
    body = eligibility_body(synthetic_persons(10_000, 1))

    def ask() -> None:
        with httpx.Client(base_url=workers.url, timeout=120) as http:
            answers.append(http.post("/eligibility", content=body, headers={"content-type": "application/json"}))

    asking = threading.Thread(target=ask)
    asking.start()
    time.sleep(0.1)
    workers.process.send_signal(signal.SIGTERM)
    asking.join(120)
    assert [answer.status_code for answer in answers] == [200]
    assert len(answers[0].json()["persons"]) == 10_000
    assert workers.process.wait(60) == 0
