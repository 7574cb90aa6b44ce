"""Reading a person table: every format gives the same results, and bad tables fail naming the column."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openfisca_core.periods import DateUnit
from openfisca_core.reforms import Reform
from openfisca_core.variables import Variable

from openfisca_sp import tax_benefit_system
from openfisca_sp.analysis import compare
from openfisca_sp.decisions import Outcome, decide_claims
from openfisca_sp.population import PopulationError, simulate
from openfisca_sp.population.outputs import branches_of
from openfisca_sp.population.payments import month_amounts, paid_in
from openfisca_sp.projection import project
from openfisca_sp.rules.entities import Person
from openfisca_sp.rules.formulas import round_money
from tests.population.fixtures import asked_for_lump_sum_fact, person_record, person_table
from tests.synthetic import persons

MONTH = "2026-10"


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return person_table(3_000, MONTH, seed=7)


@pytest.fixture(scope="module")
def reference(table: pd.DataFrame) -> pd.DataFrame:
    return simulate(table, MONTH, "vnm").to_frame()


@pytest.mark.parametrize("form", ["arrow", "categories", "parquet", "parquet_directory", "csv"])
def test_every_format_gives_the_same_results(form, table, reference, tmp_path):
    if form == "arrow":
        source = pa.Table.from_pandas(table, preserve_index=False)
    elif form == "categories":  # enumerations as pandas categories, one of them used by no one
        source = table.assign(sex=pd.Categorical(table["sex"], categories=["unknown", "male", "female"]))
    elif form == "parquet":
        source = tmp_path / "population.parquet"
        table.to_parquet(source, index=False)
    elif form == "parquet_directory":
        source = tmp_path / "population"
        source.mkdir()
        table.iloc[:1500].to_parquet(source / "part-0.parquet", index=False)
        table.iloc[1500:].to_parquet(source / "part-1.parquet", index=False)
    else:
        source = tmp_path / "population.csv"
        table.to_csv(source, index=False)
    results = simulate(source, MONTH, "vnm").to_frame()
    if form == "csv":  # ids read from CSV as text
        results["person_id"] = results["person_id"].astype(np.int64)
        results["household_id"] = results["household_id"].astype(np.int64)
    pd.testing.assert_frame_equal(results, reference, check_dtype=False)


def test_results_are_per_person_with_ids_and_enumerations_by_name(reference, table):
    assert list(reference["person_id"]) == list(table["person_id"])
    assert set(reference["old_age_pension_ineligibility_reason"].astype(str)) <= {
        "eligible",
        "below_pensionable_age",
        "insufficient_contributions",
        "reduced_capacity_pension_not_modelled",  # below the age with a loss of capacity (SI Law 2024 Art 65)
    }
    assert reference["old_age_pension"].dtype == np.float64  # money exact to the unit (rules.exact_numbers)


def test_a_missing_column_names_the_column(table):
    with pytest.raises(PopulationError, match="'contribution_months'"):
        simulate(table.drop(columns="contribution_months"), MONTH, "lao")


def test_a_missing_history_month_names_the_month(table):
    with pytest.raises(PopulationError, match=r"'insured_wage\.2026-09'"):
        simulate(table.drop(columns="insured_wage.2026-09"), MONTH, "lao")


def test_a_claim_dated_before_the_table_s_history_names_its_date_column_and_month(table):
    """An outside review: a registration in 2020 gave "missing columns insured_wage.2018-01 … : the rules read them
    at this month", though the month evaluated reads none of them: the claim of 2020-01 does."""
    early = table.copy()
    early.loc[3, "unemployment_registration_date"] = pd.Timestamp("2020-01-15")
    with pytest.raises(PopulationError) as raised:
        simulate(early, MONTH, "lao")
    message = str(raised.value)
    assert "'insured_wage.2019-12'" in message and "the rules read them at this month" not in message
    assert (
        "the claims dated in other months than the one evaluated read them (unemployment_registration_date in "
        "2020-01)" in message
    )


def test_a_column_missing_from_one_file_of_a_directory_names_the_file(table, tmp_path):
    table.iloc[:1500].to_parquet(tmp_path / "part-0.parquet", index=False)
    table.iloc[1500:].drop(columns="contribution_months").to_parquet(tmp_path / "part-1.parquet", index=False)
    with pytest.raises(PopulationError, match=r"part-1\.parquet: missing column 'contribution_months'"):
        simulate(tmp_path, MONTH, "lao")


def test_a_column_the_law_lets_go_missing_gets_its_default(table):
    results = simulate(table.drop(columns="minimum_wage_region"), MONTH, "vnm")
    assert any("minimum_wage_region not given" in note for note in results.assumptions)


def test_a_degree_read_only_below_the_pensionable_age_left_out_is_none_stated(table):
    """An outside review (review66d finding 7): a Viet Nam table without ``disability_degree``, which ran before,
    was refused ("the law gives no default") once the old-age rules read the degree for a reduced pension below the
    pensionable age. /eligibility reads a degree not stated as none (it asks it of nobody whose claim it would not
    change): the column left out is read so, as a column of empty cells, and the results say it."""
    results = simulate(table.drop(columns="disability_degree"), MONTH, "vnm")
    assert any(note.startswith("disability_degree not given: none stated") for note in results.assumptions)
    empty = simulate(table.assign(disability_degree=None), MONTH, "vnm")
    pd.testing.assert_frame_equal(results.to_frame(), empty.to_frame())
    # where a rule reads the degree of every claimant (ILO C102's invalidity benefit), it is still needed
    with pytest.raises(PopulationError, match=r"missing column 'disability_degree': the rules read it "):
        simulate(table.drop(columns="disability_degree"), MONTH, "ilo_c102")


