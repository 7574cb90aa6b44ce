"""Connections spread evenly over the workers: each accepts a new connection only while it holds no more open
connections than the least busy of the others.

Where the kernel picks the worker (one SO_REUSEPORT socket per worker, or one
socket they race to accept on), a few long-lived keep-alive connections, such as
a reverse proxy's pool of 16, split unevenly: 10 and 6, sometimes 14 and 2. The
worker with fewer connections then runs small batches and waits on its clients,
while the other queues; throughput moves by a fifth from one split to the next.

Here the workers share one listening socket, and each accepts from it itself,
one connection at a time: before each, it compares its count of open connections
with the others' (a table in a shared file, a slot per live worker). A worker
ahead of the least busy one lets the others take the connection; if none has
taken it within :data:`MAX_DEFERRAL` (a worker busy computing), it accepts it
anyway, so that no connection waits longer. Every accepted connection is then
served by uvicorn's own protocol, as uvicorn's server would serve it.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import mmap
import os
import socket
import sys
import tempfile
import time
from typing import Any

import numpy as np
import uvicorn
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors import multiprocess

logger = logging.getLogger("uvicorn.error")

CONNECTIONS_FILE = "OPENFISCA_SP_CONNECTIONS_FILE"  # the table of open connections, set by the supervisor
SLOTS = 256  # workers the table can hold (a slot per live worker: pid, open connections)
MAX_DEFERRAL = 0.02  # seconds a worker leaves a waiting connection to the others before it accepts it
RETRY = 0.001  # seconds before a worker that let a connection wait looks again
PEERS_REFRESH = 0.5  # seconds between two looks at which workers are alive


class ConnectionTable:
    """Each live worker's count of open connections, in a file every worker maps (a slot each)."""

    def __init__(self, path: str) -> None:
        with open(path, "r+b") as file:
            self.map = mmap.mmap(file.fileno(), SLOTS * 16)
            fcntl.flock(file, fcntl.LOCK_EX)  # one worker claims a slot at a time
            try:
                self.table = np.frombuffer(self.map, dtype=np.int64).reshape(SLOTS, 2)  # pid, open connections
                self.slot = self._claim()
            finally:
                fcntl.flock(file, fcntl.LOCK_UN)
        self.peers = np.zeros(0, dtype=np.int64)  # the other live workers' slots
        self.claimed = np.zeros(0, dtype=np.int64)  # the slots claimed when they were looked at
        self.refreshed = -PEERS_REFRESH

    @staticmethod
    def create(directory: str) -> str:
        """A new, empty table in ``directory``; its path."""
        path = os.path.join(directory, "connections")
        with open(path, "wb") as file:
            file.write(bytes(SLOTS * 16))
        return path

    def _claim(self) -> int:
        for slot, pid in enumerate(self.table[:, 0].tolist()):
            if pid == 0 or not _alive(pid):
                self.table[slot] = (os.getpid(), 0)
                return slot
        raise RuntimeError(f"more than {SLOTS} workers share one connection table")

    @property
    def mine(self) -> int:
        return int(self.table[self.slot, 1])

    def opened(self) -> None:
        self.table[self.slot, 1] += 1

    def closed(self) -> None:
        self.table[self.slot, 1] -= 1

    def fewest_elsewhere(self) -> int | None:
        """The fewest open connections among the other live workers (None when there is none). A worker that
        claims a slot counts at once; whether the others are alive is looked at again every
        :data:`PEERS_REFRESH` seconds (a dead worker's slot stays until its replacement claims it)."""
        claimed = self.table[:, 0].nonzero()[0]
        now = time.monotonic()
        if now - self.refreshed > PEERS_REFRESH or not np.array_equal(claimed, self.claimed):
            pids = self.table[claimed, 0].tolist()
            self.peers = np.array(
                [slot for slot, pid in zip(claimed.tolist(), pids, strict=True) if slot != self.slot and _alive(pid)],
                dtype=np.int64,
            )
            self.claimed, self.refreshed = claimed, now
        return int(self.table[self.peers, 1].min()) if len(self.peers) else None


