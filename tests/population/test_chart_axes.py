"""The report's chart axes say what they show: tick labels exact (1.25M, never 1.2M beside 1.5M), the years from
the first to the last, each labelled, and numbers grouped as the locale groups them (an analyst's review of
``openfisca-sp project scenario:lao --report``)."""

from __future__ import annotations

import re

import pytest

from openfisca_sp.report.charts import CompactTicks
from openfisca_sp.report.formatting import compact, compact_digits, formatted_in, report_locale
from openfisca_sp.report.projection import charts, year_ticks

STEPS = [0.0, 250_000.0, 500_000.0, 750_000.0, 1_000_000.0, 1_250_000.0, 1_500_000.0, 1_750_000.0, 2_000_000.0]


def _years(first: int = 2026, last: int = 2055) -> list[dict]:
    """A projection's years: beneficiaries rising from 8,000 to 2 million under the reform, coverage 1.64%."""
    rows = []
    for year in range(first, last + 1):
        reform = 8_000.0 if year == first else 1_900_000.0 + 3_000 * (year - first)
        for side, beneficiaries in (("baseline", 8_000.0 + year - first), ("reform", reform)):
            rows.append(
                {
                    "year": year,
                    "side": side,
                    "beneficiaries": beneficiaries,
                    "cost": 3.0669e15 * (1 + (year - first) / 30),
                    "cost_share_of_gdp": 0.01,
                    "gdp": 1e17,
                    "older_persons_coverage": 0.0164 if year == first else 0.0142,
                    "poverty_headcount": None,
                }
            )
    return rows


