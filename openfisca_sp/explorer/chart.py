"""A parameter's history as a small inline SVG step chart: drawn as text, no JavaScript, no matplotlib.

matplotlib (:mod:`openfisca_sp.report.svg`) takes about 150 ms a figure, too slow for the hundreds of
parameters the explorer charts; this draws the same kind of accessible figure (``role="img"``, a title and a
text alternative listing every value, as :class:`~openfisca_sp.report.svg.Chart`) in well under a millisecond.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH, HEIGHT = 560, 170
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 14, 28
LINE = "#1f5f99"
AXIS = "#4a5560"


@dataclass(frozen=True)
class Chart:
    """A chart for a template: id, title, a text alternative and the inline SVG."""

    id: str
    title: str
    description: str
    svg: Markup


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _day(text: str) -> float:
    return datetime.date.fromisoformat(text).toordinal()


def _label(value: float) -> str:
    """A value as a drafter writes it: grouped digits, decimals as needed, never an exponent (5e+05)."""
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.6f}".rstrip("0").rstrip(".")


CHARACTER_WIDTH = 7  # pixels a digit of the axis' labels takes, at the page's font size


def step_chart(chart_id: str, title: str, points: Sequence[tuple[str, object]], today: str) -> Chart | None:
    """The dated values (start date YYYY-MM-DD, value) as a step chart up to ``today``; None unless numbers.

    A value that is not a number (``null``: the parameter stopped) leaves a gap."""
    numbers = [(start, _number(value)) for start, value in points]
    present = [value for _, value in numbers if value is not None]
    if not present:
        return None
    first, last = _day(numbers[0][0]), max(_day(today), _day(numbers[-1][0]) + 365)
    low, high = min(0.0, *present), max(present) * 1.1 or 1.0
    left = max(LEFT, 10 + CHARACTER_WIDTH * max(len(_label(max(present))), len(_label(low))))  # labels fit
    span_x, span_y = (last - first) or 1.0, (high - low) or 1.0

    def x(day: float) -> float:
        return left + (day - first) / span_x * (WIDTH - left - RIGHT)

    def y(value: float) -> float:
        return HEIGHT - BOTTOM - (value - low) / span_y * (HEIGHT - TOP - BOTTOM)

    end_year = datetime.date.fromordinal(int(last)).year
    parts = [
        f'<line x1="{left}" y1="{y(low):.1f}" x2="{WIDTH - RIGHT}" y2="{y(low):.1f}" stroke="{AXIS}"/>',
        f'<line x1="{left}" y1="{TOP}" x2="{left}" y2="{HEIGHT - BOTTOM}" stroke="{AXIS}"/>',
        f'<text x="{left - 6}" y="{y(max(present)) + 4:.1f}" text-anchor="end">{_label(max(present))}</text>',
        f'<text x="{left - 6}" y="{y(low) + 4:.1f}" text-anchor="end">{_label(low)}</text>',
        f'<text x="{left}" y="{HEIGHT - 8}">{numbers[0][0][:4]}</text>',
        f'<text x="{WIDTH - RIGHT}" y="{HEIGHT - 8}" text-anchor="end">{end_year}</text>',
    ]
    ends = [_day(start) for start, _ in numbers[1:]] + [last]
    for (start, value), end in zip(numbers, ends, strict=True):
        if value is None:
            continue
        x0, x1, height = x(_day(start)), x(end), y(value)
        parts.append(
            f'<line x1="{x0:.1f}" y1="{height:.1f}" x2="{x1:.1f}" y2="{height:.1f}" stroke="{LINE}" '
            f'stroke-width="2.5"/>'
        )
        parts.append(
            f'<circle cx="{x0:.1f}" cy="{height:.1f}" r="3.5" fill="{LINE}"><title>'
            f"{escape(start)}: {escape(_label(value))}</title></circle>"
        )
    listed = "; ".join(f"from {start}: {'none' if value is None else _label(value)}" for start, value in numbers)
    description = f"Step chart of {title} over time. {listed}."
    svg = (
        f'<svg class="history" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(description)}</desc>'
        + "".join(parts)
        + "</svg>"
    )
    return Chart(chart_id, title, description, Markup(svg))  # noqa: S704 - every text above is escaped or a number
