"""The worker's C heap (glibc): the buffers of large requests reused from one to the next, and handed back to the
system once the worker has been quiet for a moment.

Left to its defaults, glibc serves buffers above 32 MiB from fresh mappings (a 10,000-person answer grows past
that) and hands memory freed at the heap's top back at once, so every large request faulted its pages in again:
about 3,270 page faults and 12 ms of system CPU a 10,000-person ``/calculate``. A server worker instead
(:func:`keep_large_buffers`) takes buffers up to 64 MiB from its heap and keeps freed pages while large requests
follow each other; :class:`QuietTrim` hands every free page back (``malloc_trim``) half a second after a load of
large bodies ends (:class:`~openfisca_sp.api.bodies.InFlight` says when), once no body is in flight, so a burst
of large bodies leaves nothing behind. Where the C library is not glibc (musl, macOS) none of this applies and
the library decides.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from openfisca_sp.c_heap import return_free_memory, set_thresholds

LARGE_BUFFER_BYTES = 64 * 1024 * 1024  # below this, buffers come from the heap, not from fresh mappings
KEPT_AT_TOP_BYTES = 256 * 1024 * 1024  # free bytes at the heap's top glibc keeps before trimming by itself
QUIET_SECONDS = 0.5


def keep_large_buffers() -> bool:
    """Serve buffers up to :data:`LARGE_BUFFER_BYTES` from the heap and leave trimming to :class:`QuietTrim`
    (True where glibc took the settings). Process-wide: a server worker calls it once."""
    return set_thresholds(LARGE_BUFFER_BYTES, KEPT_AT_TOP_BYTES)


class QuietTrim:
    """Free pages handed back once the worker is quiet: :meth:`large_request_ended` (re)starts a countdown of
    :data:`QUIET_SECONDS`; at its end the heap is trimmed, unless ``busy()`` says a body is in flight: then the
    countdown starts again."""

    def __init__(self, busy: Callable[[], bool], seconds: float = QUIET_SECONDS) -> None:
        self.busy = busy
        self.seconds = seconds
        self._pending: asyncio.TimerHandle | None = None

    def large_request_ended(self) -> None:
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # outside a server's loop: nothing to wait for
            return_free_memory()
            return
        self._arm(loop)

    def _arm(self, loop: asyncio.AbstractEventLoop) -> None:
        self._pending = loop.call_later(self.seconds, self._trim, loop)

    def _trim(self, loop: asyncio.AbstractEventLoop) -> None:
        if self.busy():
            self._arm(loop)
            return
        self._pending = None
        return_free_memory()
