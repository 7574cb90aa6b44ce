"""The HTML report an analyst shares after comparing a reform with the baseline.

:func:`render_report` turns ``Comparison.to_dict()`` into one self-contained
HTML document: what the figures rest on, the reform and its references, four
charts (inline SVG drawn by matplotlib) and the tables. ``None`` in the
comparison means "not modelled": the report says so and never shows or plots it
as zero. All text from the comparison is escaped by Jinja2.
"""

from __future__ import annotations

import datetime
import functools
import io
import re
import textwrap
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import matplotlib
from markupsafe import Markup, escape
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

ALL = "all"
NOT_MODELLED = "not modelled"
NONE = "–"  # a ratio without a denominator (no beneficiaries, no winners): nothing to show
SIDES = ("baseline", "reform")
SIDE_LABELS = {"baseline": "Baseline", "reform": "Reform"}
COLOURS = {"baseline": "#9aa5b1", "reform": "#1f5f99", "gain": "#2e7d4f", "loss": "#b83a2e", "muted": "#5f6b76"}
DIMENSION_TITLES = {"sex": "By sex", "age_group": "By age group", "income_decile": "By income decile"}
SEX_LABELS = {"all": "All", "male": "Male", "female": "Female"}
SVG_OPTIONS = {"svg.fonttype": "none", "font.size": 9, "axes.spines.top": False, "axes.spines.right": False}
NO_METADATA = {"Creator": None, "Date": None, "Format": None, "Type": None}

Row = Mapping[str, Any]


# --- numbers -------------------------------------------------------------------------------------------------------


def _fixed(value: float, digits: int = 0, signed: bool = False) -> str:
    value = round(float(value), digits) + 0.0  # no "-0"
    sign = "+" if signed and value != 0 else ""
    return f"{value:{sign},.{digits}f}"


def count(value: float | None, signed: bool = False) -> str | None:
    """A weighted count with thousands separators (``None`` stays ``None``)."""
    return None if value is None else _fixed(value, 0, signed)


def money(value: float | None, currency: str, signed: bool = False) -> str | None:
    """An amount with its currency code; cents only for small amounts."""
    if value is None:
        return None
    digits = 0 if abs(value) >= 100 or float(value).is_integer() else 2
    return f"{currency}\u00a0{_fixed(value, digits, signed)}"


def rate(value: float | None) -> str | None:
    """A share as a percentage with one decimal."""
    return None if value is None else f"{_fixed(value * 100, 1)}%"


def points(value: float | None) -> str | None:
    """A change of rate in percentage points."""
    return None if value is None else f"{_fixed(value * 100, 1, signed=True)}\u00a0pp"


