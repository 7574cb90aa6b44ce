"""``openfisca-sp serve``: the HTTP API on uvicorn (every jurisdiction; the default one also at ``/``).

Options fall back on ``OPENFISCA_SP_*`` variables, read when the command runs
(a bad one is one clear line and exit code 2, never a traceback, and never
breaks ``--help`` or the other commands). API keys come from the environment or
a file, never from the command line, where any local user would read them.
"""

from __future__ import annotations

import argparse
import atexit
import copy
import ipaddress
import logging
import os
import shutil
import socket
import sys
import tempfile
from typing import Any

LOOPBACK = ("localhost",)
log = logging.getLogger("openfisca_sp.serve")


class ServeError(ValueError):
    """A setting ``serve`` cannot run with."""


def _whole(name: str, text: str | None, default: int, minimum: int, maximum: int) -> int:
    if text is None:
        return default
    try:
        value = int(text)
    except ValueError:
        value = None
    if value is None or not minimum <= value <= maximum:
        raise ServeError(f"{name}={text!r}: expected a whole number from {minimum} to {maximum}")
    return value


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def resolve(arguments: argparse.Namespace) -> dict[str, Any]:
    """The settings ``serve`` runs with, checked: options first, then ``OPENFISCA_SP_*`` variables."""
    from openfisca_sp.api.settings import Settings
    from openfisca_sp.api.transport import TransportLimits
    from openfisca_sp.decisions.dci_message_store import SharedMessageIds, StoreError
    from openfisca_sp.decisions.dci_transaction_store import SharedTransactions
    from openfisca_sp.rules import jurisdictions

    environ = os.environ
    host = arguments.host or environ.get("OPENFISCA_SP_HOST", "127.0.0.1")
    port = _whole("--port", arguments.port, 0, 1, 65535) if arguments.port is not None else None
    port = port or _whole("OPENFISCA_SP_PORT", environ.get("OPENFISCA_SP_PORT"), 5000, 1, 65535)
    workers = _whole("--workers", arguments.workers, 0, 1, 64) if arguments.workers is not None else None
    workers = workers or _whole("OPENFISCA_SP_WORKERS", environ.get("OPENFISCA_SP_WORKERS"), 1, 1, 64)
    keep_alive = _whole("--keep-alive", arguments.keep_alive, 5, 1, 3600)
    connections = _whole("OPENFISCA_SP_MAX_CONNECTIONS", environ.get("OPENFISCA_SP_MAX_CONNECTIONS"), 1000, 1, 100_000)
    jurisdiction = arguments.jurisdiction or environ.get("OPENFISCA_SP_JURISDICTION")
    if jurisdiction and jurisdiction not in jurisdictions.registry():
        known = ", ".join(sorted(jurisdictions.registry()))
        raise ServeError(f"unknown jurisdiction {jurisdiction!r}; expected one of {known}")
    if arguments.api_keys_file:
        os.environ["OPENFISCA_SP_API_KEYS_FILE"] = arguments.api_keys_file
    if arguments.reform:  # the workers read them from the environment, as every setting
        os.environ["OPENFISCA_SP_REFORMS"] = ",".join(arguments.reform)
    if "OPENFISCA_SP_PUBLIC_URL" not in os.environ and _is_loopback(host):
        address = f"[{host}]" if ":" in host else host  # an IPv6 address in brackets, as in a URL
        os.environ["OPENFISCA_SP_PUBLIC_URL"] = f"http://{address}:{port}"  # links name the address served
    if workers > 1 and "OPENFISCA_SP_DCI_STORE" not in environ:  # set empty: each worker's memory
        os.environ["OPENFISCA_SP_DCI_STORE"] = _shared_file("openfisca-sp-dci-", "dci.sqlite3")
    try:
        settings = Settings.from_environment()
        TransportLimits.from_environment()
    except ValueError as error:
        raise ServeError(str(error)) from None
    if settings.dci_store:  # opened once here, so that a bad path stops the start, not each worker
        try:
            SharedMessageIds(settings.dci_store, settings.dci_message_ids, settings.dci_message_id_ttl)
            SharedTransactions(settings.dci_store, settings.dci_transactions, settings.dci_transaction_ttl)
        except StoreError as error:
            raise ServeError(f"OPENFISCA_SP_DCI_STORE: {error}") from None
    return {
        "host": host,
        "port": port,
        "workers": workers,
        "keep_alive": keep_alive,
        "connections": connections,
        "jurisdiction": jurisdiction,
        "settings": settings,
    }


