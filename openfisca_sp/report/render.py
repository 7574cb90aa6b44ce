"""The report as an HTML document: the Jinja2 template (``templates/report.html.j2``) rendered and written."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

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


def render_report(comparison: Any, locale: str = DEFAULT_LOCALE) -> str:
    """The comparison (``Comparison.to_dict()``, or the ``Comparison``) as a complete, self-contained HTML
    document, its numbers and dates in ``locale`` (en, lo, vi, tg or ru; anything else raises
    :class:`~openfisca_sp.report.formatting.UnknownLocaleError`, a ``ValueError``). Its text stays in English."""
    from openfisca_sp.report.context import context  # the charts' matplotlib: loaded by the first report only

    comparison = _comparison_dict(comparison)
    chosen = report_locale(locale)
    with formatted_in(chosen):
        return template().render(**context(comparison, chosen))


REQUIRED = ("meta", "branches")  # what a comparison's dict holds, whatever else it holds


def _comparison_dict(comparison: Any) -> Mapping[str, Any]:
    """A comparison as :meth:`Comparison.to_dict` gives it (a ``Comparison`` itself: its dict); another value is
    refused (a ``Comparison`` raised "has no attribute 'get'", and ``{}`` made a report of nothing)."""
    if hasattr(comparison, "to_dict") and not isinstance(comparison, Mapping):
        comparison = comparison.to_dict()
    if not isinstance(comparison, Mapping):
        raise TypeError(f"a report is of a comparison (Comparison.to_dict()), not {type(comparison).__name__}")
    missing = [key for key in REQUIRED if key not in comparison]
    if missing:
        raise ValueError(
            f"a report is of a comparison (Comparison.to_dict(): {', '.join(REQUIRED)}, …); this one has no "
            f"{' and no '.join(repr(key) for key in missing)}"
        )
    return comparison


def write_report(comparison: Any, path: str | Path, locale: str = DEFAULT_LOCALE) -> Path:
    """Write the report in ``locale`` to ``path`` (UTF-8) and return the path."""
    path = Path(path)
    path.write_text(render_report(comparison, locale), encoding="utf-8")
    return path
