"""The rules explorer (``openfisca_sp.explorer``): what its pages show, its search index, its links, its command."""

from __future__ import annotations

import datetime
import html
import itertools
import json
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from openfisca_sp.cli import main
from openfisca_sp.explorer import build_pages
from openfisca_sp.explorer.data import collect
from openfisca_sp.explorer.search import SCRIPT
from openfisca_sp.rules.provenance import provenance_of
from openfisca_sp.rules.system import tax_benefit_system

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "rules"
DATE = datetime.date(2026, 1, 1)


@pytest.fixture(scope="module")
def pages() -> dict[str, bytes]:
    return build_pages(["lao", "vnm"], CASES, DATE)


def text(pages: dict[str, bytes], name: str) -> str:
    return pages[name].decode("utf-8")


def search_index(pages: dict[str, bytes]) -> list[dict]:
    script = text(pages, SCRIPT)
    return json.loads(script.removeprefix("window.EXPLORER_INDEX = ").rstrip().removesuffix(";"))


def test_a_parameter_page_shows_each_value_with_its_status_reference_file_and_line(pages: dict[str, bytes]) -> None:
    page = text(pages, "vnm/unemployment.html")
    records = provenance_of(tax_benefit_system("vnm")).history["unemployment.benefit_rate"]
    assert len(records) >= 2
    for record in records:
        assert f"unemployment/benefit_rate.yaml:{record.line}</code>" in page
        assert f'<th scope="row">{record.start}</th>' in page
        instrument = " ".join(record.reference[0]["instrument"].split())
        assert html.escape(instrument, quote=False) in page or html.escape(instrument) in page
    assert '<span class="badge status-verified">verified</span>' in page
    assert '<span class="badge status-unverified">unverified</span>' in page
    assert 'id="unemployment.benefit_rate"' in page
    assert re.search(
        r'<svg class="history" role="img"[^>]*aria-labelledby="chart-unemployment\.benefit_rate-title', page
    )


def test_values_and_variables_list_the_law_cases_that_read_and_check_them() -> None:
    data = collect("vnm", CASES, ROOT, DATE)
    unemployment = next(branch for branch in data.branches if branch.code == "unemployment")
    rate = next(parameter for parameter in unemployment.parameters if parameter.name == "unemployment.benefit_rate")
    assert rate.values[0].cases, "the 2015 benefit rate is read by law cases"
    assert all(file.startswith("tests/rules/vnm/") for file, _ in rate.values[0].cases)
    assert "unemployment_benefit" in rate.read_by
    benefit = next(variable for variable in unemployment.variables if variable.name == "unemployment_benefit")
    assert benefit.checked_by and benefit.computed_in >= len(benefit.checked_by)
    assert "unemployment.benefit_rate" in benefit.reads_parameters
    assert "unemployment_benefit_eligible" in benefit.reads_variables
    assert benefit.file == "variables/unemployment/unemployment_benefit.py" and benefit.line
    assert "def formula" in benefit.source
    assert data.case_failures == []


def test_a_variable_page_shows_its_source_reads_and_law_cases(pages: dict[str, bytes]) -> None:
    page = text(pages, "vnm/unemployment.html")
    section = page[page.index('id="variable-unemployment_benefit"') :]
    section = section[: section.index("</section>")]
    assert "variables/unemployment/unemployment_benefit.py:" in section
    assert "def formula(person, period, parameters):" in section
    assert "Reads parameters" in section and "<code>unemployment.benefit_rate</code>" in section
    assert re.search(r"checked by \d+ law cases?", section)
    assert "tests/rules/vnm/unemployment/" in section


def test_the_search_index_finds_articles_instruments_and_names(pages: dict[str, bytes]) -> None:
    entries = search_index(pages)
    art_50_3 = [  # the Employment Law's Art 50(3) (SI Law 2024's Art 50(3), on maternity, is another instrument's)
        entry
        for entry in entries
        if entry.get("article", "").startswith("Art 50(3)") and entry.get("instrument", "").startswith("Employment")
    ]
    assert art_50_3 and art_50_3[0]["url"] == "vnm/unemployment.html#unemployment.waiting_days"
    assert art_50_3[0]["instrument"] == "Employment Law No. 38/2013/QH13"
    assert art_50_3[0]["dates"] and art_50_3[0]["statuses"]
    assert any(
        entry["url"].startswith("vnm/maternity.html")
        for entry in entries
        if entry.get("article", "").startswith("Art 50(3)")
    )
    assert any(entry["kind"] == "variable" and entry["name"] == "old_age_pension" for entry in entries)
    assert any("Decree" in entry.get("instrument", "") and entry["url"].startswith("lao/") for entry in entries)
    assert "</script" not in text(pages, SCRIPT)


def test_the_dashboard_shows_shares_and_what_is_not_modelled(pages: dict[str, bytes]) -> None:
    page = text(pages, "dashboard.html")
    for code in ("lao", "vnm"):
        assert f'id="dashboard-{code}"' in page
    assert "Not modelled on 2026-01-01" in page
    assert re.search(r"<td>\d+ \(\d+%\)</td>", page)
    assert 'role="img" aria-label="All branches:' in page


def test_every_link_resolves_and_nothing_is_fetched_from_elsewhere(pages: dict[str, bytes]) -> None:
    for name, content in pages.items():
        if not name.endswith(".html"):
            continue
        page = content.decode("utf-8")
        assert page.count("<h1") == 1, name
        for attribute, target in re.findall(r'\b(href|src)="([^"]+)"', page):
            if target.startswith(("http://", "https://")):
                assert attribute == "href" and 'rel="noopener"' in page, (name, target)
                continue
            if target.startswith("data:"):
                continue
            link = urlsplit(urljoin(name, target))
            assert link.path in pages, f"{name}: {target}"
            if link.fragment:
                assert f'id="{link.fragment}"' in pages[link.path].decode("utf-8"), f"{name}: {target}"
        for script in re.findall(r"<script[^>]*>", page):
            assert 'src="' in script, f"{name}: inline script (the API's CSP refuses it)"
        assert ' style="' not in page, f"{name}: inline style (the API's CSP refuses it)"


def test_the_command_writes_the_site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["explorer", "--output", str(tmp_path), "--jurisdiction", "tjk", "--no-cases", "--date", "2026-01-01"])
        == 0
    )
    assert (tmp_path / "index.html").is_file()
    assert (tmp_path / "tjk" / "old_age.html").is_file()
    assert (tmp_path / "assets" / "explorer.js").is_file()
    assert "tjk:" in capsys.readouterr().err
    assert main(["explorer", "--output", str(tmp_path), "--tests", str(tmp_path / "none")]) == 2
    # a second review: built without law cases, every value read "not tested by a law case" (the drafters' to-do
    # list), and the footer said "built on" the date whose law is shown
    page = (tmp_path / "tjk" / "old_age.html").read_text(encoding="utf-8")
    assert "law cases not run" in page and "not tested by a law case" not in page
    assert "the law as of 2026-01-01" in page and "built on" not in page


def test_a_value_no_law_case_reads_is_said_untested(pages: dict[str, bytes]) -> None:
    assert "not tested by a law case" in text(pages, "lao/unemployment.html")  # its values of 2014-12-23


def test_headings_never_skip_a_level(pages: dict[str, bytes]) -> None:
    for name, content in pages.items():
        if name.endswith(".html"):
            levels = [int(level) for level in re.findall(r"<h([1-6])\b", content.decode("utf-8"))]
            assert levels[0] == 1, name
            assert all(after <= before + 1 for before, after in itertools.pairwise(levels)), name
