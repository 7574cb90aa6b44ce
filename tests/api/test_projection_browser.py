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
from tests.api.test_explorer_browser import Visit, context, expect, visit  # noqa: F401 - fixtures, skips without Chromium
from tests.projection.scenarios import write_scenario


class QuietFiles(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # the requests are not logged
        pass


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The report of a three-year projection, served on 127.0.0.1 (the browser reaches no other host)."""
    folder = tmp_path_factory.mktemp("projection-report")
    scenario = write_scenario(folder, years={"first": 2026, "last": 2028})
    assert main(["project", str(scenario), "--report", str(folder / "projection.html"), "--locale", "ru"]) == 0
    write_parquet(folder / "vnm.parquet", "vnm", 2000, "2026-10", seed=5)
    comparison = ["compare", str(folder / "vnm.parquet"), "--month", "2026-10", "--reform", "r202_social_pension"]
    assert main([*comparison, "--report", str(folder / "comparison.html")]) == 0
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
