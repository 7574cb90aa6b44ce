"""The report's numbers and dates in the reader's locale (en, lo, vi, tg, ru), from CLDR through Babel."""

from __future__ import annotations

import copy
import datetime
import re

import pytest
from babel.dates import format_skeleton
from babel.numbers import format_decimal

from openfisca_sp.cli import main
from openfisca_sp.report import render_report
from openfisca_sp.report.formatting import LOCALES, UnknownLocaleError
from tests.population.test_report import Document, example, parse, row_of

__all__ = ["example"]  # the example comparison, a fixture of test_report

NBSP = "\u00a0"
MATERNITY_COST = 222_654_810_368  # the maternity benefit's baseline cost in the example, LAK per month
# Literal expectations (CLDR 49, Babel 2.19): grouping and decimal separators and where the currency goes.
MATERNITY_CELL = {
    "en": f"LAK{NBSP}222,654,810,368",
    "lo": f"LAK{NBSP}222.654.810.368",
    "vi": f"222.654.810.368{NBSP}LAK",
    "tg": f"222{NBSP}654{NBSP}810{NBSP}368{NBSP}LAK",
    "ru": f"222{NBSP}654{NBSP}810{NBSP}368{NBSP}LAK",
}
COVERAGE_RATE = {"en": "62.7%", "lo": "62,7%", "vi": "62,7%", "tg": "62,7%", "ru": f"62,7{NBSP}%"}
POVERTY = {
    "line": "national",
    "dimension": "all",
    "group": "all",
    "line_value": 1_234_567.0,
    "population": 200_000.0,
    **{
        f"headcount_{side}": value
        for side, value in zip(("before", "baseline", "reform"), (0.2514, 0.2401, 0.2317), strict=True)
    },
    **{
        f"gap_{side}": value
        for side, value in zip(("before", "baseline", "reform"), (0.0612, 0.0588, 0.0571), strict=True)
    },
    **{
        f"gini_{side}": value
        for side, value in zip(("before", "baseline", "reform"), (0.4123, 0.4056, 0.4011), strict=True)
    },
    "gini_error": 1.2e-5,
    "note": None,
}


@pytest.fixture(scope="module")
def full(example: dict) -> dict:
    """The example with a poverty line and a sample's calibration table: every section has numbers."""
    comparison = copy.deepcopy(example)
    comparison["poverty"] = [POVERTY]
    comparison["meta"]["source"] = "sample:lao"
    return comparison


@pytest.fixture(scope="module")
def reports(full: dict) -> dict[str, str]:
    return {code: render_report(full, code) for code in LOCALES}


@pytest.fixture(scope="module")
def documents(reports: dict[str, str]) -> dict[str, Document]:
    return {code: parse(html) for code, html in reports.items()}


@pytest.mark.parametrize("code", list(LOCALES))
def test_the_page_is_in_the_locale_and_well_formed(code: str, reports: dict[str, str], documents: dict) -> None:
    assert f'<html lang="{code}">' in reports[code]
    assert documents[code].errors == []
    assert documents[code].headings[1] == "What this is"  # headings stay in English


@pytest.mark.parametrize("code", list(LOCALES))
def test_amounts_are_formatted_as_babel_formats_them(code: str, reports: dict[str, str], documents: dict) -> None:
    maternity = row_of(documents[code], "table-branches", "Maternity benefit")[4]
    assert format_decimal(MATERNITY_COST, locale=code) in maternity.replace(" ", NBSP)
    assert "LAK" in maternity  # the ISO code, where the locale puts its currency symbol
    assert f">{MATERNITY_CELL[code]}<" in reports[code]
    assert f">{COVERAGE_RATE[code]}<" in reports[code]


def test_separators_literally() -> None:
    assert MATERNITY_CELL["en"].endswith("222,654,810,368")
    assert MATERNITY_CELL["ru"].startswith("222\u00a0654\u00a0810\u00a0368")  # no-break spaces, not ASCII spaces
    assert MATERNITY_CELL["vi"].startswith("222.654.810.368")


