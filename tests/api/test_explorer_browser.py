"""/explorer in a real headless Chromium, served by a real server with API keys set: navigation, search, charts,
keyboard, and not one console error nor request to another host.

Chromium is Debian's (/usr/bin/chromium), driven by Playwright with that system browser (see
``test_docs_browser.py``); every request for a host other than 127.0.0.1 is aborted and recorded.
"""

from __future__ import annotations

import tempfile
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    BrowserContext,
    ConsoleMessage,
    Page,
    Request,
    Route,
    expect,
    sync_playwright,
)

from tests.api.browser import cut_off_in_print, launch  # skips this module without Chromium
from tests.api.server import Server


@dataclass
class Visit:
    """A page, what it asked of other hosts, and its console errors and uncaught exceptions."""

    page: Page
    sent_outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def route(self, route: Route, request: Request) -> None:
        if urlsplit(request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            self.sent_outside.append(request.url)
            route.abort("blockedbyclient")

    def console(self, message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            self.errors.append(f"{message.type}: {message.text}")

    def assert_clean(self) -> None:
        self.page.wait_for_load_state("networkidle")
        assert self.sent_outside == []
        assert self.errors == []


@pytest.fixture(scope="module")
def context() -> Iterator[BrowserContext]:
    with sync_playwright() as playwright, tempfile.TemporaryDirectory(prefix="openfisca-sp-chromium-") as profile:
        browser = launch(playwright, profile)
        yield browser
        browser.close()


@pytest.fixture
def visit(context: BrowserContext) -> Iterator[Visit]:
    page = context.new_page()
    seen = Visit(page)
    page.route("**/*", seen.route)
    page.on("console", seen.console)
    page.on("pageerror", lambda error: seen.errors.append(str(error)))
    yield seen
    page.close()


def test_navigate_from_the_explorer_to_a_branch_and_its_charts(server: Server, visit: Visit) -> None:
    page = visit.page
    answer = page.goto(f"{server.url}/explorer")  # no API key: /explorer is open like /docs
    assert answer is not None and answer.status == 200
    assert urlsplit(page.url).path == "/explorer/"
    assert "default-src 'self'" in answer.headers["content-security-policy"]
    expect(page.get_by_role("heading", level=1)).to_have_text("Rules explorer")

    page.get_by_role("link", name="Viet Nam", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Viet Nam")
    page.get_by_role("link", name="Unemployment benefit").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Unemployment benefit")
    assert urlsplit(page.url).path == "/explorer/vnm/unemployment.html"

    rate = page.locator("section.parameter").filter(has=page.locator("h3#unemployment\\.benefit_rate"))
    expect(rate.locator("svg.history[role=img]")).to_be_visible()
    expect(rate.locator("svg.history title").first).to_contain_text("unemployment.benefit_rate")
    assert page.locator("svg.history").count() > 5
    expect(rate.locator("table.values")).to_contain_text("parameters/vnm/unemployment/benefit_rate.yaml:")
    expect(rate.locator(".badge.status-verified").first).to_be_visible()

    benefit = page.locator("section.variable").filter(has=page.locator("h3#variable-unemployment_benefit"))
    benefit.locator("details.source summary").click()
    expect(benefit.locator("details.source pre")).to_contain_text("def formula")

    page.get_by_role("link", name="Verification dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verification dashboard")
    expect(page.locator("#dashboard-lao")).to_be_visible()
    assert page.locator("table.dashboard svg.bar rect").count() > 4
    visit.assert_clean()


def test_a_stopped_value_reads_not_modelled(server: Server, visit: Visit) -> None:
    """A review of the pages: a value set to null from a date (Viet Nam's waiting days from 2026: the new law counts
    working days, which the parameter cannot) showed a status badge "?". It reads "not modelled", as the law's rule
    is from that date; no page of the branch shows a "?" status."""
    page = visit.page
    page.goto(f"{server.url}/explorer/vnm/unemployment.html")
    waiting = page.locator("section.parameter").filter(has=page.locator("h3#unemployment\\.waiting_days"))
    stopped = waiting.locator("table.values tbody tr").filter(has_text="2026-01-01")
    expect(stopped.locator("td.value")).to_have_text("null (stopped)")
    expect(stopped.locator(".badge")).to_have_text("not modelled")
    expect(page.locator(".badge", has_text="?")).to_have_count(0)
    visit.assert_clean()


def test_search_an_article_and_follow_the_result(server: Server, visit: Visit) -> None:
    page = visit.page
    page.goto(f"{server.url}/explorer/lao/old_age.html")
    box = page.get_by_label("Search by article, instrument or name")
    box.fill("Art 50(3)")
    box.press("Enter")
    expect(page.locator("#search-status")).to_contain_text("for “Art 50(3)”")
    result = page.locator("#results li").filter(has_text="unemployment.waiting_days")
    expect(result).to_contain_text("Employment Law No. 38/2013/QH13")
    box = page.get_by_label("Search by article, instrument or name")
    box.fill("article 50 (3)")  # the same article, written otherwise, filtered as one types
    expect(page.locator("#results li").filter(has_text="unemployment.waiting_days")).to_be_visible()
    page.locator("#results li a", has_text="unemployment.waiting_days").first.click()
    assert urlsplit(page.url).path == "/explorer/vnm/unemployment.html"
    assert urlsplit(page.url).fragment == "unemployment.waiting_days"
    expect(page.locator("h3#unemployment\\.waiting_days")).to_be_in_viewport()
    visit.assert_clean()


def test_a_vietnamese_search_finds_the_same_in_composed_and_decomposed_letters(server: Server, visit: Visit) -> None:
    """A second review: "Mức hưởng" typed with combining marks (NFD, as some Vietnamese keyboards write it) found
    nothing, where the same words composed (NFC) found the articles."""
    page = visit.page
    page.goto(f"{server.url}/explorer/vnm/maternity.html")
    counts = []
    for form in ("NFC", "NFD"):
        box = page.get_by_label("Search by article, instrument or name")
        box.fill(unicodedata.normalize(form, "Mức hưởng"))
        box.press("Enter")
        expect(page.locator("#search-status")).to_contain_text("for “")
        counts.append(page.locator("#results li").count())
    assert counts[0] > 0 and counts[0] == counts[1], counts
    visit.assert_clean()


def test_the_keyboard_reaches_the_search_box_and_searches(server: Server, visit: Visit) -> None:
    page = visit.page
    page.goto(f"{server.url}/explorer/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    for _ in range(10):
        if page.evaluate("document.activeElement.id") == "q":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type("pensionable_age")
    page.keyboard.press("Enter")
    expect(page.locator("#results li").first).to_be_visible()
    assert page.locator("#results li").count() > 3
    page.keyboard.press("Tab")  # from the search box to its button, then into the results
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('#results') !== null")
    assert focused, "Tab goes on from the search box into the results"
    visit.assert_clean()


def test_unknown_pages_are_not_found(server: Server) -> None:
    with server.client() as http:
        assert http.get("/explorer/nothing.html").status_code == 404
        assert http.get("/explorer/assets/explorer.css").headers["content-type"].startswith("text/css")


CONTRAST = """(selector) => {
  const luminance = (colour) => {
    const [r, g, b] = colour.match(/[\\d.]+/g).slice(0, 3).map((value) => {
      const channel = Number(value) / 255;
      return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const background = (element) => {
    for (let node = element; node; node = node.parentElement) {
      const colour = getComputedStyle(node).backgroundColor;
      if (!/rgba\\(.*, 0\\)$/.test(colour) && colour !== "transparent") { return colour; }
    }
    return "rgb(255, 255, 255)";
  };
  return [...document.querySelectorAll(selector)].slice(0, 20).map((element) => {
    const pair = [luminance(getComputedStyle(element).color), luminance(background(element))];
    return [element.tagName + "." + element.className, (Math.max(...pair) + 0.05) / (Math.min(...pair) + 0.05)];
  });
}"""


def test_text_contrast_is_at_least_aa(server: Server, visit: Visit) -> None:
    page = visit.page
    page.goto(f"{server.url}/explorer/vnm/unemployment.html")
    selector = "body, header.site a, header.site label, .crumbs a, h1, h1 .sub, td, .article, .note, .badge, footer"
    ratios = page.evaluate(CONTRAST, selector)
    assert len(ratios) > 10
    low = [(element, round(ratio, 2)) for element, ratio in ratios if ratio < 4.5]
    assert low == [], ratios
    assert min(ratio for _, ratio in ratios) < 21  # measured, not a constant
    visit.assert_clean()


@pytest.mark.parametrize(
    "path",
    [
        "/explorer/lao/",
        "/explorer/vnm/unemployment.html",
        "/explorer/vnm/reference_amounts.html",
        "/explorer/dashboard.html",
    ],
)
def test_no_page_runs_past_a_phones_screen(server: Server, visit: Visit, path: str) -> None:
    """A review of the pages at 375 pixels: the jurisdiction's table (1,093 px), a branch's headings and file:line
    entries (814 px) and the compliance tables (1,028 px) widened the page; wide tables now scroll within it."""
    page = visit.page
    page.set_viewport_size({"width": 375, "height": 800})
    answer = page.goto(f"{server.url}{path}")
    assert answer is not None and answer.status == 200
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, (path, width)
    assert "e+0" not in page.locator("body").inner_text()  # values as a drafter writes them, never 5e+05
    visit.assert_clean()


@pytest.mark.parametrize(
    "path", ["/explorer/vnm/unemployment.html", "/explorer/tjk/old_age.html", "/explorer/dashboard.html"]
)
def test_printed_tables_keep_every_column(server: Server, visit: Visit, path: str) -> None:
    """A review of the pages printed the explorer: a parameter's dated values (a long article, a file:line on one
    line) ran 900 to 2,100 pixels wide, the dashboard 850, and their scrolling regions printed the first columns
    only, the law cases cut off. Printed, each table is laid out whole on an A4 page's width, and the PDF is written."""
    page = visit.page
    page.goto(f"{server.url}{path}")
    assert page.pdf(format="A4").startswith(b"%PDF")
    assert cut_off_in_print(page) == []
    visit.assert_clean()