def compact(value: float) -> str:
    """A short axis label: 1.2k, 3.4M, 5.6bn."""
    for size, suffix in ((1e9, "bn"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:,.1f}".rstrip("0").rstrip(".") + suffix
    return f"{value:,.0f}"


def _share(part: float | None, whole: float | None) -> float | None:
    return part / whole if part is not None and whole else None


def _difference(new: float | None, old: float | None) -> float | None:
    return new - old if new is not None and old is not None else None


def month_label(month: str) -> str:
    """``2026-10`` as ``October 2026`` (anything else unchanged)."""
    try:
        return datetime.datetime.strptime(str(month), "%Y-%m").strftime("%B %Y")
    except ValueError:
        return str(month)


# --- tables --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One table cell: its text, an optional second line, and how it reads (number, text, not modelled)."""

    text: str
    sub: str = ""
    kind: str = "num"


@dataclass
class Table:
    """A table for the template: caption, optional header groups, headers, rows of cells and notes."""

    id: str
    caption: str
    headers: list[str]
    rows: list[list[Cell]]
    groups: list[tuple[str, int]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def cell(text: str | None, missing: str = NOT_MODELLED, sub: str = "") -> Cell:
    """A number cell; a missing value reads ``missing`` (by default "not modelled")."""
    if text is None:
        return Cell(missing, sub, "nm" if missing == NOT_MODELLED else "num")
    return Cell(text, sub)


def label_cell(text: Any) -> Cell:
    return Cell(str(text), kind="text")


def _average_cell(row: Row, side: str, currency: str) -> Cell:
    missing = NOT_MODELLED if row.get(f"{side}_cost") is None else NONE
    return cell(money(row.get(f"{side}_average_benefit"), currency), missing)


def _people_cell(value: float | None, population: float | None) -> Cell:
    share = rate(_share(value, population))
    return cell(count(value), sub=f"{share} of the group" if share else "")


def branch_rows(comparison: Mapping[str, Any]) -> list[Row]:
    """The rows of the branch table, the "all benefits" row last."""
    rows = comparison.get("branches") or []
    return [row for row in rows if row.get("branch") != ALL] + [row for row in rows if row.get("branch") == ALL]


def branches_table(rows: Sequence[Row], currency: str) -> Table:
    """Beneficiaries and monthly cost per branch, baseline and reform."""
    body = [
        [
            label_cell(row.get("label") or row.get("branch")),
            cell(count(row.get("baseline_beneficiaries"))),
            cell(count(row.get("reform_beneficiaries"))),
            cell(count(row.get("beneficiaries_change"), signed=True)),
            cell(money(row.get("baseline_cost"), currency)),
            cell(money(row.get("reform_cost"), currency)),
            cell(money(row.get("cost_change"), currency, signed=True)),
        ]
        for row in rows
    ]
    headers = ["Branch", "Baseline", "Reform", "Change", "Baseline", "Reform", "Change"]
    groups = [("", 1), ("Beneficiaries", 3), ("Cost per month", 3)]
    notes = [f"{row.get('label') or row.get('branch')}: {row['note']}" for row in rows if row.get("note")]
    return Table("table-branches", "Beneficiaries and cost by branch", headers, body, groups, notes)


def outcomes_table(rows: Sequence[Row], currency: str) -> Table:
    """Average benefit, winners and losers per branch."""
    body = [
        [
            label_cell(row.get("label") or row.get("branch")),
            _average_cell(row, "baseline", currency),
            _average_cell(row, "reform", currency),
            cell(count(row.get("winners"))),
            cell(money(row.get("average_gain"), currency), NONE),
            cell(count(row.get("losers"))),
            cell(money(row.get("average_loss"), currency), NONE),
        ]
        for row in rows
    ]
    headers = ["Branch", "Baseline", "Reform", "Winners", "Average gain", "Losers", "Average loss"]
    groups = [("", 1), ("Average benefit", 2), ("Winners and losers", 4)]
    return Table("table-outcomes", "Average benefit, winners and losers by branch", headers, body, groups)


def _group_label(dimension: str, group: Any) -> str:
    return SEX_LABELS.get(str(group), str(group)) if dimension == "sex" else str(group)


def _in_order(values: Iterable[Any]) -> list[Any]:
    return list(dict.fromkeys(values))


def dimension_all_table(dimension: str, rows: Sequence[Row], currency: str) -> Table:
    """All benefits together, one row per group of a dimension."""
    body = [
        [
            label_cell(_group_label(dimension, row.get("group"))),
            cell(count(row.get("population"))),
            cell(count(row.get("baseline_beneficiaries"))),
            cell(count(row.get("reform_beneficiaries"))),
            cell(money(row.get("baseline_cost"), currency)),
            cell(money(row.get("reform_cost"), currency)),
            cell(money(row.get("cost_change"), currency, signed=True)),
            _people_cell(row.get("winners"), row.get("population")),
            _people_cell(row.get("losers"), row.get("population")),
        ]
        for row in rows
        if row.get("branch") == ALL
    ]
    headers = ["Group", "Population", "Baseline", "Reform", "Baseline", "Reform", "Change", "Winners", "Losers"]
    groups = [("", 2), ("Beneficiaries", 2), ("Cost per month", 3), ("", 2)]
    title = DIMENSION_TITLES.get(dimension, dimension).lower()
    return Table(f"table-{dimension}", f"All benefits, {title}", headers, body, groups)


def _branch_group_cell(row: Row | None, currency: str) -> Cell:
    if row is None:
        return Cell(NONE)
    change = count(row.get("beneficiaries_change"), signed=True)
    cost = money(row.get("cost_change"), currency, signed=True)
    return Cell(f"{count(row.get('reform_beneficiaries'))} ({change})", f"cost {cost or NOT_MODELLED}")


def dimension_branch_table(dimension: str, rows: Sequence[Row], currency: str) -> Table:
    """Per branch, compactly: beneficiaries under the reform (change) and the change in cost, per group."""
    branch_rows_ = [row for row in rows if row.get("branch") != ALL]
    branches = _in_order((row.get("branch"), row.get("label") or row.get("branch")) for row in branch_rows_)
    groups = _in_order(row.get("group") for row in branch_rows_)
    index = {(row.get("group"), row.get("branch")): row for row in branch_rows_}
    body = [
        [
            label_cell(_group_label(dimension, group)),
            *(_branch_group_cell(index.get((group, code)), currency) for code, _ in branches),
        ]
        for group in groups
    ]
    title = DIMENSION_TITLES.get(dimension, dimension).lower()
    caption = f"Per branch, {title}: beneficiaries under the reform (change) and change in monthly cost"
    return Table(f"table-{dimension}-branches", caption, ["Group", *(label for _, label in branches)], body)


def _either(missing: Mapping[str, str]) -> str:
    """What a change reads when it is missing: "not modelled" if either side is."""
    return NOT_MODELLED if NOT_MODELLED in missing.values() else NONE


def coverage_table(rows: Sequence[Row]) -> Table:
    """SDG 1.3.1 coverage per indicator and sex, baseline and reform."""
    body = []
    for row in rows:
        missing = {side: NOT_MODELLED if row.get(f"{side}_covered") is None else NONE for side in SIDES}
        body.append(
            [
                label_cell(row.get("label") or row.get("indicator")),
                label_cell(SEX_LABELS.get(str(row.get("sex")), row.get("sex"))),
                cell(count(row.get("population"))),
                *(
                    cell(rate(row.get(f"{side}_rate")), missing[side], count(row.get(f"{side}_covered")) or "")
                    for side in SIDES
                ),
                cell(points(_difference(row.get("reform_rate"), row.get("baseline_rate"))), _either(missing)),
            ]
        )
    headers = ["Indicator", "Sex", "Population", "Baseline", "Reform", "Change"]
    groups = [("", 3), ("Share covered (persons covered)", 3)]
    definitions = _in_order(
        f"{row.get('label') or row.get('indicator')}: {row['definition']}" for row in rows if row.get("definition")
    )
    notes = _in_order(f"{row.get('label') or row.get('indicator')}: {row['note']}" for row in rows if row.get("note"))
    return Table("table-coverage", "SDG 1.3.1 coverage by sex", headers, body, groups, [*definitions, *notes])


# --- charts --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Chart:
    """A chart for the template: id, title, a text alternative and the inline SVG."""

    id: str
    title: str
    description: str
    svg: Markup


def _plain(text: Any, width: int = 30) -> str:
    """Chart text as plain text (no mathtext), wrapped."""
    return "\n".join(textwrap.wrap(str(text), width)).replace("$", r"\$") or " "


def _figure(width: float, height: float, columns: int = 1) -> tuple[Figure, list[Axes]]:
    figure = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(figure)
    return figure, list(figure.subplots(1, columns, squeeze=False)[0])


def _prefix_ids(svg: str, prefix: str) -> str:
    """Make the SVG's ids (and references to them) unique in the page."""
    svg = re.sub(r'\bid="', f'id="{prefix}-', svg)
    svg = svg.replace("url(#", f"url(#{prefix}-")
    return re.sub(r'(\bhref=)"#', rf'\1"#{prefix}-', svg)


def _svg(figure: Figure, chart_id: str, title: str, description: str) -> Markup:
    """The figure as inline SVG with an accessible title and description."""
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": chart_id}):
        figure.savefig(buffer, format="svg", metadata=NO_METADATA)
    text = _prefix_ids(buffer.getvalue(), chart_id)
    text = text[text.index("<svg") :]
    end = text.index(">") + 1
    opening = text[:end].replace("<svg ", f'<svg role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" ', 1)
    label = (
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(description)}</desc>'
    )
    return Markup(opening + label + text[end:])  # noqa: S704 - matplotlib escapes its text; ours is escaped above


def _paired_bars(
    axes: Axes, labels: Sequence[str], values: Mapping[str, Sequence[float | None]], text: Callable[[float], str]
) -> None:
    """Horizontal baseline and reform bars per label; a missing value gets no bar but a "not modelled" label."""
    height = 0.4
    present = [value for side in SIDES for value in values[side] if value is not None]
    top = max([0.0, *present]) or 1.0
    for offset, side in zip((-height / 2, height / 2), SIDES, strict=True):
        for position, value in enumerate(values[side]):
            y = position + offset
            if value is None:
                axes.text(0, y, f" {NOT_MODELLED}", va="center", fontsize=8, style="italic", color=COLOURS["muted"])
                continue
            axes.barh(y, value, height, color=COLOURS[side], label=SIDE_LABELS[side] if position == 0 else None)
            axes.text(value, y, f" {text(value)}", va="center", fontsize=8)
    axes.set_yticks(range(len(labels)), [_plain(label) for label in labels])
    axes.set_xlim(0, top * 1.3)
    axes.set_ylim(max(len(labels), 1) - 0.5, -0.5)
    axes.figure.legend(
        handles=[Patch(color=COLOURS[side], label=SIDE_LABELS[side]) for side in SIDES],
        loc="outside upper right",
        ncols=2,
        fontsize=8,
        frameon=False,
    )


def _pairs_description(labels: Sequence[str], values: Mapping[str, Sequence[float | None]], text: Callable) -> str:
    parts = []
    for index, label in enumerate(labels):
        sides = [f"{side} {text(values[side][index]) or NOT_MODELLED}" for side in SIDES]
        parts.append(f"{label}: {', '.join(sides)}")
    return "; ".join(parts) + "."


def _amount(value: float | None, currency: str) -> str | None:
    """In full: money when there is a currency, else a count."""
    return money(value, currency) if currency else count(value)


def _short_amount(value: float, currency: str) -> str:
    """Compactly, for a bar's label."""
    return f"{currency}\u00a0{compact(value)}" if currency else count(value) or ""


def branch_chart(rows: Sequence[Row], metric: str, chart_id: str, title: str, currency: str = "") -> Chart:
    """Baseline and reform ``metric`` per branch (not the total) as paired bars; money if ``currency``."""
    rows = [row for row in rows if row.get("branch") != ALL]
    labels = [str(row.get("label") or row.get("branch")) for row in rows]
    values = {side: [row.get(f"{side}_{metric}") for row in rows] for side in SIDES}
    figure, (axes,) = _figure(7.5, 0.9 + 0.6 * max(len(rows), 1))
    _paired_bars(axes, labels, values, lambda value: _short_amount(value, currency))
    axes.set_xlabel(f"{currency} per month" if currency else "persons (weighted)")
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _: compact(value)))
    summary = _pairs_description(labels, values, lambda value: _amount(value, currency))
    description = f"Bar chart, {title.lower()}, baseline and reform. {summary}"
    return Chart(chart_id, title, description, _svg(figure, chart_id, title, description))


