"""The compliance report as text, Markdown (``docs/compliance.md``), JSON or a self-contained HTML page."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Sequence
from typing import Any

import jinja2
from markupsafe import Markup, escape

from openfisca_sp.report.formatting import rate
from openfisca_sp.report.render import environment
from openfisca_sp.rules.wording import noun_for, status_label

FORMATS = ("text", "json", "markdown", "html")
TEMPLATE = "compliance.html.j2"
SOURCE_CHARACTERS = 300  # a legal reference is cut there in the tables (the JSON keeps it whole)
TEXT_WIDTH = 48  # a cell of the text format is cut there


def _number(value: float) -> str:
    return f"{round(float(value), 1):g}" if not float(value).is_integer() else f"{int(value):,}"


def figure(side: dict[str, Any] | None) -> str:
    """A side's value with its unit, as a reader writes it."""
    if side is None or side.get("value") is None:
        return "–"
    value, unit = side["value"], side.get("unit")
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return value.replace("_", " ")
    if isinstance(value, list) and value and isinstance(value[0], list):  # a scale's brackets
        return "; ".join(f"{_number(amount)} from {_number(threshold)}" for threshold, amount in value) + f" ({unit})"
    if isinstance(value, list):
        if all(isinstance(item, (int, float)) for item in value):
            return f"{_number(min(value))}–{_number(max(value))} {unit}s"
        return ", ".join(str(item).replace("_", " ") for item in value)
    if unit == "/1":
        return rate(value) or "–"
    if unit == "percent":
        return f"{_number(value)}%"
    if unit == "month" and value >= 12 and float(value) % 12 == 0:
        years = value / 12
        return f"{_number(value)} {noun_for(value, 'month')} ({_number(years)} {noun_for(years, 'year')})"
    if unit in ("month", "week", "day", "year"):
        return f"{_number(value)} {noun_for(value, unit)}"
    if unit:
        return f"{_number(value)} {unit}"
    return _number(value)


def sources(side: dict[str, Any] | None, limit: int = SOURCE_CHARACTERS) -> str:
    """A side's legal references (cut at ``limit`` characters each), or how it was computed."""
    if side is None:
        return "–"
    cut = [text if len(text) <= limit else text[: limit - 1] + "…" for text in side.get("sources") or ()]
    parts = [*cut, side["computed"]] if side.get("computed") else cut
    return "; ".join(parts) or "–"


def status(side: dict[str, Any] | None, said: Callable[[str], str] = str) -> str:
    """A side's status (as ``said`` writes it), and each unverified value it rests on."""
    if side is None:
        return "–"
    shaky = [name for name, value in (side.get("rests_on") or {}).items() if value not in ("verified", "verified_2nd")]
    return said(side["status"]) + (f" ({', '.join(shaky)})" if shaky and len(side.get("rests_on") or {}) > 1 else "")


def code_spans(text: Any) -> Markup:
    """Text for the page, escaped, its Markdown code spans (```reference_amounts.base_salary```) as ``<code>``: the
    page showed the backticks."""
    return Markup(re.sub(r"`([^`<>]+)`", r"<code>\1</code>", str(escape(text))))  # noqa: S704 - escaped first


def verdict(line: dict[str, Any]) -> str:
    return line["verdict"] + (", provisional" if line["provisional"] else "")


def _rows(lines: Sequence[dict[str, Any]]) -> list[list[str]]:
    return [
        [
            str(number),
            line["branch"],
            line["instrument"],
            line["label"],
            figure(line["ilo"]),
            figure(line["national"]),
            verdict(line),
            line["reason"] or "",
        ]
        for number, line in enumerate(lines, 1)
    ]


