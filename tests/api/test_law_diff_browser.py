"""The explorer's "What changed" page in a real headless Chromium: ``openfisca-sp explorer --diff`` written to a
folder, served as static files with the explorer's Content-Security-Policy; its tables, links, keyboard, and not
one console error nor request to another host (the browser and its checks are those of
``test_explorer_browser.py``)."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from openfisca_sp.api.explorer_routes import CONTENT_SECURITY_POLICY
from openfisca_sp.cli import main
from tests.api.test_explorer_browser import Visit, context, expect, visit  # noqa: F401 - fixtures, skips without Chromium
from tests.test_law_diff import LAO_CASES, repository  # noqa: F401 - a git repository with a change of law


class StaticFiles(http.server.SimpleHTTPRequestHandler):
    """A folder's files, with the header /explorer sends."""

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:  # the requests are not logged
        pass


@pytest.fixture(scope="module")
def site(repository: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:  # noqa: F811
    """The explorer of Laos with a diff of the repository's last commit (and its law cases and sample), served."""
    shutil.copytree(LAO_CASES, repository / "tests" / "rules" / "lao")  # the law cases, as they are now
    output = tmp_path_factory.mktemp("explorer")
    arguments = ["explorer", "--output", str(output), "--jurisdiction", "lao", "--tests", str(LAO_CASES.parent)]
    assert main([*arguments, "--diff", "HEAD~1", "HEAD", "--diff-samples", "--repository", str(repository)]) == 0
    handler = functools.partial(StaticFiles, directory=str(output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_from_the_home_page_to_what_changed_and_its_tables(site: str, visit: Visit) -> None:  # noqa: F811
    page = visit.page
    answer = page.goto(f"{site}/index.html")
    assert answer is not None and answer.status == 200
    page.get_by_role("link", name="What changed").click()
    assert urlsplit(page.url).path == "/lao/changes.html"
    expect(page.get_by_role("heading", level=1)).to_contain_text("What changed")
    values = page.locator("table.values-changed tbody tr")
    expect(values).to_have_count(3)
    ceiling = values.filter(has_text="insured_wage.ceiling")
    expect(ceiling).to_contain_text("4500000 → 5000000")
    expect(ceiling).to_contain_text("parameters/lao/insured_wage/ceiling.yaml:")
    expect(values.filter(has_text="2001-07-01").locator(".badge")).to_have_count(2)  # verified_2nd → verified
    cases = page.locator("table.cases-changed tbody tr")
    assert cases.count() > 0
    expect(cases.filter(has_text="maternity_reference_wage@").first).to_contain_text("4500000 → 5000000")
    expect(page.locator("table.sample tbody tr").filter(has_text="old_age")).to_be_visible()
    ceiling.get_by_role("link", name="insured_wage.ceiling").click()
    assert urlsplit(page.url).path == "/lao/insured_wage.html"
    assert urlsplit(page.url).fragment == "insured_wage.ceiling"
    visit.assert_clean()


def test_the_keyboard_reaches_the_links_of_the_tables(site: str, visit: Visit) -> None:  # noqa: F811
    page = visit.page
    page.goto(f"{site}/lao/changes.html")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    reached = False
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('table.values-changed') !== null"):
            reached = True
            break
    assert reached, "Tab goes on into the table of values"
    assert page.evaluate("document.activeElement.tagName") == "A"
    visit.assert_clean()
