"""The population engine refuses the rows ``/eligibility`` refuses: a fact dated before the person's birth, a wage
before the month of birth (of any month the table gives, read by the rules or not), a person stated not disabled
though assessed in a disability category, a contract ended or an earlier benefit's separation after the registration
for unemployment, a confinement date with no pregnancy outcome (an outside review, then the last change's author: the
engine decided them)."""

from __future__ import annotations

import datetime
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from openfisca_sp import tax_benefit_system
from openfisca_sp.decisions.before_birth import DATE_EXPECTED, DATED_FACTS, WAGE_EXPECTED
from openfisca_sp.decisions.confinement_outcome import CONFINEMENT
from openfisca_sp.decisions.confinement_outcome import EXPECTED as CONFINEMENT_EXPECTED
from openfisca_sp.decisions.consistency import contradictions
from openfisca_sp.decisions.disability_assessed import EXPECTED as DISABILITY_EXPECTED
from openfisca_sp.decisions.ended_after_claim import CLAIM, SEPARATIONS
from openfisca_sp.decisions.ended_after_claim import EXPECTED as ENDED_EXPECTED
from openfisca_sp.decisions.facts import facts_of
from openfisca_sp.decisions.records import read_records
from openfisca_sp.decisions.since_2014 import FIELD as BEFORE_2014
from openfisca_sp.decisions.since_2014 import expected as since_expected
from openfisca_sp.decisions.since_2014 import months_since_2014
from openfisca_sp.population import PopulationError, simulate, unread_wages
from openfisca_sp.rules.enums import SeparationReason
from tests.population.fixtures import inputs_table, person_record, person_table
from tests.synthetic import persons

MONTH = "2026-10"
AS_OF = datetime.date(2026, 10, 1)
COUNT = 6
DATES = [fact.field for fact in DATED_FACTS]
DISMISSAL = SeparationReason.dismissal.index
ENDED = [name for name, _ in SEPARATIONS]
# what /eligibility says of each kind of contradiction the engine refuses as it does
SINCE = months_since_2014(2026, 10)  # months from January 2014 to the month evaluated
EXPECTED = {
    DATE_EXPECTED,
    WAGE_EXPECTED,
    DISABILITY_EXPECTED,
    ENDED_EXPECTED,
    CONFINEMENT_EXPECTED,
    since_expected(SINCE),
}
INSURED_EXPECTED = "at least the months with an insured wage above 0 (insured_wage) before the claim's month"


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return person_table(300, MONTH, seed=7)


