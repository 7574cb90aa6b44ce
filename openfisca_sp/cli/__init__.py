"""``openfisca-sp``: the command line.

``serve`` runs the API (:mod:`~.serve`); ``simulate``, ``compare``, ``synthesize``
and ``reforms`` analyse populations (:mod:`~.analysis`); ``legal-index`` and
``parameter-names`` write the drafters' generated documents (:mod:`~.drafting`); ``verification``
prints the share of values verified per jurisdiction and branch, and what is not modelled (:mod:`~.verification`);
``compliance`` the national rules against the ILO standards (:mod:`~.compliance`); ``diff`` what a change of
law changes (:mod:`~.law_diff`); ``explorer`` builds the rules explorer, static HTML (:mod:`~.explorer`);
``calibration`` a synthetic sample against official figures (:mod:`~.calibration`); ``project`` a scenario over
the years (:mod:`~.projection`).
"""

from __future__ import annotations

import argparse

import openfisca_sp
from openfisca_sp.cli import (
    analysis,
    calibration,
    compliance,
    drafting,
    explorer,
    law_diff,
    projection,
    serve,
    verification,
)


def parser() -> argparse.ArgumentParser:
    """The ``openfisca-sp`` argument parser."""
    main_parser = argparse.ArgumentParser(prog="openfisca-sp", description=openfisca_sp.__doc__.split("\n")[0])
    main_parser.add_argument("--version", action="version", version=f"openfisca-sp {openfisca_sp.__version__}")
    commands = main_parser.add_subparsers(dest="command", required=True)
    serve.add_command(commands)
    analysis.add_commands(commands)
    drafting.add_commands(commands)
    verification.add_command(commands)
    compliance.add_command(commands)
    law_diff.add_command(commands)
    explorer.add_command(commands)
    calibration.add_command(commands)
    projection.add_command(commands)
    return main_parser


def main(argv: list[str] | None = None) -> int:
    arguments = parser().parse_args(argv)
    return arguments.run(arguments)


if __name__ == "__main__":
    raise SystemExit(main())
