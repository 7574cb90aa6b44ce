"""uvicorn's worker processes, sharing one listening socket and accepting from it in turn so that they hold
as many connections each (:mod:`~.balancing`).

uvicorn's supervisor (:class:`uvicorn.supervisors.Multiprocess`) binds one socket
and hands it to every worker, which then race to accept: under keep-alive load one
worker may take most connections while the other idles. Here each worker accepts
a connection only while it holds no more than the least busy of the others.

Everything else is uvicorn's: the supervisor that replaces a dead worker within
about a second, graceful shutdown on SIGINT and SIGTERM (in-flight requests
finish, keep-alive connections drain), SIGHUP restarts, limits and logging.
Where a shared memory table cannot be used (not POSIX), the workers race as in
uvicorn.
"""

from __future__ import annotations

import contextlib
import os
import sys

import uvicorn
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors import Multiprocess


def balancing_available() -> bool:
    """Whether workers can share their counts of connections (POSIX: shared memory and file locks)."""
    return os.name == "posix"


def run(config: uvicorn.Config) -> None:
    """Serve ``config`` until SIGINT or SIGTERM: in this process with one worker, else under uvicorn's supervisor
    with balanced workers. Exits with uvicorn's startup-failure code if the app cannot start."""
    if config.workers <= 1:
        server = uvicorn.Server(config)
        with contextlib.suppress(KeyboardInterrupt):  # a second Ctrl+C
            server.run()
        if not server.started:
            sys.exit(STARTUP_FAILURE)
        return
    sock = config.bind_socket()
    try:
        with contextlib.suppress(KeyboardInterrupt), _balanced():  # a second Ctrl+C
            Multiprocess(config, sockets=[sock]).run()
    finally:
        sock.close()


def _balanced() -> contextlib.AbstractContextManager:
    if not balancing_available():
        return contextlib.nullcontext()
    from openfisca_sp.cli.balancing import balanced_workers

    return balanced_workers()