def _decile_values(rows: Sequence[Row]) -> tuple[list[str], dict[str, list[float | None]]]:
    rows = [row for row in rows if row.get("branch") == ALL]
    values = {
        "gaining": [_share(row.get("winners"), row.get("population")) for row in rows],
        "losing": [_share(row.get("losers"), row.get("population")) for row in rows],
        "average_gain": [row.get("average_gain") for row in rows],
        "average_loss": [row.get("average_loss") for row in rows],
    }
    return [str(row.get("group")) for row in rows], values


def _signed_bars(axes: Axes, labels: Sequence[str], up: Sequence[float | None], down: Sequence[float | None]) -> None:
    """Bars above zero (gains, green) and below zero (losses, red); missing values are left out."""
    for values, sign, colour in ((up, 1, COLOURS["gain"]), (down, -1, COLOURS["loss"])):
        kept = [(index, value) for index, value in enumerate(values) if value]
        axes.bar([index for index, _ in kept], [sign * value for _, value in kept], 0.7, color=colour)
    axes.axhline(0, color="#333333", linewidth=0.8)
    axes.set_xticks(range(len(labels)), [_plain(label, 8) for label in labels])
    if not any(up) and not any(down):
        axes.text(0.5, 0.5, "no one gains or loses", transform=axes.transAxes, ha="center", color=COLOURS["muted"])


