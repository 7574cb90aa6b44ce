"""/docs and /redoc render in a real headless Chromium with nothing but this server: no CDN, no request elsewhere.

Chromium is Debian's (/usr/bin/chromium, installed by .ci/run), driven by Playwright, which never downloads a
browser here. Every request the pages send goes through a route handler: those for 127.0.0.1 go on, any other is
aborted and recorded, and the tests assert that none was sent. ReDoc's bundle asks for its vendor's logo on their
CDN: the pages' Content-Security-Policy refuses it in the browser, before any connection, and the tests assert
that whatever a page asked of another host was refused so.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page, Playwright, Request, Route, expect, sync_playwright

from tests.api.browser import launch  # skips this module without Chromium
from tests.api.server import Server


def local(url: str) -> bool:
    return urlsplit(url).hostname == "127.0.0.1"


@dataclass
class Visit:
    """A page and its requests: all it asked for, those sent to another host, those its CSP refused, its errors."""

    page: Page
    requested: list[str] = field(default_factory=list)
    sent_outside: list[str] = field(default_factory=list)
    refused_by_csp: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def route(self, route: Route, request: Request) -> None:
        """Every request that would go on the network: 127.0.0.1 only, any other is aborted and recorded."""
        if local(request.url):
            route.continue_()
        else:
            self.sent_outside.append(request.url)
            route.abort("blockedbyclient")

    def failed(self, request: Request) -> None:
        if request.failure == "csp":
            self.refused_by_csp.append(request.url)

    def assert_offline(self) -> None:
        self.page.wait_for_load_state("networkidle")
        assert self.sent_outside == []
        asked_outside = [url for url in self.requested if not local(url)]
        assert sorted(asked_outside) == sorted(self.refused_by_csp)
        assert self.errors == []


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as running:
        yield running


@pytest.fixture(scope="module")
def context(playwright: Playwright) -> Iterator[BrowserContext]:
    with tempfile.TemporaryDirectory(prefix="openfisca-sp-chromium-") as profile:
        browser = launch(playwright, profile)
        yield browser
        browser.close()


@pytest.fixture
def visit(context: BrowserContext) -> Iterator[Visit]:
    page = context.new_page()
    seen = Visit(page)
    page.route("**/*", seen.route)
    page.on("request", lambda request: seen.requested.append(request.url))
    page.on("requestfailed", seen.failed)
    page.on("pageerror", lambda error: seen.errors.append(str(error)))
    yield seen
    page.close()


def test_swagger_ui_renders_offline_and_tries_health(server: Server, visit: Visit) -> None:
    page = visit.page
    answer = page.goto(f"{server.url}/docs")
    assert answer is not None and answer.status == 200
    assert "default-src 'self'" in answer.headers["content-security-policy"]
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("openfisca-sp API")
    operations = page.locator(".opblock-summary-path")
    expect(operations.filter(has_text="/eligibility").first).to_be_visible()
    expect(operations.filter(has_text="/calculate").first).to_be_visible()
    assert operations.count() > 10

    health = page.locator(".opblock").filter(has=page.locator(".opblock-summary-path[data-path='/health']"))
    health.locator(".opblock-summary").click()
    health.get_by_role("button", name="Try it out").click()
    with page.expect_response(lambda response: urlsplit(response.url).path == "/health") as called:
        health.get_by_role("button", name="Execute").click()
    assert called.value.status == 200
    expect(health.locator(".live-responses-table tbody .response-col_status").first).to_have_text("200")

    assert page.request.get(f"{server.url}/docs/oauth2-redirect").status == 200

    visit.assert_offline()
    assert visit.refused_by_csp == []
    paths = {urlsplit(url).path for url in visit.requested}
    assert {"/docs/static/swagger-ui-bundle.js", "/docs/static/swagger-ui.css", "/openapi.json", "/health"} <= paths


def test_redoc_renders_offline(server: Server, visit: Visit) -> None:
    page = visit.page
    answer = page.goto(f"{server.url}/redoc")
    assert answer is not None and answer.status == 200
    assert "default-src 'self'" in answer.headers["content-security-policy"]
    menu = page.locator(".menu-content")
    expect(menu).to_contain_text("OpenFisca Web API")
    expect(menu).to_contain_text("Eligibility")
    assert menu.locator("li[data-item-id]").count() > 10
    expect(page.locator(".api-content h1").first).to_contain_text("openfisca-sp API")
    expect(page.locator(".api-content")).to_contain_text("/eligibility")
    expect(page.locator(".api-content")).to_contain_text("/calculate")

    visit.assert_offline()
    paths = {urlsplit(url).path for url in visit.requested}
    assert {"/docs/static/redoc.standalone.js", "/openapi.json"} <= paths
