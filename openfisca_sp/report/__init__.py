"""The HTML report an analyst shares after comparing a reform with the baseline.

:func:`render_report` turns ``Comparison.to_dict()`` (or its saved JSON) into
one self-contained HTML document: what the figures rest on, the reform and its
references, four charts (inline SVG drawn by matplotlib) and the tables.
``None`` in the comparison means "not modelled": the report says so and never
shows or plots it as zero. All text from the comparison is escaped by Jinja2.

The comparison is read through its typed rows (:mod:`openfisca_sp.analysis.rows`);
the modules here are :mod:`~.formatting` (numbers), :mod:`~.tables`,
:mod:`~.charts` (drawn by :mod:`~.svg`), :mod:`~.context` (what the template
shows) and :mod:`~.render` (the template ``templates/report.html.j2``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from openfisca_sp.rules.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from openfisca_sp.report.render import render_report, write_report

__all__ = ["render_report", "write_report"]
# imported on first use: the command line reads .formatting without loading matplotlib and Jinja2
__getattr__ = lazy_exports(__name__, dict.fromkeys(__all__, "openfisca_sp.report.render"))