@pytest.mark.parametrize("column", ["unemployment_registration_date"])  # the fixture dates no other event
def test_an_event_date_column_left_out_is_a_column_of_empty_cells(table, column):
    """docs/population.md says an event's date column is not required, and an empty cell is no event; the column
    left out was refused ("the law gives no default") for the unemployment registration."""
    results = simulate(table.drop(columns=column), MONTH, "lao")
    assert any(note.startswith(f"{column} not given: the law's default applies") for note in results.assumptions)
    empty = simulate(table.assign(**{column: None}), MONTH, "lao")
    pd.testing.assert_frame_equal(results.to_frame(), empty.to_frame())


def test_an_assumption_fills_a_whole_column_and_is_reported(table):
    assumed = simulate(
        table.drop(columns="is_available_for_work"), MONTH, "lao", assume={"is_available_for_work": True}
    )
    stated = simulate(table.assign(is_available_for_work=True), MONTH, "lao")
    assert "is_available_for_work = True for every person (stated assumption)" in assumed.assumptions
    pd.testing.assert_frame_equal(assumed.to_frame(), stated.to_frame())


def test_an_assumption_by_a_history_s_name_fills_every_month_of_it_the_rules_read(table):
    """``insured_wage=0`` states every month of the history the rules read (as the check of assumptions takes it):
    a table without any insured_wage.<YYYY-MM> column was refused, listing the 24 months, with the assumption
    given."""
    wages = [name for name in table.columns if name.startswith("insured_wage.")]
    assumed = simulate(table.drop(columns=wages), MONTH, "vnm", assume={"insured_wage": 0})
    stated = simulate(table.assign(**dict.fromkeys(wages, 0)), MONTH, "vnm")
    pd.testing.assert_frame_equal(assumed.to_frame(), stated.to_frame())
    said = [note for note in assumed.assumptions if "(stated assumption)" in note]  # once, its months in order
    assert said == [
        f"insured_wage = 0 for every person in 28 months, insured_wage.2024-07 to insured_wage.{MONTH} "
        "(stated assumption)"
    ]


def test_a_missing_column_says_how_to_state_an_assumption(table):
    with pytest.raises(PopulationError, match=r"assumption if you mean one: --assume COLUMN=VALUE on the command line"):
        simulate(table.drop(columns="is_available_for_work"), MONTH, "lao")


def test_an_invalid_assumption_is_refused(table):
    with pytest.raises(PopulationError, match="assumed value 'many'") as refused:
        simulate(table.drop(columns="contribution_months"), MONTH, "lao", assume={"contribution_months": "many"})
    assert "expected a number" in str(refused.value) and "row" not in str(refused.value)  # not told as a table's row


def test_an_unknown_category_assumed_says_the_categories(table):
    """An assumed text that is no category was told as a table's row ("in 1 rows (first: row 0, counted from 0"),
    cut before the categories the column takes."""
    with pytest.raises(PopulationError) as refused:
        simulate(table.drop(columns="separation_reason"), MONTH, "lao", assume={"separation_reason": "none"})
    said = str(refused.value)
    assert "assumed value 'none' is not valid: expected one of not_separated, dismissal," in said
    assert "row" not in said


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("contribution_months", 10**23, r"assumed value 100000000000000000000000 is not valid: expected at most 2,14"),
        ("contribution_months", -(10**23), r"assumed value -100000000000000000000000 is not valid: expected 0 or more"),
        ("contribution_months", 10**400, r"assumed value a whole number of 401 digits is not valid: expected finite"),
        ("is_available_for_work", 2**64, r"assumed value 18446744073709551616 is not valid: expected true or false"),
    ],
)
def test_a_whole_number_beyond_64_bits_assumed_is_refused_as_the_column_says(table, column, value, expected):
    """A hunt (stop 77): a whole number Arrow cannot hold (beyond int64) raised OverflowError with a traceback."""
    with pytest.raises(PopulationError, match=expected):
        simulate(table.drop(columns=column), MONTH, "lao", assume={column: value})


def test_a_column_holding_a_whole_number_beyond_64_bits_is_named_with_its_row(table):
    """A hunt (stop 77): a DataFrame column of Python ints holding 2**70 raised pyarrow's OverflowError ("Python
    int too large to convert to C long") with a traceback."""
    frame = table.copy()
    frame["contribution_months"] = pd.Series([5] * (len(frame) - 1) + [2**70], dtype=object)
    expected = r"column 'contribution_months': expected whole numbers within 64 bits; 1 row \(first: row "
    with pytest.raises(PopulationError, match=expected + rf"{len(frame) - 1}, counted from 0\) holds one beyond"):
        simulate(frame, MONTH, "lao")


def test_an_assumption_out_of_the_law_bounds_says_what_is_expected(table):
    with pytest.raises(PopulationError, match=r"assumed value 5 is not valid: expected true or false \(or 1 or 0\)$"):
        simulate(table.drop(columns="is_available_for_work"), MONTH, "lao", assume={"is_available_for_work": 5})


@pytest.mark.parametrize(
    ("assume", "message"),
    [
        ({"foo": 1}, "assumption 'foo': the rules do not read such a column in 2026-10$"),
        ({"is_available_for_wrk": True}, "(did you mean 'is_available_for_work'\\?)"),
        ({"contribution_months": 60}, "assumption 'contribution_months': the table has this column"),
    ],
)
def test_an_assumption_that_would_do_nothing_is_refused(table, assume, message):
    """An assumption for a column the rules do not read, or one the table has, was silently ignored."""
    with pytest.raises(PopulationError, match=message):
        simulate(table, MONTH, "lao", assume=assume)


