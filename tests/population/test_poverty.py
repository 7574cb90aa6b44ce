"""Poverty and inequality: headcount, poverty gap and Gini, against direct computations and known values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from openfisca_sp import tax_benefit_system
from openfisca_sp.analysis import compare
from openfisca_sp.analysis.aggregates import SIDES
from openfisca_sp.analysis.breakdowns import cell_of, household_income_per_person, sex_age_of
from openfisca_sp.analysis.poverty import (
    GROUPS,
    NOT_MODELLED,
    SERIES,
    UPPER,
    PovertySums,
    bin_of,
    gini_exact,
    gini_from_histogram,
    group_of,
    line_variants,
    poverty_lines,
    poverty_records,
    poverty_sums,
    welfare,
    welfare_bins,
)
from openfisca_sp.analysis.survey import NEGATIVE_INCOME
from openfisca_sp.cli.printed_tables import print_poverty
from openfisca_sp.population import PopulationError
from openfisca_sp.population.inputs import numbered_from_first
from openfisca_sp.report import render_report
from openfisca_sp.synthetic import generate

INCOMES = arrays(np.float64, st.integers(1, 60), elements=st.floats(0, 1e9, allow_subnormal=False))
WEIGHTS = st.floats(0.1, 1000)


def gini_pairwise(values: np.ndarray, weights: np.ndarray) -> float:
    """The Gini coefficient as the weighted mean absolute difference over twice the mean (an independent check)."""
    differences = np.abs(values[:, None] - values[None, :])
    return float(weights @ differences @ weights / (2 * weights.sum() * np.dot(weights, values)))


def histogram_gini(values: np.ndarray, weights: np.ndarray) -> tuple[float | None, float | None]:
    """The Gini (and its error bound) of one series, through the histogram the comparison accumulates."""
    incomes = dict.fromkeys(("before", "baseline", "reform"), values)
    sums, _ = poverty_sums(incomes, weights, np.zeros(len(values), dtype=np.int64), {})
    return gini_from_histogram(sums.weights[0].sum(0), sums.incomes[0].sum(0), sums.low[0].min(0), sums.high[0].max(0))


def test_known_values():
    assert gini_exact(np.arange(1.0, 6.0), np.ones(5)) == pytest.approx(4 / 15)
    assert gini_exact(np.array([0.0, 0.0, 0.0, 1.0]), np.ones(4)) == pytest.approx(0.75)
    # a weight is a number of identical persons
    assert gini_exact(np.array([1.0, 5.0]), np.array([3.0, 1.0])) == pytest.approx(
        gini_exact(np.array([1.0, 1.0, 1.0, 5.0]), np.ones(4))
    )
    gini, error = histogram_gini(np.arange(1.0, 6.0), np.ones(5))
    assert abs(gini - 4 / 15) <= error < 1e-3
    assert gini_exact(np.zeros(3), np.ones(3)) is None  # no income at all: undefined, not 0


@settings(max_examples=60, deadline=None)
@given(values=INCOMES, data=st.data())
def test_gini_agrees_with_the_pairwise_formula_and_the_histogram(values, data):
    weights = np.array(data.draw(st.lists(WEIGHTS, min_size=len(values), max_size=len(values))))
    if np.dot(weights, values) <= 0:
        return
    exact = gini_exact(values, weights)
    assert exact == pytest.approx(gini_pairwise(values, weights), abs=1e-9)
    assert -1e-12 <= exact <= 1
    gini, error = histogram_gini(values, weights)
    assert abs(gini - exact) <= error + 1e-9
    if not np.any((values > 0) & (values < 0.01)):  # the bound of the docs, for incomes of 0 or of 0.01 or more
        assert error <= 0.0025 + 1e-12


@settings(max_examples=40, deadline=None)
@given(values=INCOMES, scale=st.floats(1e-3, 1e3), level=st.floats(0.01, 1e9), count=st.integers(1, 50))
def test_gini_is_scale_invariant_and_zero_for_equal_incomes(values, scale, level, count):
    weights = np.ones(len(values))
    if values.sum() > 0:
        assert gini_exact(values * scale, weights) == pytest.approx(gini_exact(values, weights), abs=1e-9)
        first, first_error = histogram_gini(values, weights)
        second, second_error = histogram_gini(values * scale, weights)
        assert abs(first - second) <= first_error + second_error + 1e-9
    assert gini_exact(np.full(count, level), np.ones(count)) == pytest.approx(0, abs=1e-12)
    assert histogram_gini(np.full(count, level), np.ones(count)) == (0.0, 0.0)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(0, len(UPPER) - 2), min_size=1, max_size=50),
    st.lists(st.floats(-1.0, 1e17, allow_subnormal=False), max_size=50),
)
def test_each_income_falls_in_the_bin_a_sorted_search_gives(edges, values):
    """Bins are found from the logarithm; on the bins' own edges, a hair either side, zero and negative
    incomes alike, they are those of a sorted search over the edges."""
    at = UPPER[edges]
    incomes = np.concatenate([at, np.nextafter(at, 0), np.nextafter(at, np.inf), values, [0.0, 1e-9]])
    expected = np.where(incomes <= 0, 0, np.searchsorted(UPPER, incomes, side="right") + 1)
    assert np.array_equal(bin_of(incomes), expected)


@settings(max_examples=40, deadline=None)
@given(values=INCOMES, data=st.data())
def test_more_benefits_never_raise_the_headcount_or_the_gap(values, data):
    benefits = np.array(data.draw(st.lists(st.floats(0, 1e8), min_size=len(values), max_size=len(values))))
    more = benefits + np.array(data.draw(st.lists(st.floats(0, 1e8), min_size=len(values), max_size=len(values))))
    households = np.sort(np.array(data.draw(st.lists(st.integers(0, 5), min_size=len(values), max_size=len(values)))))
    households = np.unique(households, return_inverse=True)[1]
    incomes = welfare(values, {"baseline": benefits, "reform": more}, households)
    groups = np.zeros(len(values), dtype=np.int64)
    sums, _ = poverty_sums(incomes, np.ones(len(values)), groups, {"national": 5e8})
    poor, gap = sums.poor[0, :, 0], sums.gap[0, :, 0]
    assert poor[0] >= poor[1] >= poor[2] and gap[0] >= gap[1] >= gap[2]


@settings(max_examples=80, deadline=None)
@given(values=INCOMES, data=st.data())
def test_incomes_after_benefits_are_those_summed_over_every_row_to_the_last_bit(values, data):
    """Only the households paid a benefit are summed again: every person's income after benefits is the one
    summed over every row (a benefit of 0, -0.0 or NaN too, and incomes not stated, NaN)."""
    count = len(values)
    paid = st.one_of(st.just(0.0), st.just(-0.0), st.just(np.nan), st.floats(-1e6, 1e8, allow_subnormal=False))
    benefits = {side: np.array(data.draw(st.lists(paid, min_size=count, max_size=count))) for side in SIDES}
    values = np.where(np.array(data.draw(st.lists(st.booleans(), min_size=count, max_size=count))), np.nan, values)
    households = np.array(data.draw(st.lists(st.integers(0, 7), min_size=count, max_size=count)))  # any order
    households = np.unique(households, return_inverse=True)[1]
    incomes = welfare(values, benefits, households)
    before = np.maximum(values, 0.0)
    expected = {"before": household_income_per_person(before, households)}
    expected.update({side: household_income_per_person(before + benefits[side], households) for side in SIDES})
    for series, found in incomes.items():
        assert found.dtype == np.float64
        np.testing.assert_array_equal(found.view(np.int64), expected[series].view(np.int64), err_msg=series)


def small_table() -> pd.DataFrame:
    rng = np.random.default_rng(5)
    size = 400
    return pd.DataFrame(
        {
            "household": np.sort(rng.integers(0, 150, size)),
            "income": rng.gamma(1.5, 400, size) * (rng.random(size) < 0.6),
            "benefit": rng.choice([0.0, 0.0, 300.0, 800.0], size),
            "more": rng.choice([0.0, 200.0], size),
            "weight": rng.uniform(0.5, 3.0, size),
            "female": rng.random(size) < 0.5,
            "age": rng.integers(0, 90, size),
        }
    )


def test_matches_a_direct_pandas_computation():
    table = small_table()
    household_of = pd.factorize(table["household"])[0]
    benefits = {"baseline": table["benefit"].to_numpy(), "reform": (table["benefit"] + table["more"]).to_numpy()}
    incomes = welfare(table["income"].to_numpy(), benefits, household_of)
    groups = group_of(table["female"].to_numpy(), table["age"].to_numpy())
    sums, _ = poverty_sums(incomes, table["weight"].to_numpy(), groups, {"national": 350.0})
    records = {(row["dimension"], row["group"]): row for row in poverty_records(sums)}

    size = table.groupby("household")["income"].transform("size")
    direct = {
        "before": table.groupby("household")["income"].transform("sum") / size,
        "baseline": table.groupby("household")[["income", "benefit"]].transform("sum").sum(axis=1) / size,
        "reform": table.groupby("household")[["income", "benefit", "more"]].transform("sum").sum(axis=1) / size,
    }
    selections = {("all", "all"): np.ones(len(table), dtype=bool), ("sex", "female"): table["female"].to_numpy()}
    selections[("age_group", "65+")] = table["age"].to_numpy() >= 65
    for key, mask in selections.items():
        weights = table["weight"][mask]
        for series, values in direct.items():
            values = values[mask]
            assert records[key][f"headcount_{series}"] == pytest.approx(np.average(values < 350, weights=weights))
            gap = np.average(np.maximum(350 - values, 0) / 350, weights=weights)
            assert records[key][f"gap_{series}"] == pytest.approx(gap)
            exact = gini_exact(values.to_numpy(), weights.to_numpy())
            assert abs(records[key][f"gini_{series}"] - exact) <= records[key]["gini_error"] + 1e-12
    assert records[("all", "all")]["population"] == pytest.approx(table["weight"].sum())


def test_sums_of_parts_are_the_sums_of_the_whole():
    table = small_table()
    household_of = pd.factorize(table["household"])[0]
    cut = int(np.searchsorted(household_of, household_of[len(table) // 2]))  # whole households on each side
    incomes = welfare(
        table["income"].to_numpy(), dict.fromkeys(("baseline", "reform"), np.zeros(len(table))), household_of
    )
    groups = group_of(table["female"].to_numpy(), table["age"].to_numpy())
    weights = table["weight"].to_numpy()

    def part(rows: slice) -> PovertySums:
        return poverty_sums({k: v[rows] for k, v in incomes.items()}, weights[rows], groups[rows], {"national": 350.0})[
            0
        ]

    whole = part(slice(None))
    merged = part(slice(0, cut)).merge(part(slice(cut, None)))
    for first, second in zip(poverty_records(whole), poverty_records(merged), strict=True):
        numbers = [key for key, value in first.items() if isinstance(value, float)]
        assert [first[key] for key in numbers] == pytest.approx([second[key] for key in numbers], rel=1e-12)
        assert {key: first[key] for key in first if key not in numbers} == {
            key: second[key] for key in second if key not in numbers
        }


def test_line_variants():
    urban = np.array([True, False])
    assert [name for name, _ in line_variants({"national": 10.0}, None)[0]] == ["national"]
    variants, notes = line_variants({"rural": 1.0, "urban": 2.0}, urban)
    assert variants[0][0] == "by area" and variants[0][1].tolist() == [2.0, 1.0] and not notes
    variants, notes = line_variants({"rural": 1.0, "urban": 2.0}, None)
    assert [name for name, _ in variants] == ["rural", "urban"] and notes
    assert line_variants({}, None)[0] == []


def test_the_lines_are_the_parameters_in_force():
    vnm = tax_benefit_system("vnm")
    assert poverty_lines(vnm, "2026-10") == {"rural": 1_500_000, "urban": 2_000_000}
    assert poverty_lines(vnm, "2027-01") == {"rural": 2_200_000, "urban": 2_800_000}
    assert poverty_lines(tax_benefit_system("lao"), "2026-10") == {}  # no line found: not modelled


def test_a_comparison_reports_poverty_or_says_it_is_not_modelled(capsys):
    vnm = compare("sample:vnm", "2026-10", "r202_social_pension", "vnm")
    rows = vnm.poverty.set_index(["line", "dimension", "group"])
    assert set(rows.index.get_level_values("line")) == {"rural", "urban"}
    everyone = rows.loc[("urban", "all", "all")]
    assert 0 < everyone["headcount_before"] < 1 and everyone["headcount_reform"] <= everyone["headcount_baseline"]
    assert everyone["headcount_baseline"] <= everyone["headcount_before"]
    assert 0 < everyone["gini_before"] < 1 and everyone["gini_error"] < 1e-3
    assert vnm.to_dict()["poverty"][0]["line_value"] == 1_500_000
    assert any("is_urban" in note for note in vnm.meta["notes"])

    lao = compare("sample:lao", "2026-10", "r202_social_pension", "lao").to_dict()
    assert all(row["headcount_before"] is None and row["note"] == NOT_MODELLED for row in lao["poverty"])
    assert all(0 < row["gini_before"] < 1 for row in lao["poverty"])

    page = render_report(vnm.to_dict())
    assert 'id="chart-poverty"' in page and "Poverty against the rural poverty line" in page
    assert "VND\u00a01,500,000 per person per month" in page
    page = render_report(lao)
    assert "Inequality before and after benefits" in page and "Headcount and gap not modelled" in page
    print_poverty(vnm.poverty, "VND")
    printed = capsys.readouterr().out
    assert "line (VND)" in printed and "1,500,000" in printed and "gini_reform" in printed


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(1, 6), max_size=12), st.integers(0, 10**6))
def test_a_chunks_households_numbered_from_zero(sizes, first):
    """Household incomes per person are the same through a chunk's household numbers made to start at 0 as
    through their ranks (a chunk is a run of whole households, numbered in order, as a population holds them)."""
    household_of = np.repeat(np.arange(first, first + len(sizes)), sizes)
    income = np.arange(len(household_of), dtype=np.float64)
    numbered = numbered_from_first(household_of)
    assert numbered.min(initial=0) == 0
    ranks = np.unique(household_of, return_inverse=True)[1].reshape(-1)
    assert np.array_equal(household_income_per_person(income, numbered), household_income_per_person(income, ranks))


def test_without_an_income_column_poverty_is_not_measured_and_an_empty_income_is_refused(tmp_path):
    """Without ``income`` the headcount and Gini were measured on insured wages (a rural headcount of 0.60 where
    the income gives 0.12), every row's note null; an empty or NaN income was read as 0 (found by an outside
    review). Now: no poverty rows, a note that says why; an empty, NaN or infinite income is refused with its row."""
    table = generate("vnm", 3000, "2026-10", seed=4)
    without = compare(table.drop_columns(["income"]), "2026-10", "r202_social_pension", "vnm")
    assert without.poverty.empty
    assert any("poverty and inequality are not measured" in note for note in without.meta["notes"])
    assert not without.branches.empty  # the rest of the comparison stands
    incomes = table["income"].to_numpy().copy()
    for hole, message in ((np.nan, r"empty in 1 row \(first: row 7"), (np.inf, r"1 row \(first: row 7.*not finite")):
        incomes[7] = hole
        holed = table.set_column(table.column_names.index("income"), "income", pa.array(incomes))
        with pytest.raises(PopulationError, match=rf"column 'income': .*{message}"):
            compare(holed, "2026-10", "r202_social_pension", "vnm")
    nulled = table.set_column(
        table.column_names.index("income"), "income", pa.array([*incomes.tolist()[:7], None, *incomes.tolist()[8:]])
    )
    with pytest.raises(PopulationError, match=r"column 'income': empty in 1 row"):
        compare(nulled, "2026-10", "r202_social_pension", "vnm")


def test_an_income_that_is_no_number_is_named_with_its_rows_and_what_is_expected(tmp_path):
    """A CSV file's ``income`` cell ``12,5O0`` was refused as "expected a number, found string", naming no row;
    now as the rules' columns are: how many rows, the first and its text (a cell the CSV reader reads as empty,
    ``n/a``, beside them is no text: it made that message fail)."""
    frame = generate("vnm", 400, "2026-10", seed=4).to_pandas()
    frame["income"] = frame["income"].astype(object)
    frame.loc[[3, 5, 9], "income"] = ["n/a", "12,5O0", "twelve"]
    frame.to_csv(tmp_path / "persons.csv", index=False)
    expected = r"column 'income': expected a number, found text in 2 rows \(first: row 5, counted from 0; line 7 "
    with pytest.raises(PopulationError, match=rf"{expected}of a CSV file\): '12,5O0'"):
        compare(str(tmp_path / "persons.csv"), "2026-10", "r202_social_pension", "vnm")


def test_true_or_false_columns_may_be_written_1_and_0_and_other_values_are_named(tmp_path):
    """A CSV file's ``is_disabled`` of 1 and 0 was refused as "found int64", naming no row; ``yes`` was named
    without its row or file."""
    frame = generate("vnm", 400, "2026-10", seed=4).to_pandas()
    as_flags = compare(frame, "2026-10", "r202_social_pension", "vnm")
    frame["is_disabled"] = frame["is_disabled"].astype(int)
    as_numbers = compare(frame, "2026-10", "r202_social_pension", "vnm")
    pd.testing.assert_frame_equal(as_flags.branches, as_numbers.branches)
    pd.testing.assert_frame_equal(as_flags.poverty, as_numbers.poverty)
    frame.loc[3, "is_disabled"] = 2
    with pytest.raises(PopulationError, match=r"column 'is_disabled': .*1 row \(first: row 3, counted from 0\).*: 2"):
        compare(frame, "2026-10", "r202_social_pension", "vnm")
    frame["is_disabled"] = frame["is_disabled"].astype(object)
    frame.loc[3, "is_disabled"] = "yes"
    frame.loc[4:, "is_disabled"] = frame.loc[4:, "is_disabled"].map({0: "false", 1: "true"})
    frame.loc[:2, "is_disabled"] = "false"
    frame.to_csv(tmp_path / "persons.csv", index=False)
    with pytest.raises(PopulationError, match=r"persons\.csv: column 'is_disabled': .*line 5 of a CSV file\): 'yes'"):
        compare(tmp_path / "persons.csv", "2026-10", "r202_social_pension", "vnm")


def test_a_reform_that_moves_the_poverty_lines_is_measured_against_the_baselines_and_says_so():
    """A review of the pages: a reform setting Viet Nam's lines to 0 ran, its report titled so, and its lines were
    ignored without a word. A line is a measure, not a benefit: one line on both sides, and a note."""
    from openfisca_core import periods
    from openfisca_core.reforms import Reform

    class NoLine(Reform):
        name = "poverty lines at 0"

        def apply(self):
            def zero(parameters):
                for area in ("rural", "urban"):
                    getattr(parameters.poverty_line, area).update(start=periods.instant("2026-01-01"), value=0)
                return parameters

            self.modify_parameters(modifier_function=zero)

    moved = compare("sample:vnm", "2026-10", NoLine(tax_benefit_system("vnm")))
    rows = moved.poverty.set_index(["line", "dimension", "group"]).loc[("urban", "all", "all")]
    assert rows["line_value"] == 2_000_000 and rows["headcount_reform"] == rows["headcount_baseline"] > 0
    assert any(
        note.startswith(
            "The reform changes the poverty lines (rural 0, urban 0); poverty is measured against the "
            "baseline's (rural 1,500,000, urban 2,000,000) on both sides"
        )
        for note in moved.meta["notes"]
    ), moved.meta["notes"]


def test_negative_incomes_are_noted_and_a_gini_of_mean_zero_is_undefined_not_not_modelled(capsys):
    """An analyst's review: incomes all negative (``p['income'] = -p['income']``) ran with no word, a headcount of
    100% and a Gini of None, printed "None" and reported "not modelled". Now a note says the incomes are negative
    (counted as zero), and the Gini before benefits is "undefined", with why, in the records, the printed table and
    the report."""
    table = generate("vnm", 1500, "2026-10", seed=4)
    negative = table.set_column(
        table.column_names.index("income"), "income", pa.array(-np.abs(table["income"].to_numpy()) - 1.0)
    )
    comparison = compare(negative, "2026-10", "r202_social_pension", "vnm")
    assert NEGATIVE_INCOME in comparison.meta["notes"]
    everyone = comparison.poverty.set_index(["line", "dimension", "group"]).loc[("rural", "all", "all")]
    assert everyone["headcount_before"] == 1 and pd.isna(everyone["gini_before"])
    assert everyone["gini_note"].startswith("undefined before benefits: the mean income is 0")
    assert everyone["gini_baseline"] > 0 and "after the baseline" not in everyone["gini_note"]
    print_poverty(comparison.poverty, "VND")
    printed = capsys.readouterr().out
    assert "None" not in printed and " undefined " in printed
    assert "Gini undefined before benefits: the mean income is 0" in printed
    page = render_report(comparison.to_dict())
    assert "Gini coefficient undefined before benefits: the mean income is 0" in page
    assert ">undefined<" in page and NEGATIVE_INCOME.replace("'", "&#39;") in page
    stated = compare(table, "2026-10", "r202_social_pension", "vnm")
    assert NEGATIVE_INCOME not in stated.meta["notes"] and stated.poverty["gini_note"].isna().all()


def test_a_gini_note_says_why_each_missing_coefficient_is():
    """No one in a group, or no income above 0: said; every coefficient given: no note."""
    series = {"before": np.zeros(4), "baseline": np.array([0.0, 0, 0, 5]), "reform": np.array([1.0, 2, 3, 4])}
    groups = np.zeros(4, dtype=np.int64)  # every person in the first group (male, 0-14): the others are empty
    sums, _ = poverty_sums(series, np.ones(4), groups, {"national": 2.0})
    records = {(row["dimension"], row["group"]): row for row in poverty_records(sums)}
    assert records[("all", "all")]["gini_note"].startswith("undefined before benefits: the mean income is 0")
    assert records[("sex", "female")]["gini_note"] == "undefined: no one in the group"
    assert records[("all", "all")]["gini_baseline"] == pytest.approx(0.75)


@settings(max_examples=80, deadline=None)
@given(values=INCOMES, data=st.data())
def test_bins_found_household_by_household_are_each_persons_and_give_the_same_sums(values, data):
    """:func:`welfare_bins` gives :func:`welfare`'s incomes to the bit and each one's :func:`bin_of`; the poverty
    sums made from them are those :func:`poverty_sums` makes finding the bins itself, to the bit."""
    count = len(values)
    paid = st.one_of(st.just(0.0), st.just(-0.0), st.floats(-1e6, 1e8, allow_subnormal=False))  # NaN: read as 0
    benefits = {side: np.array(data.draw(st.lists(paid, min_size=count, max_size=count))) for side in SIDES}
    households = np.array(data.draw(st.lists(st.integers(0, 7), min_size=count, max_size=count)))  # any order
    households = np.unique(households, return_inverse=True)[1]
    groups = np.array(data.draw(st.lists(st.integers(0, GROUPS - 1), min_size=count, max_size=count)), dtype=np.int64)
    weights = np.array(data.draw(st.lists(st.floats(0, 1e3), min_size=count, max_size=count)))
    incomes, bins = welfare_bins(values, benefits, households)
    expected = welfare(values, benefits, households)
    for series in SERIES:
        assert incomes[series].tobytes() == expected[series].tobytes(), series
        assert np.array_equal(bins[series], bin_of(expected[series])), series
    lines = {"rural": 300.0, "urban": 400.0}
    found, alone = (
        poverty_sums(incomes, weights, groups, lines, bins=bins)[0],
        poverty_sums(expected, weights, groups, lines)[0],
    )
    for name in ("population", "poor", "gap", "weights", "incomes", "low", "high"):
        assert getattr(found, name).tobytes() == getattr(alone, name).tobytes(), name


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_a_cells_sex_and_age_group_are_poverty_group(data):
    """:func:`~openfisca_sp.analysis.breakdowns.sex_age_of` a cell code is the person's :func:`group_of`, whatever
    the decile (negative and very great ages too)."""
    count = data.draw(st.integers(0, 50))
    female = np.array(data.draw(st.lists(st.booleans(), min_size=count, max_size=count)), dtype=bool)
    age = np.array(data.draw(st.lists(st.integers(-5, 130), min_size=count, max_size=count)), dtype=np.int32)
    decile = np.array(data.draw(st.lists(st.integers(0, 9), min_size=count, max_size=count)), dtype=np.int64)
    assert np.array_equal(sex_age_of(cell_of(female, age, decile)), group_of(female, age))
