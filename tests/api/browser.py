"""The system Chromium (Debian's /usr/bin/chromium, installed by .ci/run) as the browser tests launch it, driven by
Playwright, which never downloads a browser here. Importing this skips the importing module where it is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(
        f"{CHROMIUM} is absent: install Debian's chromium (apt-get install chromium chromium-driver; .ci/run does)",
        allow_module_level=True,
    )

from playwright.sync_api import BrowserContext, Page, Playwright, expect  # noqa: E402

# This machine has no network: without these Chromium waits on connections of its own (updates, sync, QUIC).
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 60_000


def launch(playwright: Playwright, profile: str) -> BrowserContext:
    """Chromium with a profile of its own (a temporary folder), every wait bounded by ``TIMEOUT_MS``."""
    browser = playwright.chromium.launch_persistent_context(
        profile, executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS, timeout=TIMEOUT_MS
    )
    browser.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    return browser


A4_MM, PAGE_MARGIN_MM = (210, 297), 14  # the pages' @page margin
PIXELS_PER_MM = 96 / 25.4
CUT_OFF = """(selector) => Array.from(document.querySelectorAll(selector)).filter(table =>
    table.getBoundingClientRect().right > window.innerWidth + 1
    || (table.parentElement.scrollWidth > table.parentElement.clientWidth + 1
        && getComputedStyle(table.parentElement).overflowX !== 'visible')
).map(table => (table.id || (table.querySelector('caption') || table).innerText.slice(0, 60)) + ': '
    + Math.round(table.getBoundingClientRect().width) + ' pixels')"""


def cut_off_in_print(page: Page, selector: str = "table", landscape: bool = False) -> list[str]:
    """The tables ``selector`` finds that, printed on A4 within 14 mm margins, run past the page or scroll within a
    region (which prints its first columns only): laid out as Chromium prints, print media on the page's width."""
    page.emulate_media(media="print")
    width_mm = A4_MM[1] if landscape else A4_MM[0]
    page.set_viewport_size({"width": int((width_mm - 2 * PAGE_MARGIN_MM) * PIXELS_PER_MM), "height": 1000})
    return page.evaluate(CUT_OFF, selector)