def test_an_empty_cell_is_refused_unless_its_absence_has_a_meaning(table):
    holes = table.copy()
    holes["contribution_months"] = holes["contribution_months"].astype("Int64")
    holes.loc[5, "contribution_months"] = pd.NA
    with pytest.raises(
        PopulationError, match=r"'contribution_months'.*1 row \(first: row 5, counted from 0\); the law"
    ):  # a DataFrame's row is no line of a CSV file
        simulate(holes, MONTH, "lao")
    registered = table.copy()
    registered["unemployment_registration_date"] = registered["unemployment_registration_date"].astype(object)
    registered.loc[5, "unemployment_registration_date"] = None
    results = simulate(registered, MONTH, "lao").to_frame()
    assert results.loc[5, "unemployment_benefit_ineligibility_reason"] != "eligible"


@pytest.mark.parametrize(
    ("column", "value", "message", "jurisdiction"),
    [
        (
            "sex",
            "unknown",
            r"unknown value 'unknown' in 1 row \(first: row 3, .*\); expected one of male, female",
            "vnm",
        ),
        ("contribution_months", -3, "expected 0 or more; 1 row", "vnm"),
        ("disability_degree", 101.0, "expected at most 100", "ilo_c102"),  # the rule that reads the degree
        ("disability_degree", 150.0, "expected at most 100; 1 row", "vnm"),  # checked wherever the table has it
        ("contribution_months", 2.5, "expected whole numbers", "vnm"),
        (
            "is_disabled",
            "yes",
            r"row 0 holds true or false \(True\); 1 row \(first: row 3, .*\) holds another: 'yes'",
            "vnm",
        ),
        (
            "contribution_months",
            "sixty",
            r"row 0 holds a number .*; 1 row \(first: row 3, .*\) .*'sixty' is a text",
            "vnm",
        ),
        ("is_available_for_work", 1.5, "expected true or false", "vnm"),
        ("birth_date", "not a date", "expected ISO dates", "vnm"),
    ],
)
def test_a_bad_value_names_its_column_and_what_was_expected(table, column, value, message, jurisdiction):
    bad = table.copy()
    bad[column] = bad[column].astype(object)
    bad.loc[3, column] = value
    if column in ("contribution_months", "disability_degree") and not isinstance(value, str):
        bad[column] = bad[column].astype(float)
    if column == "is_available_for_work":
        bad[column] = bad[column].astype(float)
    if column == "birth_date":
        bad[column] = bad[column].astype(str)
    with pytest.raises(PopulationError, match=f"'{column}'.*{message}"):
        simulate(bad, MONTH, jurisdiction)


@pytest.mark.parametrize("form", ["parquet", "categories"])
def test_an_unknown_enumeration_value_is_named_when_read_as_a_dictionary(form, table, tmp_path):
    bad = table.copy()
    bad["sex"] = bad["sex"].astype(object)
    bad.loc[2_500, "sex"] = "unknown"
    if form == "parquet":  # Parquet's text columns are read as dictionaries
        source = tmp_path / "population.parquet"
        bad.to_parquet(source, index=False)
    else:
        source = bad.assign(sex=bad["sex"].astype("category"))
    with pytest.raises(PopulationError, match=r"'sex'.*unknown value 'unknown' in 1 row \(first: row 2500, .*"):
        simulate(source, MONTH, "vnm")


@pytest.mark.parametrize(
    ("column", "default", "jurisdiction"),
    [("separation_reason", "not_separated", "vnm"), ("disability_degree", 0.0, "ilo_c102")],
)
def test_a_column_left_empty_in_every_row_takes_the_laws_default(table, tmp_path, column, default, jurisdiction):
    """A writer stores a column of empty cells with Arrow's null type; where the law's default is the absence of
    the event (no separation, no assessed degree), it applies, as when every cell states it."""
    empty = tmp_path / "population.parquet"
    pq.write_table(pa.Table.from_pandas(table.assign(**{column: None}), preserve_index=False), empty)
    assert pq.read_schema(empty).field(column).type == pa.null()
    stated = simulate(table.assign(**{column: default}), MONTH, jurisdiction).to_frame()
    pd.testing.assert_frame_equal(simulate(empty, MONTH, jurisdiction).to_frame(), stated)


