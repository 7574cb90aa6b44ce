"""``openfisca-sp diff``: what differs between two versions of a jurisdiction's rules, or between two dates.

Prints :mod:`openfisca_sp.drafting.law_diff_report` as text or JSON, or writes it as a page in the
explorer's look (:func:`openfisca_sp.explorer.site.render_changes`). Differences are not errors (exit 0);
an unknown revision, jurisdiction or date exits 2 with one line.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from openfisca_sp.cli.analysis import assumptions, guarded
from openfisca_sp.cli.arguments import month
from openfisca_sp.cli.verification import day
from openfisca_sp.rules.wording import counted, noun_for

WORKTREE = "WORKTREE"
SIDES = {"old": "fails under the old rules", "new": "fails under the new rules", "both": "fails under both"}


def _short(value: Any, width: int = 60) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str) if not isinstance(value, str) else value
    return text if len(text) <= width else text[: width - 1] + "…"


def _reference(side: dict[str, Any] | None) -> str:
    if not side or not side["reference"]:
        return "none"
    return "; ".join(
        item.get("instrument", "?") + (f", {item['article']}" if item.get("article") else "")
        for item in side["reference"]
    )


def _value_lines(change: dict[str, Any]) -> Iterator[str]:
    old, new = change["old"], change["new"]
    where = f"{change['file']}:{change['line']}" if change["line"] else str(change["file"])
    yield f"{where}: {change['parameter']} from {change['start']}: {', '.join(change['changes'])}"
    if old is None or new is None:
        side = new or old
        yield f"    value {_short(side['value'])}, status {side['status']}, reference {_short(_reference(side), 80)}"
        return
    if "value" in change["changes"]:
        yield f"    value: {_short(old['value'])} -> {_short(new['value'])}"
    if "status" in change["changes"]:
        yield f"    status: {old['status']} -> {new['status']}"
    if "reference" in change["changes"]:
        yield from _reference_lines(old["reference"], new["reference"])


def _reference_lines(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> Iterator[str]:
    """The fields of the references that differ, one line each."""
    for number in range(max(len(old), len(new))):
        before = old[number] if number < len(old) else {}
        after = new[number] if number < len(new) else {}
        for key in dict.fromkeys([*before, *after]):
            if before.get(key) != after.get(key):
                yield f"    reference {number + 1} {key}: {_short(before.get(key), 50)} -> {_short(after.get(key), 50)}"


def _amount(value: float | None, decimals: int) -> str:
    """An amount in the jurisdiction's currency unit (no decimals for kip and dong)."""
    return "not modelled" if value is None else f"{value:,.{decimals}f}"


def _persons(value: int | None) -> str:
    """A count of persons, "not modelled" where it cannot be told (never 0)."""
    return "not modelled" if value is None else f"{value:,}"


def _sample_lines(sample: dict[str, Any], decimals: int) -> list[str]:
    """The population's table, what it counts, and the persons it leaves out."""
    lines = [
        "",
        f"population {sample['source']} ({counted(sample['persons'], 'person', form=',')}, {sample['month']}):",
    ]
    counts = ("gained", "lost", "changed", "up", "down")
    header = f"{'branch':<14}" + "".join(f"{name:>13}" for name in counts)
    lines.append(f"{header}{'total change (weighted)':>28}{'mean change':>16}")
    for row in sample["branches"]:
        values = (row[key] for key in ("gained", "lost", "amount_changed", "increased", "decreased"))
        mean = (
            "-"
            if row["mean_change"] is None and row["total_change"] is not None
            else _amount(row["mean_change"], decimals)
        )
        cells = "".join(f"{_persons(value):>13}" for value in values)
        lines.append(f"{row['branch']:<14}{cells}{_amount(row['total_change'], decimals):>28}{mean:>16}")
    lines.append(sample["counted"])
    lines += [
        f"{row['branch']}: {counted(row['untold'], 'person', form=',')} left out of the counts (their decision or "
        "an amount cannot be told on one side or both)"
        for row in sample["branches"]
        if row.get("untold")
    ]
    return lines + [f"assumption: {text}" for text in sample["assumptions"]]