def _texts(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def test_ticks_have_the_digits_that_make_them_exact() -> None:
    with formatted_in(report_locale("en")):
        assert CompactTicks().format_ticks(STEPS[4:]) == ["1M", "1.25M", "1.5M", "1.75M", "2M"]
        assert CompactTicks().format_ticks([1e6, 1.5e6, 2e6]) == ["1M", "1.5M", "2M"]  # no digit more than needed
        losses = CompactTicks("LAK", absolute=True).format_ticks([-2500.0, 0.0, 2500.0])  # shown as positive
        assert losses == ["LAK\xa02.5K", "LAK\xa00", "LAK\xa02.5K"]
        assert compact_digits([1_125_000.0]) == 3 and compact(1_125_000.0) == "1.1M"  # a bar's label: one decimal
    with formatted_in(report_locale("vi")):
        assert CompactTicks().format_ticks(STEPS[4:]) == ["1\xa0Tr", "1,25\xa0Tr", "1,5\xa0Tr", "1,75\xa0Tr", "2\xa0Tr"]


@pytest.mark.parametrize(
    ("code", "value", "written"),
    [
        ("vi", 3.0669e15, "3.066,9\xa0NT\xa0VND"),  # beyond CLDR's largest compact form: was 3066,9 NT VND
        ("vi", 1e15, "1.000\xa0NT\xa0VND"),  # was 1000 NT VND
        ("en", 3.0669e15, "VND\xa03,066.9T"),
        ("ru", 2.5e15, "2\xa0500\xa0трлн\xa0VND"),
        ("en", 999_950.0, "VND\xa01M"),  # rounded up into the next form, not 1,000K
    ],
)
def test_compact_numbers_are_grouped_as_the_locale_groups_them(code: str, value: float, written: str) -> None:
    with formatted_in(report_locale(code)):
        assert compact(value, "VND") == written


def test_the_years_run_from_the_first_to_the_last_each_labelled() -> None:
    assert year_ticks(2026, 2055) == [2026, 2030, 2035, 2040, 2045, 2050, 2055]
    assert year_ticks(2026, 2028) == [2026, 2027, 2028]
    assert year_ticks(2026, 2035) == [2026, 2028, 2030, 2032, 2035]
    assert year_ticks(2026, 2026) == [2026]
    assert year_ticks(2024, 2100)[:2] == [2024, 2030] and year_ticks(2024, 2100)[-1] == 2100


def test_the_projection_charts_label_their_axes_exactly() -> None:
    """The beneficiaries' ticks were evenly spaced at 250,000 but read 1M, 1.2M, 1.5M, 1.8M, 2M; the years ran to
    2056 for a projection ending in 2055 and were labelled from 2028; the coverage read "2% in 2026, 1% in 2055"
    where the table gives 1.64% and 1.42%."""
    with formatted_in(report_locale("en")):
        drawn = {chart.id: chart for chart in charts(_years(), "VND")}
    texts = _texts(str(drawn["beneficiaries"].svg))
    assert texts[:7] == ["2026", "2030", "2035", "2040", "2045", "2050", "2055"] and "2056" not in texts
    assert [text for text in texts if text.endswith("M")] == [
        f"{step / 1e6:g}M" for step in STEPS[1:]
    ]  # 0.25M: never 250K
    assert "1.64% in 2026, 1.42% in 2055" in drawn["coverage"].description
    with formatted_in(report_locale("vi")):
        cost = _texts(str(charts(_years(), "VND")[1].svg))
    assert "3.000\xa0NT\xa0VND" in cost and not any(re.search(r"\d{4}", text) for text in cost[7:])


def _scales(labels: list[str], currency: str = "") -> set[str]:
    """The compact forms (the words after the number) of an axis's tick labels other than zero."""
    words = {re.sub(r"[\d.,\s\u00a0]", "", label.replace(currency, "")) for label in labels}
    return words - {""}


@pytest.mark.parametrize("code", ["lo", "vi", "en", "ru", "tg"])
def test_an_axis_writes_all_its_ticks_in_one_scale(code: str) -> None:
    """Lao's axis read "LAK 7,5 ລ້ານລ້ານ" beside "LAK 10ລລ" (CLDR's two forms of a trillion), Vietnamese "750 N"
    beside "1 Tr": each axis now takes its largest tick's form for every tick, in every locale."""
    with formatted_in(report_locale(code)):
        for currency, ticks in (("LAK", [0.0, 2.5e12, 5e12, 7.5e12, 1e13, 1.25e13]), ("", STEPS), ("", [0, 500, 1e3])):
            labels = CompactTicks(currency).format_ticks(ticks)
            assert labels[0] in ("0", f"{currency}\u00a00", f"0\u00a0{currency}")
            assert len(_scales(labels[1:], currency)) == 1, labels


def _cost_years(scale: float) -> list[dict]:
    """The years of :func:`_years`, the cost running from 2 to 12.5 times ``scale`` a year."""
    return [row | {"cost": scale * (2 + 10.5 * (row["year"] - 2026) / 29)} for row in _years()]


def test_the_lao_and_vietnamese_charts_label_each_axis_in_one_scale() -> None:
    """The tick labels of a Lao cost chart (LAK 2 to 12.5 trillion a year) and of a Vietnamese beneficiaries chart
    (8,000 to 2 million persons), as the page shows them."""
    with formatted_in(report_locale("lo")):
        cost = _texts(str({chart.id: chart for chart in charts(_cost_years(1e12), "LAK")}["cost"].svg))
    ticks = [text for text in cost if "LAK" in text and re.search(r"\d", text)]
    assert len(ticks) > 3 and _scales(ticks[1:], "LAK") == {"ລລ"}, ticks
    with formatted_in(report_locale("vi")):
        persons = _texts(str({chart.id: chart for chart in charts(_years(), "VND")}["beneficiaries"].svg))
    ticks = [text for text in persons[7:] if re.fullmatch(r"[\d,.]+(\u00a0\w+)?", text)]
    steps = ["0,25", "0,5", "0,75", "1", "1,25", "1,5", "1,75", "2"]
    assert ticks == ["0", *(f"{step}\u00a0Tr" for step in steps)], ticks  # 250 N, 500 N, 750 N, 1 Tr … before
