"""The explorer as static pages: rendered with Jinja2 into a mapping of relative path to bytes, or written out.

Pages: ``index.html`` (the jurisdictions), ``dashboard.html`` (verification shares and what is not modelled),
``search.html``, and per jurisdiction ``<code>/index.html`` and ``<code>/<branch>.html``. Assets: one CSS file,
one small script for the search, and the search index (:mod:`.search`). No CDN, nothing fetched elsewhere.
"""

from __future__ import annotations

import datetime
import functools
import time
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import jinja2

import openfisca_sp
from openfisca_sp.explorer import search
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


def render_pages(data: Sequence[JurisdictionData], date: datetime.date) -> dict[str, bytes]:
    """Every page and asset of the site, by its path relative to the site's root."""
    pages = {
        "index.html": _render("index.html.j2", "", jurisdictions=data, date=date),
        "dashboard.html": _render("dashboard.html.j2", "", jurisdictions=data, date=date),
        "search.html": _render("search.html.j2", "", jurisdictions=data),
        search.SCRIPT: search.script(data).encode("utf-8"),
    }
    for jurisdiction in data:
        pages[f"{jurisdiction.code}/index.html"] = _render(
            "jurisdiction.html.j2", "../", jurisdiction=jurisdiction, date=date
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
) -> dict[str, bytes]:
    """Collect every jurisdiction (or ``codes``) and render the site; ``timings`` gets seconds per jurisdiction."""
    date = date or datetime.date.today()
    root = PARAMETERS_DIR.parent
    data = []
    for code in codes or sorted(jurisdictions.registry()):
        start = time.perf_counter()
        data.append(collect(jurisdictions.get(code).code, cases_folder, root, date))
        if timings is not None:
            timings[code] = time.perf_counter() - start
    start = time.perf_counter()
    pages = render_pages(data, date)
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