def _failed_check_lines(failed: list[dict[str, Any]]) -> Iterator[str]:
    """Each side loaded without this version's newer checks, and the checks it fails, one a line."""
    for revision in dict.fromkeys(item["revision"] for item in failed):
        mine = [item for item in failed if item["revision"] == revision]
        yield ""
        yield (
            f"the rules at {revision} fail this version's checks in {counted(len(mine), 'place')}, and are diffed all "
            "the same (openfisca-sp check refuses them):"
        )
        prefix = "" if revision.startswith(WORKTREE) else f"{revision.split()[0]}:"
        for item in mine:
            at = f"{item['file']}:{item['line']}" if item["line"] else item["file"]
            yield f"    {prefix}{at}: {item['problem']}"


def render_text(diff: dict[str, Any]) -> str:
    """The diff as lines a drafter reads."""
    what = "values in force at" if diff["kind"] == "dates" else "rules of"
    lines = [f"{diff['jurisdiction']}: {what} {diff['old']} -> {diff['new']}", ""]
    lines.append(f"{counted(len(diff['values']), 'value')} changed")
    for change in diff["values"]:
        lines += _value_lines(change)
    lines += _failed_check_lines(diff.get("failed_checks") or [])
    cases = diff["law_cases"]
    if cases is not None:
        lines += [
            "",
            f"law cases: {counted(len(cases['changes']), 'output')} "
            f"{noun_for(len(cases['changes']), 'changes', 'change')}, "
            f"of {counted(cases['computed'], 'case')} computed",
        ]
        if cases["failing"]:
            lines.append(f"{len(cases['failing'])} could not be computed (neither changed nor unchanged):")
        for item in cases["failing"]:
            where = f"{item['file']}:{item['line']}" if item["line"] else item["file"]
            what = f"{item['case']}: " if item["case"] else ""
            lines.append(f"    {where}: {what}{SIDES[item['sides']]}: {item['cause']}")
        shown = None
        for item in cases["changes"]:
            if (item["file"], item["case"]) != shown:
                lines.append(f"{item['file']}: {item['case']}")
                shown = (item["file"], item["case"])
            lines.append(
                f"    {item['output']}: {_short(item['old'])} -> {_short(item['new'])} "
                f"(expected {_short(item['expected'])})"
            )
    sample = diff["sample"]
    if sample is not None:
        from openfisca_sp.rules import jurisdictions

        lines += _sample_lines(sample, jurisdictions.get(diff["jurisdiction"]).amount_decimals)
    lines += ["", *(f"note: {note}" for note in diff["notes"])]
    return "\n".join(lines) + "\n"


def compute(
    jurisdiction: str,
    revisions: list[str],
    dates: list[str] | None,
    repository: str | None,
    *,
    cases: bool = True,
    sample: str | None = None,
    when: str | None = None,
    assume: dict[str, Any] | None = None,
) -> Any:
    """The law diff of ``jurisdiction``: of two ``revisions``, or of two ``dates`` (under at most one revision).
    ``repository``: the git checkout (default: the current folder's; for two dates alone, the rules installed with
    the package where the current folder is no checkout of them)."""
    from openfisca_sp.drafting.law_diff import repository_root
    from openfisca_sp.drafting.law_diff_report import diff_dates, diff_revisions

    if dates:
        first, second = (str(day(text)) for text in dates)
        if sample:
            raise ValueError("--sample decides a population under two revisions, not at two dates")
        if len(revisions) > 1:
            raise ValueError("with --dates, give at most one revision (the rules read; default WORKTREE)")
        installed = repository is None and not revisions  # the rules installed, outside a checkout of them
        root = _rules_checkout(jurisdiction) if installed else repository_root(repository or ".")
        return diff_dates(jurisdiction, first, second, root, *revisions)
    root = repository_root(repository or ".")
    if len(revisions) != 2:
        raise ValueError("give two revisions (e.g. HEAD~1 WORKTREE), or --dates D1 D2")
    if sample:  # the month a sample or a synthesized table states, as simulate, compare and calibration read it
        from openfisca_sp.population.reading import population_month

        when = population_month(sample, when)
    return diff_revisions(jurisdiction, *revisions, root, cases=cases, population=sample, month=when, assume=assume)


