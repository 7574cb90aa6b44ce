"""The report as an HTML document: the Jinja2 template (``templates/report.html.j2``) rendered and written."""

from __future__ import annotations

import functools
from pathlib import Path

import jinja2

from openfisca_sp.report.context import context

TEMPLATE = "report.html.j2"


@functools.cache
def template() -> jinja2.Template:
    """The report's Jinja2 template, loaded from the package (also from an installed wheel) and compiled once."""
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("openfisca_sp.report", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return environment.get_template(TEMPLATE)


def render_report(comparison: dict) -> str:
    """The comparison (``Comparison.to_dict()``) as a complete, self-contained HTML document."""
    return template().render(**context(comparison))


def write_report(comparison: dict, path: str | Path) -> Path:
    """Write the report to ``path`` (UTF-8) and return the path."""
    path = Path(path)
    path.write_text(render_report(comparison), encoding="utf-8")
    return path