def _alive(pid: int) -> bool:
    """Whether ``pid`` is a live worker of the same supervisor (on Linux, its parent is checked too, so that a
    dead worker's pid taken by another process does not count)."""
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, PermissionError):  # gone, or another user's process holds that pid now
        return False
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            parent = int(stat.read().rsplit(b")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):  # no /proc (not Linux): the signal check alone
        return True
    return parent == os.getppid()


class BalancedListener:
    """Accepts connections from a shared listening socket in turn with the other workers (see the module); in
    uvicorn's ``servers`` list, it stops accepting on ``close``."""

    def __init__(
        self, loop: asyncio.AbstractEventLoop, sock: socket.socket, protocol: Any, ssl: Any, table: Any, backlog: int
    ) -> None:
        self.loop = loop
        self.sock = sock
        self.protocol = protocol
        self.ssl = ssl
        self.table = table
        self.waiting_since: float | None = None  # when this worker first let the waiting connection be
        self.closing = False
        self.tasks: set[asyncio.Task] = set()
        sock.setblocking(False)
        sock.listen(backlog)  # as asyncio's create_server does (the supervisor only binds it)
        loop.add_reader(sock.fileno(), self._readable)

    def _readable(self) -> None:
        fewest = self.table.fewest_elsewhere()
        if fewest is not None and self.table.mine > fewest:
            now = time.monotonic()
            self.waiting_since = self.waiting_since or now
            if now - self.waiting_since < MAX_DEFERRAL:
                self.loop.remove_reader(self.sock.fileno())
                self.loop.call_later(RETRY, self._listen_again)
                return
            logger.debug("no other worker took a waiting connection: accepted ahead of the others")
        try:
            connection, _ = self.sock.accept()
        except (BlockingIOError, InterruptedError):  # another worker took it
            self.waiting_since = None
            return
        except OSError as error:  # out of file descriptors …: pause rather than spin
            logger.error("cannot accept a connection: %s", error.strerror)
            self.loop.remove_reader(self.sock.fileno())
            self.loop.call_later(0.1, self._listen_again)
            return
        self.waiting_since = None
        self.table.opened()
        connection.setblocking(False)
        task = self.loop.create_task(self.loop.connect_accepted_socket(self._counted, connection, ssl=self.ssl))
        self.tasks.add(task)
        task.add_done_callback(self._served)

    def _listen_again(self) -> None:
        if not self.closing:
            self.loop.add_reader(self.sock.fileno(), self._readable)

    def _counted(self) -> Any:
        """uvicorn's protocol for one connection, counted out of the table when the connection is lost."""
        protocol = self.protocol()
        lost = protocol.connection_lost

        def connection_lost(error: Exception | None) -> None:
            try:
                lost(error)
            finally:
                self.table.closed()

        protocol.connection_lost = connection_lost
        return protocol

    def _served(self, task: asyncio.Task) -> None:
        self.tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:  # never connected (a failed TLS handshake)
            self.table.closed()

    def close(self) -> None:
        if not self.closing:
            self.closing = True
            with contextlib.suppress(ValueError, OSError):
                self.loop.remove_reader(self.sock.fileno())

    async def wait_closed(self) -> None:
        if self.tasks:
            await asyncio.gather(*self.tasks, return_exceptions=True)


class BalancedServer(uvicorn.Server):
    """uvicorn's server, serving the sockets its supervisor hands it through a :class:`BalancedListener` each
    when a connection table is set (else as uvicorn does)."""

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        path = os.environ.get(CONNECTIONS_FILE)
        if not sockets or not path:
            await super().startup(sockets)
            return
        await self.lifespan.startup()
        if self.lifespan.should_exit:
            sys.exit(STARTUP_FAILURE)
        config = self.config

        def protocol() -> asyncio.Protocol:
            return config.http_protocol_class(  # type: ignore[call-arg]
                config=config, server_state=self.server_state, app_state=self.lifespan.state
            )

        table = ConnectionTable(path)
        loop = asyncio.get_running_loop()
        self.servers = [BalancedListener(loop, sock, protocol, config.ssl, table, config.backlog) for sock in sockets]  # type: ignore[list-item]
        self.started = True


class BalancedProcess(multiprocess.Process):
    """uvicorn's worker process, running a :class:`BalancedServer`."""

    @property
    def server(self) -> uvicorn.Server:
        if self._server is None:
            self._server = BalancedServer(config=self.config)
        return self._server


@contextlib.contextmanager
def balanced_workers() -> Any:
    """uvicorn's supervisor starting :class:`BalancedProcess` workers while the block runs (it names its worker
    class as a module global), each worker sharing the table of a fresh temporary directory."""
    with tempfile.TemporaryDirectory(prefix="openfisca-sp-connections-") as directory:
        previous = os.environ.get(CONNECTIONS_FILE)
        os.environ[CONNECTIONS_FILE] = ConnectionTable.create(directory)
        worker_class, multiprocess.Process = multiprocess.Process, BalancedProcess  # type: ignore[misc]
        try:
            yield
        finally:
            multiprocess.Process = worker_class  # type: ignore[misc]
            if previous is None:
                os.environ.pop(CONNECTIONS_FILE, None)
            else:
                os.environ[CONNECTIONS_FILE] = previous