@pytest.mark.parametrize("code", list(LOCALES))
def test_dates_are_in_the_locale(code: str, reports: dict[str, str]) -> None:
    month = format_skeleton("yMMMM", datetime.date(2026, 10, 1), locale=code)
    assert f"<dt>Month evaluated</dt><dd>{month}</dd>" in reports[code]
    assert "2026-11-24T03:01:56" not in reports[code]  # the report's date is formatted too
    if code == "en":
        assert month == "October 2026"
        assert "<dd>November 24, 2026" in reports[code]
    if code == "ru":
        assert month == "октябрь 2026\u202fг."


ENGLISH_NUMBER = re.compile(r"\d[\d,]*\.\d+|\d{1,3}(?:,\d{3})+")


@pytest.mark.parametrize("code", [code for code in LOCALES if code != "en"])
def test_no_table_keeps_a_number_in_english_format(code: str, documents: dict) -> None:
    english = documents["en"].tables
    localised = documents[code].tables
    assert english.keys() == localised.keys()
    assert {"table-branches", "table-coverage", "table-poverty-1", "table-calibration"} <= english.keys()
    checked = 0
    for table, rows in english.items():
        for row, theirs in zip(rows, localised[table], strict=True):
            figures = slice(1, -1 if table == "table-calibration" else None)  # not the labels, nor the sources
            for cell, mine in zip(row[figures], theirs[figures], strict=True):
                for number in ENGLISH_NUMBER.findall(cell):
                    assert number not in mine, (table, cell, mine)
                    checked += 1
    assert checked > 100


def _chart_text(html: str) -> list[str]:
    svgs = "".join(re.findall(r"<svg.*?</svg>", html, flags=re.S))
    return re.findall(r"<text[^>]*>([^<]*)</text>", svgs) + re.findall(r"<desc[^>]*>([^<]*)</desc>", svgs)


@pytest.mark.parametrize("code", ["ru", "tg", "vi", "lo"])
def test_charts_label_their_numbers_in_the_locale(code: str, reports: dict[str, str]) -> None:
    text = " ".join(_chart_text(reports[code]))
    decimal_point = r"\d\.\d{1,2}(?!\d)"  # an English decimal (the locale's group separator takes 3 digits)
    grouping = r"(?<![\d.,])[1-9]\d{0,2},\d{3}(?!\d)"  # an English thousands separator
    assert not re.findall(decimal_point, text)
    assert not re.findall(grouping, text)
    assert re.search(r"\d,\d", text)  # decimals with a comma, in every one of these locales


def test_currency_decimals_follow_the_currency(full: dict) -> None:
    tajik = copy.deepcopy(full)
    tajik["meta"]["currency"] = "TJS"
    assert f">222{NBSP}654{NBSP}810{NBSP}368,00{NBSP}TJS<" in render_report(tajik, "tg")
    assert f">TJS{NBSP}222,654,810,368.00<" in render_report(tajik, "en")
    dong = copy.deepcopy(full)
    dong["meta"]["currency"] = "VND"
    assert f">222.654.810.368{NBSP}VND<" in render_report(dong, "vi")
    assert f">VND{NBSP}222,654,810,368<" in render_report(dong, "en")


def test_a_locale_without_cldr_data_falls_back_and_says_so(full: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    from openfisca_sp.report import formatting

    monkeypatch.setattr(formatting.localedata, "exists", lambda code: code != "tg")
    html = render_report(full, "tg")
    assert '<html lang="tg">' in html
    assert "no CLDR data for Tajik (tg): numbers and dates follow Russian (ru) conventions" in html
    assert f">{COVERAGE_RATE['ru']}<" in html


def test_an_unknown_locale_is_refused(full: dict, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(UnknownLocaleError, match=r"unknown locale 'fr'.*en \(English\), lo \(Lao\)"):
        render_report(full, "fr")
    assert isinstance(UnknownLocaleError("x"), ValueError)
    assert main(["compare", "sample:lao", "--reform", "r202_social_pension", "--locale", "fr", "--no-progress"]) == 2
    error = capsys.readouterr().err.strip()
    assert error.count("\n") == 0
    assert "unknown locale 'fr'" in error and "vi (Vietnamese), tg (Tajik), ru (Russian)" in error
