"""A projection (``Projection.to_dict()``) as a self-contained HTML report: charts over the years, the table by
year, and every assumption with its source and status (``templates/projection.html.j2``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib.ticker import Formatter, FuncFormatter

from openfisca_sp.report.charts import SIDE_LABELS, CompactTicks, ShareOfPopulation
from openfisca_sp.report.formatting import (
    DEFAULT_LOCALE,
    NOT_MODELLED,
    compact,
    count,
    decimal,
    formatted_in,
    money,
    month_label,
    percent,
    report_locale,
    timestamp,
)
from openfisca_sp.report.projection_assumptions import assumption_label, assumptions_table
from openfisca_sp.report.render import environment
from openfisca_sp.report.svg import SVG_OPTIONS, Chart, chart, figure, in_sentence
from openfisca_sp.report.tables import Cell, Table, cell, label_cell
from openfisca_sp.rules.wording import counted, span

TEMPLATE = "projection.html.j2"
SIDES = ("baseline", "reform")
PROVISIONAL_FIGURES = {  # a year row's flag, and the figures it says rest on unverified values (and their verb)
    "provisional": ("the totals", "rest"),
    "older_persons_coverage_provisional": ("the coverage of older persons", "rests"),
    "poverty_provisional": ("the poverty and inequality figures", "rest"),
}
STYLES = {"baseline": {"color": "#5f6b76", "linestyle": "--"}, "reform": {"color": "#1f5f99", "linestyle": "-"}}

Row = Mapping[str, Any]


def _series(rows: Sequence[Row], side: str, key: str) -> tuple[list[int], list[float | None]]:
    chosen = [row for row in rows if row["side"] == side]
    return [row["year"] for row in chosen], [row[key] for row in chosen]


def line_chart(
    rows: Sequence[Row],
    key: str,
    chart_id: str,
    title: str,
    label: str,
    text: Callable[[float], str | None],
    ticks: Formatter | None = None,
) -> Chart | None:
    """``key`` over the years, baseline and reform as two lines (a dashed one for the baseline); the axis' ticks
    written by ``ticks`` (default: ``text``); None when neither side's figure is modelled."""
    drawing, (axes,) = figure(7.5, 3.2)
    summary: list[str] = []
    for side in SIDES:
        years, values = _series(rows, side, key)
        points = [(year, value) for year, value in zip(years, values, strict=True) if value is not None]
        if not points:
            summary.append(f"{side}: not modelled")
            continue
        marker = {"marker": "o"} if len(points) == 1 else {}  # a single year is a point, not a line of none
        axes.plot(
            [year for year, _ in points],
            [value for _, value in points],
            label=SIDE_LABELS[side],
            **STYLES[side],
            **marker,
        )
        first, last = points[0], points[-1]
        told = f"{text(first[1])} in {first[0]}"
        summary.append(f"{side}: {told}" if first == last else f"{side}: {told}, {text(last[1])} in {last[0]}")
    if all(text.endswith("not modelled") for text in summary):
        return None
    years = sorted({row["year"] for row in rows})
    first, last = years[0], years[-1]
    # the axis runs from the first year to the last, each labelled (matplotlib's ran to 2056 for a projection ending
    # in 2055, and labelled 2028 first for one starting in 2026); around a single year, a year each side
    axes.set_xlim(first - 1, last + 1) if first == last else axes.set_xlim(first, last)
    axes.set_xticks(year_ticks(first, last))
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:.0f}"))
    axes.set_ylabel(label)
    axes.yaxis.set_major_formatter(ticks or FuncFormatter(lambda value, _: text(value) or ""))
    axes.legend(frameon=False)
    axes.grid(axis="y", color="#d5dbe1", linewidth=0.6)
    return chart(drawing, chart_id, title, f"Line chart, {in_sentence(title)}, by year. " + "; ".join(summary) + ".")


YEAR_STEPS = (1, 2, 5, 10, 20, 50)  # years between ticks: the first that gives at most MOST_YEAR_TICKS
MOST_YEAR_TICKS = 9


def year_ticks(first: int, last: int) -> list[int]:
    """The years an axis from ``first`` to ``last`` labels: both, and the round years between them (2026, 2030,
    2035 … 2050, 2055), none closer to another than half a step."""
    step = next((step for step in YEAR_STEPS if (last - first) / step < MOST_YEAR_TICKS), YEAR_STEPS[-1])
    between = range(first - first % step + step, last, step)
    kept = [year for year in between if year - first > step / 2 and last - year > step / 2]
    return sorted({first, *kept, last})


def charts(rows: Sequence[Row], currency: str) -> list[Chart]:
    """Cost as a share of GDP, cost in currency, beneficiaries, older persons' coverage and poverty, by year
    (those modelled)."""
    with matplotlib.rc_context(SVG_OPTIONS):  # text as text, as the comparison's charts: the reader's fonts
        drawn = _drawn(rows, currency)
    return [chart for chart in drawn if chart is not None]


