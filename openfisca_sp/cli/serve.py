"""``openfisca-sp serve``: the HTTP API on uvicorn (every jurisdiction; the default one also at ``/``)."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import Any


def serve(arguments: argparse.Namespace) -> int:
    """Run the API until interrupted."""
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


def add_command(commands: Any) -> None:
    """Add ``serve`` to the ``openfisca-sp`` sub-parsers."""
    serve_parser = commands.add_parser("serve", help="Run the HTTP API (all jurisdictions; the default also at /)")
    serve_parser.add_argument(
        "--host", default=os.environ.get("OPENFISCA_SP_HOST", "127.0.0.1"), help="default 127.0.0.1"
    )
    serve_parser.add_argument(
        "--port", type=int, default=int(os.environ.get("OPENFISCA_SP_PORT", "5000")), help="default 5000"
    )
    serve_parser.add_argument(
        "--workers", type=int, default=int(os.environ.get("OPENFISCA_SP_WORKERS", "1")), help="processes"
    )
    serve_parser.add_argument("--jurisdiction", help="the default jurisdiction, served at / (default: lao)")
    serve_parser.add_argument(
        "--api-keys", help="comma-separated keys required on /eligibility (or OPENFISCA_SP_API_KEYS)"
    )
    serve_parser.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    serve_parser.add_argument("--keep-alive", type=int, default=5, help="seconds an idle connection stays open")
    serve_parser.set_defaults(run=serve)
