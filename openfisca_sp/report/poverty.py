"""The report's poverty and inequality section: a chart and one table per poverty line, from the comparison's
``poverty`` records (:mod:`openfisca_sp.analysis.poverty`).

A headcount or gap without a poverty line reads "not modelled", never zero; the
Gini is given with three decimals and its error bound in the notes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from openfisca_sp.analysis.rows import UNDEFINED
from openfisca_sp.report.charts import COLOURS
from openfisca_sp.report.formatting import NO_ONE, NOT_MODELLED, count, decimal, money, percent, rate, scientific
from openfisca_sp.report.svg import SVG_OPTIONS, Chart, chart, figure, in_sentence, plain
from openfisca_sp.report.tables import Cell, Table, cell, label_cell

SERIES = ("before", "baseline", "reform")
FIGURES = ("headcount", "gap")
SERIES_LABELS = {"before": "Before benefits", "baseline": "Baseline", "reform": "Reform"}
SERIES_COLOURS = {"before": "#d9dee3", "baseline": COLOURS["baseline"], "reform": COLOURS["reform"]}
GROUP_LABELS = {"all": "Everyone", "male": "Men and boys", "female": "Women and girls"}
LINE_LABELS = {
    "national": "the national poverty line",
    "by area": "the rural or urban line of each person's area",
    "rural": "the rural poverty line (applied to everyone)",
    "urban": "the urban poverty line (applied to everyone)",
}
Record = Mapping[str, Any]
PROVISIONAL_POVERTY = (
    "Provisional, resting on values not verified (a benefit added after benefits, or the poverty line)"
)


def _gini(value: float | None) -> str | None:
    return decimal(value, 3)


def _group(record: Record) -> str:
    group = str(record["group"])
    return GROUP_LABELS.get(group, f"Aged {group}")


def _missing(record: Record) -> str:
    """What a record's missing headcount or gap reads: not modelled without a poverty line; with one, the group
    holds no one."""
    return NOT_MODELLED if record["line"] is None else NO_ONE


def _line_caption(records: Sequence[Record], currency: str) -> str:
    first = records[0]
    if first["line"] is None:
        return "Inequality before and after benefits (no poverty line: poverty not modelled)"
    amount = money(first.get("line_value"), currency)
    what = LINE_LABELS.get(str(first["line"]), str(first["line"]))
    return f"Poverty against {what}" + (f" ({amount} per person per month)" if amount else "")


def poverty_table(records: Sequence[Record], currency: str, table_id: str) -> Table:
    """Headcount ratio, poverty gap index and Gini per group, before benefits and after each side's."""
    headers = ["Group", "Population", *[SERIES_LABELS[series] for series in SERIES] * 3]
    rows: list[list[Cell]] = []
    for record in records:
        row = [label_cell(_group(record)), cell(count(record["population"]))]
        row += [cell(rate(record[f"{figure}_{series}"]), _missing(record)) for figure in FIGURES for series in SERIES]
        row += [cell(_gini(record[f"gini_{series}"]), UNDEFINED) for series in SERIES]
        rows.append(row)
    errors = [record["gini_error"] for record in records if record["gini_error"] is not None]
    notes = [f"Gini from a fine income histogram: exact to within ±{scientific(max(errors))}."] if errors else []
    notes += gini_notes(records)
    if records and records[0]["note"]:
        notes.insert(0, f"Headcount and gap {records[0]['note']}.")
    if records and records[0].get("benefits_note"):  # the same on every row; None in a comparison saved before it
        notes.append(f"Poverty and Gini {records[0]['benefits_note']}.")
    provisional = [_group(record) for record in records if record.get("provisional")]
    if provisional:
        notes.append(f"{PROVISIONAL_POVERTY}: {', '.join(provisional)}.")
    groups = [("", 2), ("Headcount ratio", 3), ("Poverty gap index", 3), ("Gini coefficient", 3)]
    return Table(table_id, _line_caption(records, currency), headers, rows, groups, notes)


def gini_notes(records: Sequence[Record]) -> list[str]:
    """Why a Gini coefficient is undefined, each reason once with the groups it holds for."""
    groups: dict[str, list[str]] = {}
    for record in records:
        if record.get("gini_note"):
            groups.setdefault(record["gini_note"], []).append(_group(record))
    return [f"Gini coefficient {note} ({', '.join(names)})." for note, names in groups.items()]


def _by_line(records: Sequence[Record]) -> dict[str | None, list[Record]]:
    lines: dict[str | None, list[Record]] = {}
    for record in records:
        lines.setdefault(record["line"], []).append(record)
    return lines


def poverty_chart(records: Sequence[Record]) -> Chart:
    """Headcount ratio per group before benefits, after the baseline's and after the reform's (the Gini when
    there is no poverty line), for the first line."""
    modelled = records[0]["line"] is not None
    figure_name = "headcount" if modelled else "gini"
    labels = [_group(record) for record in records]
    values = {series: [record[f"{figure_name}_{series}"] for record in records] for series in SERIES}
    height = 0.27
    with matplotlib.rc_context(SVG_OPTIONS):
        drawing, (axes,) = figure(7.5, 1.0 + 0.75 * len(records))
        for offset, series in zip((-height, 0.0, height), SERIES, strict=True):
            for position, value in enumerate(values[series]):
                if value is not None:
                    axes.barh(position + offset, value, height, color=SERIES_COLOURS[series])
        axes.set_yticks(range(len(labels)), [plain(label) for label in labels])
        axes.set_ylim(len(labels) - 0.5, -0.5)
        if modelled:
            axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _: percent(value, 0)))
            axes.set_xlabel("share of the group below the poverty line")
        else:
            axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _: decimal(value, 2)))
            axes.set_xlabel("Gini coefficient of household income per person")
        drawing.legend(
            handles=[Patch(color=SERIES_COLOURS[series], label=SERIES_LABELS[series]) for series in SERIES],
            loc="outside upper right",
            ncols=3,
            fontsize=8,
            frameon=False,
        )
        against = f" (against {LINE_LABELS.get(str(records[0]['line']), records[0]['line'])})" if modelled else ""
        title = f"Poverty headcount before and after benefits{against}"
        title = title if modelled else "Inequality before and after benefits"
        text = rate if modelled else _gini
        missing = [_missing(record) if modelled else UNDEFINED for record in records]
        parts = [
            f"{label}: " + ", ".join(f"{SERIES_LABELS[s].lower()} {text(values[s][i]) or missing[i]}" for s in SERIES)
            for i, label in enumerate(labels)
        ]
        return chart(drawing, "chart-poverty", title, f"Bar chart, {in_sentence(title)}, by group. {'; '.join(parts)}.")


def poverty_section(records: Sequence[Record] | None, currency: str) -> dict[str, Any] | None:
    """The section's chart and tables (``None`` for a comparison saved before poverty was measured)."""
    if not records:
        return None
    lines = _by_line(records)
    tables = [
        poverty_table(rows, currency, f"table-poverty-{index}") for index, rows in enumerate(lines.values(), start=1)
    ]
    return {"chart": poverty_chart(next(iter(lines.values()))), "tables": tables}
