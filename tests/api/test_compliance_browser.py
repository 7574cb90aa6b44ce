"""/compliance.html in a real headless Chromium, from a real server, with nothing else: the table is there, the page
raises no error, sends nothing elsewhere, and its headings are reached from the keyboard.

The browser fixtures are those of the /docs tests (Debian's /usr/bin/chromium driven by Playwright, no network).
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.api.browser import cut_off_in_print
from tests.api.server import API_KEYS, Server
from tests.api.test_docs_browser import Visit, context, playwright  # noqa: F401  (fixtures; skips without Chromium)


@pytest.fixture
def keyed(context: BrowserContext) -> Iterator[Visit]:  # noqa: F811
    """A page that sends the server's API key, every request routed as the /docs tests route them."""
    page = context.new_page()
    page.set_extra_http_headers({"X-API-Key": API_KEYS[0]})
    seen = Visit(page)
    page.route("**/*", seen.route)
    page.on("request", lambda request: seen.requested.append(request.url))
    page.on("requestfailed", seen.failed)
    page.on("pageerror", lambda error: seen.errors.append(str(error)))
    page.on("console", lambda message: seen.errors.append(message.text) if message.type == "error" else None)
    yield seen
    page.close()


def test_the_compliance_page_shows_every_jurisdiction_offline(server: Server, keyed: Visit) -> None:
    page = keyed.page
    answer = page.goto(f"{server.url}/compliance.html?date=2026-11-30")
    assert answer is not None and answer.status == 200
    assert "default-src 'self'" in answer.headers["content-security-policy"]
    expect(page.locator("h1")).to_have_text("ILO compliance report")
    for code in ("ilo_c102", "lao", "vnm", "tjk"):
        expect(page.locator(f"h2#{code}")).to_be_visible()
        expect(page.locator(f"#table-{code}-maternity tbody tr").first).to_be_visible()
    tables = page.locator("table.compliance")
    assert tables.count() == 16  # four branches of four jurisdictions
    expect(page.locator("#table-lao-maternity")).to_contain_text("C183")
    expect(page.locator("#table-tjk-old_age")).to_contain_text("not met")
    keyed.assert_offline()
    assert {urlsplit(url).path for url in keyed.requested} == {"/compliance.html"}


def test_the_headings_are_reached_from_the_keyboard(server: Server, keyed: Visit) -> None:
    page = keyed.page
    page.goto(f"{server.url}/compliance.html?jurisdiction=lao&reform=lao_maternity_c183&date=2026-11-30")
    expect(page.locator(".subtitle")).to_contain_text("under the reform")
    link = page.locator("nav a[href='#lao']")
    link.focus()
    page.keyboard.press("Enter")
    expect(page.locator("h2#lao")).to_be_in_viewport()
    for heading in page.locator("h2, h3").all():  # every heading is focusable (tabindex), for skip links
        assert heading.get_attribute("tabindex") == "-1"
        assert heading.get_attribute("id")
    assert page.locator("table.compliance caption").count() == 4
    assert page.locator("table.compliance th[scope='col']").count() == 4 * 5
    keyed.assert_offline()


def test_the_route_answers_html_to_a_browser_and_json_otherwise(server: Server, keyed: Visit) -> None:
    page = keyed.page
    answer = page.goto(f"{server.url}/compliance?jurisdiction=vnm&date=2026-11-30")
    assert answer is not None and answer.headers["content-type"].startswith("text/html")
    expect(page.locator("h2#vnm")).to_be_visible()
    with server.client(**{"X-API-Key": API_KEYS[0]}) as http:
        body = http.get("/compliance", params={"jurisdiction": "vnm", "date": "2026-11-30"}).json()
        assert body["jurisdictions"][0]["jurisdiction"] == "vnm"
        bad = http.get("/compliance", params={"date": "30/11/2026"})
        assert bad.status_code == 422 and bad.json()["field"] == "date"
        bad = http.get("/compliance", params={"jurisdiction": "vnm", "reform": "lao_maternity_c183"})
        assert bad.status_code == 422 and bad.json()["field"] == "reform"
        bad = http.get("/compliance", params={"jurisdiction": "xyz"})
        assert bad.status_code == 422 and bad.json()["field"] == "jurisdiction"


def test_the_page_does_not_run_past_a_phones_screen(server: Server, keyed: Visit) -> None:
    """A review of the pages: at 375 pixels the summary and verdict tables widened the page to 1,028 pixels;
    they now scroll within it."""
    page = keyed.page
    page.set_viewport_size({"width": 375, "height": 800})
    answer = page.goto(f"{server.url}/compliance.html?jurisdiction=vnm&date=2026-11-30")
    assert answer is not None and answer.status == 200
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_printed_tables_keep_every_column(server: Server, keyed: Visit) -> None:
    """A review of the pages printed the report: its tables (a long parameter name in a cell, headings on one line)
    ran past an A4 page and printed only the columns their scrolling region showed, the verdict cut off. Printed,
    each table is laid out whole on the page's width, and the PDF is written."""
    page = keyed.page
    page.goto(f"{server.url}/compliance.html?date=2026-11-30")
    assert page.pdf(format="A4").startswith(b"%PDF")
    assert cut_off_in_print(page, "table.compliance") == []
    keyed.assert_offline()