def decile_chart(rows: Sequence[Row], currency: str) -> Chart:
    """Share of each income decile gaining and losing (all benefits), and the average gain and loss."""
    labels, values = _decile_values(rows)
    figure, (shares, averages) = _figure(9, 3.4, columns=2)
    _signed_bars(shares, labels, values["gaining"], values["losing"])
    shares.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{abs(value) * 100:.0f}%"))
    shares.set_title("Share of the decile's population gaining / losing", fontsize=9)
    _signed_bars(averages, labels, values["average_gain"], values["average_loss"])
    averages.yaxis.set_major_formatter(FuncFormatter(lambda value, _: compact(abs(value))))
    averages.set_title(f"Average gain / loss per person affected ({currency} per month)", fontsize=9)
    figure.legend(
        handles=[
            Patch(color=COLOURS["gain"], label="Gaining"),
            Patch(color=COLOURS["loss"], label="Losing"),
        ],
        loc="outside lower center",
        ncols=2,
        fontsize=8,
        frameon=False,
    )
    title = "Winners and losers by income decile"
    parts = [
        f"{label}: {rate(values['gaining'][index]) or NONE} gain, {rate(values['losing'][index]) or NONE} lose, "
        f"average gain {money(values['average_gain'][index], currency) or NONE}, "
        f"average loss {money(values['average_loss'][index], currency) or NONE}"
        for index, label in enumerate(labels)
    ]
    description = f"Bar charts of winners and losers of the reform (all benefits) by income decile. {'; '.join(parts)}."
    return Chart("chart-deciles", title, description, _svg(figure, "chart-deciles", title, description))


