"""The reports write one thing one way: a change of rate in percentage points "pp" in every table (the calibration
table wrote "pt" beside the coverage table's "pp"), and a run of years with the typographic en dash (the projection's
notes and title wrote "2026-2055" beside its subtitle's "2026–2055")."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import pytest
import yaml

from openfisca_sp.cli import main
from openfisca_sp.projection import project, read_scenario
from openfisca_sp.report import render_report
from openfisca_sp.report.projection import render_projection
from openfisca_sp.rules.wording import PERCENTAGE_POINTS
from tests.population.test_report import Document, parse
from tests.projection.scenarios import write_scenario

HYPHENATED_YEARS = re.compile(r"\b(19|20)\d\d-(19|20)\d\d\b")


@pytest.fixture(scope="module")
def comparison(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Tajikistan's sample compared with the R202 social pension: its coverage and its calibration table."""
    saved = tmp_path_factory.mktemp("wording") / "tjk.json"
    arguments = ["compare", "sample:tjk", "--reform", "r202_social_pension", "--no-progress", "--json", str(saved)]
    assert main(arguments) == 0
    return saved


def _column(document: Document, table: str, header: str) -> list[str]:
    rows = document.tables[table]
    heads = next(row for row in rows if header in row)
    return [row[heads.index(header)] for row in rows[rows.index(heads) + 1 :] if len(row) == len(heads)]


@pytest.mark.parametrize("code", ["en", "lo", "vi", "tg", "ru"])
def test_a_change_of_rate_is_in_percentage_points_spelt_one_way(comparison: Path, code: str) -> None:
    document = parse(render_report(json.loads(comparison.read_text(encoding="utf-8")), code))
    changes = _column(document, "table-coverage", "Change")
    distances = _column(document, "table-calibration", "Distance")
    shares = [cell for cell in distances if not re.fullmatch(r"[\d\s.,+\-−\u200e]*", cell)]  # not persons
    assert any(cell.endswith(f" {PERCENTAGE_POINTS}") for cell in changes)  # older persons: baseline and reform
    assert shares and all(cell.endswith(f" {PERCENTAGE_POINTS}") for cell in shares), shares
    assert not [cell for cell in [*changes, *distances] if cell.endswith("pt")]


@pytest.fixture(scope="module")
def projection_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("years")
    projection = project(read_scenario(write_scenario(folder))).to_dict()
    return {code: render_projection(projection, code) for code in ("en", "ru")}


@pytest.mark.parametrize("code", ["en", "ru"])
def test_a_run_of_years_is_written_with_an_en_dash(projection_pages: dict[str, str], code: str) -> None:
    page = projection_pages[code]
    assert "projection 2026–2028</title>" in page and "Projection 2026–2028 ·" in page
    assert re.search(r"<li>2026–2028: totals cover|<li>2027–2028: totals cover", page)
    assert not HYPHENATED_YEARS.search(re.sub(r"<svg.*?</svg>", "", page, flags=re.S))


def test_the_shipped_scenarios_name_their_years_with_an_en_dash() -> None:
    for path in (resources.files("openfisca_sp") / "data" / "scenarios").iterdir():
        if path.name.endswith(".yaml"):
            title = yaml.safe_load(path.read_text(encoding="utf-8"))["title"]
            assert re.search(r"\d{4}–\d{4}$", title) and not HYPHENATED_YEARS.search(title), title
