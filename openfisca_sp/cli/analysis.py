"""``openfisca-sp simulate``, ``compare``, ``synthesize`` and ``reforms``: the analyst's commands."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openfisca_sp.arguments import MAX_PARTITIONS, MAX_SYNTHETIC_PERSONS
from openfisca_sp.cli.arguments import month, whole_number
from openfisca_sp.cli.output_folders import check_output_folders
from openfisca_sp.cli.printed_tables import print_poverty, print_totals
from openfisca_sp.rules.yaml_files import ParameterFileError

if TYPE_CHECKING:  # pandas and the population engine are imported by the commands that use them
    pass


def assumptions(items: list[str] | None) -> dict[str, Any]:
    """``column=value`` pairs; values parsed as JSON where they can be (numbers, true/false), else text, as
    ``simulate(assume=...)`` reads a text (:func:`~openfisca_sp.population.missing_columns.assumed_value`)."""
    from openfisca_sp.population.missing_columns import assumed_value

    assumed = {}
    for item in items or ():
        column, separator, text = item.partition("=")
        if not separator or not column:
            raise ValueError(f"--assume takes column=value, not {item!r}")
        if column in assumed:  # which one was meant is not known
            raise ValueError(f"--assume states {column!r} twice; state each column once")
        assumed[column] = assumed_value(text)
    return assumed


@contextmanager
def _progress(enabled: bool, unit: str = "person") -> Iterator[Callable[[int, int], None] | None]:
    """A tqdm progress bar on standard error, fed with (done, total)."""
    if not enabled:
        yield None
        return
    from tqdm import tqdm

    bar = tqdm(total=0, unit=unit, unit_scale=True, file=sys.stderr, dynamic_ncols=True, delay=1.0)

    def update(done: int, total: int) -> None:
        bar.total = total
        bar.update(done - bar.n)

    try:
        yield update
    finally:
        bar.close()


def dask_client(address: str | None) -> Any:
    """A dask.distributed client: ``local`` starts a LocalCluster, anything else is a scheduler address."""
    from distributed import Client, LocalCluster

    if address == "local":
        return Client(LocalCluster(processes=True, dashboard_address=None))
    try:
        return Client(address)
    except (OSError, ValueError) as error:  # no scheduler there, or no address: said with the option given
        expected = "give a scheduler's address, tcp://host:8786, or 'local'"
        raise ValueError(f"--dask {address}: {error} ({expected})") from None


def _jurisdiction(arguments: argparse.Namespace) -> str | None:
    """The jurisdiction asked for; by default, the one the population names as its own (a shipped sample's,
    ``sample:tjk``, or a synthesized table's), and the month it names when ``--month`` is left out (set on
    ``arguments``). Another jurisdiction's rules are refused on such a population: its money and its facts are
    its own (:func:`~openfisca_sp.population.engine.jurisdiction_for`, as in Python)."""
    from openfisca_sp.population.engine import jurisdiction_for
    from openfisca_sp.population.reading import population_month
    from openfisca_sp.rules import jurisdictions

    asked = jurisdictions.get(arguments.jurisdiction).code if arguments.jurisdiction else None
    code = jurisdiction_for(arguments.population, asked)
    arguments.month = population_month(arguments.population, arguments.month)
    if code is None and Path(arguments.population).exists():  # else reading it says what is wrong
        # a CSV, a table re-saved without its metadata: its money was read as kip, silently
        raise ValueError(
            f"{arguments.population} does not name its jurisdiction (a CSV file, or a table without openfisca-sp's "
            f"metadata): give --jurisdiction ({', '.join(jurisdictions.registry())}); its amounts are read in that "
            "jurisdiction's currency, under its rules"
        )
    return code


def _simulate(arguments: argparse.Namespace) -> int:
    from openfisca_sp.cli.result_files import RESULT_FORMATS, TOTALS_FORMATS, file_format, write_results, write_totals
    from openfisca_sp.population import resolve_system, simulate
    from openfisca_sp.population.results import check_result_columns
    from openfisca_sp.reforms import load_reform

    system = resolve_system(_jurisdiction(arguments))
    if arguments.reform:
        system = load_reform(arguments.reform, system)
    assume = assumptions(arguments.assume)
    columns = arguments.columns.split(",") if arguments.columns else None
    check_result_columns(system, columns)  # before any work, as the files' formats
    if arguments.output and not arguments.dask:
        file_format("output", arguments.output, RESULT_FORMATS)
    if arguments.totals:
        file_format("totals", arguments.totals, TOTALS_FORMATS)
    if arguments.dask:
        from openfisca_sp.distributed import simulate_distributed

        with dask_client(arguments.dask) as client, _progress(arguments.progress, "partition") as progress:
            totals, _ = simulate_distributed(
                client,
                arguments.population,
                arguments.month,
                system.jurisdiction.code,
                arguments.reform,
                assume=assume,
                output_dir=arguments.output,
                progress=progress,
                months=12 if arguments.year else 1,
                claims_on_events=arguments.claims_on_events,
            )
    else:
        with _progress(arguments.progress) as progress:
            results = simulate(
                arguments.population,
                arguments.month,
                system,
                assume=assume,
                progress=progress,
                claims_on_events=arguments.claims_on_events,
            )
        totals = results.cost_over_year() if arguments.year else results.totals()
        if arguments.output:
            write_results(results, arguments.output, columns)
        for assumption in results.assumptions:
            print(f"note: {assumption}", file=sys.stderr)
    what = "over the 12 months ending with the month" if arguments.year else "payable in the month"
    print_totals(totals, system.jurisdiction.currency, what, system.jurisdiction.amount_decimals)
    if arguments.totals:
        write_totals(totals, arguments.totals, system.jurisdiction.amount_decimals)
    return 0


def _compare(arguments: argparse.Namespace) -> int:
    from openfisca_sp.analysis import compare
    from openfisca_sp.cli.result_files import check_report_files
    from openfisca_sp.population import resolve_system
    from openfisca_sp.report.formatting import report_locale
    from openfisca_sp.rules import jurisdictions

    report_locale(arguments.locale)  # an unknown locale is refused before the population is read
    check_report_files(arguments.report, arguments.json)  # so is a file whose ending names another format
    if arguments.locale != "en" and not arguments.report:
        raise ValueError(f"--locale {arguments.locale} formats the report's numbers and dates: give --report too")
    baseline = resolve_system(_jurisdiction(arguments))
    assume = assumptions(arguments.assume)
    if arguments.dask:
        from openfisca_sp.distributed import compare_distributed

        with dask_client(arguments.dask) as client, _progress(arguments.progress, "partition") as progress:
            comparison = compare_distributed(
                client,
                arguments.population,
                arguments.month,
                arguments.reform,
                baseline.jurisdiction.code,
                assume=assume,
                progress=progress,
                claims_on_events=arguments.claims_on_events,
            )
    else:
        with _progress(arguments.progress) as progress:
            comparison = compare(
                arguments.population,
                arguments.month,
                arguments.reform,
                baseline,
                assume=assume,
                progress=progress,
                claims_on_events=arguments.claims_on_events,
            )
    columns = [
        "branch",
        "baseline_beneficiaries",
        "reform_beneficiaries",
        "baseline_cost",
        "reform_cost",
        "cost_change",
        "winners",
        "losers",
        "provisional",  # as simulate prints it: the branch's results rest on unverified law
    ]
    decimals = jurisdictions.get(comparison.meta["jurisdiction"]).amount_decimals  # TJS to the diram
    print(comparison.meta["reform"]["label"])
    shown = comparison.branches[columns].copy()
    # the all row of no branch says None: not modelled, as its figures
    shown["provisional"] = [flag if isinstance(flag, bool) else "–" for flag in shown["provisional"]]
    print_totals(shown, comparison.meta["currency"], decimals=decimals)
    if "note" in comparison.branches:  # the "all" row: over the branches whose amount is modelled
        for branch, note in comparison.branches[["branch", "note"]].dropna().itertuples(index=False):
            print(f"{branch}: {note}")
    print_poverty(comparison.poverty, comparison.meta["currency"], decimals)
    for note in comparison.meta["notes"]:
        print(f"note: {note}", file=sys.stderr)
    if arguments.json:
        Path(arguments.json).write_text(
            json.dumps(comparison.to_dict(), indent=1, ensure_ascii=False, allow_nan=False), "utf-8"
        )
    if arguments.report:
        from openfisca_sp.report import write_report

        write_report(comparison.to_dict(), arguments.report, arguments.locale)
        print(f"report: {arguments.report}", file=sys.stderr)
    return 0


def _synthesize(arguments: argparse.Namespace) -> int:
    from openfisca_sp.synthetic import write_parquet

    if arguments.partitions > arguments.persons:
        raise ValueError(
            f"--partitions {arguments.partitions:,} for {arguments.persons:,} persons: give no more partitions than "
            "persons (each file holds whole households)"
        )
    output = Path(arguments.output)
    if arguments.partitions > 1 and output.exists() and not output.is_dir():
        raise ValueError(f"--output {output}: a file; with --partitions, name a directory (new or existing)")
    if arguments.partitions == 1 and output.is_dir():
        raise ValueError(f"--output {output}: a directory; name a .parquet file, or give --partitions")
    suffix = output.suffix.lower()
    if arguments.partitions <= 1 and suffix != ".parquet":
        raise ValueError(
            f"--output {arguments.output}: a synthetic population is written as Parquet; name it *.parquet"
        )
    path = write_parquet(
        arguments.output,
        arguments.jurisdiction,
        arguments.persons,
        arguments.month,
        arguments.seed,
        arguments.partitions,
    )
    print(f"{arguments.persons:,} synthetic persons ({arguments.jurisdiction}, {arguments.month}) written to {path}")
    return 0


def _reforms(arguments: argparse.Namespace) -> int:
    from openfisca_sp.reforms import shipped_reforms
    from openfisca_sp.rules import jurisdictions

    if arguments.jurisdiction:
        jurisdictions.get(arguments.jurisdiction)  # an unknown one is refused, not answered with nothing

    listed = [
        entry
        for entry in shipped_reforms().values()
        if not arguments.jurisdiction or arguments.jurisdiction in entry.jurisdictions
    ]
    for entry in listed:
        print(f"{entry.name}  [{entry.kind}; {', '.join(entry.jurisdictions)}]\n    {entry.label}")
    if not listed:  # said, not an empty answer read as a listing that failed
        others = sorted({code for entry in shipped_reforms().values() for code in entry.jurisdictions})
        print(
            f"no reform is shipped for {arguments.jurisdiction} (reforms ship for {', '.join(others)}); a reform of "
            "your own is a YAML file of dated parameter changes (docs/population.md, Reforms)"
        )
    return 0


def _errors() -> tuple[type[Exception], ...]:
    """The errors of an analysis that are the user's to fix (a bad file, column, option or value)."""
    from openfisca_sp.population.errors import PopulationError
    from openfisca_sp.rules.null_values import UnknownParameterError  # a Python reform's parameter misspelt

    return (PopulationError, ParameterFileError, UnknownParameterError, ValueError, KeyError, OSError)


