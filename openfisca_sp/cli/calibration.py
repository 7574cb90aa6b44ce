"""``openfisca-sp calibration``: a synthetic sample (or any person table) against official figures.

Prints :func:`~openfisca_sp.calibration.calibrate` as an aligned table (``text``), a Markdown table
(``markdown``) or ``json``; ``--write-shipped`` rewrites the table shipped with each sample
(``openfisca_sp/data/synthetic/<code>.calibration.json``).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from openfisca_sp.cli.analysis import add_assume, assumptions, guarded
from openfisca_sp.cli.arguments import month

FORMATS = ("text", "json", "markdown")


def _calibration(arguments: argparse.Namespace) -> int:
    from openfisca_sp.calibration import calibrate, write_calibrations
    from openfisca_sp.calibration.render import to_markdown, to_text

    if arguments.write_shipped:
        for path in write_calibrations():
            print(f"written: {path}")
        return 0
    if not arguments.population:
        raise ValueError("give a population (sample:<code> or a person table), or --write-shipped")
    assume = assumptions(arguments.assume)
    table = calibrate(arguments.population, arguments.jurisdiction, arguments.month, assume).to_dict()
    if arguments.format == "json":
        text = json.dumps(table, indent=1, ensure_ascii=False)
    else:
        text = to_markdown(table) if arguments.format == "markdown" else to_text(table)
    if arguments.output:
        Path(arguments.output).write_text(text + "\n", encoding="utf-8")
        print(f"written: {arguments.output}")
    else:
        print(text)
    return 0


def add_command(commands: Any) -> None:
    """Add ``calibration`` to the ``openfisca-sp`` sub-parsers."""
    parser = commands.add_parser(
        "calibration", help="Compare a synthetic sample with official figures (population, insured, coverage)"
    )
    parser.add_argument("population", nargs="?", help="sample:<code> (a shipped sample) or a person table")
    parser.add_argument("--jurisdiction", help="whose official figures (default: the sample's)")
    parser.add_argument("--month", type=month, help="the month evaluated, YYYY-MM (default: the samples' month)")
    add_assume(parser)
    parser.add_argument("--format", choices=FORMATS, default="text")
    parser.add_argument("--output", help="write to this file instead of standard output")
    parser.add_argument(
        "--write-shipped", action="store_true", help="rewrite the calibration table shipped with each sample"
    )
    parser.set_defaults(run=guarded(_calibration))
