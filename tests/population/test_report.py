"""The HTML report: complete, self-contained, escaped, and honest about what is not modelled."""

from __future__ import annotations

import copy
import json
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from openfisca_sp.report import render_report, write_report
from openfisca_sp.report.charts import ShareOfPopulation
from openfisca_sp.report.svg import figure

EXAMPLE = Path(__file__).parent / "data" / "comparison_example.json"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
HOSTILE = "<script>alert(1)</script>"


class Document(HTMLParser):
    """Checks that tags nest and close, and collects headings, tables, ids and tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.headings: list[str] = []
        self.tables: dict[str, list[list[str]]] = {}
        self.ids: Counter[str] = Counter()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self._heading: list[str] | None = None
        self._table: str | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if attributes.get("id"):
            self.ids[attributes["id"]] += 1
        if tag not in VOID:
            self.stack.append(tag)
        if tag in ("h1", "h2", "h3"):
            self._heading = []
        elif tag == "table":
            self._table = attributes.get("id") or f"table-{len(self.tables)}"
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self.tables[self._table].append([])
        elif tag in ("td", "th") and self._table:
            self._cell = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if dict(attrs).get("id"):
            self.ids[dict(attrs)["id"]] += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
            return
        self.stack.pop()
        if tag in ("h1", "h2", "h3") and self._heading is not None:
            self.headings.append(" ".join("".join(self._heading).split()))
            self._heading = None
        elif tag in ("td", "th") and self._cell is not None and self._table:
            self.tables[self._table][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        for part in (self._heading, self._cell):
            if part is not None:
                part.append(data)


def parse(html: str) -> Document:
    document = Document()
    document.feed(html)
    document.close()
    return document


def row_of(document: Document, table: str, label: str) -> list[str]:
    return next(row for row in document.tables[table] if row and row[0] == label)


@pytest.fixture(scope="module")
def example() -> dict:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def html(example: dict) -> str:
    return render_report(example)


@pytest.fixture(scope="module")
def document(html: str) -> Document:
    return parse(html)


def test_is_a_well_formed_document(html: str, document: Document) -> None:
    assert html.startswith("<!DOCTYPE html>")
    assert document.errors == []
    assert document.stack == []
    assert [tag for tag, _ in document.tags[:3]] == ["html", "head", "meta"]
    duplicates = [name for name, seen in document.ids.items() if seen > 1]
    assert duplicates == []


def test_sections_come_in_order(document: Document) -> None:
    expected = [
        "Social pension for older persons without a contributory pension (R202 floor)",
        "What this is",
        "The reform",
        "References",
        "Charts",
        "Tables",
        "Branches",
        "By sex",
        "By age group",
        "By income decile",
        "Coverage by sex",
    ]
    assert document.headings == expected


def test_title_and_about_box(html: str) -> None:
    assert "Lao PDR · October 2026" in html
    assert "openfisca-sp 0.2.0" in html
    assert "200,000 persons in 66,667 households" in html
    assert "monthly amounts payable in October 2026, in LAK" in html
    assert "No income column: income deciles rank households by insured wages" in html
    assert 'href="https://www.ilo.org/secsoc/areas-of-work/legal-advice/WCMS_205341"' in html


def test_provisional_results_are_flagged_only_when_provisional(example: dict, html: str) -> None:
    assert 'class="warning"' in html
    settled = copy.deepcopy(example)
    for row in settled["branches"]:
        row["provisional"] = False
    assert 'class="warning"' not in render_report(settled)


def test_has_four_inline_svg_charts_with_text_alternatives(html: str, document: Document) -> None:
    svgs = re.findall(r"<svg\b[^>]*>", html)
    assert len(svgs) == 4
    assert all('role="img"' in svg for svg in svgs)
    assert len(re.findall(r"<desc id=", html)) == 4
    assert [attrs["id"] for tag, attrs in document.tags if tag == "figure"] == [
        "chart-cost",
        "chart-deciles",
        "chart-coverage",
        "chart-beneficiaries",
    ]
    assert "<?xml" not in html
    assert "<!DOCTYPE svg" not in html


def test_is_self_contained(document: Document) -> None:
    assert not any(tag in ("script", "link", "iframe", "img") for tag, _ in document.tags)
    sources = [value for _, attrs in document.tags for name, value in attrs.items() if name in ("src", "xlink:href")]
    assert not [value for value in sources if value and "http" in value]


def test_null_cost_shows_not_modelled_never_zero(document: Document) -> None:
    old_age = row_of(document, "table-branches", "Old-age pension")
    assert old_age[1:4] == ["43,297", "43,297", "0"]
    assert old_age[4:] == ["not modelled"] * 3
    assert row_of(document, "table-outcomes", "Old-age pension")[1:3] == ["not modelled"] * 2
    disability = row_of(document, "table-branches", "Disability (invalidity) benefit")
    assert disability[4] == "LAK 0"  # a real zero stays a zero


def charts_of(html: str) -> dict[str, str]:
    """Each chart's SVG, without its text alternative."""
    figures = dict(re.findall(r'<figure id="([^"]+)">.*?(<svg.*?</svg>)', html, flags=re.S))
    return {name: re.sub(r"<desc.*?</desc>", "", svg, flags=re.S) for name, svg in figures.items()}