def _drawn(rows: Sequence[Row], currency: str) -> list[Chart | None]:
    """:func:`charts`' charts, None where a figure is modelled on neither side."""
    share = lambda value: percent(value, 2)  # noqa: E731 - a formatter
    return [
        line_chart(
            rows, "cost_share_of_gdp", "cost-gdp", "Cost as a share of GDP", "share of GDP", share, ShareOfPopulation()
        ),
        line_chart(
            rows,
            "cost",
            "cost",
            f"Cost per year ({currency})",
            currency,
            lambda value: compact(value, currency),
            CompactTicks(currency),
        ),
        line_chart(
            rows,
            "beneficiaries",
            "beneficiaries",
            "Beneficiaries",
            "persons",
            lambda value: compact(value),
            CompactTicks(),
        ),
        line_chart(
            rows,
            "older_persons_coverage",
            "coverage",
            "Older persons receiving a pension (SDG 1.3.1)",
            "share of older persons",
            lambda value: percent(value, 2),  # as the years' table gives it (1.64%, not 2%)
            ShareOfPopulation(),
        ),
        line_chart(
            rows,
            "poverty_headcount",
            "poverty",
            "Poverty headcount ratio after benefits",
            "share of persons",
            lambda value: percent(value, 1),
            ShareOfPopulation(),
        ),
    ]


def branch_table(branches: Sequence[Row], currency: str, first_year: int, last_year: int) -> Table:
    """Each branch's cost per year, baseline and reform, in the first year, every ten years and the last: a row a
    year and side, a column a branch (a column a year and side ran ten amounts wide, past a printed page)."""
    years = sorted({first_year, last_year, *range(first_year - first_year % 10 + 10, last_year, 10)})
    cost = {(row["year"], row["side"], row["branch"]): row["cost"] for row in branches}
    labels = dict.fromkeys((row["branch"], row["label"]) for row in branches)
    body = [
        [label_cell(f"{year}, {side}"), *[_branch_cost(cost, (year, side, code), currency) for code, _ in labels]]
        for year in years
        for side in SIDES
    ]
    head = ["Year", *[label for _, label in labels]]
    return Table("branches", f"Cost by branch ({currency} per year)", head, body)


NOT_IN_RULES = "not in the rules"  # a branch neither side's rules of that year decide (a reform's, before it starts)


def _branch_cost(cost: Mapping[tuple, float | None], key: tuple, currency: str) -> Any:
    """A branch's cost in a year and side: the amount, "not modelled" (its rules have no source or no amount), or
    "not in the rules" where that year's rules do not decide it (a benefit the reform adds, before it starts: it
    costs nothing then, and is not a cost left out)."""
    return cell(money(cost[key], currency)) if key in cost else cell(NOT_IN_RULES)


NO_GDP = "no GDP assumption"  # the cost may be modelled: the scenario gives no GDP to divide it by


def _share_missing(row: Row) -> str:
    """What a missing share of GDP reads: no GDP in the scenario, or a cost not modelled."""
    return NO_GDP if row.get("gdp") is None else NOT_MODELLED


def _figure(text: str | None, row: Row, figure: str) -> Cell:
    """A side's poverty headcount or Gini; a missing one reads why, from its note (``not measured``: the table has
    no income column; ``undefined``: incomes of mean 0), else not modelled."""
    note = row.get(f"{figure}_note")
    return cell(text, note.partition(":")[0] if isinstance(note, str) and note else NOT_MODELLED)


def year_table(rows: Sequence[Row], currency: str) -> Table:
    """One row per year: each side's cost, share of GDP, beneficiaries; contributors and population."""
    by_year: dict[int, dict[str, Row]] = {}
    for row in rows:
        by_year.setdefault(row["year"], {})[row["side"]] = row
    body = []
    for year, sides in sorted(by_year.items()):
        base = sides["baseline"]
        body.append(
            [
                label_cell(str(year)),
                *[cell(money(sides[side]["cost"], currency)) for side in SIDES],
                *[cell(percent(sides[side]["cost_share_of_gdp"], 2), _share_missing(sides[side])) for side in SIDES],
                *[cell(count(sides[side]["beneficiaries"])) for side in SIDES],
                cell(count(base["contributors"])),
                cell(percent(base["contributor_share"], 1)),
                cell(count(base["population"])),
                *[_figure(percent(sides[side]["poverty_headcount"], 1), sides[side], "poverty") for side in SIDES],
                *[_figure(decimal(sides[side].get("gini"), 3), sides[side], "gini") for side in SIDES],
            ]
        )
    head = [
        "Year",
        "Cost, baseline",
        "Cost, reform",
        "Share of GDP, baseline",
        "Share of GDP, reform",
        "Beneficiaries, baseline",
        "Beneficiaries, reform",
        "Contributors",
        "Contributors, share of ages 15–64",
        "Population",
        "Poverty, baseline",
        "Poverty, reform",
        "Gini, baseline",
        "Gini, reform",
    ]
    return Table("years", f"By year ({currency} per year)", head, body, notes=year_notes(rows))


