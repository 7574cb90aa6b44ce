"""uvicorn's worker processes, each accepting on a listening socket of its own (SO_REUSEPORT, Linux).

uvicorn's supervisor (:class:`uvicorn.supervisors.Multiprocess`) binds one
socket and hands it to every worker, which then race to accept: under
keep-alive load one worker may take every connection while the other idles.
Here the supervisor binds a :class:`ReusePortSocket` instead. uvicorn pickles
the sockets it hands to a worker into the spawned process; this socket pickles
as its address, so that each worker, and each replacement of a worker that
died, binds a new socket of its own to the same address. The kernel then
spreads new connections over the workers' sockets; a worker listens once its
app is loaded (uvicorn calls ``listen`` when it starts serving), and its
socket closes with it.

Everything else is uvicorn's: the supervisor that replaces a dead worker
within about a second, graceful shutdown on SIGINT and SIGTERM (in-flight
requests finish, keep-alive connections drain), SIGHUP restarts, limits and
logging. Where SO_REUSEPORT is not available, the workers share one socket, as
uvicorn does.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import sys
from typing import Any

import uvicorn
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors import Multiprocess

logger = logging.getLogger("uvicorn.error")


def _bound(family: int, address: Any) -> socket.socket:
    """A TCP socket bound to ``address`` with SO_REUSEPORT (not yet listening)."""
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(address)
    return sock


def _worker_socket(family: int, address: Any) -> socket.socket:
    """The socket of one worker, made as the worker unpickles what its supervisor handed it."""
    try:
        return _bound(family, address)
    except OSError as error:  # uvicorn's supervisor stops on this exit code instead of restarting the worker
        logger.error("cannot bind %s: %s", address, error)
        sys.exit(STARTUP_FAILURE)


class ReusePortSocket(socket.socket):
    """A socket bound with SO_REUSEPORT, never listening, that holds the address; a worker that receives it
    gets a new socket bound to the same address instead of a copy of this one."""

    def __reduce__(self) -> tuple[Any, tuple[int, Any]]:
        return _worker_socket, (int(self.family), self.getsockname())


def reuse_port_available() -> bool:
    """Whether the kernel spreads connections over sockets bound with SO_REUSEPORT (Linux)."""
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def listening_socket(config: uvicorn.Config) -> socket.socket:
    """What the supervisor hands the workers: a :class:`ReusePortSocket` where the kernel supports it, else the
    one socket uvicorn binds (shared)."""
    if not reuse_port_available() or config.uds or config.fd is not None:
        return config.bind_socket()
    family = socket.AF_INET6 if ":" in config.host else socket.AF_INET
    sock = ReusePortSocket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    except OSError:  # a kernel without it (some sandboxes): share one socket
        sock.close()
        return config.bind_socket()
    try:
        sock.bind((config.host, config.port))
    except OSError as error:
        logger.error(error)
        sys.exit(STARTUP_FAILURE)
    shown = f"[{config.host}]" if family == socket.AF_INET6 else config.host
    logger.info(
        "Uvicorn running on %s://%s:%d (Press CTRL+C to quit), one listening socket per worker",
        "https" if config.is_ssl else "http",
        shown,
        sock.getsockname()[1],
    )
    return sock


def run(config: uvicorn.Config) -> None:
    """Serve ``config`` until SIGINT or SIGTERM: in this process with one worker, else under uvicorn's supervisor
    with :func:`listening_socket`. Exits with uvicorn's startup-failure code if the app cannot start."""
    if config.workers <= 1:
        server = uvicorn.Server(config)
        with contextlib.suppress(KeyboardInterrupt):  # a second Ctrl+C
            server.run()
        if not server.started:
            sys.exit(STARTUP_FAILURE)
        return
    sock = listening_socket(config)
    try:
        with contextlib.suppress(KeyboardInterrupt):  # a second Ctrl+C
            Multiprocess(config, sockets=[sock]).run()
    finally:
        sock.close()
