"""The reports write one thing one way: a change of rate in percentage points "pp" in every table (the calibration
table wrote "pt" beside the coverage table's "pp"), and a run of years with the typographic en dash (the projection's
notes and title wrote "2026-2055" beside its subtitle's "2026–2055"). And what a look at each report in Chromium
found (lao, vnm and tjk; en and lo, vi, tg, ru): a Lao signed amount glued to its code ("LAK+149.121.993.600"
beside "LAK 149.121.993.600"), the calibration table's month in ISO form, its "-" beside the other tables' "–", a
figure's year said twice ("…", 2023, 2023) and its ages with a hyphen beside the age groups' "0–14", the projection's
assumptions named by their keys ("gdp (2024)") and in lower case ("indexation of …"), its legend's "baseline" beside
the comparison's "Baseline", and a decile panel with nothing modelled whose D1 sat on the axis."""

from __future__ import annotations

import json
import re
from importlib import resources

import pytest
import yaml

from openfisca_sp.cli import main
from openfisca_sp.projection import project, read_scenario
from openfisca_sp.report import render_report
from openfisca_sp.report.charts import _signed_bars
from openfisca_sp.report.formatting import formatted_in, money, report_locale
from openfisca_sp.report.projection import render_projection
from openfisca_sp.report.svg import figure
from openfisca_sp.rules.wording import PERCENTAGE_POINTS
from tests.population.test_report import Document, parse
from tests.projection.scenarios import write_scenario

HYPHENATED_YEARS = re.compile(r"\b(19|20)\d\d-(19|20)\d\d\b")


@pytest.fixture(scope="module")
def compared(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """Tajikistan's and Viet Nam's samples compared with the R202 social pension: coverage and calibration tables."""
    folder = tmp_path_factory.mktemp("wording")
    for code in ("tjk", "vnm"):
        arguments = ["compare", f"sample:{code}", "--reform", "r202_social_pension", "--no-progress"]
        assert main([*arguments, "--json", str(folder / f"{code}.json")]) == 0
    return {code: json.loads((folder / f"{code}.json").read_text(encoding="utf-8")) for code in ("tjk", "vnm")}


def _column(document: Document, table: str, header: str) -> list[str]:
    rows = document.tables[table]
    heads = next(row for row in rows if header in row)
    return [row[heads.index(header)] for row in rows[rows.index(heads) + 1 :] if len(row) == len(heads)]


@pytest.mark.parametrize("code", ["en", "lo", "vi", "tg", "ru"])
def test_a_change_of_rate_is_in_percentage_points_spelt_one_way(compared: dict[str, dict], code: str) -> None:
    document = parse(render_report(compared["tjk"], code))
    changes = _column(document, "table-coverage", "Change")
    distances = _column(document, "table-calibration", "Distance")
    shares = [cell for cell in distances if not re.fullmatch(r"[\d\s.,+\-−\u200e]*|–", cell)]  # persons; none
    assert any(cell.endswith(f" {PERCENTAGE_POINTS}") for cell in changes)  # older persons: baseline and reform
    assert shares and all(cell.endswith(f" {PERCENTAGE_POINTS}") for cell in shares), shares
    assert not [cell for cell in [*changes, *distances] if cell.endswith("pt")]


@pytest.fixture(scope="module")
def projection_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("years")
    projection = project(read_scenario(write_scenario(folder))).to_dict()
    projection["assumptions"][0]["status"] = "unverified"  # the GDP of the base year (2024)
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


def test_a_lao_signed_amount_is_spaced_from_its_code_as_an_unsigned_one() -> None:
    """Lao's CLDR pattern puts the sign after the currency (``¤-#,##0``): "LAK+149.121.993.600" read beside
    "LAK 149.121.993.600"."""
    with formatted_in(report_locale("lo")):
        assert money(149_121_993_600.0, "LAK") == "LAK\u00a0149.121.993.600"
        assert money(149_121_993_600.0, "LAK", signed=True) == "LAK\u00a0+149.121.993.600"
        assert money(-5_000.0, "LAK") == "LAK\u00a0-5.000" and money(0.0, "LAK", signed=True) == "LAK\u00a00"
    with formatted_in(report_locale("en")):
        assert money(5_000.0, "LAK", signed=True) == "+LAK\u00a05,000"  # the sign before the code: as before


@pytest.mark.parametrize("code", ["vi", "en"])
def test_the_calibration_table_reads_as_the_report_s_other_tables(compared: dict[str, dict], code: str) -> None:
    sample = render_report(compared["vnm"], code)
    document = parse(sample)
    rows = {row[0]: row for row in document.tables["table-calibration"][1:]}
    assert "Share aged 0–14" in rows and "Share aged 15–64" in rows  # as the age groups' "Aged 0–14"
    official, _, *distances, _, source = rows["Share aged 0–14"][1:]
    assert [official, *distances, source] == ["–"] * 4  # no official figure: it read "-"
    assert not [row for row in rows.values() if re.search(r"(\d{4}), \1$", row[6])]  # "…, 2023, 2023"
    assert "(2026-10," not in sample and ("(tháng 10 năm 2026," if code == "vi" else "(October 2026,") in sample
    assert "2018–2020 (latest available data" in sample
    assert not [row for row in rows.values() if HYPHENATED_YEARS.search(row[6])]


def test_the_projection_names_its_assumptions_and_sides_as_its_tables_do(projection_pages: dict[str, str]) -> None:
    page = projection_pages["en"]
    assert "This scenario rests on unverified figures: GDP of the base year (2024)." in page  # was "gdp (2024)"
    text = re.sub(r"<svg.*?</svg>", "", page, flags=re.S)
    assert "Contributors, share of ages 15–64" in text and "15-64" not in text
    legend = re.findall(r"<text[^>]*>([^<]*)</text>", re.search(r'<svg[^>]*"cost-gdp-title.*?</svg>', page, re.S)[0])
    assert "Baseline" in legend and "Reform" in legend and "baseline" not in legend


def test_a_decile_panel_with_nothing_modelled_keeps_half_a_bar_each_side() -> None:
    _, (axes,) = figure(4, 3)
    _signed_bars(axes, [f"D{n}" for n in range(1, 11)], [None] * 10, [None] * 10)
    assert axes.get_xlim() == (-0.5, 9.5)  # it was (0, 9): D1 on the axis, D10 at the panel's edge


def test_not_modelled_reads_alike_in_every_table(compared: dict[str, dict]) -> None:
    """Tajikistan's per-branch table by sex set its "not modelled" as a figure, where every other table sets it in
    italics (class ``nm``)."""
    page = render_report(compared["tjk"], "tg")
    table = page.split('id="table-sex-branches"')[1].split("</table>")[0]
    cells = re.findall(r'<td class="([^"]*)">not modelled', table)
    assert cells and all("nm" in kind for kind in cells), cells


def test_an_assumption_of_a_column_keeps_the_column_s_name() -> None:
    """Capitalised as the other assumptions, an indexation reads "Indexation of …"; a column's name stays as the
    table spells it ("career_average_insured_wage for every person", never "Career_average…")."""
    from openfisca_sp.report.projection_assumptions import assumption_label

    column = {"assumption": "career_average_insured_wage for every person", "column": "career_average_insured_wage"}
    assert assumption_label(column) == column["assumption"]
    assert assumption_label({"assumption": "indexation of a.b by prices"}) == "Indexation of a.b by prices"
    assert assumption_label({"assumption": "gdp"}) == "GDP of the base year"