def coverage_chart(rows: Sequence[Row]) -> Chart:
    """SDG 1.3.1 coverage for everyone (sex ``all``) before and after the reform, in percent."""
    rows = [row for row in rows if row.get("sex") == ALL]
    labels = [str(row.get("label") or row.get("indicator")) for row in rows]
    values = {side: [_percent(row.get(f"{side}_rate")) for row in rows] for side in SIDES}
    figure, (axes,) = _figure(7.5, 0.9 + 0.6 * max(len(rows), 1))
    _paired_bars(axes, labels, values, lambda value: f"{value:.1f}%")
    axes.set_xlim(0, 125)
    axes.set_xticks([0, 25, 50, 75, 100])
    axes.set_xlabel("% of the group covered")
    title = "Coverage before and after the reform (SDG 1.3.1)"
    description = f"Bar chart, coverage in percent, baseline and reform. {_pairs_description(labels, values, _pct)}"
    return Chart("chart-coverage", title, description, _svg(figure, "chart-coverage", title, description))


def _percent(value: float | None) -> float | None:
    return None if value is None else value * 100


def _pct(value: float | None) -> str | None:
    return None if value is None else f"{value:.1f}%"


def charts(comparison: Mapping[str, Any], currency: str) -> list[Chart]:
    """The four charts, in the report's order."""
    branches = branch_rows(comparison)
    deciles = (comparison.get("breakdowns") or {}).get("income_decile") or []
    with matplotlib.rc_context(SVG_OPTIONS):
        return [
            branch_chart(branches, "cost", "chart-cost", "Monthly cost by branch", currency),
            decile_chart(deciles, currency),
            coverage_chart(comparison.get("coverage") or []),
            branch_chart(branches, "beneficiaries", "chart-beneficiaries", "Beneficiaries by branch"),
        ]


# --- document ------------------------------------------------------------------------------------------------------


def _safe_href(href: Any) -> str | None:
    """Only web links become links (no ``javascript:`` and the like)."""
    text = str(href or "").strip()
    return text if text.lower().startswith(("https://", "http://")) else None


def _reform(meta: Mapping[str, Any]) -> dict[str, Any]:
    reform = meta.get("reform") or {}
    description = str(reform.get("description") or "")
    paragraphs = [" ".join(block.split()) for block in description.split("\n\n") if block.strip()]
    references = [
        {"instrument": ref.get("instrument"), "article": ref.get("article"), "href": _safe_href(ref.get("href"))}
        for ref in reform.get("references") or []
    ]
    return {
        "label": reform.get("label") or reform.get("name") or "Reform",
        "paragraphs": paragraphs,
        "refs": references,
    }


def _provisional(rows: Sequence[Row]) -> list[str]:
    return [
        str(row.get("label") or row.get("branch")) for row in rows if row.get("provisional") and row["branch"] != ALL
    ]


