"""The law diff as a page (``openfisca-sp diff --format html``, the explorer's "What changed"): what it shows, and
that it keeps the explorer's rules (no inline script or style, headings that never skip a level)."""

from __future__ import annotations

import datetime
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from openfisca_sp.drafting.law_diff import diff_directories
from openfisca_sp.drafting.law_diff_outcomes import law_case_changes, population_shifts
from openfisca_sp.drafting.law_diff_report import VARIABLES_NOTE, LawDiff, SampleShift
from openfisca_sp.explorer import build_pages
from openfisca_sp.explorer.site import render_changes
from openfisca_sp.synthetic import SAMPLE_PERIOD
from tests.test_law_diff import CEILING, LAO_CASES, ROOT, _line_of, systems, trees  # noqa: F401 - fixtures

DATE = datetime.date(2026, 1, 1)


@pytest.fixture(scope="module")
def diff(trees: tuple[Path, Path], systems: tuple[object, object]) -> dict:  # noqa: F811
    old, new = trees
    values = diff_directories(old, new, old, new)
    count, outcomes, _ = law_case_changes(LAO_CASES, *systems, ROOT)
    persons, shifts, assumptions = population_shifts("sample:lao", SAMPLE_PERIOD, *systems)
    sample = SampleShift("sample:lao", SAMPLE_PERIOD, persons, shifts, assumptions)
    return LawDiff("lao", "old", "new", "revisions", values, count, outcomes, sample, [VARIABLES_NOTE]).to_dict()


@pytest.fixture(scope="module")
def page(diff: dict) -> str:
    return render_changes(diff, "Lao PDR", date=DATE).decode("utf-8")


class Structure(HTMLParser):
    """The headings' levels, inline scripts and styles, and the rows of each table (by class) of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.levels: list[int] = []
        self.inline: list[str] = []
        self.rows: dict[str, list[str]] = {}
        self.table: str | None = None
        self.row: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self.levels.append(int(tag[1]))
        if tag == "style" or (tag == "script" and "src" not in attributes) or "style" in attributes:
            self.inline.append(tag)
        self.inline += [f"{tag}[{name}]" for name in attributes if name.startswith("on")]
        if tag == "table":
            self.table = attributes.get("class") or ""
        if tag == "tr" and self.table is not None:
            self.row = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr" and self.row is not None and self.table is not None:
            self.rows.setdefault(self.table, []).append(" ".join("".join(self.row).split()))
            self.row = None
        if tag == "table":
            self.table = None

    def handle_data(self, data: str) -> None:
        if self.row is not None:
            self.row.append(data)


def structure(page: str) -> Structure:
    parsed = Structure()
    parsed.feed(page)
    return parsed


def test_the_changed_value_is_shown_with_its_file_and_line(page: str, trees: tuple[Path, Path]) -> None:  # noqa: F811
    rows = structure(page).rows["changes values-changed"]
    line = _line_of(trees[1] / CEILING, "  2017-01-01:")
    ceiling = next(row for row in rows if row.startswith("insured_wage.ceiling 2017-01-01"))
    assert "4500000 → 5000000" in ceiling
    assert f"{CEILING}:{line}" in ceiling
    status = next(row for row in rows if row.startswith("old_age.pensionable_age.men 2001-07-01"))
    assert "status" in status and "verified_2nd → verified" in status
    assert len(rows) == 1 + 3  # the header and the three changes
    assert "3 dated values differ: 3 changed, 0 added, 0 removed." in page


def test_the_law_cases_whose_outcome_changes_are_listed(page: str, diff: dict) -> None:
    rows = structure(page).rows["changes cases-changed"]
    changed = diff["law_cases"]["changes"]
    assert len(rows) == 1 + len(changed) and changed
    wage = [row for row in rows if "maternity_reference_wage@" in row]
    assert wage and all("4500000 → 5000000" in row for row in wage)
    assert f"of {diff['law_cases']['computed']} cases computed" in page


def test_the_sample_counts_are_shown_per_branch(page: str, diff: dict) -> None:
    rows = structure(page).rows["changes sample"]
    by_code = {shift["branch"]: shift for shift in diff["sample"]["branches"]}
    assert len(rows) == 1 + len(by_code)
    old_age = next(row for row in rows if "old_age" in row.split(" ")[:6])
    shift = by_code["old_age"]
    assert shift["lost"] > 0
    assert shift["amount_changed"] is None  # the Lao old-age pension has no formula: not modelled, never 0
    assert f"{shift['gained']:,} {shift['lost']:,} not modelled not modelled not modelled" in old_age
    assert f"{diff['sample']['persons']:,} persons" in page
    assert VARIABLES_NOTE in page
    maternity = next(row for row in rows if "maternity" in row.split(" ")[:6])
    assert by_code["maternity"]["total_change"] is None  # no Lao source says what a day of the allowance pays
    assert maternity.endswith("not modelled not modelled"), maternity
    disability = next(row for row in rows if "disability" in row.split(" ")[:6])
    assert disability.endswith("not modelled not modelled"), disability
    assert disability.count("not modelled") == 7  # no count of 0 where the branch has no source
    assert diff["sample"]["counted"] in page.replace("&#39;", "'")  # what is counted, said with the counts


def test_no_inline_script_or_style_and_headings_never_skip_a_level(page: str) -> None:
    parsed = structure(page)
    assert parsed.inline == []
    assert parsed.levels[0] == 1 and parsed.levels.count(1) == 1
    assert all(later <= earlier + 1 for earlier, later in zip(parsed.levels, parsed.levels[1:], strict=False))
    assert '<link rel="stylesheet" href="assets/explorer.css">' in page  # written beside it by the command


def test_the_explorer_links_its_what_changed_page(diff: dict) -> None:
    pages = build_pages(["lao"], None, DATE, diffs={"lao": diff})
    home, changes = pages["index.html"].decode(), pages["lao/changes.html"].decode()
    assert 'href="lao/changes.html">What changed</a>' in home
    assert 'href="changes.html">What changed</a>' in pages["lao/index.html"].decode()
    assert '<a href="insured_wage.html#insured_wage.ceiling"><code>insured_wage.ceiling</code></a>' in changes
    assert 'href="../assets/explorer.css"' in changes and 'aria-current="page">What changed' in changes
    assert structure(changes).inline == []


def test_a_source_link_says_source_once(page: str) -> None:
    """A review of the pages: a reference with a link but no source id was linked as "source source", and one citing
    several sources as a Python list."""
    links = re.findall(r'rel="noopener">(sources?[^<]*)</a>', page)
    identifier = r"[A-Z]+[0-9A-Z-]*"
    assert links and all(
        re.fullmatch(rf"source( {identifier})?|sources {identifier}(, {identifier})+", text) for text in links
    )
    assert "sources S20, S21, L11" in links  # a list of ids was written as a Python list