def check_address(host: str, port: int) -> None:
    """Refuse, before the rules load, an address this machine cannot listen on: a host name that does not
    resolve, an address that is not its own, a port already taken. Bound as uvicorn binds it (IPv6 for an
    address with a colon, else IPv4; the same socket option), then let go."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except socket.gaierror as error:
            raise ServeError(f"cannot listen on host {host!r}: {error.strerror or error}") from None
        except (OSError, UnicodeError) as error:
            reason = getattr(error, "strerror", None) or error
            raise ServeError(f"cannot listen on {host!r} port {port}: {reason}") from None


def warnings_for(host: str, settings: Any) -> list[str]:
    """What an operator should know before serving on ``host``."""
    found = []
    if not _is_loopback(host):
        if not settings.api_keys:
            found.append(
                f"serving on {host}, reachable from other machines, with no API key: every route is open "
                "(set OPENFISCA_SP_API_KEYS_FILE or OPENFISCA_SP_API_KEYS; docs/deploy.md)"
            )
        if "*" in settings.cors_origins:
            found.append(
                "OPENFISCA_SP_CORS_ORIGINS is '*': a page of any site a user visits may call this API from their "
                "browser (list the portals' origins instead; docs/deploy.md)"
            )
        if not settings.public_url:
            found.append(
                "OPENFISCA_SP_PUBLIC_URL is not set: links and redirects will name the address clients asked for "
                "(set it to the URL clients use, e.g. https://api.example.org)"
            )
    if (shared := _shared_with_others(settings.dci_store)) is not None:
        found.append(shared)
    return found


def _shared_with_others(store: str | None) -> str | None:
    """A warning if the DCI store file (personal data of requests and answers) is open to other users."""
    try:
        mode = os.stat(store).st_mode & 0o777 if store else 0
    except OSError:
        return None
    if not mode & 0o077:
        return None
    return (
        f"OPENFISCA_SP_DCI_STORE {store} has mode {mode:04o}: other users may read the messages and answers it "
        "holds (personal data); chmod 600 it and its -wal and -shm files (the service creates it 0600)"
    )


def serve(arguments: argparse.Namespace) -> int:
    """Run the API until interrupted (SIGINT or SIGTERM: in-flight requests finish, idle connections drain)."""
    logging.basicConfig(level=getattr(logging, arguments.log_level.upper()), format="%(message)s")
    try:
        chosen = resolve(arguments)
        check_address(chosen["host"], chosen["port"])
    except ServeError as error:
        print(f"openfisca-sp serve: error: {error}", file=sys.stderr)
        return 2
    import uvicorn

    from openfisca_sp.api.transport import BoundedHttpToolsProtocol
    from openfisca_sp.cli import workers

    if chosen["jurisdiction"]:
        os.environ["OPENFISCA_SP_JURISDICTION"] = chosen["jurisdiction"]
    if chosen["workers"] > 1:
        _share_metrics_between_workers()
    for warning in warnings_for(chosen["host"], chosen["settings"]):
        log.warning("warning: %s", warning)
    config = uvicorn.Config(
        "openfisca_sp.api.app:app_from_environment",
        factory=True,
        host=chosen["host"],
        port=chosen["port"],
        workers=chosen["workers"],
        loop="uvloop" if sys.platform != "win32" else "asyncio",
        http=BoundedHttpToolsProtocol,
        access_log=False,  # our own access log: structured, without personal data
        log_config=_logging_config(arguments.log_level),
        log_level=arguments.log_level,
        timeout_keep_alive=chosen["keep_alive"],
        limit_concurrency=chosen["connections"],
        timeout_graceful_shutdown=30,
        server_header=False,
    )
    workers.run(config)  # the workers take turns to accept, holding as many connections each (cli.workers)
    return 0


def _logging_config(level: str) -> dict[str, Any]:
    """uvicorn's logging configuration, and the service's own loggers (access log, errors, batches) as one
    line per message at ``level``: uvicorn applies it in this process and in each worker it starts (a new
    process, which has no logging configured otherwise)."""
    import uvicorn.config

    config = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    config["formatters"]["plain"] = {"format": "%(message)s"}
    config["handlers"]["plain"] = {"formatter": "plain", "class": "logging.StreamHandler", "stream": "ext://sys.stderr"}
    config["root"] = {"handlers": ["plain"], "level": level.upper()}
    for name in ("httpx", "httpcore"):  # they log every URL called (a callback's may carry a token): not ours
        config["loggers"][name] = {"level": "WARNING"}
    return config


def _share_metrics_between_workers() -> None:
    """A fresh directory where each worker writes its Prometheus counts, so that ``/metrics`` sums them
    (prometheus-client's multiprocess mode; set before any worker imports it). An operator's own
    ``PROMETHEUS_MULTIPROC_DIR`` is kept but emptied, as prometheus-client requires at start."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        os.makedirs(directory, exist_ok=True)
        for name in os.listdir(directory):
            if name.endswith(".db"):
                os.remove(os.path.join(directory, name))
    else:
        directory = tempfile.mkdtemp(prefix="openfisca-sp-metrics-")
        atexit.register(shutil.rmtree, directory, True)
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = directory


def _shared_file(prefix: str, name: str) -> str:
    """The path of ``name`` in a fresh directory that the workers share, removed when the service ends."""
    directory = tempfile.mkdtemp(prefix=prefix)
    atexit.register(shutil.rmtree, directory, True)
    return os.path.join(directory, name)


def add_command(commands: Any) -> None:
    """Add ``serve`` to the ``openfisca-sp`` sub-parsers."""
    serve_parser = commands.add_parser(
        "serve",
        help="Run the HTTP API (all jurisdictions; the default also at /)",
        description="Run the HTTP API. Settings and limits: OPENFISCA_SP_* variables (docs/deploy.md).",
    )
    serve_parser.add_argument("--host", help="address to listen on (default OPENFISCA_SP_HOST, else 127.0.0.1)")
    serve_parser.add_argument("--port", help="port (default OPENFISCA_SP_PORT, else 5000)")
    serve_parser.add_argument("--workers", help="processes (default OPENFISCA_SP_WORKERS, else 1)")
    serve_parser.add_argument("--jurisdiction", help="the default jurisdiction, served at / (default: lao)")
    serve_parser.add_argument(
        "--reform",
        action="append",
        metavar="NAME",
        help="serve the law with this reform, for the jurisdictions it is for: a shipped reform (openfisca-sp "
        "reforms), a YAML reform file or an installed Reform class (module:Class, module.Class); repeat for several, "
        "applied in order (default OPENFISCA_SP_REFORMS)",
    )
    serve_parser.add_argument(
        "--api-keys-file",
        help="a file of API keys, one per line (or OPENFISCA_SP_API_KEYS_FILE / OPENFISCA_SP_API_KEYS); "
        "never pass keys on the command line",
    )
    serve_parser.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    serve_parser.add_argument("--keep-alive", help="seconds an idle connection stays open (default 5)")
    serve_parser.set_defaults(run=serve)
