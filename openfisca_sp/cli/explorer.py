"""``openfisca-sp explorer``: build the rules explorer, static HTML pages to publish (:mod:`openfisca_sp.explorer`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from openfisca_sp.cli.analysis import guarded


def _explorer(arguments: argparse.Namespace) -> int:
    from openfisca_sp.cli.verification import day
    from openfisca_sp.explorer import build_pages, default_cases_folder, write_site
    from openfisca_sp.rules import jurisdictions

    if arguments.no_cases:
        cases = None
    elif arguments.tests:
        cases = Path(arguments.tests)
        if not cases.is_dir():
            print(f"openfisca-sp explorer: error: no law cases folder {cases}", file=sys.stderr)
            return 2
    else:
        cases = default_cases_folder()
    codes = [jurisdictions.get(code).code for code in arguments.jurisdiction or ()]
    timings: dict[str, float] = {}
    date = day(arguments.date) if arguments.date else None
    pages = build_pages(codes or None, cases, date, timings)
    written = write_site(pages, Path(arguments.output))
    for name, seconds in timings.items():
        print(f"{name}: {seconds:.2f} s", file=sys.stderr)
    print(
        f"wrote {len(written)} files to {arguments.output} (open {Path(arguments.output) / 'index.html'})",
        file=sys.stderr,
    )
    return 0


def add_command(commands: Any) -> None:
    """Add ``explorer`` to the ``openfisca-sp`` sub-parsers."""
    command = commands.add_parser(
        "explorer",
        help="Build the rules explorer: parameters, values, variables, law cases and verification as static HTML",
    )
    command.add_argument("--output", required=True, metavar="DIR", help="the folder to write the site to")
    command.add_argument(
        "--jurisdiction", action="extend", nargs="+", metavar="CODE", help="only these (default: every one)"
    )
    command.add_argument("--tests", metavar="DIR", help="the law cases folder (default: tests/rules of the checkout)")
    command.add_argument("--no-cases", action="store_true", help="do not run the law cases (no case links)")
    command.add_argument("--date", help="the date of the 'not modelled' list and charts, YYYY-MM-DD (default: today)")
    command.set_defaults(run=guarded(_explorer))
