"""A response's head written with its body: one write, one system call and one packet for a small answer.

uvicorn writes a response's status line and headers as soon as the application
starts the response, and its body in a second write. Over a kept-alive
connection that is two system calls, two packets and, often, two wake-ups of a
client waiting for the whole answer. Held here, the head leaves with the
body's first bytes (one ``writelines``: a single vectored write), and never
later than the event loop's next turn or a close, so that a head without a body
(HEAD, 204, 304) or a streamed answer's head does not wait.
"""

from __future__ import annotations

from typing import Any


class HeldHead:
    """The transport one response cycle writes to (uvicorn's ``RequestResponseCycle.transport``)."""

    __slots__ = ("cycle", "head", "held", "loop", "transport")

    def __init__(self, transport: Any, cycle: Any, loop: Any) -> None:
        self.transport = transport
        self.cycle = cycle
        self.loop = loop
        self.head: bytes | None = None
        self.held = False  # the head is the first write once the response has started, and is held once

    def write(self, data: bytes) -> None:
        if self.head is not None:
            head, self.head = self.head, None
            self.transport.writelines([head, data])
        elif not self.held and self.cycle.response_started:  # "100 Continue" is written before the start
            self.held = True
            self.head = data
            self.loop.call_soon(self.flush)
        else:
            self.transport.write(data)

    def flush(self) -> None:
        """Write the head now if it is still held."""
        if self.head is not None:
            head, self.head = self.head, None
            if not self.transport.is_closing():
                self.transport.write(head)

    def close(self) -> None:
        self.flush()
        self.transport.close()

    def is_closing(self) -> bool:
        return self.transport.is_closing()

    def __getattr__(self, name: str) -> Any:  # anything else a cycle may ask of its transport
        return getattr(self.transport, name)