def _rules_checkout(jurisdiction: str) -> Path | None:
    """The current folder's git checkout where it holds the jurisdiction's parameters (a drafter's copy, read as
    its files are), else None: the rules installed with the package."""
    from openfisca_sp.drafting.law_diff import LawDiffError, repository_root
    from openfisca_sp.rules import jurisdictions

    try:
        root = repository_root(".")
    except LawDiffError:
        return None
    return root if (root / "parameters" / jurisdictions.get(jurisdiction).code).is_dir() else None


def _write_html(result: dict[str, Any], output: str | None) -> None:
    """The diff as one page; with ``output``, the explorer's stylesheet is written beside it (assets/)."""
    from openfisca_sp.explorer.site import render_changes, stylesheet
    from openfisca_sp.rules import jurisdictions

    page = render_changes(result, jurisdictions.get(result["jurisdiction"]).label)
    if output is None:
        sys.stdout.buffer.write(page)
        return
    path = Path(output)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(page)
    (path.parent / "assets").mkdir(exist_ok=True)
    (path.parent / "assets" / "explorer.css").write_bytes(stylesheet())
    print(f"wrote {path} (and {path.parent / 'assets' / 'explorer.css'})", file=sys.stderr)


def _diff(arguments: argparse.Namespace) -> int:
    given = {"cases": arguments.cases, "sample": arguments.sample, "when": arguments.month}
    sides = (arguments.jurisdiction, arguments.revisions, arguments.dates, arguments.repository)
    diff = compute(*sides, **given, assume=assumptions(arguments.assume))
    result = diff.to_dict()
    if arguments.format == "html":
        _write_html(result, arguments.output)
        return 0
    text = (
        json.dumps(result, indent=1, ensure_ascii=False, default=str) + "\n"
        if arguments.format == "json"
        else render_text(result)
    )
    if arguments.output:
        Path(arguments.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def add_command(commands: Any) -> None:
    """Add ``diff`` to the ``openfisca-sp`` sub-parsers."""
    command = commands.add_parser(
        "diff",
        help="What differs between two revisions of a jurisdiction's rules, or between two dates",
        description="Values, references and statuses that differ between two git revisions of the rules "
        f"(or {WORKTREE}, the files as they are now), the law cases whose outcome changes and, with --sample, "
        "the persons decided differently; or, with --dates, what differs between the values in force at two dates.",
    )
    command.add_argument("revisions", nargs="*", help=f"two revisions (commits, branches, tags, {WORKTREE})")
    command.add_argument("--jurisdiction", required=True, help="jurisdiction code")
    command.add_argument("--dates", nargs=2, metavar=("D1", "D2"), help="compare the values in force at two dates")
    command.add_argument("--sample", help="decide this population under both: sample:<code>, Parquet or CSV")
    command.add_argument(
        "--month",
        type=month,
        help="the month the population is decided in, YYYY-MM (default: the one a sample or synthesized table states)",
    )
    command.add_argument("--assume", action="append", metavar="COLUMN=VALUE", help="a value for a missing column")
    command.add_argument("--no-cases", dest="cases", action="store_false", help="do not compute the law cases")
    command.add_argument(
        "--repository",
        help="the git checkout (default: the current folder; with --dates alone, outside a checkout of the rules: "
        "the rules installed with the package)",
    )
    command.add_argument(
        "--format", choices=("text", "json", "html"), default="text", help="html: one page in the explorer's look"
    )
    command.add_argument("--output", metavar="FILE", help="write to FILE (html: and its stylesheet beside it)")
    command.set_defaults(run=guarded(_diff))