def context(comparison: Mapping[str, Any]) -> dict[str, Any]:
    """Everything the template shows, formatted."""
    meta = comparison.get("meta") or {}
    currency = str(meta.get("currency") or "")
    rows = branch_rows(comparison)
    breakdowns = comparison.get("breakdowns") or {}
    rules = meta.get("rules") or {}
    provisional = _provisional(rows)
    return {
        "meta": meta,
        "rules": f"{rules.get('package', '')} {rules.get('version', '')}".strip() or NONE,
        "jurisdiction": meta.get("jurisdiction_label") or meta.get("jurisdiction") or NONE,
        "month": month_label(meta.get("month", "")),
        "currency": currency,
        "persons": count(meta.get("persons")) or NONE,
        "households": count(meta.get("households")) or NONE,
        "provisional": provisional or (["all branches"] if any(row.get("provisional") for row in rows) else []),
        "reform": _reform(meta),
        "charts": charts(comparison, currency),
        "tables": [branches_table(rows, currency), outcomes_table(rows, currency)],
        "dimensions": [
            {
                "title": DIMENSION_TITLES.get(name, name),
                "tables": [dimension_all_table(name, data, currency), dimension_branch_table(name, data, currency)],
            }
            for name, data in breakdowns.items()
        ],
        "coverage": coverage_table(comparison.get("coverage") or []),
    }


