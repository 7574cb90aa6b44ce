"""``openfisca-sp``: the command line (``serve`` runs the API; ``simulate`` and ``compare`` analyse populations)."""

from __future__ import annotations

import argparse
import logging
import os
import sys

import openfisca_sp
from openfisca_sp.analysis_cli import add_commands


def _serve(arguments: argparse.Namespace) -> int:
    import uvicorn

    if arguments.jurisdiction:
        os.environ["OPENFISCA_SP_JURISDICTION"] = arguments.jurisdiction
    if arguments.api_keys:
        os.environ["OPENFISCA_SP_API_KEYS"] = arguments.api_keys
    logging.basicConfig(level=getattr(logging, arguments.log_level.upper()), format="%(message)s")
    uvicorn.run(
        "openfisca_sp.api.app:app_from_environment",
        factory=True,
        host=arguments.host,
        port=arguments.port,
        workers=arguments.workers,
        loop="uvloop" if sys.platform != "win32" else "asyncio",
        http="httptools",
        access_log=False,  # our own access log: structured, without personal data
        log_level=arguments.log_level,
        timeout_keep_alive=arguments.keep_alive,
    )
    return 0


def parser() -> argparse.ArgumentParser:
    """The ``openfisca-sp`` argument parser."""
    main_parser = argparse.ArgumentParser(prog="openfisca-sp", description=openfisca_sp.__doc__)
    main_parser.add_argument("--version", action="version", version=f"openfisca-sp {openfisca_sp.__version__}")
    commands = main_parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="Run the HTTP API (all jurisdictions; the default also at /)")
    serve.add_argument("--host", default=os.environ.get("OPENFISCA_SP_HOST", "127.0.0.1"), help="default 127.0.0.1")
    serve.add_argument(
        "--port", type=int, default=int(os.environ.get("OPENFISCA_SP_PORT", "5000")), help="default 5000"
    )
    serve.add_argument(
        "--workers", type=int, default=int(os.environ.get("OPENFISCA_SP_WORKERS", "1")), help="processes"
    )
    serve.add_argument("--jurisdiction", help="the default jurisdiction, served at / (default: lao)")
    serve.add_argument("--api-keys", help="comma-separated keys required on /eligibility (or OPENFISCA_SP_API_KEYS)")
    serve.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    serve.add_argument("--keep-alive", type=int, default=5, help="seconds an idle connection stays open")
    serve.set_defaults(run=_serve)
    add_commands(commands)
    return main_parser


def main(argv: list[str] | None = None) -> int:
    arguments = parser().parse_args(argv)
    return arguments.run(arguments)


if __name__ == "__main__":
    raise SystemExit(main())
