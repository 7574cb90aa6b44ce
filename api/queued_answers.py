"""Answers written to clients that do not read them: bounded in time and in bytes per worker.

An application returns once its answer is in the connection's write buffer,
and its request's bytes leave the in-flight count then (:class:`~.bodies.InFlight`).
A client that never reads would keep that answer (up to tens of megabytes) in
the worker for as long as it keeps the connection open: 30 such clients held
561 MB. So a connection whose buffer rose above the transport's high-water
mark (64 KiB) must bring it back below its low-water mark within
``OPENFISCA_SP_WRITE_TIMEOUT`` seconds, or it is closed and its buffer freed;
and the bytes so queued on every connection of the worker are counted under
``OPENFISCA_SP_MAX_BYTES_QUEUED``: past it, the connections that have waited
longest for their clients are closed first (an attacker's, typically, not the
client whose answer just started). A buffer is counted as it stood when it
rose above the high-water mark, until it falls below the low-water mark: an
upper bound, as it only drains in between (nothing is written to a connection
whose buffer is above the mark). Half a second after the last such close, the
freed heap is handed back to the system (:class:`~.heap.QuietTrim`: the worker
keeps large buffers in its heap, which a dropped answer would otherwise leave
held).
"""

from __future__ import annotations

import logging
from typing import Any

from openfisca_sp.api.heap import QuietTrim

log = logging.getLogger("openfisca_sp.transport")


class QueuedAnswers:
    """The answer bytes waiting in this worker's write buffers, by connection (oldest first)."""

    def __init__(self) -> None:
        self.by_connection: dict[Any, int] = {}
        self.total = 0
        self.closed = 0  # connections closed for not reading, since the last warning line
        self.report_due: Any = None
        self.trim = QuietTrim(lambda: False)

    def queued(self, connection: Any, size: int, cap: int) -> None:
        """``connection``'s buffer holds ``size`` bytes: close the longest waiting while the total is over ``cap``."""
        self.total += size - self.by_connection.pop(connection, 0)
        self.by_connection[connection] = size
        while self.total > cap and self.by_connection:
            oldest = next(iter(self.by_connection))
            self.close(oldest)

    def drained(self, connection: Any) -> None:
        """``connection``'s buffer is below its low-water mark, or the connection is gone."""
        self.total -= self.by_connection.pop(connection, 0)

    def close(self, connection: Any) -> None:
        """Close ``connection`` at once, its unsent answer dropped, and count it."""
        self.drained(connection)
        connection.abort_unread()
        self.trim.large_request_ended()  # the answer's memory back to the system once quiet
        self.closed += 1
        if self.report_due is None:
            self.report_due = connection.loop.call_later(1.0, self._report)

    def _report(self) -> None:
        log.warning(
            "closed %d connections whose clients did not read their answers in time "
            "(OPENFISCA_SP_WRITE_TIMEOUT, OPENFISCA_SP_MAX_BYTES_QUEUED)",
            self.closed,
        )
        self.closed, self.report_due = 0, None


QUEUED = QueuedAnswers()
