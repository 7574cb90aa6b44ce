"""``openfisca-sp verification``: per jurisdiction and branch, the share of values verified, and what is not modelled.

Prints :func:`~openfisca_sp.rules.verification.verification` as an aligned
table (``text``), GitHub tables for the README (``markdown``) or ``json``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import re
import textwrap
from collections.abc import Sequence
from typing import Any

from openfisca_sp.cli.analysis import guarded
from openfisca_sp.report.formatting import NONE, rate
from openfisca_sp.rules.date_forms import why_no_such_day
from openfisca_sp.rules.parameter_checks import STATUSES
from openfisca_sp.rules.verification import (
    ALL_BRANCHES,
    FOOTNOTE,
    OTHER,
    NotModelled,
    Verification,
    VerificationRow,
    combine,
    verification,
)
from openfisca_sp.rules.wording import abridged, noun_for

DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
FORMATS = ("text", "json", "markdown")
HEADERS = {"verified": "Verified", "verified_2nd": "Verified 2nd", "unverified": "Unverified", OTHER: "Other"}
WIDTH = 110  # the footnote's width in the text format


def day(text: str) -> datetime.date:
    """A YYYY-MM-DD date, checked (a ValueError naming what was expected, and why a date of that form is none)."""
    if not DATE.fullmatch(text):
        raise ValueError(f"expected a date YYYY-MM-DD, not {abridged(text)}")
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is no day of the calendar: {why_no_such_day(text)}") from None


def _count(row: VerificationRow, status: str) -> str:
    share = row.shares[status]
    return f"{getattr(row, status)} ({rate(share)})" if share is not None else NONE


def _statuses(table: Verification) -> tuple[str, ...]:
    """The statuses shown: the house's three, and ``other`` where some value has another."""
    return (*STATUSES, OTHER) if any(row.other for row in table.rows) else STATUSES


def _missing(part: NotModelled, code: str) -> str:
    """The parameters the part lacks, on its closest way of being computed (and how many other ways there are)."""
    closest = part.closest()
    text = " or ".join(", ".join(code.format(name) for name in names) for names in closest)
    others = len(part.missing) - len(closest)
    return f"{text} (or {others} other {noun_for(others, 'way')})" if others else text


def count_table(table: Verification, code: str = "{}") -> tuple[list[str], list[list[str]]]:
    """The headers and cells of the counts: one row per branch or folder, and one in all per jurisdiction."""
    statuses = _statuses(table)
    headers = ["Jurisdiction", "Branch", *(HEADERS[status] for status in statuses), "Total"]
    rows = [
        [
            row.jurisdiction,
            row.branch if row.branch == ALL_BRANCHES else code.format(row.branch),
            *(_count(row, status) for status in statuses),
            str(row.total),
        ]
        for row in table.rows
    ]
    return headers, rows


def not_modelled_table(table: Verification, code: str = "{}") -> tuple[list[str], list[list[str]]]:
    """The headers and cells of the parts not modelled on the table's date."""
    headers = ["Jurisdiction", "Branch", "Part", "Parameters not in force"]
    rows = [
        [part.jurisdiction, code.format(part.branch), part.part, _missing(part, code)] for part in table.not_modelled
    ]
    return headers, rows


def aligned(headers: Sequence[str], rows: Sequence[Sequence[str]], numbers_from: int) -> str:
    """A plain-text table, columns from ``numbers_from`` on aligned right."""
    widths = [max(len(line[column]) for line in [headers, *rows]) for column in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        padded = (
            cell.rjust(width) if column >= numbers_from else cell.ljust(width)
            for column, (cell, width) in enumerate(zip(cells, widths, strict=True))
        )
        return "  ".join(padded).rstrip()

    return "\n".join([line(headers), line(["-" * width for width in widths]), *(line(row) for row in rows)])


def markdown(headers: Sequence[str], rows: Sequence[Sequence[str]], numbers_from: int) -> str:
    """A GitHub table, columns from ``numbers_from`` on aligned right."""
    rule = ["---:" if column >= numbers_from else "---" for column in range(len(headers))]
    return "\n".join(f"| {' | '.join(cells)} |" for cells in [headers, rule, *rows])


def render(table: Verification, output: str) -> str:
    """The table in ``output`` format: ``text``, ``markdown`` or ``json``."""
    if output == "json":
        return json.dumps(table.to_dict(), indent=1, ensure_ascii=False)
    write = aligned if output == "text" else markdown
    code = "{}" if output == "text" else "`{}`"
    date = table.date.isoformat()
    parts = not_modelled_table(table, code)
    lines = [
        "Verification status of the parameter values (counts and shares of the row's total)",
        "",
        write(*count_table(table, code), numbers_from=2),
        "",
        f"Parts not modelled on {date}" + ("" if parts[1] else ": none"),
    ]
    if parts[1]:
        lines += ["", write(*parts, numbers_from=len(parts[0]))]
    footnote = textwrap.fill(FOOTNOTE.replace("`", ""), WIDTH) if output == "text" else FOOTNOTE
    return "\n".join([*lines, "", footnote])


def verification_table(date: datetime.date, output: str = "markdown", codes: Sequence[str] = ()) -> str:
    """What ``openfisca-sp verification --date DATE --format OUTPUT`` prints for ``codes`` (default: every
    jurisdiction)."""
    from openfisca_sp.rules import jurisdictions
    from openfisca_sp.rules.system import tax_benefit_system

    codes = [jurisdictions.get(code).code for code in codes] or list(jurisdictions.registry())
    return render(combine(verification(tax_benefit_system(code), date) for code in dict.fromkeys(codes)), output)


def _verification(arguments: argparse.Namespace) -> int:
    date = day(arguments.date) if arguments.date else datetime.date.today()
    print(verification_table(date, arguments.format, arguments.jurisdiction or ()))
    return 0


def add_command(commands: Any) -> None:
    """Add ``verification`` to the ``openfisca-sp`` sub-parsers."""
    command = commands.add_parser(
        "verification",
        help="Per jurisdiction and branch, the share of values verified, and the parts not modelled",
    )
    command.add_argument(
        "--jurisdiction",
        action="extend",
        nargs="+",
        metavar="CODE",
        help="only these jurisdictions (default: every one)",
    )
    command.add_argument("--date", help="the date the parts not modelled are for, YYYY-MM-DD (default: today)")
    command.add_argument("--format", choices=FORMATS, default="text", help="text (default), json or markdown")
    command.set_defaults(run=guarded(_verification))