def test_a_date_column_pandas_read_as_empty_numbers_has_no_date(table, tmp_path):
    """``pd.read_csv`` reads a date column empty in every row as float64 NaN: it was refused ("expected dates,
    found double") where the same file given by its path was read. A column with a number is still refused."""
    path = tmp_path / "population.csv"
    table.assign(old_age_claim_date=None).to_csv(path, index=False)
    read = pd.read_csv(path)
    assert read["old_age_claim_date"].dtype == np.float64
    results = [
        simulate(source, MONTH, "lao").to_frame().drop(columns=["person_id", "household_id"]) for source in (read, path)
    ]
    pd.testing.assert_frame_equal(*results)  # ids aside: a CSV file's are read as text
    with pytest.raises(PopulationError, match="'old_age_claim_date': expected dates, found double"):
        simulate(read.assign(old_age_claim_date=[1.0] + [np.nan] * (len(read) - 1)), MONTH, "lao")


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("contribution_months", "sixty", "expected a number, found text in 1 row (first: row 7, counted from 0; line 9 "
         "of a CSV file): 'sixty'"),
        ("sex", "F", "unknown value 'F' in 1 row (first: row 7, counted from 0; line 9 of a CSV file); expected one "
         "of male, female"),
        ("weight", "", "expected a number (survey weight) for every person; empty in 1 row (first: row 7, counted "
         "from 0; line 9 of a CSV file)"),
        ("birth_date", "1960-02-30", "expected ISO dates (YYYY-MM-DD), found text in 1 row (first: row 7, counted "
         "from 0; line 9 of a CSV file): '1960-02-30'"),
        ("person_id", "<row 2>", "person ids must be unique; 1 row repeats an id (first: row 7, counted from 0; line 9 "
         "of a CSV file, repeats"),
    ],
)  # fmt: skip
def test_a_bad_cell_of_a_csv_file_is_named_by_its_row_and_line(table, tmp_path, column, value, message):
    """docs/population.md promises the column, the count and the first bad row; these gave no row."""
    bad = table.astype({column: str if column == "birth_date" else object})  # dates as YYYY-MM-DD
    bad.loc[7, column] = bad.loc[2, column] if value == "<row 2>" else value
    path = tmp_path / "population.csv"
    bad.to_csv(path, index=False)
    with pytest.raises(PopulationError) as raised:
        simulate(path, MONTH, "lao")
    assert str(raised.value).startswith(f"{path}: column '{column}': {message}"), str(raised.value)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("yes", "expected true or false (or 1 or 0), found text in 1 row (first: row 7, counted from 0; line 9 of a "
         "CSV file): 'yes'"),
        ("", "expected true or false (or 1 or 0) for every person; empty in 1 row (first: row 7, counted from 0; "
         "line 9 of a CSV file)"),
    ],
)  # fmt: skip
def test_a_bad_head_flag_is_named_by_its_row_and_line(table, tmp_path, value, message):
    """It said "expected true or false for every person", no row, no value, where every other flag says both."""
    bad = table.assign(is_household_head=~table["household_id"].duplicated()).astype({"is_household_head": object})
    bad.loc[7, "is_household_head"] = value
    path = tmp_path / "population.csv"
    bad.to_csv(path, index=False)
    with pytest.raises(PopulationError) as raised:
        simulate(path, MONTH, "lao")
    assert str(raised.value) == f"{path}: column 'is_household_head': {message}"


@pytest.mark.parametrize(
    ("changes", "column", "message"),
    [
        ({"child_birth_date": pd.Timestamp("1930-01-01")}, "child_birth_date", "a child born before its mother"),
        ({"pregnancy_outcome": "live_birth", "number_of_children_born": 0}, "number_of_children_born",
         "a live birth with no child"),
        ({"pregnancy_outcome": "pregnancy_loss", "number_of_children_born": 2}, "number_of_children_born",
         "a pregnancy loss with children born in 1 row (first: row 7, counted from 0): 2; expected 0 after a "
         "pregnancy loss"),
        ({"separation_reason": "not_separated", "employment_end_date": pd.Timestamp("2026-10-31")},
         "separation_reason", "not separated, with a labour contract ended by the end of the month evaluated "
         "(employment_end_date)"),
        ({"contribution_months": 100_000}, "contribution_months",
         "more months of contributions than months lived by the end of the month evaluated"),
        ({"contribution_months": 0, f"insured_wage.{np.datetime64(MONTH, 'M') - 1}": 5_000_000.0},
         "contribution_months", "fewer months of contributions than months with an insured wage above 0 before the "
         "month evaluated"),  # a user review: Viet Nam's unemployment benefit was eligible for 0 months
        ({"contribution_months": 240, "arduous_work_months": 241}, "arduous_work_months",
         "more months than contribution_months, of which they are a part"),  # the book records them among those
        ({"birth_date": pd.Timestamp("1800-01-01")}, "birth_date", "born after the month evaluated, or before 1900 "
         "(the calendar the rules are asked in)"),
        ({"birth_date": pd.Timestamp("2030-01-01"), "contribution_months": 0}, "birth_date",
         "born after the month evaluated"),
    ],
)  # fmt: skip
def test_facts_that_contradict_each_other_are_refused_with_their_row(table, changes, column, message):
    """An outside review: the engine decided what /eligibility refuses (a child born before its mother became a
    claim not modelled; a live birth with no child was paid 105 days); each is now named with its first row."""
    bad = table.copy()
    for name, value in changes.items():
        bad.loc[7, name] = value
    with pytest.raises(PopulationError) as raised:
        simulate(bad, MONTH, "vnm")
    assert str(raised.value).startswith(f"column '{column}': {message}"), str(raised.value)
    assert "(first: row 7, counted from 0)" in str(raised.value)


def test_an_assumed_number_of_children_born_is_the_number_at_a_live_birth(table):
    """An assumption states a value for every person: ``number_of_children_born = 1`` is each live birth's, not
    held against a pregnancy loss, after which it is not read (the grant is as for one child). The same 1 in the
    table's own column at a loss is refused (above); an assumed 0 still contradicts a live birth."""
    losses = table.assign(pregnancy_outcome=np.where(table.index % 2, "pregnancy_loss", "live_birth"))
    lacking = losses.drop(columns="number_of_children_born")
    results = simulate(lacking, MONTH, "lao", assume={"number_of_children_born": 1})
    assert "number_of_children_born = 1 for every person (stated assumption)" in results.assumptions
    stated = simulate(losses.assign(number_of_children_born=np.where(table.index % 2, 0, 1)), MONTH, "lao")
    pd.testing.assert_frame_equal(results.to_frame(), stated.to_frame())
    with pytest.raises(PopulationError, match="column 'number_of_children_born': a live birth with no child"):
        simulate(lacking, MONTH, "lao", assume={"number_of_children_born": 0})


