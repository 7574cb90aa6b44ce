"""A response's head leaves with its body (``api/held_head.py``), over a real socket and event loop: held until
the body's first bytes, never past the loop's next turn or a close; ``100 Continue``
(written before the response starts) is never held."""

from __future__ import annotations

import asyncio
import socket
from types import SimpleNamespace

from openfisca_sp.api.held_head import HeldHead

HEAD = b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\n"


def _waiting(peer: socket.socket) -> bytes:
    """What the peer can read now, without waiting."""
    try:
        return peer.recv(65536)
    except BlockingIOError:
        return b""


async def _run(steps) -> list[bytes]:
    """Run ``steps(held, turn)`` on a real socket transport; what the peer could read after each turn."""
    ours, peer = socket.socketpair()
    peer.setblocking(False)
    loop = asyncio.get_running_loop()
    transport, _ = await loop.connect_accepted_socket(asyncio.Protocol, ours)
    cycle = SimpleNamespace(response_started=False)
    held = HeldHead(transport, cycle, loop)
    seen: list[bytes] = []

    async def turn() -> None:
        await asyncio.sleep(0.05)  # the loop turns, the kernel delivers
        seen.append(_waiting(peer))

    await steps(held, cycle, turn)
    transport.close()
    peer.close()
    return seen


def test_the_head_waits_for_the_body_and_leaves_with_it_in_one_write() -> None:
    async def steps(held, cycle, turn):
        cycle.response_started = True
        held.write(HEAD)
        assert held.head == HEAD  # held, not yet on the wire
        held.write(b"hello")
        await turn()

    assert asyncio.run(_run(steps)) == [HEAD + b"hello"]


def test_a_head_without_its_body_leaves_at_the_loop_s_next_turn() -> None:
    async def steps(held, cycle, turn):
        cycle.response_started = True
        held.write(HEAD)  # a streamed answer whose first chunk comes later
        await turn()
        held.write(b"hello")
        await turn()

    assert asyncio.run(_run(steps)) == [HEAD, b"hello"]


def test_a_close_or_a_flush_writes_the_held_head_first() -> None:
    async def closing(held, cycle, turn):
        cycle.response_started = True
        held.write(HEAD)
        held.close()
        await turn()

    assert asyncio.run(_run(closing)) == [HEAD]

    async def flushed(held, cycle, turn):
        cycle.response_started = True
        held.write(HEAD)
        held.flush()  # as the loop's next turn does for a head without a body (HEAD, 204, 304)
        assert held.head is None
        await turn()

    assert asyncio.run(_run(flushed)) == [HEAD]


def test_100_continue_and_the_body_s_later_chunks_are_never_held() -> None:
    async def steps(held, cycle, turn):
        held.write(b"HTTP/1.1 100 Continue\r\n\r\n")  # before the response starts: the client waits for it
        assert held.head is None
        await turn()
        cycle.response_started = True
        held.write(HEAD)
        held.write(b"he")
        held.write(b"llo")  # only the head is ever held
        assert held.head is None
        await turn()

    assert asyncio.run(_run(steps)) == [b"HTTP/1.1 100 Continue\r\n\r\n", HEAD + b"hello"]