TEMPLATE = """\
{% macro render_table(table) %}
<table id="{{ table.id }}">
<caption>{{ table.caption }}</caption>
<thead>
{% if table.groups %}<tr class="groups">
{%- for name, span in table.groups %}<th colspan="{{ span }}">{{ name }}</th>{% endfor %}</tr>
{% endif %}
<tr>
{%- for header in table.headers %}<th scope="col"{% if loop.first %} class="text"{% endif %}>{{ header }}</th>
{%- endfor %}</tr>
</thead>
<tbody>
{% for row in table.rows %}<tr>
{%- for cell in row %}{% if cell.kind == "text" %}<th scope="row" class="text">{{ cell.text }}</th>
{%- else %}<td class="{{ cell.kind }}">{{ cell.text }}
{%- if cell.sub %}<span class="sub">{{ cell.sub }}</span>{% endif %}</td>
{%- endif %}{% endfor %}</tr>
{% endfor %}
</tbody>
</table>
{% if table.notes %}<ul class="notes fine">{% for note in table.notes %}<li>{{ note }}</li>{% endfor %}</ul>{% endif %}
{% endmacro %}
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ reform.label }} – {{ jurisdiction }}, {{ month }}</title>
<style>
:root { --ink: #1d2731; --muted: #5f6b76; --line: #d5dbe1; --soft: #f3f5f7; --accent: #1f5f99; --warn: #8a4b00; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: var(--ink);
       line-height: 1.45; margin: 0 auto; max-width: 1100px; padding: 1.5rem 1.25rem 3rem; font-size: 15px; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; line-height: 1.25; }
h2 { font-size: 1.25rem; margin: 2.2rem 0 .75rem; padding-bottom: .3rem; border-bottom: 2px solid var(--accent); }
h3 { font-size: 1.05rem; margin: 1.6rem 0 .5rem; }
.subtitle { color: var(--muted); margin: 0 0 1.25rem; }
.about { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: .9rem 1.1rem; }
.about h2 { margin-top: 0; border: 0; padding: 0; font-size: 1.1rem; }
.about dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0 0 .6rem; }
.about dt { font-weight: 600; }
.about dd { margin: 0; }
.warning { border-left: 5px solid var(--warn); background: #fff4e5; color: #4a2a00; padding: .6rem .9rem;
           margin: .75rem 0; border-radius: 4px; }
.fine { color: var(--muted); font-size: .9rem; }
figure { margin: 1rem 0 1.75rem; page-break-inside: avoid; break-inside: avoid; }
figure svg { max-width: 100%; height: auto; display: block; }
figcaption { font-weight: 600; margin-bottom: .4rem; }
figure details { font-size: .85rem; color: var(--muted); margin-top: .3rem; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 .3rem; font-size: .85rem;
        page-break-inside: auto; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
th, td { padding: .3rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
thead th { background: var(--soft); text-align: right; white-space: nowrap; }
thead th.text, thead tr.groups th { text-align: left; }
thead tr.groups th { border-bottom: 0; color: var(--muted); font-weight: 600; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.nm { text-align: right; font-style: italic; color: var(--muted); white-space: nowrap; }
td .sub { display: block; color: var(--muted); font-size: .8rem; }
tbody tr:last-child td { border-bottom: 2px solid var(--ink); }
tr { page-break-inside: avoid; break-inside: avoid; }
ul.notes { margin: .2rem 0 1rem; padding-left: 1.2rem; }
a { color: var(--accent); }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  h2 { page-break-after: avoid; break-after: avoid; }
  a { color: inherit; }
  a[href]::after { content: " (" attr(href) ")"; font-size: .8em; color: var(--muted); }
  .about, .warning, thead th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
@page { margin: 14mm; }
</style>
</head>
<body>
<header>
<h1>{{ reform.label }}</h1>
<p class="subtitle">Reform compared with the baseline rules · {{ jurisdiction }} · {{ month }}</p>
</header>

<section class="about" id="about">
<h2>What this is</h2>
<dl>
<dt>Rules</dt><dd>{{ rules }}</dd>
<dt>Jurisdiction</dt><dd>{{ jurisdiction }}</dd>
<dt>Month evaluated</dt><dd>{{ month }}</dd>
<dt>Population</dt><dd>{{ persons }} persons in {{ households }} households
{%- if meta.source %} (source: {{ meta.source }}){% else %} (no source file named){% endif %}</dd>
{% if meta.created %}<dt>Created</dt><dd>{{ meta.created }}</dd>{% endif %}
</dl>
<p>Amounts are monthly amounts payable in {{ month }}, in {{ currency }}. Counts and amounts are weighted totals
for the population (survey weights). “Not modelled” means the rules have no source for that amount or rule:
it is left out, never counted as zero.</p>
{% if provisional %}
<p class="warning" role="alert"><strong>Provisional results.</strong> Some results rest on law not yet verified
({{ provisional | join(", ") }}). Check them before relying on them.</p>
{% else %}
<p>No result rests on provisional (unverified) law.</p>
{% endif %}
{% if meta.notes %}
<p><strong>Notes on the data</strong></p>
<ul class="notes">
{% for note in meta.notes %}<li>{{ note }}</li>
{% endfor %}
</ul>
{% endif %}
</section>

<section id="reform">
<h2>The reform</h2>
{% for paragraph in reform.paragraphs %}<p>{{ paragraph }}</p>
{% endfor %}
{% if reform.refs %}
<h3>References</h3>
<ul>
{% for ref in reform.refs %}<li>{{ ref.instrument }}{% if ref.article %}, {{ ref.article }}{% endif %}
{%- if ref.href %} – <a href="{{ ref.href }}">{{ ref.href }}</a>{% endif %}</li>
{% endfor %}
</ul>
{% endif %}
</section>

<section id="charts">
<h2>Charts</h2>
{% for chart in charts %}
<figure id="{{ chart.id }}">
<figcaption>{{ loop.index }}. {{ chart.title }}</figcaption>
{{ chart.svg }}
<details><summary>Figures in this chart</summary><p>{{ chart.description }}</p></details>
</figure>
{% endfor %}
</section>

<section id="tables">
<h2>Tables</h2>
<h3>Branches</h3>
{% for table in tables %}{{ render_table(table) }}{% endfor %}
{% for dimension in dimensions %}
<h3>{{ dimension.title }}</h3>
{% for table in dimension.tables %}{{ render_table(table) }}{% endfor %}
{% endfor %}
<h3>Coverage by sex</h3>
{{ render_table(coverage) }}
</section>
</body>
</html>
"""


@functools.cache
def template() -> jinja2.Template:
    """The report's Jinja2 template (compiled once)."""
    environment = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    return environment.from_string(TEMPLATE)


def render_report(comparison: dict) -> str:
    """The comparison (``Comparison.to_dict()``) as a complete, self-contained HTML document."""
    return template().render(**context(comparison))


def write_report(comparison: dict, path: str | Path) -> Path:
    """Write the report to ``path`` (UTF-8) and return the path."""
    path = Path(path)
    path.write_text(render_report(comparison), encoding="utf-8")
    return path