def test_not_modelled_is_annotated_in_charts(html: str) -> None:
    charts = charts_of(html)
    annotation = re.compile(r"<text[^>]*>\s*not modelled</text>")
    assert len(annotation.findall(charts["chart-cost"])) == 2  # old age, baseline and reform
    assert len(annotation.findall(charts["chart-coverage"])) == 2  # severe disability
    assert not annotation.search(charts["chart-beneficiaries"])
    assert "Old-age pension: baseline not modelled, reform not modelled" in html


def test_not_modelled_is_not_plotted_as_zero(example: dict, html: str) -> None:
    zero = copy.deepcopy(example)
    zero["branches"][0].update(baseline_cost=0.0, reform_cost=0.0)
    bars = re.compile(r'<g id="chart-cost-patch_')
    assert (
        len(bars.findall(charts_of(render_report(zero))["chart-cost"]))
        == len(bars.findall(charts_of(html)["chart-cost"])) + 2
    )


def test_numbers_are_formatted(document: Document) -> None:
    maternity = row_of(document, "table-branches", "Maternity benefit")
    assert maternity[4] == "LAK 222,654,810,368"
    pension = row_of(document, "table-branches", "Social pension (R202 floor)")
    assert pension[3] == "+25,799"
    assert pension[6] == "+LAK 4,953,408,000"  # CLDR (Babel): the sign before the currency, as in -LAK
    coverage = row_of(document, "table-coverage", "Older persons receiving a pension")
    assert coverage[3:] == ["62.7%43,297", "100.0%69,096", "+37.3 pp"]
    severe = row_of(document, "table-coverage", "Persons with severe disabilities receiving a disability benefit")
    assert severe[3:] == ["not modelled"] * 3


def test_breakdown_tables(document: Document) -> None:
    assert [row[0] for row in document.tables["table-income_decile"][2:]] == [f"D{n}" for n in range(1, 11)]
    assert row_of(document, "table-sex", "Male")[7] == "11,38911.4% of the group"
    per_branch = document.tables["table-sex-branches"]
    assert per_branch[0][1:] == [
        "Old-age pension",
        "Maternity benefit",
        "Unemployment benefit",
        "Disability (invalidity) benefit",
        "Social pension (R202 floor)",
    ]
    male = row_of(document, "table-sex-branches", "Male")
    assert male[1] == "19,252 (0)cost not modelled"
    assert male[5] == "11,389 (+11,389)cost +LAK 2,186,688,000"
    assert {"table-age_group", "table-age_group-branches", "table-income_decile-branches"} <= set(document.tables)


def test_hostile_text_is_escaped(example: dict) -> None:
    hostile = copy.deepcopy(example)
    hostile["meta"]["reform"]["label"] = HOSTILE
    hostile["meta"]["reform"]["description"] = HOSTILE
    hostile["meta"]["notes"].append(HOSTILE)
    hostile["meta"]["reform"]["references"][0]["href"] = "javascript:alert(1)"
    hostile["branches"][0]["label"] = HOSTILE
    hostile["coverage"][0]["label"] = f"{HOSTILE} $x$"
    html = render_report(hostile)
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.count("&lt;script&gt;") >= 4
    assert 'href="javascript' not in html
    document = parse(html)
    assert document.errors == []
    assert document.headings[0] == HOSTILE