def test_a_contradiction_with_an_assumed_column_says_the_value_was_assumed(table):
    """A review: a wage assumed for every person contradicting a table's 0 months of contributions was refused as if
    the table stated the wage; the error now says whose value it is."""
    wage = f"insured_wage.{np.datetime64(MONTH, 'M') - 1}"
    bad = table.drop(columns=wage)
    bad.loc[7, "contribution_months"] = 0
    with pytest.raises(PopulationError) as raised:
        simulate(bad, MONTH, "vnm", assume={wage: 5_000_000})
    message = str(raised.value)
    assert message.startswith("column 'contribution_months': fewer months of contributions than months with"), message
    assert message.endswith("(insured_wage: the value assumed for every person, not the table's)"), message
    bad[wage] = 5_000_000.0
    with pytest.raises(PopulationError) as stated:  # the table's own column: no such words
        simulate(bad, MONTH, "vnm")
    assert "assumed" not in str(stated.value)


def test_a_contract_ending_after_the_month_evaluated_is_a_person_still_at_work(table):
    """Not separated in October with a contract that ends in November (a notice given) is no contradiction: the
    person is decided as not separated, as with no end stated (registered for unemployment after the end: a
    contract ended after the registration is a contradiction, refused)."""
    ending = table.assign(
        separation_reason="not_separated",
        employment_end_date=pd.Timestamp("2026-11-01"),
        unemployment_registration_date=pd.Timestamp("2026-11-02"),
    )
    results = simulate(ending, MONTH, "vnm").to_frame()
    reasons = results["unemployment_benefit_ineligibility_reason"]
    assert (reasons == "not_separated").all(), reasons.value_counts()


def _unborn_claimant() -> pd.DataFrame:
    """Two persons registered as unemployed in Viet Nam in June 2015 after 24 months of wages, one born in 2020."""
    claimants = pd.DataFrame(
        {
            "person_id": [1, 2],
            "household_id": [1, 2],
            "birth_date": ["1980-01-01", "2020-01-01"],
            "sex": ["male", "female"],
            "contribution_months": [120, 120],
            "separation_reason": ["dismissal", "dismissal"],
            "employment_end_date": ["2015-05-31", "2015-05-31"],
            "unemployment_registration_date": ["2015-06-01", "2015-06-01"],
            "is_available_for_work": [True, True],
            "minimum_wage_region": [1, 1],
        }
    )
    wages = {f"insured_wage.{month}": 5_000_000.0 for month in pd.period_range("2013-06", "2015-05", freq="M")}
    return claimants.assign(**wages)


def test_a_person_born_after_the_month_is_refused_though_no_rule_of_the_month_reads_the_birth_date():
    """An analyst: the facts were checked only where the month's rules read them. Viet Nam's unemployment rules of
    2015 read no birth date, and a person born in 2020 was granted the benefit in June 2015."""
    claimants = _unborn_claimant()
    with pytest.raises(PopulationError, match=r"column 'birth_date': born after the month evaluated.* row 1,"):
        simulate(claimants, "2015-06", "vnm")
    paid = simulate(claimants.head(1), "2015-06", "vnm").columns["unemployment_benefit_eligible"]
    assert paid.tolist() == [True]  # the other is decided as before
    assert simulate(claimants.head(1).drop(columns="birth_date"), "2015-06", "vnm").count == 1  # still not needed


def test_a_percentage_above_100_is_refused_though_no_rule_of_the_month_reads_it(tmp_path, capsys):
    """An analyst's review: a ``disability_degree`` of 150 ran without a word where Viet Nam's rules of the month
    read no degree (a negative month was refused). A fact bounded by the law, or by its unit (``/100``: a
    percentage), is checked wherever the table has it, as the facts checked against each other are."""
    from openfisca_sp.cli import main
    from openfisca_sp.decisions.facts import facts_of
    from openfisca_sp.synthetic import sample_path

    fact = facts_of(tax_benefit_system("vnm"))["disability_degree"]
    assert fact.unit == "/100" and fact.maximum == 100
    bad = pd.read_parquet(sample_path("vnm")).head(300)
    bad.loc[3, "disability_degree"] = 150.0
    with pytest.raises(
        PopulationError, match=r"column 'disability_degree': expected at most 100; 1 row \(first: row 3"
    ):
        simulate(bad, MONTH, "vnm")
    bad.to_parquet(tmp_path / "degree.parquet")
    assert main(["simulate", str(tmp_path / "degree.parquet"), "--month", MONTH, "--jurisdiction", "vnm"]) == 2
    error = capsys.readouterr().err
    assert "degree.parquet: column 'disability_degree': expected at most 100" in error and error.count("\n") == 1
    bad.loc[3, "disability_degree"] = 100.0
    assert simulate(bad, MONTH, "vnm").count == 300  # 100 is allowed


def test_a_csv_whose_delimiter_is_not_recognised_says_so(table, tmp_path):
    """A ':'-delimited file listed some 40 missing columns, not why."""
    path = tmp_path / "population.csv"
    table.to_csv(path, index=False, sep=":")
    with pytest.raises(PopulationError) as raised:
        simulate(path, MONTH, "lao")
    assert str(raised.value).startswith(f"{path}: its header reads as one column, 'person_id:household_id:")
    assert "its delimiter was not recognised (a CSV person table is delimited by ',', ';', a tab or '|')" in str(
        raised.value
    )


def test_household_structure_is_checked(table):
    scattered = table.copy()
    scattered["household_id"] = np.arange(len(table)) % 7  # a household's rows not together
    with pytest.raises(PopulationError, match="contiguous"):
        simulate(scattered, MONTH, "lao")
    two_heads = table.assign(is_household_head=True)
    with pytest.raises(PopulationError, match="exactly one head"):
        simulate(two_heads, MONTH, "lao")
    duplicated = table.copy()
    duplicated.loc[1, "person_id"] = duplicated.loc[0, "person_id"]
    with pytest.raises(PopulationError, match="person ids must be unique"):
        simulate(duplicated, MONTH, "lao")
    with pytest.raises(PopulationError, match="weight"):
        simulate(table.assign(weight=-1.0), MONTH, "lao")


