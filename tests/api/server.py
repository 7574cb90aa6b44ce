"""A real ``openfisca-sp serve`` (uvicorn on 127.0.0.1) for the API tests."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[2]
API_KEYS = ("key-alpha", "key-beta")
MAX_BODY_BYTES = 6 * 1024 * 1024
# The servers' logs, removed with this folder when the test process ends (a test may read a log after its
# server stopped: its last lines are written on the way out).
LOGS = tempfile.TemporaryDirectory(prefix="openfisca-sp-server-logs-")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    """A running server: its URL, its process and the file its logs go to."""

    url: str
    process: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def log_with(self, *fragments: str, times: int = 1, timeout: float = 10.0) -> str:
        """The log once it holds every fragment ``times`` times or more (or as it is after ``timeout``): a worker
        writes a request's line after sending its answer, so a client that reads the log at once may come before
        the line, or before the last of several. Only whole lines: the last may be read half written."""
        deadline = time.monotonic() + timeout
        while True:
            log = self.log()
            log = log[: log.rfind("\n") + 1]
            if all(log.count(fragment) >= times for fragment in fragments) or time.monotonic() >= deadline:
                return log
            time.sleep(0.05)

    def wait_for_workers(self, count: int, timeout: float = 180.0) -> None:
        """Wait until ``count`` worker processes have completed their start-up (each loads every jurisdiction
        and decides its reference population first, so the last may start well after the first answers)."""
        deadline = time.monotonic() + timeout
        while self.log().count("Application startup complete.") < count:
            assert time.monotonic() < deadline, f"fewer than {count} workers started:\n{self.log()}"
            time.sleep(0.2)

    def client(self, **headers: str) -> httpx.Client:
        return httpx.Client(base_url=self.url, headers=headers, timeout=120)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start(*arguments: str, environment: dict[str, str] | None = None) -> Server:
    """Start ``openfisca-sp serve`` on a free port and wait until it is ready."""
    return _launch(
        lambda port: [str(BIN / "openfisca-sp"), "serve", "--host", "127.0.0.1", "--port", str(port), *arguments],
        environment,
    )


def start_factory(factory: str, environment: dict[str, str] | None = None, up: str = "/ready") -> Server:
    """Start uvicorn on the app factory ``module:function`` (another country package, see
    ``tests/api/template_app.py``) on a free port, from the repository's root, and wait until ``up`` answers 200
    (``/health`` for an app whose rules are meant not to be ready)."""
    return _launch(
        lambda port: [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            factory,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        environment,
        cwd=ROOT,
        up=up,
    )


# A port found free may be taken before the server binds it (by another test process's server or client, under
# pytest-xdist): the server then exits at once saying so, and is started again on another port.
TAKEN = re.compile(r"address already in use", re.IGNORECASE)
ATTEMPTS = 5


def _launch(
    command: Callable[[int], list[str]],
    environment: dict[str, str] | None,
    cwd: Path | None = None,
    up: str = "/ready",
) -> Server:
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return _launch_once(command, free_port(), environment, cwd, up)
        except PortTakenError:
            if attempt == ATTEMPTS:
                raise
    raise AssertionError("unreachable")


class PortTakenError(RuntimeError):
    """The server exited because its port was taken before it could listen on it."""


def _launch_once(
    command: Callable[[int], list[str]], port: int, environment: dict[str, str] | None, cwd: Path | None, up: str
) -> Server:
    log_file = Path(tempfile.mkstemp(prefix="server-", suffix=".log", dir=LOGS.name)[1])
    env = dict(os.environ, **(environment or {}))
    with log_file.open("wb") as sink:
        process = subprocess.Popen(command(port), stdout=sink, stderr=subprocess.STDOUT, env=env, cwd=cwd)
    server = Server(f"http://127.0.0.1:{port}", process, log_file)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = server.log()
            raise (PortTakenError if TAKEN.search(log) else RuntimeError)(f"server exited: {log[-3000:]}")
        try:
            if httpx.get(f"{server.url}{up}", timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"server not ready: {server.log()[-3000:]}")


def settled(measure: Callable[[], float], below: float, seconds: float = 5.0) -> float:
    """``measure()`` once it falls below ``below`` (memory a quiet worker hands back, say), or its last value
    after ``seconds``."""
    deadline = time.monotonic() + seconds
    while (value := measure()) >= below and time.monotonic() < deadline:
        time.sleep(0.1)
    return value
