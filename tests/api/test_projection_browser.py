"""The projection report in a real headless Chromium: five charts with their text alternatives, the year and
assumption tables, and not one console error nor request to another host (the checks of
``test_explorer_browser.py``)."""

from __future__ import annotations

import functools
import http.server
import itertools
import re
import threading
from collections.abc import Iterator

import pytest

from openfisca_sp.cli import main
from openfisca_sp.report.formatting import count, formatted_in, month_label, report_locale
from openfisca_sp.synthetic import write_parquet
from tests.api.browser import cut_off_in_print
from tests.api.test_explorer_browser import Visit, context, expect, visit  # noqa: F401 - fixtures, skips without Chromium
from tests.projection.scenarios import scenario_text, write_scenario

INDEXATION = {  # with a source as long as the shipped scenarios' (lao.yaml)
    "parameter": "social_pension.amount",
    "index": "prices",
    "from": 2028,
    "source": "ILO C102 Art 65(10) and 66(8): rates in payment are reviewed after substantial changes in the general"
    " level of earnings or of the cost of living; indexed here to consumer prices, a stated assumption of this test"
    " scenario, not a forecast nor a rule of law",
    "status": "assumption",
}


class QuietFiles(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # the requests are not logged
        pass


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The report of a three-year projection, served on 127.0.0.1 (the browser reaches no other host)."""
    folder = tmp_path_factory.mktemp("projection-report")
    assumptions = scenario_text()["assumptions"] | {"indexation": [INDEXATION]}
    scenario = write_scenario(folder, years={"first": 2026, "last": 2028}, assumptions=assumptions)
    assert main(["project", str(scenario), "--report", str(folder / "projection.html"), "--locale", "ru"]) == 0
    write_parquet(folder / "vnm.parquet", "vnm", 2000, "2026-10", seed=5)
    comparison = ["compare", str(folder / "vnm.parquet"), "--month", "2026-10", "--reform", "r202_social_pension"]
    assert main([*comparison, "--report", str(folder / "comparison.html")]) == 0
    write_parquet(folder / "tjk.parquet", "tjk", 2000, "2026-10", seed=5)  # its social pension's baseline: not modelled
    comparison = ["compare", str(folder / "tjk.parquet"), "--month", "2026-10", "--reform", "r202_social_pension"]
    assert main([*comparison, "--report", str(folder / "comparison-tjk.html"), "--locale", "tg"]) == 0
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietFiles, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/projection.html"
    server.shutdown()
    server.server_close()


def test_the_report_shows_its_charts_and_tables(report: str, visit: Visit) -> None:  # noqa: F811
    page = visit.page
    answer = page.goto(report)
    assert answer is not None and answer.status == 200
    expect(page.get_by_role("heading", level=1)).to_contain_text("Viet Nam")
    charts = page.get_by_role("img")
    expect(charts).to_have_count(5)
    expect(page.get_by_role("img", name="Cost as a share of GDP")).to_be_visible()
    years = page.locator("table#years tbody tr")
    expect(years).to_have_count(3)
    expect(years.first.locator("th")).to_have_text("2026")
    assumptions = page.locator("table#assumptions tbody tr")
    expect(assumptions.first).to_contain_text("GDP of the base year")
    page.locator("#cost-gdp details summary").click()
    expect(page.locator("#cost-gdp details p")).to_contain_text("reform:")
    assert visit.errors == [] and visit.sent_outside == []


def test_the_base_month_and_persons_are_written_for_the_readers_locale(report: str, visit: Visit) -> None:  # noqa: F811
    """ "Base month 2026-10 (20000 persons …)": the month as ISO text and the count without grouping in a Russian
    report (found by an outside review)."""
    page = visit.page
    page.goto(report)
    with formatted_in(report_locale("ru")):
        month, persons = month_label("2026-10"), count(20_000.0)
    about = page.locator("#about dd").nth(1)
    expect(about).to_have_text(f"{month} ({persons} persons in the base table)")
    assert "2026-10" not in about.inner_text() and "20000" not in about.inner_text()


@pytest.mark.parametrize("width", [1200, 375])
@pytest.mark.parametrize("name", ["projection.html", "comparison.html"])
def test_no_table_runs_past_the_page(report: str, visit: Visit, name: str, width: int) -> None:  # noqa: F811
    """The comparison's tables by sex and by age group ran past a 1,200-pixel page, their last column cut off
    (found by an outside review): a wide table scrolls within its own region. On a phone (375 pixels), a long
    address in the calibration notes or a long identifier widened the page (a review of the pages)."""
    page = visit.page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(report.replace("projection.html", name))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    for wrap in page.locator("div.table-wrap").all():
        box, table = wrap.bounding_box(), wrap.locator("table").bounding_box()
        assert box is not None and table is not None and box["x"] + box["width"] <= width
    assert visit.errors == [] and visit.sent_outside == []


def test_the_axes_label_every_year_and_exact_ticks(report: str, visit: Visit) -> None:  # noqa: F811
    """An analyst's review: the beneficiaries' ticks, 250,000 apart, read 1M, 1.2M, 1.5M, 1.8M, 2M; the years ran a
    year past the last and the first was not labelled. As the reader sees them: the years from the first to the
    last, and ticks that read evenly spaced values (in Russian, the report's locale here)."""
    page = visit.page
    page.goto(report)
    texts = [text.strip() for text in page.locator("#beneficiaries svg text").all_text_contents()]
    assert [text for text in texts if re.fullmatch(r"\d{4}", text)] == ["2026", "2027", "2028"]
    factors = {"": 1.0, "тыс.": 1e3, "млн": 1e6, "млрд": 1e9}
    values = []
    for text in texts:
        number, _, unit = text.replace("\u202f", "\u00a0").partition("\u00a0")
        if re.fullmatch(r"-?\d+(,\d+)?", number) and unit in factors and not re.fullmatch(r"\d{4}", text):
            values.append(float(number.replace(",", ".")) * factors[unit])
    steps = {round(later - earlier, 6) for earlier, later in itertools.pairwise(values)}
    assert len(values) >= 3 and len(steps) == 1, texts
    assert visit.errors == [] and visit.sent_outside == []


@pytest.mark.parametrize("name", ["projection.html", "comparison.html"])
def test_printed_tables_keep_every_column(report: str, visit: Visit, name: str) -> None:  # noqa: F811
    """A review of the pages printed them to PDF: each wide table (a projection's fourteen figures a year, its costs
    by branch and decade, its assumptions' sources; a comparison's tables by sex, age and decile) printed only the
    columns its scrolling region showed, the rest cut off at the page's edge. The reports print on A4 in landscape
    (as their @page asks) and, printed, a table is laid out whole on the page's width within its 14 mm margins."""
    page = visit.page
    page.goto(report.replace("projection.html", name))
    pdf = page.pdf(prefer_css_page_size=True, format="A4")
    box = re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    assert box is not None and float(box[1]) > float(box[2])  # points: landscape, as the report asks
    assert cut_off_in_print(page, landscape=True) == []
    assert visit.errors == [] and visit.sent_outside == []


def test_the_assumptions_table_writes_every_value_and_wraps_its_sources(report: str, visit: Visit) -> None:  # noqa: F811
    """A review of the pages: an assumption's source ran on one line (a number's cell), the assumptions' table 2,600
    pixels wide, its Source column out of sight; and an indexation's value cell was empty. Each row now reads its
    value (the index: prices) and the table fits the page."""
    page = visit.page
    page.set_viewport_size({"width": 1200, "height": 900})
    page.goto(report)
    indexation = page.locator("table#assumptions tbody tr", has_text="indexation of social_pension.amount")
    expect(indexation.locator("td").nth(1)).to_have_text("prices")
    empty = page.locator("table#assumptions td").evaluate_all("cells => cells.filter(c => !c.innerText.trim()).length")
    assert empty == 0
    wrap = page.locator("div.table-wrap", has=page.locator("table#assumptions"))
    assert wrap.evaluate("wrap => wrap.scrollWidth <= wrap.clientWidth")  # no scrolling to its Source column
    assert visit.errors == [] and visit.sent_outside == []


@pytest.mark.parametrize("name", ["projection.html", "comparison.html"])
def test_percentage_ticks_have_the_decimals_they_need(report: str, visit: Visit, name: str) -> None:  # noqa: F811
    """A review of the pages: a projection's cost as a share of GDP read 0.000%, 0.100% … 0.400% on its axis, a
    comparison's deciles 0.0%, 2.0% … 16.0%. An axis's percentages have the fewest decimals that write each tick
    exactly, the same for all (0.1%, 0.2% …; 0%, 2% …), and the charts' text alternatives keep their acronyms."""
    page = visit.page
    page.goto(report.replace("projection.html", name))
    axes = page.locator("svg g[id$='matplotlib.axis_2'], svg g[id$='matplotlib.axis_1']")
    checked = 0
    for axis in axes.all():
        texts = [text.strip() for text in axis.locator("g[id*='tick_'] text").all_text_contents()]
        shares = [text.rstrip("%").strip() for text in texts if text.endswith("%")]
        if not shares:
            continue
        decimals = {len(share.partition(",")[2] or share.partition(".")[2]) for share in shares}
        assert len(decimals) == 1, texts
        assert decimals == {0} or any(not share.endswith("0") for share in shares), texts
        checked += 1
    assert checked >= 1
    descriptions = " ".join(page.locator("svg desc").all_text_contents())
    assert "gdp" not in descriptions and "sdg" not in descriptions
    assert visit.errors == [] and visit.sent_outside == []


@pytest.mark.parametrize("name", ["projection.html", "comparison.html"])
def test_every_column_heading_names_its_columns(report: str, visit: Visit, name: str) -> None:  # noqa: F811
    """A review of the pages: a table's group headings ("Beneficiaries" over baseline, reform and change) had no scope,
    so a screen reader did not tie them to their columns, and the empty cells above the group column were headings of
    nothing. Each heading of a table's head says what it heads (col or colgroup) and has a text."""
    page = visit.page
    page.goto(report.replace("projection.html", name))
    headings = page.locator("thead th").evaluate_all(
        "cells => cells.map(c => [c.getAttribute('scope'), c.innerText.trim()])"
    )
    assert headings and all(scope in ("col", "colgroup") and text for scope, text in headings), headings
    assert page.locator("thead th[scope=colgroup]").count() > 0 or name == "projection.html"
    assert visit.errors == [] and visit.sent_outside == []


def test_a_chart_of_nothing_modelled_has_no_scale(report: str, visit: Visit) -> None:  # noqa: F811
    """A review of the pages: Tajikistan's winners and losers by decile are not modelled (its social pension's
    baseline is not), and the two empty panels still read 4%, 2%, 0%, 2%, 4% and 0.04, 0.02, 0, 0.02, 0.04
    (matplotlib's range around nothing), as if shares and amounts had been measured. They read "not modelled" alone."""
    page = visit.page
    page.goto(report.replace("projection.html", "comparison-tjk.html"))
    deciles = page.locator("svg[aria-labelledby^='chart-deciles-title']")
    expect(deciles).to_contain_text("not modelled")
    ticks = [text.strip() for text in deciles.locator("g[id*='ytick_'] text").all_text_contents()]
    assert ticks == []
    assert visit.errors == [] and visit.sent_outside == []


def test_an_average_over_persons_not_modelled_is_not_modelled(report: str, visit: Visit) -> None:  # noqa: F811
    """A review of the pages: where a branch's winners and losers are not modelled (Tajikistan's old-age pension,
    whose amount is not), their average gain and loss read "–", the mark of an average over no one. Each reads
    "not modelled", as the count it divides by."""
    page = visit.page
    page.goto(report.replace("projection.html", "comparison-tjk.html"))
    rows = page.locator("table#table-outcomes tbody tr").evaluate_all(
        "rows => rows.map(row => Array.from(row.cells).map(cell => cell.innerText.trim()))"
    )
    gains = [row[4] for row in rows if row[3] == "not modelled"]  # winners, average gain
    losses = [row[6] for row in rows if row[5] == "not modelled"]  # losers, average loss
    assert gains and losses and set(gains) | set(losses) == {"not modelled"}, rows
    assert visit.errors == [] and visit.sent_outside == []