def test_text_ids_are_accepted(table, reference):
    named = table.assign(
        person_id=[f"P{number}" for number in table["person_id"]],
        household_id=[f"H{number}" for number in table["household_id"]],
    )
    results = simulate(named, MONTH, "vnm").to_frame()
    assert results["person_id"].iloc[0] == "P1000"
    pd.testing.assert_frame_equal(
        results.drop(columns=["person_id", "household_id"]),
        reference.drop(columns=["person_id", "household_id"]),
        check_dtype=False,
    )


def test_totals_are_weighted_float64_sums_of_the_per_person_results(table):
    """Each branch's cost is the weighted float64 sum of its persons' amounts, written to the dong as compare writes
    it; its average benefit the mean of those amounts (the sum as summed over the beneficiaries), written to the dong
    as well."""
    results = simulate(table, MONTH, "vnm")
    totals = results.totals().set_index("branch")
    for branch in results.branches:
        paid = month_amounts(results.columns, branch, MONTH, results.decimals)
        cost = totals.loc[branch.code, "cost"]
        if totals.loc[branch.code, "amount_modelled"]:
            summed = float(np.sum(results.weights * paid))
            assert cost == round_money(summed, results.decimals)
            persons = totals.loc[branch.code, "beneficiaries"]
            average = totals.loc[branch.code, "average_benefit"]
            assert average == round_money(summed / persons, results.decimals) if persons else pd.isna(average)
        else:  # some claim's payments cannot be told (a start or duration not modelled): no cost, never 0
            assert cost is None or np.isnan(cost)
        beneficiaries = results.weights[paid_in(results.columns, branch, MONTH, results.decimals)].sum()
        assert totals.loc[branch.code, "beneficiaries"] == pytest.approx(float(beneficiaries), rel=1e-12)


CLAIMED_WITH_PROOF = {  # the population's law defaults
    "children_raised": 0,
    "raised_disabled_child": False,
    "rested_during_pregnancy_on_prescription": False,
    "arduous_work_months": 0,
    "hardship_area_months": 0,
    "underground_coal_mining_months": 0,
}


@pytest.mark.parametrize("jurisdiction", ["vnm", "lao", "tjk"])
def test_a_population_run_equals_person_by_person_claims(jurisdiction):
    """Each claim of a table (registrations up to 3 months before the month evaluated, births in it) gets the
    decision, amount, duration and benefit period the Python API (and /eligibility) gives that person alone,
    and each lump sum the same value, 0 or none (null) (an outside review: where the old-age lump sum is not
    modelled, the per-person table put null on the pensioners and 0 on those refused, whom it is owed to)."""
    count = 40
    inputs = persons(count, MONTH, seed=11)
    frame = person_table(count, MONTH, seed=11, household_size=1)
    system = tax_benefit_system(jurisdiction)
    run = simulate(frame, MONTH, system)
    results, table = run.columns, run.to_frame()
    as_of = np.datetime64(f"{MONTH}-01").astype(object)
    for row in range(count):
        # the table states no children raised: the population applies the law's default (and says so in its
        # notes), where /eligibility asks for them when they would change a refusal; compared on the same facts
        record = {**CLAIMED_WITH_PROOF, **person_record(inputs, MONTH, row)}
        alone = decide_claims(system, [record], as_of)
        for branch in branches_of(system):
            decided = alone.branches[branch.code]
            for name, lump_sum in decided.lump_sums.items():
                told, found = float(lump_sum[0]), table.loc[row, name]
                if np.isnan(told) and found == 0 and asked_for_lump_sum_fact(decided, 0):
                    continue  # a table's empty cell is no such event (no contract ended); /eligibility asks for it
                assert (np.isnan(told) and pd.isna(found)) or told == pytest.approx(found, abs=0.5), (name, row)
            eligible = bool(results[branch.eligible][row])
            assert (decided.outcome[0] == Outcome.eligible) == eligible, (branch.code, row)
            if eligible and not np.isnan(decided.amount[0]):
                assert decided.amount[0] == pytest.approx(float(results[branch.benefit][row]), abs=0.5)
            for name in ("start", "end"):
                expected = getattr(decided, name)[0]
                found = results[f"{branch.benefit}_{name}"][row]
                assert (np.isnat(expected) and np.isnat(found)) or expected == found, (branch.code, name, row)


@settings(max_examples=8, deadline=None)
@given(chunk=st.integers(min_value=1, max_value=700), size=st.integers(min_value=1, max_value=6))
def test_results_do_not_depend_on_how_the_population_is_chunked(chunk, size):
    frame = person_table(600, MONTH, seed=3, household_size=size)
    whole = simulate(frame, MONTH, "vnm").to_frame()
    chunked = simulate(frame, MONTH, "vnm", chunk_persons=chunk).to_frame()
    pd.testing.assert_frame_equal(whole, chunked)


def test_per_person_results_hold_no_sentinel_values() -> None:
    """Lifetime and unmodelled durations, unmodelled amounts: null in the per-person table, never 0 or -1."""
    frame = simulate("sample:lao", "2026-10", "lao").to_frame()
    pensioners = frame[frame["old_age_pension_eligible"]]
    assert len(pensioners) and pensioners["old_age_pension_duration"].isna().all()
    assert pensioners["old_age_pension"].isna().all()  # Law 34/NA: the amount formula was not found
    unemployed = frame[frame["unemployment_benefit_eligible"]]
    assert unemployed["unemployment_benefit_duration"].isna().all()  # not modelled in Lao PDR
    assert unemployed["unemployment_benefit_waiting_days"].isna().all()
    mothers = frame[frame["maternity_benefit_eligible"]]
    births = mothers["maternity_benefit_duration_unit"] == "days"  # a live birth; a pregnancy loss: not_modelled
    assert set(mothers["maternity_benefit_duration_unit"]) <= {"days", "not_modelled"}
    assert (mothers.loc[births, "maternity_benefit_duration"] >= 105).all() and mothers[
        "maternity_benefit"
    ].notna().all()
    # after a pregnancy loss the allowance runs during a leave a physician sets (NSSF page): not modelled
    assert mothers.loc[~births, "maternity_benefit_duration"].isna().all()
    assert mothers["maternity_benefit_days_a_month"].isna().all()  # no Lao source says what a day pays: null
    assert (frame.loc[~frame["old_age_pension_eligible"], "old_age_pension"] == 0).all()