def guarded(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Analysis errors become one clear line on standard error and exit code 2."""

    def run_guarded(arguments: argparse.Namespace) -> int:
        try:
            check_output_folders(arguments)
            return run(arguments)
        except _errors() as error:
            message = error.args[0] if isinstance(error, KeyError) and error.args else error
            print(f"openfisca-sp {arguments.command}: error: {message}", file=sys.stderr)
            return 2

    return run_guarded


# a synthetic population's size and files: beyond these a typo would run for hours or fill the disk before failing


def add_assume(command: argparse.ArgumentParser) -> None:
    """``--assume COLUMN=VALUE``, read by :func:`assumptions`."""
    command.add_argument(
        "--assume", action="append", metavar="COLUMN=VALUE", help="a value for a whole missing column (repeatable)"
    )


def _common(command: argparse.ArgumentParser) -> None:
    command.add_argument("population", help="person table: Parquet file or directory, or CSV")
    command.add_argument(
        "--month",
        type=month,
        help="the month evaluated, YYYY-MM (required, but for a table that names its own: a sample:<code>, or one "
        "openfisca-sp synthesize wrote)",
    )
    command.add_argument(
        "--jurisdiction",
        help="jurisdiction code (default: the one the table names, a sample's or a synthesized table's; required for "
        "a table that names none, a CSV file)",
    )
    add_assume(command)
    command.add_argument("--dask", metavar="SCHEDULER", help="run on a Dask cluster: an address, or 'local'")
    command.add_argument(
        "--claims-on-first-day",
        dest="claims_on_events",
        action="store_false",
        help="decide every claim on the first day of the month, as openfisca-core does (default: a claim the table "
        "dates on another day is decided on its event's day)",
    )
    command.add_argument("--no-progress", dest="progress", action="store_false", help="no progress bar")


def add_commands(commands: Any) -> None:
    """Add the analysis commands to the ``openfisca-sp`` sub-parsers."""
    simulate = commands.add_parser("simulate", help="Run every branch over a population; totals and per-person results")
    _common(simulate)
    simulate.add_argument("--reform", help="simulate under a reform: a shipped name or a YAML file")
    simulate.add_argument(
        "--output", help="per-person results: a .parquet or .csv file, by its name (a Parquet directory with --dask)"
    )
    simulate.add_argument("--columns", help="comma-separated result columns to write (default: all)")
    simulate.add_argument("--totals", help="write the totals by branch to this .csv or .json file, by its name")
    simulate.add_argument(
        "--year", action="store_true", help="totals over the 12 months ending with --month (default: that month)"
    )
    simulate.set_defaults(run=guarded(_simulate))

    compare = commands.add_parser("compare", help="Compare a reform with the baseline over a population")
    _common(compare)
    compare.add_argument("--reform", required=True, help="a shipped reform name (see 'reforms') or a YAML file")
    compare.add_argument("--report", help="write the HTML report to this .html file")
    compare.add_argument(
        "--locale",
        default="en",
        help="the report's numbers and dates for this locale: en (default), lo, vi, tg or ru (text stays English)",
    )
    compare.add_argument("--json", help="write the whole comparison to this .json file")
    compare.set_defaults(run=guarded(_compare))

    synthesize = commands.add_parser("synthesize", help="Write a seeded synthetic population (for demos and tests)")
    synthesize.add_argument("jurisdiction", help="jurisdiction code")
    persons = whole_number(1, MAX_SYNTHETIC_PERSONS, "ten times the people of the largest jurisdiction modelled")
    synthesize.add_argument("--persons", type=persons, default=100_000, help="how many (1 to 1,000,000,000)")
    synthesize.add_argument("--month", required=True, type=month, help="the month the population is for, YYYY-MM")
    synthesize.add_argument("--seed", type=whole_number(0), default=0, help="the random seed (0 or more; default 0)")
    synthesize.add_argument(
        "--partitions",
        type=whole_number(1, MAX_PARTITIONS),
        default=1,
        help="more than 1 writes a directory of that many files (at most 10,000, and no more than persons)",
    )
    synthesize.add_argument("--output", required=True, help="Parquet file, or directory with --partitions")
    synthesize.set_defaults(run=guarded(_synthesize))

    reforms = commands.add_parser("reforms", help="List the shipped reforms")
    reforms.add_argument("--jurisdiction", help="only those for this jurisdiction")
    reforms.set_defaults(run=guarded(_reforms))
