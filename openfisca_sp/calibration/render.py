"""A calibration table (its dict, :meth:`CalibrationTable.to_dict` or a shipped file) as text or Markdown."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from openfisca_sp.calibration.statistics import PERSONS
from openfisca_sp.rules.wording import PERCENTAGE_POINTS, count_text, status_label

HEADERS = ("Statistic", "Official", "Sample", "Distance", "Relative", "Status", "Source")
NOT_MODELLED = "not modelled"  # a sample's statistic the rules cannot give: no source for the branch then
NO_ONE = "no one in the group"  # a coverage the rules give, of a group the table holds no one in
PROVISIONAL = " (provisional)"  # a sample's value from rules resting on unverified law


def value(number: float | None, unit: str) -> str:
    """A share in percent (one decimal), persons as ``simulate`` prints them (:func:`~openfisca_sp.rules.wording.
    count_text`: 15,258.15); a dash for nothing."""
    if number is None:
        return "-"
    return count_text(number) if unit == PERSONS else f"{100 * number:.1f}%"


def signed(number: float, digits: int) -> str:
    """A difference with its sign, to ``digits`` decimals; one that rounds to nothing without a sign (0.0, never -0.0
    or +0.0 beside a -0.3)."""
    rounded = round(number, digits) + 0.0
    return f"{rounded:+,.{digits}f}" if rounded else f"{0:.{digits}f}"


def distance(number: float | None, unit: str) -> str:
    """An absolute distance: persons, or percentage points (one decimal) for a share."""
    if number is None:
        return "-"
    return signed(number, 0) if unit == PERSONS else f"{signed(100 * number, 1)} {PERCENTAGE_POINTS}"


def relative(number: float | None) -> str:
    """A relative distance in percent with one decimal, so that its sign is the absolute distance's (-0.1 pp read
    beside +0%)."""
    return "-" if number is None else f"{signed(100 * number, 1)}%"


Formatter = Callable[[float | None, str], str]  # a number and its unit, as text


def publication_and_year(official: Mapping[str, Any], between: str = ", ", after: str = "") -> str:
    """An official figure's publication and the year of its figure (``…, 2019``), the year left out where the
    publication's text already ends with it (it read "… Social Insurance System", 2023, 2023")."""
    publication = str((official.get("source") or {}).get("publication", ""))
    year = str(official.get("year") or "")
    return publication if not year or publication.endswith(year) else f"{publication}{between}{year}{after}"


def cells(
    row: Mapping[str, Any],
    number: Formatter = value,
    difference: Formatter = distance,
    share: Callable[[float | None], str] = relative,
    missing: str = "-",
) -> list[str]:
    """One row's cells, in the order of :data:`HEADERS`; numbers written by ``number``, ``difference`` and
    ``share`` (English for the terminal by default; the report passes its locale's), a source not found as
    ``missing``."""
    official = row.get("official") or {}
    source = official.get("source") or {}
    flag = " (far)" if row.get("far") else ""
    comparable = "" if official.get("comparable", True) else " (not comparable)"
    return [
        str(row["label"]),
        number(official.get("value"), row["unit"]) + comparable,
        _sample(row, number),
        difference(row.get("absolute"), row["unit"]),
        share(row.get("relative")) + flag,
        status_label(official["status"]) if official.get("status") else "not found",
        publication_and_year(official) if source else missing,
    ]


def _sample(row: Mapping[str, Any], number: Formatter) -> str:
    """The sample's cell: its value, or why there is none (not modelled; no one in the group); a value from rules
    resting on unverified law says so, as ``simulate``'s ``provisional`` does (53.4% (provisional))."""
    if row.get("modelled") is False:
        return NOT_MODELLED
    if row.get("sample") is None:
        return NO_ONE
    return number(row.get("sample"), row["unit"]) + (PROVISIONAL if row.get("provisional") else "")


def to_text(table: Mapping[str, Any]) -> str:
    """A plain-text table with a title line and the notes."""
    rows = [list(HEADERS), *(cells(row) for row in table["rows"])]
    widths = [max(len(row[index]) for row in rows) for index in range(len(HEADERS) - 1)]
    title = f"Calibration of {table['population']} ({table['jurisdiction']}, {table['month']}) against official figures"
    lines = [title]
    for row in rows:
        lines.append("  ".join(text.ljust(width) for text, width in zip(row, widths, strict=False)) + "  " + row[-1])
    lines += [f"far: relative distance above {100 * table['far_threshold']:.0f}%"]
    lines += [f"note: {note}" for note in table.get("notes") or []]
    return "\n".join(lines)


def to_markdown(table: Mapping[str, Any]) -> str:
    """A Markdown table, with the sources' links and the notes."""
    lines = [
        f"Calibration of `{table['population']}` ({table['jurisdiction']}, {table['month']}) against official figures",
        "",
        "| " + " | ".join(HEADERS) + " |",
        "|" + "---|" * len(HEADERS),
    ]
    for row in table["rows"]:
        texts = [text.replace("|", "\\|") for text in cells(row)]
        url = ((row.get("official") or {}).get("source") or {}).get("url")
        if url:
            texts[-1] = f"[{texts[-1]}]({url})"
        lines.append("| " + " | ".join(texts) + " |")
    lines += ["", f"Far: relative distance above {100 * table['far_threshold']:.0f}%."]
    lines += [f"- {note}" for note in table.get("notes") or []]
    return "\n".join(lines)