@pytest.mark.parametrize(("delimiter", "suffix"), [(";", ".csv"), ("\t", ".txt"), ("|", ".csv"), (";", ".csv.gz")])
def test_a_csv_with_another_delimiter_reads_as_with_commas(delimiter, suffix, table, reference, tmp_path):
    source = tmp_path / f"population{suffix}"
    table.iloc[:200].to_csv(source, index=False, sep=delimiter)
    results = simulate(source, MONTH, "vnm").to_frame()
    for name in ("person_id", "household_id"):
        results[name] = results[name].astype(np.int64)
    pd.testing.assert_frame_equal(results, reference.iloc[:200], check_dtype=False)


@pytest.mark.parametrize(
    ("name", "kind"),
    [("people.csv", "CSV"), ("people.txt", "CSV"), ("people.csv.gz", "CSV"), ("PEOPLE.TXT.GZ", "CSV"),
     ("people.parquet", "Parquet"), ("people", "Parquet")],
)  # fmt: skip
def test_a_file_that_cannot_be_read_is_named_with_the_format_it_was_read_as(name, kind, tmp_path):
    source = tmp_path / name
    source.write_bytes(b"\x1f\x8b not gzip, not Parquet" if kind == "CSV" else b"PAR1 not Parquet")
    if not name.lower().endswith(".gz") and kind == "CSV":
        source.write_bytes(b'person_id,household_id\n"1,2\n')  # a quote that never closes
    with pytest.raises(PopulationError, match=f"cannot be read as {kind}: ") as raised:
        simulate(source, MONTH, "vnm")
    assert str(source) in str(raised.value)


@pytest.mark.parametrize("form", ["csv", "dataframe", "arrow"])
def test_a_column_given_twice_is_refused_with_its_name(form, table, tmp_path):
    doubled = pd.concat([table.iloc[:50], table.iloc[:50][["contribution_months"]]], axis=1)
    if form == "csv":
        source = tmp_path / "population.csv"
        doubled.to_csv(source, index=False)
    elif form == "arrow":
        source = pa.Table.from_arrays([pa.array(doubled.iloc[:, i]) for i in range(doubled.shape[1])],
                                      names=list(doubled.columns))  # fmt: skip
    else:
        source = doubled
    with pytest.raises(PopulationError, match="'contribution_months' appears more than once"):
        simulate(source, MONTH, "vnm")


def test_a_number_beyond_what_the_rules_hold_is_refused_not_wrapped(table):
    big = table.iloc[:20].copy()
    big["contribution_months"] = big["contribution_months"].astype(np.int64)
    big.loc[big.index[3], "contribution_months"] = 2**32 + 5
    with pytest.raises(PopulationError, match=r"contribution_months.*at most 2,147,483,647.*row 3"):
        simulate(big, MONTH, "vnm")


def test_a_reform_given_built_holds_its_money_in_float64(table):
    """An outside review: a Reform instance given to simulate kept its new float variables in float32, so that
    20,000,001 was paid as 20,000,000 (compare, and a reform given by name or class, held them in float64)."""

    class Plus(Reform):
        name = "20,000,001 a month"

        def apply(self):
            class maternity_benefit(Variable):
                value_type = float
                entity = Person
                definition_period = DateUnit.MONTH
                label = "maternity benefit"

                def formula(person, period):  # noqa: N805 (an OpenFisca formula)
                    return np.where(person("maternity_benefit_eligible", period), 20_000_001.0, 0.0)

            self.update_variable(maternity_benefit)

    paid = simulate(table, MONTH, Plus(tax_benefit_system("vnm"))).to_frame(["maternity_benefit"])["maternity_benefit"]
    assert paid.dtype == np.float64 and (paid > 0).any() and set(paid[paid > 0]) == {20_000_001.0}


@pytest.mark.parametrize(
    ("month", "chunk", "message"),
    [
        ("2026-10-01", 1000, r"month must be a month, not the day '2026-10-01': .* the month of that day is '2026-10'"),
        ("2026-13", 1000, "month must be a month"),
        (202610, 1000, "month must be a month"),
        ("1899-12", 1000, "month 1899-12 is outside the calendar the rules are asked in: expected a month, YYYY-MM, "
         "from 1900-01 to 2199-12"),
        ("1850-01", 1000, "month 1850-01 is outside the calendar"),
        ("2200-01", 1000, "month 2200-01 is outside the calendar"),
        (MONTH, 0, "chunk_persons must be a whole number of persons, 1 or more, not 0"),
        (MONTH, -5, "chunk_persons must be"),
        (MONTH, 2.5, "chunk_persons must be"),
        (MONTH, True, "chunk_persons must be"),
    ],
)  # fmt: skip
def test_a_month_or_chunk_size_that_is_none_is_refused_before_anything_is_read(table, month, chunk, message):
    """A day given for a month failed deep in openfisca-core; 0, -5 and 2.5 persons a chunk were taken. An analyst:
    1850-01 and 1899-12 answered "not modelled" for everyone, 2300-01 paid pensions to persons aged 350, where the
    loader and /eligibility read dates from 1900 to 2199 only."""
    with pytest.raises(PopulationError, match=message):
        simulate(table, month, "vnm", chunk_persons=chunk)
    with pytest.raises(PopulationError, match=message):
        compare(table, month, "r202_social_pension", "vnm", chunk_persons=chunk)
    assert simulate(table.head(50), MONTH, "vnm", chunk_persons=np.int64(7)).count == 50


