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

from playwright.sync_api import BrowserContext, Playwright, expect  # noqa: E402

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