@pytest.mark.parametrize(
    ("changes", "column", "message"),
    [
        ({"employment_end_date": pd.Timestamp("1930-01-01"), "separation_reason": "dismissal"}, "employment_end_date",
         "the labour contract ended before the person's birth"),
        ({"previous_unemployment_separation_date": pd.Timestamp("1930-01-01")},
         "previous_unemployment_separation_date",
         "the separation that opened the last unemployment benefit before the person's birth"),
        ({"unemployment_registration_date": pd.Timestamp("1930-01-01")}, "unemployment_registration_date",
         "the registration before the person's birth"),
        ({"old_age_claim_date": pd.Timestamp("1930-01-01")}, "old_age_claim_date",
         "the claim before the person's birth"),
        ({"disability_assessment_date": pd.Timestamp("1930-01-01")}, "disability_assessment_date",
         "the assessment before the person's birth"),
        ({"birth_date": pd.Timestamp("2025-06-15"), "insured_wage.2025-05": 5_000_000.0}, "insured_wage.2025-05",
         "a wage above 0 before the month of the person's birth"),
        ({"birth_date": pd.Timestamp("2021-06-15"), "insured_wage.2020-03": 5_000_000.0}, "insured_wage.2020-03",
         "a wage above 0 before the month of the person's birth"),  # a month no rule reads in 2026-10
        ({"is_disabled": False, "disability_category": 2}, "is_disabled",
         "not disabled, though assessed in a disability category (disability_category)"),
        ({"unemployment_registration_date": pd.Timestamp("2026-09-01"), "separation_reason": "dismissal",
          "employment_end_date": pd.Timestamp("2026-09-20")}, "employment_end_date",
         "the labour contract ended after the registration for unemployment (unemployment_registration_date)"),
        ({"unemployment_registration_date": pd.Timestamp("2026-09-01"),
          "previous_unemployment_separation_date": pd.Timestamp("2026-09-20")},
         "previous_unemployment_separation_date",
         "the separation that opened the last unemployment benefit after the registration for unemployment "
         "(unemployment_registration_date)"),
        ({"pregnancy_outcome": "none", "child_birth_date": pd.Timestamp("2026-10-01")}, "pregnancy_outcome",
         "none, with a confinement date (child_birth_date)"),
        ({"birth_date": pd.Timestamp("1960-01-01"), "contribution_months": 300, BEFORE_2014: 100}, BEFORE_2014,
         f"contribution_months less these more than the {SINCE} months from January 2014 to the month evaluated"),
    ],
)  # fmt: skip
def test_facts_before_the_birth_or_a_category_of_no_disability_are_refused_with_their_row(
    table, changes, column, message
):
    bad = table.copy()
    bad.loc[7, [column for column in table if column.startswith("insured_wage.")]] = 0.0  # a wage only if changed
    bad.loc[7, "contribution_months"] = 0
    for name in changes:
        if name not in bad:  # a column the table does not give: empty cells (no such event), no wage, or a whole
            filled = bad["contribution_months"] if name == BEFORE_2014 else 0.0  # career before 2014
            bad[name] = filled if isinstance(changes[name], (int, float)) else pd.NaT
    for name, value in changes.items():
        bad.loc[7, name] = value
    with pytest.raises(PopulationError) as raised:
        simulate(bad, MONTH, "vnm")
    assert str(raised.value).startswith(f"column '{column}': {message} in 1 row (first: row 7,"), str(raised.value)


def test_a_month_of_0_before_the_birth_and_a_category_of_0_are_no_contradiction(table):
    """A table of every month, zeros before the birth, passes; so does a person not disabled of category 0."""
    young = table.copy()
    young.loc[7, "birth_date"] = pd.Timestamp("2025-06-15")
    young.loc[7, "contribution_months"] = 0
    young.loc[7, [column for column in table if column.startswith("insured_wage.")]] = 0.0
    young.loc[7, ["is_disabled", "disability_category"]] = [False, 0]
    assert simulate(young, MONTH, "vnm").count == len(table)


def _refused(inputs: dict, system, also: tuple[str, ...] = ()) -> dict[str, list[int]]:
    """The rows ``/eligibility`` (its Python equivalent, the facts as a delivery system states them) refuses for a
    fact before the birth, a category of no disability, a separation after the registration or a confinement with no
    outcome (:data:`EXPECTED`), and those ``also`` expects, by field."""
    records = [person_record(inputs, MONTH, row) for row in range(COUNT)]
    refused: dict[str, list[int]] = {}
    for found in contradictions(read_records(records, facts_of(system)), AS_OF):
        if found.expected in EXPECTED or found.expected in also:
            refused.setdefault(found.field, []).append(found.row)
    return refused


def _engine_refusal(source: object, system) -> tuple[str, int, int] | None:
    """The column the engine refuses ``source`` for, how many rows and the first; None where it decides it."""
    try:
        simulate(source, MONTH, system)
    except PopulationError as error:
        found = re.search(r"column '([^']+)': .* in (\d+) rows? \(first: row (\d+),", str(error))
        assert found, str(error)
        return found.group(1), int(found.group(2)), int(found.group(3))
    return None