def test_rules_that_are_no_system_are_refused_saying_what_the_rules_are(table):
    """A hunt (stop 78): ``simulate(table, month, 5)`` raised "'int' object has no attribute 'variables'"."""
    told = r"the rules are a tax-benefit system \(a reform applied to one too\) or a jurisdiction code \('lao'\), not int 5"
    with pytest.raises(TypeError, match=told):
        simulate(table, MONTH, 5)
    with pytest.raises(TypeError, match=told):
        compare(table, MONTH, "r202_social_pension", 5)
    with pytest.raises(TypeError, match="not int a whole number of 5001 digits"):  # repr would refuse to write it
        simulate(table, MONTH, 10**5000)


def test_a_progress_that_cannot_be_called_or_a_flag_that_is_no_bool_is_refused_before_anything_is_read(table, tmp_path):
    """A hunt (stop 78): ``simulate(..., progress=5)`` read the table and ran its first chunk before "'int' object is
    not callable"; a file that does not exist is not even looked for."""
    told = r"progress is a function called with \(done, in all\), or None; not int 5"
    absent = tmp_path / "absent.parquet"
    with pytest.raises(TypeError, match=told):
        simulate(absent, MONTH, "vnm", progress=5)
    with pytest.raises(TypeError, match=told):
        compare(absent, MONTH, "r202_social_pension", "vnm", progress=5)
    with pytest.raises(TypeError, match=told):
        project("scenario:vnm", progress=5)
    seen: list[tuple[int, int]] = []
    simulate(table.head(50), MONTH, "vnm", progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (50, 50)
    flag = r"claims_on_events is True or False, not str 'no'"  # "no" was read as true
    with pytest.raises(TypeError, match=flag):
        simulate(absent, MONTH, "vnm", claims_on_events="no")
    with pytest.raises(TypeError, match=flag):
        compare(absent, MONTH, "r202_social_pension", "vnm", claims_on_events="no")


def test_a_missing_id_column_says_what_ids_are_for(table):
    with pytest.raises(PopulationError, match=r"missing column 'person_id': every person needs an id"):
        simulate(table.drop(columns=["person_id"]), MONTH, "vnm")


def test_true_or_false_written_as_1_0_and_0_0_reads_as_1_and_0(table, reference):
    """pandas writes a column of 1 and 0 with an empty cell as floats; 1.0 and 0.0 were refused as "double"."""
    as_floats = table.assign(is_disabled=table["is_disabled"].astype(float))
    pd.testing.assert_frame_equal(simulate(as_floats, MONTH, "vnm").to_frame(), reference)
    halves = as_floats.assign(is_disabled=as_floats["is_disabled"].where(as_floats.index != 4, 0.5))
    with pytest.raises(PopulationError, match=r"'is_disabled'.*expected true or false \(or 1 or 0\).*row 4"):
        simulate(halves, MONTH, "vnm")


def test_a_column_nothing_reads_is_named_with_the_name_it_may_have_meant(table, tmp_path):
    """An outside review: insured_wage.2026-9 (no leading zero) and unknown columns were ignored without a word,
    and a header written 'person_id, household_id' gave "missing column 'household_id'" and no reason."""
    extra = table.assign(**{"insured_wage.2026-9": 1.0, "remarks": "x"})
    note = next(note for note in simulate(extra, MONTH, "lao").assumptions if note.startswith("columns not read"))
    assert note == (
        "columns not read by the rules or the analyses, ignored: 'insured_wage.2026-9' (did you mean "
        "'insured_wage.2026-09'?), 'remarks'"
    )
    assert not any(note.startswith("columns not read") for note in simulate(table, MONTH, "lao").assumptions)
    path = tmp_path / "population.csv"
    table.rename(columns={"household_id": " household_id"}).to_csv(path, index=False)
    with pytest.raises(PopulationError) as raised:
        simulate(path, MONTH, "lao")
    assert str(raised.value) == (
        f"{path}: the header writes ' household_id' with spaces around the name: write 'household_id' (names are "
        "read as written)"
    )


@pytest.mark.parametrize(
    ("present", "missing"),
    [("contributions_months", "contribution_months"), ("Sex", "sex"), ("insured_wage.2026-9", "insured_wage.2026-09")],
)
def test_a_missing_column_names_the_column_nothing_reads_that_it_may_be(table, tmp_path, present, missing):
    """An analyst: ``contributions_months`` for ``contribution_months``, or ``Sex`` for ``sex``, gave "missing column
    'contribution_months'" and no word of the column present; the "did you mean" came only with a run that
    succeeded. From a DataFrame and from a Parquet file (its columns read a block at a time)."""
    misnamed = table.rename(columns={missing: present})
    path = tmp_path / "population.parquet"
    misnamed.to_parquet(path, index=False)
    for source in (misnamed, path):
        with pytest.raises(PopulationError) as raised:
            simulate(source, MONTH, "lao")
        assert f"missing column '{missing}' (did you mean '{present}'?): the rules read it " in str(raised.value)
    with pytest.raises(PopulationError) as raised:  # nothing close is present: no guess
        simulate(table.drop(columns=missing), MONTH, "lao")
    assert f"missing column '{missing}': the rules read it " in str(raised.value)
