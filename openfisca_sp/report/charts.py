"""The report's four charts: cost and beneficiaries by branch, winners and losers by decile, coverage.

A figure that is not modelled gets no bar but a "not modelled" label: it is
never plotted as zero. Each chart carries a text alternative listing its figures.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import matplotlib
from matplotlib.axes import Axes
from matplotlib.patches import Patch
from matplotlib.ticker import Formatter, FuncFormatter, PercentFormatter

from openfisca_sp.analysis.rows import (
    BOTH_SEXES,
    SIDES,
    BranchRow,
    BreakdownRow,
    ComparisonRows,
    CoverageRow,
    SideFigures,
)
from openfisca_sp.report.formatting import (
    NO_ONE,
    NONE,
    NOT_MODELLED,
    compact,
    compact_ticks,
    count,
    money,
    percent,
    rate,
    share,
)
from openfisca_sp.report.svg import SVG_OPTIONS, Chart, chart, figure, in_sentence, plain

SIDE_LABELS = {"baseline": "Baseline", "reform": "Reform"}
COLOURS = {"baseline": "#9aa5b1", "reform": "#1f5f99", "gain": "#2e7d4f", "loss": "#b83a2e", "muted": "#5f6b76"}

Values = Mapping[str, Sequence[float | None]]  # per side, one value per label
Missing = Mapping[str, Sequence[str]]  # per side, what each label's missing value reads (by default not modelled)


def _paired_bars(
    axes: Axes, labels: Sequence[str], values: Values, text: Callable[[float], str], missing: Missing | None = None
) -> None:
    """Horizontal baseline and reform bars per label; a missing value gets no bar but a label saying why ("not
    modelled" unless ``missing`` says otherwise)."""
    height = 0.4
    present = [value for side in SIDES for value in values[side] if value is not None]
    top = max([0.0, *present]) or 1.0
    for offset, side in zip((-height / 2, height / 2), SIDES, strict=True):
        said = missing[side] if missing else [NOT_MODELLED] * len(labels)
        _side_bars(axes, side, values[side], offset, height, text, said)
    axes.set_yticks(range(len(labels)), [plain(label) for label in labels])
    axes.set_xlim(0, top * 1.3)
    axes.set_ylim(max(len(labels), 1) - 0.5, -0.5)
    axes.figure.legend(
        handles=[Patch(color=COLOURS[side], label=SIDE_LABELS[side]) for side in SIDES],
        loc="outside upper right",
        ncols=2,
        fontsize=8,
        frameon=False,
    )


def _side_bars(
    axes: Axes,
    side: str,
    values: Sequence[float | None],
    offset: float,
    height: float,
    text: Callable[[float], str],
    missing: Sequence[str],
) -> None:
    """One side's bars, each labelled with its value, or with why there is none (``missing``, per bar)."""
    for position, value in enumerate(values):
        y = position + offset
        if value is None:
            axes.text(0, y, f" {missing[position]}", va="center", fontsize=8, style="italic", color=COLOURS["muted"])
            continue
        axes.barh(y, value, height, color=COLOURS[side], label=SIDE_LABELS[side] if position == 0 else None)
        axes.text(value, y, f" {text(value)}", va="center", fontsize=8)


def _pairs_description(labels: Sequence[str], values: Values, text: Callable, missing: Missing | None = None) -> str:
    parts = []
    for index, label in enumerate(labels):
        said = {side: missing[side][index] if missing else NOT_MODELLED for side in SIDES}
        sides = [f"{side} {text(values[side][index]) or said[side]}" for side in SIDES]
        parts.append(f"{label}: {', '.join(sides)}")
    return "; ".join(parts) + "."


def _amount(value: float | None, currency: str) -> str | None:
    """In full: money when there is a currency, else a count."""
    return money(value, currency) if currency else count(value)


def _short_amount(value: float, currency: str) -> str:
    """Compactly, for a bar's label."""
    return compact(value, currency) if currency else count(value) or ""


def branch_chart(
    rows: Sequence[BranchRow],
    value: Callable[[SideFigures], float | None],
    chart_id: str,
    title: str,
    currency: str = "",
) -> Chart:
    """Baseline and reform ``value`` per branch (not the total) as paired bars; money if ``currency``."""
    rows = [row for row in rows if not row.is_total]
    labels = [row.title for row in rows]
    values = {side: [value(row.sides[side]) for row in rows] for side in SIDES}
    drawing, (axes,) = figure(7.5, 0.9 + 0.6 * max(len(rows), 1))
    _paired_bars(axes, labels, values, lambda amount: _short_amount(amount, currency))
    axes.set_xlabel(f"{currency} per month" if currency else "persons (weighted)")
    axes.xaxis.set_major_formatter(CompactTicks())
    summary = _pairs_description(labels, values, lambda amount: _amount(amount, currency))
    return chart(drawing, chart_id, title, f"Bar chart, {in_sentence(title)}, baseline and reform. {summary}")


class CompactTicks(Formatter):
    """Axis ticks in the locale's compact form (:func:`~.formatting.compact_ticks`), one form for the whole axis
    (its largest tick's), with as many decimals as make every tick exact (1M, 1.25M, 1.5M: with one decimal, ticks
    250,000 apart read 1M, 1.2M, 1.5M, 1.8M, 2M), and the currency's code where given; with ``absolute``, values
    below zero (losses) as the positive amounts they are."""

    def __init__(self, currency: str = "", absolute: bool = False) -> None:
        self.currency = currency
        self.absolute = absolute

    def _value(self, x: float) -> float:
        return abs(x) if self.absolute else x

    def __call__(self, x: float, pos: int | None = None) -> str:
        return compact_ticks([self._value(x)], self.currency)[0]

    def format_ticks(self, values: Sequence[float]) -> list[str]:
        """The ticks in one compact form, their largest's (0.5K, 1K, 1.5K, never 500 beside 1K)."""
        self.set_locs(values)
        return compact_ticks([self._value(x) for x in values], self.currency)


class ShareOfPopulation(PercentFormatter):
    """Shares as percentages in the report's locale, losses (below zero) shown as the positive shares they are,
    with as many decimals as the ticks' spacing needs (0.1 %, 0.2 % … rather than 0 % at every tick)."""

    def __init__(self) -> None:
        super().__init__(xmax=1, decimals=None)

    def format_pct(self, x: float, display_range: float) -> str:
        decimals = len(super().format_pct(abs(x), display_range).rstrip("%").partition(".")[2])  # matplotlib's choice
        return percent(abs(x), decimals) or ""

    def format_ticks(self, values: Sequence[float]) -> list[str]:
        """An axis's ticks with the fewest decimals that write each exactly (0.1%, 0.2% …, not matplotlib's 0.100%,
        0.200% …; 2%, 4% …, not 2.0%, 4.0% …)."""
        self.set_locs(values)
        shares = [abs(x) * 100 for x in values]
        decimals = next((n for n in range(3) if all(abs(round(s, n) - s) <= 1e-9 * max(1.0, s) for s in shares)), 3)
        return [percent(abs(x), decimals) or "" for x in values]


def _decile_values(rows: Sequence[BreakdownRow]) -> tuple[list[str], dict[str, list[float | None]]]:
    rows = [row for row in rows if row.figures.is_total]
    values = {
        "gaining": [share(row.figures.winners, row.population) for row in rows],
        "losing": [share(row.figures.losers, row.population) for row in rows],
        "average_gain": [row.figures.average_gain for row in rows],
        "average_loss": [row.figures.average_loss for row in rows],
    }
    return [str(row.group) for row in rows], values


def _signed_bars(axes: Axes, labels: Sequence[str], up: Sequence[float | None], down: Sequence[float | None]) -> None:
    """Bars above zero (gains, green) and below zero (losses, red); missing values are left out."""
    for values, sign, colour in ((up, 1, COLOURS["gain"]), (down, -1, COLOURS["loss"])):
        kept = [(index, value) for index, value in enumerate(values) if value]
        axes.bar([index for index, _ in kept], [sign * value for _, value in kept], 0.7, color=colour)
    axes.axhline(0, color="#333333", linewidth=0.8)
    axes.set_xticks(range(len(labels)), [plain(label, 8) for label in labels])
    axes.set_xlim(-0.5, len(labels) - 0.5)  # half a bar each side: with no bar, D1 sat on the axis and D10 past it
    if not any(up) and not any(down):
        unknown = all(value is None for value in (*up, *down))  # not modelled is not "no one": say which
        text = NOT_MODELLED if unknown else "no one gains or loses"
        axes.text(0.5, 0.5, text, transform=axes.transAxes, ha="center", color=COLOURS["muted"])
        axes.set_yticks([] if unknown else [0])  # matplotlib's ±0.04 of nothing read as shares or amounts


def _decile_description(labels: Sequence[str], values: Mapping[str, Sequence[float | None]], currency: str) -> str:
    parts = [
        f"{label}: {rate(values['gaining'][index]) or NONE} gain, {rate(values['losing'][index]) or NONE} lose, "
        f"average gain {money(values['average_gain'][index], currency) or NONE}, "
        f"average loss {money(values['average_loss'][index], currency) or NONE}"
        for index, label in enumerate(labels)
    ]
    return f"Bar charts of winners and losers of the reform (all benefits) by income decile. {'; '.join(parts)}."


def decile_chart(rows: Sequence[BreakdownRow], currency: str) -> Chart:
    """Share of each income decile gaining and losing (all benefits), and the average gain and loss."""
    labels, values = _decile_values(rows)
    drawing, (shares, averages) = figure(9, 3.4, columns=2)
    _signed_bars(shares, labels, values["gaining"], values["losing"])
    shares.yaxis.set_major_formatter(ShareOfPopulation())
    shares.set_title("Share of the decile's population gaining / losing", fontsize=9)
    _signed_bars(averages, labels, values["average_gain"], values["average_loss"])
    averages.yaxis.set_major_formatter(CompactTicks(absolute=True))
    averages.set_title(f"Average gain / loss per person affected ({currency} per month)", fontsize=9)
    drawing.legend(
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
    return chart(drawing, "chart-deciles", title, _decile_description(labels, values, currency))


def _percent(value: float | None) -> float | None:
    return None if value is None else value * 100


def _pct(value: float | None) -> str | None:
    """A value in percent (62.7) as the locale writes it."""
    return None if value is None else rate(value / 100)


def coverage_chart(rows: Sequence[CoverageRow]) -> Chart:
    """SDG 1.3.1 coverage for everyone (both sexes) before and after the reform, in percent."""
    rows = [row for row in rows if row.sex == BOTH_SEXES]
    labels = [row.title for row in rows]
    values = {side: [_percent(row.sides[side].rate) for row in rows] for side in SIDES}
    # a side whose persons covered are counted has its rate modelled: it is missing where the group holds no one
    missing = {side: [NOT_MODELLED if row.sides[side].covered is None else NO_ONE for row in rows] for side in SIDES}
    drawing, (axes,) = figure(7.5, 0.9 + 0.6 * max(len(rows), 1))
    _paired_bars(axes, labels, values, lambda value: _pct(value) or "", missing)
    axes.set_xlim(0, 125)
    axes.set_xticks([0, 25, 50, 75, 100])
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _: count(value)))
    axes.set_xlabel("% of the group covered")
    title = "Coverage before and after the reform (SDG 1.3.1)"
    figures = _pairs_description(labels, values, _pct, missing)
    description = f"Bar chart, coverage in percent, baseline and reform. {figures}"
    return chart(drawing, "chart-coverage", title, description)


def charts(comparison: ComparisonRows, currency: str) -> list[Chart]:
    """The four charts, in the report's order."""
    deciles = comparison.breakdowns.get("income_decile") or []
    with matplotlib.rc_context(SVG_OPTIONS):
        return [
            branch_chart(comparison.branches, lambda side: side.cost, "chart-cost", "Monthly cost by branch", currency),
            decile_chart(deciles, currency),
            coverage_chart(comparison.coverage),
            branch_chart(
                comparison.branches, lambda side: side.beneficiaries, "chart-beneficiaries", "Beneficiaries by branch"
            ),
        ]