@pytest.mark.parametrize(
    "kind",
    [
        *DATES,
        "insured_wage",
        "is_disabled",
        *(f"after {CLAIM}: {name}" for name in ENDED),
        CONFINEMENT + " with none",
        BEFORE_2014,
    ],
)  # each kind drawn: a kind left undrawn passed unseen
@settings(max_examples=15, deadline=None)
@given(
    seed=st.integers(0, 1_000),
    rows=st.lists(st.booleans(), min_size=COUNT, max_size=COUNT),
    shifts=st.lists(st.integers(-900, 900), min_size=COUNT, max_size=COUNT),
)
def test_the_engine_refuses_the_rows_eligibility_refuses(seed, kind, rows, shifts):
    """Differential: a table's persons, some with a date near their birth (before or after it), born within the
    months of wages, stated not disabled with a category drawn, with
    a separation near their registration, or a confinement date whatever their pregnancy's outcome, are refused by
    the engine in the rows (how many, and the first) ``/eligibility`` refuses for that column, and the table passes
    where it refuses none."""
    system = tax_benefit_system("vnm")
    inputs = persons(COUNT, MONTH, seed)
    chosen, shift = np.array(rows), np.array(shifts).astype("timedelta64[D]")
    birth = inputs[("birth_date", "ETERNITY")]
    if kind in DATES:
        inputs[(kind, MONTH)] = np.where(chosen, birth + shift, np.datetime64("NaT", "D"))
        if kind == "employment_end_date":  # a contract ended of a person separated from it
            inputs[("separation_reason", MONTH)] = np.full(COUNT, DISMISSAL)
    elif kind == "insured_wage":
        born = np.datetime64(MONTH, "D") - np.abs(shift) - 1
        inputs[("birth_date", "ETERNITY")] = np.where(chosen, born, birth)
        lived = (np.datetime64(MONTH, "M") - born.astype("datetime64[M]")).astype(int) + 1  # a career of them all
        inputs[("contribution_months", MONTH)] = np.where(chosen, lived, inputs[("contribution_months", MONTH)])
    elif kind.startswith(f"after {CLAIM}: "):  # a separation up to a month before or after the registration
        name = kind.removeprefix(f"after {CLAIM}: ")
        inputs[(name, MONTH)] = np.where(chosen, inputs[(CLAIM, MONTH)] + shift // 30, np.datetime64("NaT", "D"))
        inputs[("separation_reason", MONTH)] = np.full(COUNT, DISMISSAL)
    elif kind == BEFORE_2014:  # a part before 2014 leaving about as many months since as the calendar holds
        months = inputs[("contribution_months", MONTH)]
        inputs[(kind, MONTH)] = np.where(chosen, np.clip(months - SINCE + np.array(shifts) // 100, 0, months), 0)
    elif kind == CONFINEMENT + " with none":  # a confinement date stated whatever the outcome
        inputs[(CONFINEMENT, MONTH)] = np.where(chosen, np.datetime64(MONTH, "D"), inputs[(CONFINEMENT, MONTH)])
    else:
        inputs[("is_disabled", MONTH)] = inputs[("is_disabled", MONTH)] & ~chosen
    table = inputs_table(inputs, MONTH)
    for name in DATES:  # an empty cell: no such event (NaT, as the table reads it)
        if name in table:
            table[name] = pd.to_datetime(table[name])
    expected = _refused(inputs, system)
    refused = _engine_refusal(table, system)
    if refused is not None:
        column, count, first = refused
        assert column in expected, (refused, expected)
        assert (count, first) == (len(expected[column]), min(expected[column])), (refused, expected)
        event(f"refused: {column.split('.')[0]}")
    else:
        assert not expected, expected
        event(f"passed: {kind}")


UNREAD = [str(month) for month in pd.period_range("2019-01", "2024-05", freq="M")]  # no rule of 2026-10 reads them


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 1_000),
    births=st.lists(st.integers(0, len(UNREAD) + 2), min_size=COUNT, max_size=COUNT),
    paid=st.lists(st.lists(st.booleans(), min_size=len(UNREAD), max_size=len(UNREAD)), min_size=COUNT, max_size=COUNT),
    careers=st.lists(st.one_of(st.none(), st.integers(0, 90)), min_size=COUNT, max_size=COUNT),
    form=st.sampled_from(["frame", "parquet", "csv"]),
    block=st.sampled_from([1, 3, unread_wages.BATCH_ROWS]),
)
def test_the_months_no_rule_reads_are_refused_in_the_rows_eligibility_refuses(
    seed, births, paid, careers, form, block, tmp_path_factory
):
    """Differential: persons born within months of wages no rule reads (2019-01 to 2024-05, in 2026-10), each month
    paid or not, with a career total of every month lived or fewer, are refused by the engine in the rows (how many,
    and the first) ``/eligibility`` refuses for the first such month, or else for fewer ``contribution_months`` than
    months paid, from a DataFrame, a Parquet file (its months read ``block`` rows at a time, the blocks' findings
    joined) or a CSV file; the table passes where it refuses none (an engine that checked and counted only the
    months the rules read passed them)."""
    system = tax_benefit_system("vnm")
    inputs = persons(COUNT, MONTH, seed)
    born = np.array([np.datetime64(f"{UNREAD[min(at, len(UNREAD) - 1)]}-15", "D") for at in births])
    inputs[("birth_date", "ETERNITY")] = np.where(
        np.array(births) <= len(UNREAD), born, inputs[("birth_date", "ETERNITY")]
    )
    wages = np.where(np.array(paid).T, 4_000_000.0, 0.0)
    for at, month in enumerate(UNREAD):
        inputs[("insured_wage", month)] = wages[at]
    lived = (np.datetime64(MONTH, "M") - inputs[("birth_date", "ETERNITY")].astype("datetime64[M]")).astype(int) + 1
    stated = np.array([lived[row] if months is None else min(months, lived[row]) for row, months in enumerate(careers)])
    inputs[("contribution_months", MONTH)] = stated  # at most every month lived: no other contradiction
    for name in DATES:  # no date of the person's life to contradict the birth
        inputs[(name, MONTH)] = np.full(COUNT, np.datetime64("NaT", "D"))
    table = inputs_table(inputs, MONTH)
    for name in DATES:
        table[name] = pd.to_datetime(table[name])
    source: object = table
    if form != "frame":
        source = tmp_path_factory.mktemp("unread") / f"persons.{form}"
        table.to_parquet(source) if form == "parquet" else table.to_csv(source, index=False)
    refused = _refused(inputs, system, (INSURED_EXPECTED,))
    expected = {field: rows for field, rows in refused.items() if field.removeprefix("insured_wage.") in UNREAD}
    if not expected and "contribution_months" in refused:  # the engine checks the birth first
        expected = {"contribution_months": refused["contribution_months"]}
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(unread_wages, "BATCH_ROWS", block)
        found = _engine_refusal(source, system)
    if found is not None:
        column, count, first = found
        assert column == min(expected, default=None), (found, expected)
        assert (count, first) == (len(expected[column]), min(expected[column])), (found, expected)
        event(f"refused: {column.split('.')[0]}")
    else:
        assert not expected, expected
        event("passed")


def test_checked_though_no_rule_of_the_month_reads_them():
    """As a birth after the month is (test_population_table): Viet Nam's rules of June 2015 read no disability and
    no claim of a pension; a person stated not disabled with a category, or claiming before its birth, is refused."""
    claimant = pd.DataFrame(
        {
            "person_id": [1],
            "household_id": [1],
            "birth_date": ["1980-01-01"],
            "sex": ["male"],
            "contribution_months": [120],
            "separation_reason": ["dismissal"],
            "employment_end_date": ["2015-05-31"],
            "unemployment_registration_date": ["2015-06-01"],
            "is_available_for_work": [True],
            "minimum_wage_region": [1],
        }
    ).assign(**{f"insured_wage.{month}": 5_000_000.0 for month in pd.period_range("2013-06", "2015-05", freq="M")})
    assert simulate(claimant.assign(is_disabled=False, disability_category=0), "2015-06", "vnm").count == 1
    for changes, column in (
        ({"is_disabled": False, "disability_category": 2}, "is_disabled"),
        ({"old_age_claim_date": "1979-12-31"}, "old_age_claim_date"),
    ):
        with pytest.raises(PopulationError, match=f"^column '{column}': .* in 1 row \\(first: row 0,"):
            simulate(claimant.assign(**changes), "2015-06", "vnm")
