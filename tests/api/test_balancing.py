"""The workers' table of connections and the listener that takes turns with the others (cli.balancing), in one
process: a worker ahead of another leaves it a new connection, but never for longer than MAX_DEFERRAL."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from openfisca_sp.cli.balancing import MAX_DEFERRAL, BalancedListener, ConnectionTable
from openfisca_sp.cli.workers import balancing_available

pytestmark = pytest.mark.skipif(not balancing_available(), reason="POSIX only")


class _Answering(asyncio.Protocol):
    """Says when its connection was made, and answers each byte received with the same byte."""

    def __init__(self, made: asyncio.Future) -> None:
        self.made = made

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport
        if not self.made.done():
            self.made.set_result(time.monotonic())

    def data_received(self, data: bytes) -> None:
        self.transport.write(data)  # type: ignore[attr-defined]


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def _accepted_after(tmp_path: Path, peer_pid: int, peer_count: int, mine: int) -> tuple[float, ConnectionTable]:
    """Seconds from a connection to its acceptance by this worker, with a peer holding ``peer_count``."""
    table = ConnectionTable(ConnectionTable.create(str(tmp_path)))
    peer = (table.slot + 1) % 256
    table.table[peer] = (peer_pid, peer_count)
    for _ in range(mine):
        table.opened()

    async def run() -> float:
        loop = asyncio.get_running_loop()
        made = loop.create_future()
        server = socket.create_server(("127.0.0.1", 0))
        listener = BalancedListener(loop, server, lambda: _Answering(made), None, table, 16)
        client = socket.create_connection(server.getsockname())
        started = time.monotonic()
        try:
            return await asyncio.wait_for(made, 5) - started
        finally:
            listener.close()
            await listener.wait_closed()
            client.close()
            server.close()

    return asyncio.run(run()), table


def test_a_worker_ahead_leaves_the_connection_to_the_other_for_a_while_only(tmp_path: Path) -> None:
    waited, _ = _accepted_after(
        tmp_path, os.getpid(), peer_count=0, mine=1
    )  # a live peer (a pid of this supervisor's) that never accepts
    assert MAX_DEFERRAL * 0.9 <= waited < 1


def test_a_worker_not_ahead_accepts_at_once(tmp_path: Path) -> None:
    waited, _ = _accepted_after(tmp_path, os.getpid(), peer_count=5, mine=1)
    assert waited < MAX_DEFERRAL


def test_a_dead_workers_slot_does_not_count(tmp_path: Path) -> None:
    waited, table = _accepted_after(tmp_path, _dead_pid(), peer_count=0, mine=3)
    assert waited < MAX_DEFERRAL
    assert table.fewest_elsewhere() is None
    replacement = ConnectionTable(str(tmp_path / "connections"))  # a new worker takes the dead one's slot over
    assert replacement.slot == (table.slot + 1) % 256 and replacement.mine == 0


def test_connections_are_counted_out_when_they_close(tmp_path: Path) -> None:
    table = ConnectionTable(ConnectionTable.create(str(tmp_path)))

    async def run() -> None:
        loop = asyncio.get_running_loop()
        made = loop.create_future()
        server = socket.create_server(("127.0.0.1", 0))
        listener = BalancedListener(loop, server, lambda: _Answering(made), None, table, 16)
        reader, writer = await asyncio.open_connection(*server.getsockname())
        await made
        writer.write(b"x")
        assert await reader.readexactly(1) == b"x"
        assert table.mine == 1
        writer.close()
        await writer.wait_closed()
        for _ in range(100):
            if table.mine == 0:
                break
            await asyncio.sleep(0.01)
        listener.close()
        server.close()

    asyncio.run(run())
    assert table.mine == 0


def test_a_pid_of_another_supervisor_is_not_a_worker(tmp_path: Path) -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])  # alive, but not a sibling
    try:
        waited, table = _accepted_after(tmp_path, child.pid, peer_count=0, mine=3)
        assert waited < MAX_DEFERRAL
        assert table.fewest_elsewhere() is None
    finally:
        child.kill()
        child.wait()
