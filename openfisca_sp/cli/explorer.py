"""``openfisca-sp explorer``: build the rules explorer, static HTML pages to publish (:mod:`openfisca_sp.explorer`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from openfisca_sp.cli.analysis import guarded
from openfisca_sp.rules.wording import counted


def _diffs(arguments: argparse.Namespace, codes: list[str], cases: bool) -> dict[str, dict[str, Any]]:
    """With ``--diff A B`` or ``--diff-dates D1 D2``, the law diff of each jurisdiction built, as data."""
    from openfisca_sp.cli.law_diff import compute
    from openfisca_sp.rules import jurisdictions

    if not arguments.diff and not arguments.diff_dates:
        return {}
    found = {}
    for code in codes:
        code = jurisdictions.get(code).code
        sample = f"sample:{code}" if arguments.diff_samples else None
        diff = compute(
            code, arguments.diff or [], arguments.diff_dates, arguments.repository, cases=cases, sample=sample
        )
        found[code] = diff.to_dict()
    return found


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
    diffs = _diffs(arguments, codes or sorted(jurisdictions.registry()), cases is not None)
    failures: list[str] = []
    pages = build_pages(codes or None, cases, date, timings, diffs, failures)
    written = write_site(pages, Path(arguments.output))
    for failure in failures:
        print(f"law case not run (listed on its jurisdiction's page): {failure}", file=sys.stderr)
    for name, seconds in timings.items():
        print(f"{name}: {seconds:.2f} s", file=sys.stderr)
    print(
        f"wrote {counted(len(written), 'file')} to {arguments.output} (open {Path(arguments.output) / 'index.html'})",
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
    changes = command.add_mutually_exclusive_group()
    changes.add_argument(
        "--diff", nargs=2, metavar=("A", "B"), help="add a 'What changed' page per jurisdiction: revision A -> B"
    )
    changes.add_argument("--diff-dates", nargs=2, metavar=("D1", "D2"), help="... or: values in force at D1 -> D2")
    command.add_argument(
        "--diff-samples", action="store_true", help="with --diff, decide each jurisdiction's sample under A and B"
    )
    command.add_argument(
        "--repository",
        help="the git checkout for --diff (default: the current folder; for --diff-dates outside a checkout of the "
        "rules: the rules installed with the package)",
    )
    command.set_defaults(run=guarded(_explorer))
