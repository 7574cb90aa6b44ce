"""The explorer as static pages: rendered with Jinja2 into a mapping of relative path to bytes, or written out.

Pages: ``index.html`` (the jurisdictions), ``dashboard.html`` (verification shares and what is not modelled),
``search.html``, and per jurisdiction ``<code>/index.html``, ``<code>/<branch>.html`` and, given a law diff,
``<code>/changes.html`` (:func:`render_changes`, also a page on its own for ``openfisca-sp diff``).
Assets: one CSS file, one small script for the search, and the search index (:mod:`.search`). No CDN,
nothing fetched elsewhere.
"""

from __future__ import annotations

import datetime
import functools
import time
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

import openfisca_sp
from openfisca_sp.explorer import search
from openfisca_sp.explorer.changes import changes_view
from openfisca_sp.explorer.data import JurisdictionData, collect
from openfisca_sp.rules import jurisdictions
from openfisca_sp.rules.parameter_checks import STATUSES
from openfisca_sp.rules.paths import PARAMETERS_DIR
from openfisca_sp.rules.verification import COUNTED, FOOTNOTE

ASSETS = ("explorer.css", "explorer.js")
STATUS_COLOURS = {"verified": "#2e7d4f", "verified_2nd": "#1f5f99", "unverified": "#b3541e", "other": "#6b7280"}


def default_cases_folder() -> Path | None:
    """The law cases of a source checkout (``tests/rules`` beside ``parameters/``), if there."""
    folder = PARAMETERS_DIR.parent / "tests" / "rules"
    return folder if folder.is_dir() else None


@functools.cache
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("openfisca_sp.explorer", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _render(template: str, root: str, **context: object) -> bytes:
    common = {
        "root": root,
        "version": openfisca_sp.__version__,
        "statuses": STATUSES,
        "counted": COUNTED,
        "colours": STATUS_COLOURS,
        "footnote": FOOTNOTE,
    }
    return environment().get_template(template).render(**common, **context).encode("utf-8")


def render_changes(
    diff: Mapping[str, Any],
    label: str | None = None,
    links: Mapping[str, str] | None = None,
    date: datetime.date | None = None,
    standalone: bool = True,
) -> bytes:
    """The "What changed" page of a law diff (JSON-ready data): on its own (``standalone``, its stylesheet at
    ``assets/explorer.css`` beside it), or as ``<code>/changes.html`` of the explorer (parameters linked by
    ``links``)."""
    view = changes_view(diff, links)
    return _render(
        "changes.html.j2",
        "" if standalone else "../",
        view=view,
        label=label or view.jurisdiction,
        date=date,
        standalone=standalone,
        generator="openfisca-sp diff" if standalone else "openfisca-sp explorer --diff",
    )


def stylesheet() -> bytes:
    """The explorer's stylesheet (``assets/explorer.css``)."""
    return (resources.files("openfisca_sp.explorer") / "static" / "explorer.css").read_bytes()


def render_pages(
    data: Sequence[JurisdictionData], date: datetime.date, diffs: Mapping[str, Mapping[str, Any]] | None = None
) -> dict[str, bytes]:
    """Every page and asset of the site, by its path relative to the site's root; ``diffs``: a law diff (as
    data) per jurisdiction code, each rendered as ``<code>/changes.html`` and linked from the home page."""
    diffs = diffs or {}
    pages = {
        "index.html": _render("index.html.j2", "", jurisdictions=data, date=date, diffs=diffs),
        "dashboard.html": _render("dashboard.html.j2", "", jurisdictions=data, date=date),
        "search.html": _render("search.html.j2", "", jurisdictions=data),
        search.SCRIPT: search.script(data).encode("utf-8"),
    }
    for jurisdiction in data:
        pages[f"{jurisdiction.code}/index.html"] = _render(
            "jurisdiction.html.j2", "../", jurisdiction=jurisdiction, date=date, diff=diffs.get(jurisdiction.code)
        )
        if jurisdiction.code in diffs:
            pages[f"{jurisdiction.code}/changes.html"] = render_changes(
                diffs[jurisdiction.code], jurisdiction.label, jurisdiction.links, date, standalone=False
            )
        for branch in jurisdiction.branches:
            pages[f"{jurisdiction.code}/{branch.code}.html"] = _render(
                "branch.html.j2", "../", jurisdiction=jurisdiction, branch=branch, date=date
            )
    static = resources.files("openfisca_sp.explorer") / "static"
    for name in ASSETS:
        pages[f"assets/{name}"] = (static / name).read_bytes()
    return pages


def build_pages(
    codes: Sequence[str] | None = None,
    cases_folder: Path | None = None,
    date: datetime.date | None = None,
    timings: dict[str, float] | None = None,
    diffs: Mapping[str, Mapping[str, Any]] | None = None,
    failures: list[str] | None = None,
) -> dict[str, bytes]:
    """Collect every jurisdiction (or ``codes``) and render the site (with ``diffs``, a law diff per code, as
    :func:`render_pages`); ``timings`` gets seconds per jurisdiction, ``failures`` each law case that could not be
    run (``file:line: cause``, also shown on its jurisdiction's page)."""
    date = date or datetime.date.today()
    root = PARAMETERS_DIR.parent
    data = []
    for code in codes or sorted(jurisdictions.registry()):
        start = time.perf_counter()
        data.append(collect(jurisdictions.get(code).code, cases_folder, root, date))
        if failures is not None:
            failures += data[-1].case_failures
        if timings is not None:
            timings[code] = time.perf_counter() - start
    start = time.perf_counter()
    pages = render_pages(data, date, diffs)
    if timings is not None:
        timings["(render)"] = time.perf_counter() - start
    return pages


def write_site(pages: dict[str, bytes], output: Path) -> list[Path]:
    """Write the pages under ``output`` (created if needed); returns the files written."""
    written = []
    for name, content in sorted(pages.items()):
        path = output / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        written.append(path)
    return written
