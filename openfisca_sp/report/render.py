"""The report as an HTML document: the Jinja2 template (``templates/report.html.j2``) rendered and written."""

from __future__ import annotations

import functools
from pathlib import Path

import jinja2

from openfisca_sp.report.formatting import DEFAULT_LOCALE, formatted_in, report_locale

TEMPLATE = "report.html.j2"


@functools.cache
def environment() -> jinja2.Environment:
    """The Jinja2 environment of the package's templates (also from an installed wheel), HTML escaped; pages that
    need filters of their own take an ``overlay()`` of it."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("openfisca_sp.report", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@functools.cache
def template() -> jinja2.Template:
    """The report's Jinja2 template, compiled once."""
    return environment().get_template(TEMPLATE)


def render_report(comparison: dict, locale: str = DEFAULT_LOCALE) -> str:
    """The comparison (``Comparison.to_dict()``) as a complete, self-contained HTML document, its numbers and dates
    in ``locale`` (en, lo, vi, tg or ru; anything else raises
    :class:`~openfisca_sp.report.formatting.UnknownLocaleError`, a ``ValueError``). Its text stays in English."""
    from openfisca_sp.report.context import context  # the charts' matplotlib: loaded by the first report only

    chosen = report_locale(locale)
    with formatted_in(chosen):
        return template().render(**context(comparison, chosen))


def write_report(comparison: dict, path: str | Path, locale: str = DEFAULT_LOCALE) -> Path:
    """Write the report in ``locale`` to ``path`` (UTF-8) and return the path."""
    path = Path(path)
    path.write_text(render_report(comparison, locale), encoding="utf-8")
    return path
