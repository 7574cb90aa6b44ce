"""``openfisca-sp project``: a scenario's cost, beneficiaries, coverage and poverty over the years.

Prints the years (``text``, ``markdown`` or ``json``; ``--output`` writes them in the format its name ends with),
writes the HTML report (``--report``) and the whole projection as JSON (``--json``); ``--workers N`` runs N years
side by side on this machine, ``--dask local`` (or a scheduler's address) on a cluster. ``--assume COLUMN=VALUE``
states a column the person table lacks for every person, as ``simulate`` takes it, in place of the scenario's
``assumptions: assume:`` for the same column.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openfisca_sp.cli.analysis import add_assume, assumptions, dask_client, guarded
from openfisca_sp.cli.arguments import whole_number
from openfisca_sp.cli.result_files import check_report_files, file_format

if TYPE_CHECKING:
    import pandas as pd

FORMATS = ("text", "markdown", "json")
OUTPUT_FORMATS = {".txt": "text", ".md": "markdown", ".json": "json"}  # --output's ending names its format
COLUMNS = {
    "year": "year",
    "side": "side",
    "cost": "cost per year",
    "cost_share_of_gdp": "% of GDP",
    "beneficiaries": "beneficiaries",
    "contributors": "contributors",
    "older_persons_coverage": "older persons covered",
    "poverty_headcount": "poverty headcount",
    "gini": "Gini",
}


def years_table(years: pd.DataFrame, decimals: int = 0) -> pd.DataFrame:
    """The years as printed: shares in percent, counts whole, costs to ``decimals`` (the currency's: 2 for TJS)."""
    import pandas as pd

    from openfisca_sp.cli.printed_tables import amount

    table = years[list(COLUMNS)].copy()
    for name in ("cost_share_of_gdp", "older_persons_coverage", "poverty_headcount"):
        table[name] = table[name].map(lambda value: "not modelled" if pd.isna(value) else f"{100 * value:.2f}%")
    for name, note in (("poverty_headcount", "poverty_note"), ("gini", "gini_note")):
        if note in years:  # why a figure is missing: not modelled, not measured (no income), undefined (Gini)
            told = [missing_label(text) for text in years[note]]
            table[name] = [label or shown for label, shown in zip(told, table[name], strict=True)]
    if "gdp" in years:  # no GDP in the scenario: the share is not computed, though the cost may be modelled
        table.loc[years["gdp"].isna().to_numpy(), "cost_share_of_gdp"] = "no GDP assumption"
    table["cost"] = [amount(value, decimals) for value in table["cost"]]
    for name in ("beneficiaries", "contributors"):
        table[name] = table[name].map(lambda value: "not modelled" if pd.isna(value) else f"{value:,.0f}")
    table["gini"] = table["gini"].map(
        lambda value: value if isinstance(value, str) else "not modelled" if pd.isna(value) else f"{value:.3f}"
    )
    return table.rename(columns=COLUMNS)


def missing_label(note: str | None) -> str | None:
    """What a missing figure reads, from the note that says why (``not measured: the table has no income column``:
    ``not measured``); None where there is no note."""
    return note.partition(":")[0] if isinstance(note, str) and note else None


def markdown(table: pd.DataFrame) -> str:
    """A table as a Markdown table."""
    lines = ["| " + " | ".join(map(str, table.columns)) + " |", "|" + "---|" * len(table.columns)]
    lines += ["| " + " | ".join(map(str, row)) + " |" for row in table.itertuples(index=False)]
    return "\n".join(lines)


def printed(title: str, table: pd.DataFrame, covers: list[str], notes: list[str], form: str) -> str:
    """The years as printed in ``form`` (text or markdown): the title, the table, what the totals cover, and the
    projection's notes (those of the report and the JSON)."""
    lines = [*covers, *(f"note: {note}" for note in notes)]
    if form == "markdown":  # blank lines around the table, so that the lines below it are not read as its rows
        return "\n\n".join([title, markdown(table), *(["\n".join(f"- {line}" for line in lines)] if lines else [])])
    return "\n".join([title, table.to_string(index=False), *lines])


def output_format(output: str | None, chosen: str | None) -> str:
    """The format the years are printed in: ``--format``, else ``--output``'s ending, else text. An ``--output``
    whose ending is not in :data:`OUTPUT_FORMATS`, or names another format than ``--format``, is refused."""
    if not output:
        return chosen or "text"
    named = file_format("output", output, OUTPUT_FORMATS)
    if chosen and chosen != named:
        raise ValueError(f"--output {output}: its ending names the {named} format, but --format is {chosen}")
    return named


worker_processes = whole_number(0, 256, "processes; 0: one per core")


def _project(arguments: argparse.Namespace) -> int:
    from openfisca_sp.projection import project, read_scenario, scenario_path
    from openfisca_sp.projection.scenario import with_assumptions
    from openfisca_sp.report.formatting import report_locale
    from openfisca_sp.report.projection import coverage_notes, poverty_line_notes, write_projection
    from openfisca_sp.rules import jurisdictions

    report_locale(arguments.locale)  # an unknown locale is refused before anything runs
    form = output_format(arguments.output, arguments.format)  # a file ending it cannot write, too
    check_report_files(arguments.report, arguments.json)
    path = scenario_path(arguments.scenario)
    scenario = read_scenario(path)
    assume = assumptions(arguments.assume)
    with_assumptions(scenario, assume)  # checked before a cluster starts
    if arguments.dask and arguments.workers != 1:
        raise ValueError("--workers is for this machine; with --dask, the cluster's workers run the years")
    if arguments.dask:
        from openfisca_sp.distributed import project_distributed

        with dask_client(arguments.dask) as client:
            projection = project_distributed(client, path, arguments.population, assume=assume)
    else:
        projection = project(scenario, population=arguments.population, workers=arguments.workers, assume=assume)
    data = projection.to_dict()
    if form == "json":
        text = json.dumps(data, indent=1, ensure_ascii=False, allow_nan=False)
    else:
        title = (
            f"{scenario.title} ({data['meta']['currency']} per year, at current prices; beneficiaries: the persons "
            "paid at least one of the benefits the totals cover, each counted once)"
        )
        decimals = jurisdictions.get(data["meta"]["jurisdiction"]).amount_decimals  # TJS to the diram
        table = years_table(projection.years, decimals)
        covers = [*coverage_notes(data), *poverty_line_notes(data["years"])]
        text = printed(title, table, covers, data["meta"]["notes"], form)
    if arguments.output:
        Path(arguments.output).write_text(text + "\n", encoding="utf-8")
        print(f"written: {arguments.output}")
    else:
        print(text)
    if arguments.json:
        Path(arguments.json).write_text(
            json.dumps(data, indent=1, ensure_ascii=False, allow_nan=False), encoding="utf-8"
        )
        print(f"written: {arguments.json}")
    if arguments.report:
        print(f"written: {write_projection(data, arguments.report, arguments.locale)}")
    return 0


def add_command(commands: Any) -> None:
    """Add ``project`` to the ``openfisca-sp`` sub-parsers."""
    parser = commands.add_parser(
        "project", help="Project a scenario over the years: cost and share of GDP, beneficiaries, coverage, poverty"
    )
    parser.add_argument("scenario", help="a scenario YAML file, or scenario:<code> (lao, vnm, tjk: shipped)")
    parser.add_argument("--population", help="a person table replacing the scenario's (same base month)")
    add_assume(parser)  # in place of the scenario's assumptions: assume: for the same column
    parser.add_argument("--format", choices=FORMATS, help="text (default), markdown or json")
    parser.add_argument(
        "--output",
        help="write the years to this file instead of standard output: .txt, .md or .json, by its name",
    )
    parser.add_argument("--json", help="write the whole projection to this .json file")
    parser.add_argument("--report", help="write the HTML report to this .html file")
    parser.add_argument("--locale", default="en", help="the report's numbers: en (default), lo, vi, tg or ru")
    parser.add_argument("--dask", metavar="SCHEDULER", help="run the years on a Dask cluster: an address, or 'local'")
    parser.add_argument(
        "--workers",
        type=worker_processes,
        default=1,
        metavar="N",
        help="run N years side by side in processes that share the table (0: one per core; Linux; default 1)",
    )
    parser.set_defaults(run=guarded(_project))