def test_write_report_writes_the_document(example: dict, tmp_path: Path) -> None:
    path = write_report(example, tmp_path / "report.html")
    assert path == tmp_path / "report.html"
    text = path.read_text(encoding="utf-8")
    assert text == render_report(example)
    assert "not modelled" in text


@pytest.mark.parametrize("top", [0.004, 0.03, 0.6])
def test_share_ticks_are_distinct_at_any_scale_and_losses_read_as_positive_shares(top: float) -> None:
    drawing, (axes,) = figure(4, 3)
    axes.bar([0, 1], [top, -top / 2])
    axes.yaxis.set_major_formatter(ShareOfPopulation())
    drawing.canvas.draw()
    ticks = [(tick, label.get_text()) for tick, label in zip(axes.get_yticks(), axes.get_yticklabels(), strict=True)]
    above = [text for tick, text in ticks if 0 <= tick <= top]
    assert len(above) > 2 and len(set(above)) == len(above), ticks  # never "0%" at every tick
    assert all(text.endswith("%") and not text.startswith(("-", "−")) for _, text in ticks), ticks


@pytest.mark.parametrize(
    ("sample", "reform"), [("sample:tjk", "tjk_maternity_c183"), ("sample:lao", "r202_social_pension")]
)
def test_no_python_none_shows_on_a_page(sample: str, reform: str) -> None:
    """A review of the pages: per-branch cells read "None (None)" where a branch's figures are not modelled."""
    from openfisca_sp.analysis import compare

    comparison = compare(sample, "2026-10", reform)
    page = parse(render_report(comparison.to_dict()))
    cells = [text for rows in page.tables.values() for row in rows for text in row]
    assert cells and not [text for text in cells if re.search(r"\bNone\b|\bnan\b", text)]


def test_winners_not_modelled_are_not_drawn_as_no_one() -> None:
    """A review of the pages: Tajikistan's C183 maternity reform pays 14,310 mothers, its winners are not modelled
    (the baseline's amount is not), and the chart said "no one gains or loses"."""
    from openfisca_sp.analysis import compare

    page = render_report(compare("sample:tjk", "2026-10", "tjk_maternity_c183").to_dict())
    chart = charts_of(page)["chart-deciles"]
    assert "not modelled" in chart and "no one gains or loses" not in chart


def test_a_group_with_no_one_reads_so_not_not_modelled(capsys: pytest.CaptureFixture[str]) -> None:
    """A review of the pages: on a table with no one aged 15-24, no mother and no disabled person, the poverty
    table and chart read "not modelled" for the empty age group (Viet Nam has a sourced line) and the coverage chart
    "not modelled" for the mothers and the disabled (both branches are modelled): nobody was there to measure.
    `compare` printed the group's headcount and gap as NaN."""
    import pandas as pd

    from openfisca_sp.analysis import compare
    from openfisca_sp.cli.printed_tables import print_poverty
    from tests.population.fixtures import NO_CLAIMS

    table = pd.DataFrame(
        {
            "person_id": [1, 2, 3],
            "household_id": [1, 1, 2],
            "birth_date": ["1950-01-15", "1990-05-01", "1940-03-01"],
            "sex": ["female", "male", "male"],
            "income": [0, 3_000_000, 100_000],
        }
    )
    comparison = compare(table, "2026-10", "r202_social_pension", "vnm", assume=NO_CLAIMS)
    print_poverty(comparison.poverty, "VND")
    printed = capsys.readouterr().out
    assert "NaN" not in printed and "headcount and gap –: no one in the group (groups: 0–14, 15–24, 55–64)" in printed
    page = render_report(comparison.to_dict())
    document = parse(page)
    poverty = next(rows for name, rows in document.tables.items() if name.startswith("table-poverty"))
    empty = next(row for row in poverty if row and row[0] == "Aged 15–24")
    assert empty[1] == "0" and "not modelled" not in empty and set(empty[2:8]) == {"no one in the group"}
    described = re.findall(r"<desc[^>]*>(.*?)</desc>", page, flags=re.S)
    coverage = next(text for text in described if "coverage in percent" in text)
    assert "Mothers of newborns receiving a maternity benefit: baseline no one in the group" in coverage
    assert "not modelled" not in coverage
    assert "Aged 15–24: before benefits no one in the group" in next(t for t in described if "poverty headcount" in t)
    charts = charts_of(page)
    assert "not modelled" not in charts["chart-coverage"] + charts["chart-poverty"]