def year_notes(rows: Sequence[Row]) -> list[str]:
    """What the by-year figures count: the benefits modelled on both sides, and the poverty line."""
    covers = sorted({code for row in rows for code in row.get("covers") or ()})
    notes = [
        "Cost and beneficiaries count the benefits whose amounts are modelled on both sides ("
        + (", ".join(covers) or "none")
        + "): the beneficiaries are the persons paid at least one of them, each counted once (a person paid two is "
        "one beneficiary), and the cost is the sum of their costs; a benefit not modelled is left out, never "
        "counted as zero."
    ]
    lines = poverty_lines(rows)
    if lines:
        notes.append(
            f"Poverty is the headcount ratio after benefits against {lines}; "
            "the Gini coefficient is of household income per person after benefits."
        )
    return notes


def poverty_lines(rows: Sequence[Row]) -> str | None:
    """The poverty lines the years' headcounts are measured against (``the rural poverty line applied to everyone
    (…)``), or None where no year has one."""
    lines = sorted({row["poverty_line"] for row in rows if row.get("poverty_line")})
    if not lines:
        return None
    if lines == ["by area"]:
        return "the rural or urban poverty line of each person's area"
    everyone = " applied to everyone (the table states no area; compare gives each line's)"
    return f"the {', '.join(lines)} poverty line{everyone if lines in (['rural'], ['urban']) else ''}"


def poverty_line_notes(rows: Sequence[Row]) -> list[str]:
    """What the printed years' poverty headcount is measured against, where it is measured."""
    lines = poverty_lines(rows)
    return [f"poverty headcount: after benefits, against {lines}"] if lines else []


def _span(years: Sequence[int]) -> str:
    """A run of years as a note names it: ``2027–2055`` (as the page's title), or ``2027``."""
    return span(years[0], years[-1])


def _runs(projection: dict, key: str) -> dict[tuple[str, ...], list[int]]:
    """The years (of the baseline's rows) by the branches their rows list under ``key`` (``covers``)."""
    runs: dict[tuple[str, ...], list[int]] = {}
    for row in projection["years"]:
        if row["side"] == SIDES[0]:
            runs.setdefault(tuple(row.get(key) or ()), []).append(row["year"])
    return runs


def coverage_notes(projection: dict) -> list[str]:
    """What the totals of each run of years cover (the branches whose amounts are modelled on both sides), what
    they leave out as not modelled, and the years whose totals rest on unverified values (provisional)."""
    labels = {row["branch"]: row["label"] for row in projection["branches"]}
    notes = []
    for covers, years in _runs(projection, "covers").items():
        covered = ", ".join(labels[code] for code in covers) or "no branch (none is modelled on both sides)"
        left_out = ", ".join(label for code, label in labels.items() if code not in covers)
        notes.append(f"{_span(years)}: totals cover {covered}" + (f"; not modelled: {left_out}" if left_out else ""))
    notes += changes_left_out_notes(projection, labels)
    for key, (what, rest) in PROVISIONAL_FIGURES.items():
        provisional = sorted({row["year"] for row in projection["years"] if row.get(key)})
        if provisional:
            notes.append(
                f"provisional: {what} of {counted(len(provisional), 'year')} ({provisional[0]} to {provisional[-1]}) "
                f"{rest} on rule values not verified (see openfisca-sp verification)"
            )
    return notes


def changes_left_out_notes(projection: dict, labels: Mapping[str, str]) -> list[str]:
    """For each run of years in which the reform changes a benefit the totals leave out (its cost not modelled on
    a side), that the difference of the sides' totals is not the reform's cost (it would read 0 where the reform
    changes only benefits left out)."""
    return [
        f"{_span(years)}: the reform changes {', '.join(labels.get(code, code) for code in codes)}, left out of the "
        "totals: the difference between the sides' totals is not the reform's cost, which is not modelled"
        for codes, years in _runs(projection, "changes_left_out").items()
        if codes
    ]


def render_projection(projection: dict, locale: str = DEFAULT_LOCALE) -> str:
    """The projection as a complete HTML document, numbers in ``locale`` (en, lo, vi, tg, ru)."""
    chosen = report_locale(locale)
    meta = projection["meta"]
    with formatted_in(chosen):
        return (
            environment()
            .get_template(TEMPLATE)
            .render(
                meta=meta,
                base_month=month_label(meta["base_month"]),
                years_projected=span(*meta["years"]),
                persons=count(meta["persons"]),
                created=timestamp(meta.get("created")),
                locale=chosen,
                charts=charts(projection["years"], meta["currency"]),
                years=year_table(projection["years"], meta["currency"]),
                branches=branch_table(projection["branches"], meta["currency"], *meta["years"]),
                assumptions=assumptions_table(projection["assumptions"], meta["currency"]),
                coverage=coverage_notes(projection),
                unverified=[  # named as the assumptions' table names them ("gdp (2024)" read the scenario's key)
                    f"{in_sentence(assumption_label(item))} ({item['year']})"
                    for item in projection["assumptions"]
                    if item["status"] == "unverified"
                ],
            )
        )


def write_projection(projection: dict, path: str | Path, locale: str = DEFAULT_LOCALE) -> Path:
    """Write the projection's HTML report to ``path``."""
    path = Path(path)
    path.write_text(render_projection(projection, locale), encoding="utf-8")
    return path
