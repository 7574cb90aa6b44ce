"""Figures as inline SVG: a matplotlib figure without pyplot, exported with unique ids and a text alternative."""

from __future__ import annotations

import io
import re
import textwrap
from dataclasses import dataclass
from typing import Any

import matplotlib
from markupsafe import Markup, escape
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

SVG_OPTIONS = {"svg.fonttype": "none", "font.size": 9, "axes.spines.top": False, "axes.spines.right": False}
NO_METADATA = {"Creator": None, "Date": None, "Format": None, "Type": None}


@dataclass(frozen=True)
class Chart:
    """A chart for the template: id, title, a text alternative and the inline SVG."""

    id: str
    title: str
    description: str
    svg: Markup


def plain(text: Any, width: int = 30) -> str:
    """Chart text as plain text (no mathtext), wrapped."""
    return "\n".join(textwrap.wrap(str(text), width)).replace("$", r"\$") or " "


def in_sentence(title: str) -> str:
    """A chart's title inside its text alternative's sentence: its first letter lower case, nothing else
    (``title.lower()`` wrote "cost as a share of gdp", "(sdg 1.3.1)", "(lak)")."""
    return title[:1].lower() + title[1:] if not title[1:2].isupper() else title


def figure(width: float, height: float, columns: int = 1) -> tuple[Figure, list[Axes]]:
    """A figure of ``columns`` axes side by side, drawn without pyplot."""
    drawing = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(drawing)
    return drawing, list(drawing.subplots(1, columns, squeeze=False)[0])


def _prefix_ids(svg: str, prefix: str) -> str:
    """Make the SVG's ids (and references to them) unique in the page."""
    svg = re.sub(r'\bid="', f'id="{prefix}-', svg)
    svg = svg.replace("url(#", f"url(#{prefix}-")
    return re.sub(r'(\bhref=)"#', rf'\1"#{prefix}-', svg)


def inline_svg(drawing: Figure, chart_id: str, title: str, description: str) -> Markup:
    """The figure as inline SVG with an accessible title and description."""
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": chart_id}):
        drawing.savefig(buffer, format="svg", metadata=NO_METADATA)
    text = _prefix_ids(buffer.getvalue(), chart_id)
    text = text[text.index("<svg") :]
    end = text.index(">") + 1
    opening = text[:end].replace("<svg ", f'<svg role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" ', 1)
    label = (
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(description)}</desc>'
    )
    return Markup(opening + label + text[end:])  # noqa: S704 - matplotlib escapes its text; ours is escaped above


def chart(drawing: Figure, chart_id: str, title: str, description: str) -> Chart:
    """A chart of the figure, with its title and text alternative."""
    return Chart(chart_id, title, description, inline_svg(drawing, chart_id, title, description))