HEADERS = ["#", "Branch", "Standard", "Requirement", "ILO", "National", "Verdict", "Why"]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(report: dict[str, Any], preface: str = "") -> str:
    """The report as Markdown: per jurisdiction a table of lines, then the articles and statuses of both sides."""
    reform = report["reform"]
    out = [f"# ILO compliance report, {report['date']}" + (f", under the reform `{reform['name']}`" if reform else "")]
    out += ["", preface.strip()] if preface.strip() else []
    if reform:
        out += ["", f"Reform: **{reform['label']}**. {reform['description']}"]
    out += ["", "## Method and assumptions", ""]
    out += [f"- {text}" for text in report["assumptions"]]
    out += ["", "Standard beneficiaries:", ""]
    out += [f"- {branch}: {who}" for branch, who in report["standard_beneficiary"].items()]
    for item in report["jurisdictions"]:
        counts = item["counts"]
        wage = item["reference_wage"]
        out += ["", f"## {item['label']} (`{item['jurisdiction']}`)", ""]
        out += [
            f"Reference wage: {item['currency']} {_number(wage['value']) if wage['value'] else '–'} a month "
            f"({wage['computed']}; "
            f"status: {wage['status']}).",
            "",
        ]
        out += [
            f"Findings: {counts['met']} met, {counts['not met']} not met, {counts['cannot be assessed']} cannot "
            f"be assessed; {counts['provisional']} of the verdicts provisional.",
            "",
        ]
        out += ["| Branch | Standard | Overall | Met | Not met | Cannot be assessed |", "|---|---|---|---:|---:|---:|"]
        out += [
            f"| {row['branch']} | {row['instrument']} | {row['verdict']} | {row['counts']['met']} | "
            f"{row['counts']['not met']} | {row['counts']['cannot be assessed']} |"
            for row in item["summary"]
        ]
        out += [""]
        out.append("| " + " | ".join(HEADERS) + " |")
        out.append("|" + "---|" * len(HEADERS))
        out += ["| " + " | ".join(_cell(cell) for cell in row) + " |" for row in _rows(item["lines"])]
        out += ["", "Articles and statuses (ILO side, then national side):", ""]
        for number, line in enumerate(item["lines"], 1):
            out.append(
                f"{number}. ILO [{status(line['ilo'])}]: {_cell(sources(line['ilo']))}. "
                f"National [{status(line['national'])}]: {_cell(sources(line['national']))}."
            )
    return "\n".join(out) + "\n"


def _short(cell: str, width: int = TEXT_WIDTH) -> str:
    return cell if len(cell) <= width else cell[: width - 1] + "…"


def text(report: dict[str, Any]) -> str:
    """The report as aligned plain text (articles left to the other formats)."""
    out = [
        f"ILO compliance report, {report['date']}"
        + (f", reform {report['reform']['name']}" if report["reform"] else "")
    ]
    for item in report["jurisdictions"]:
        counts = item["counts"]
        rows = [HEADERS[:-1], *([_short(cell) for cell in row[:-1]] for row in _rows(item["lines"]))]
        widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
        out += [
            "",
            f"{item['label']} ({item['jurisdiction']}): {counts['met']} met, {counts['not met']} not met, "
            f"{counts['cannot be assessed']} cannot be assessed, {counts['provisional']} provisional",
        ]
        out += ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    return "\n".join(out) + "\n"


@functools.cache
def template() -> jinja2.Template:
    """The page's template, from the report package's templates (offline: no CDN)."""
    pages = environment().overlay()
    pages.filters.update(
        figure=figure, sources=sources, status=functools.partial(status, said=status_label), code=code_spans
    )
    pages.globals["status_label"] = status_label
    return pages.get_template(TEMPLATE)


def html(report: dict[str, Any]) -> str:
    """The report as a self-contained HTML page."""
    return template().render(report=report)


def render(report: dict[str, Any], output: str, preface: str = "") -> str:
    """The report (``Compliance.to_dict()``) in ``output`` format."""
    if output == "json":
        return json.dumps(report, indent=1, ensure_ascii=False)
    if output == "markdown":
        return markdown(report, preface)
    if output == "html":
        return html(report)
    return text(report)
