"""The population engine decides claims on their events and costs a month as what is payable in it.

Issue 10's examples: a maternity benefit is paid in the months its period covers, not in the month of the
birth alone; Viet Nam's one-off old-age payment is counted once, in the month of its dated claim, never every
month for every older person who could claim it. Each figure is checked against the schedules the Python API
(and /eligibility) gives each person alone.
"""

from __future__ import annotations

import datetime

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openfisca_sp import tax_benefit_system
from openfisca_sp.decisions import decide_claims
from openfisca_sp.population import simulate
from openfisca_sp.population.claim_rounds import ClaimsAgain, rounds_of, union_of_rows
from openfisca_sp.population.claims import NO_DATE, _households, event_months
from openfisca_sp.population.inputs import PopulationInputs
from openfisca_sp.population.totals import BranchSums
from openfisca_sp.rules.formulas import round_money
from tests.population.fixtures import person_record, person_table
from tests.synthetic import months_before, persons

MONTH = "2026-10"
MOTHERS = {
    "birth three months before": "2026-07-10",
    "birth seven months before": "2026-03-05",
    "birth in it": "2026-10-15",
}
OLD_AGE_CLAIMS = {"one-off claimed in the month": "2026-10-05", "one-off claimed in August": "2026-08-20"}


def _claims() -> tuple[dict, pd.DataFrame]:
    """Three mothers insured before their births, three men of 62 with 10 years of contributions (two claim on
    a stated date, one states none), in Viet Nam."""
    count = 6
    inputs = persons(count, MONTH, seed=2)
    frame = person_table(count, MONTH, seed=2, household_size=1)
    # the wages of the month evaluated too: the mother born on its 15th contributed it, which counts it among her 12
    # months and her 6 latest (Circular 59/2015 Arts 9(1)(b), 12(1)(a)); a table without it reads none
    wages = {month: np.zeros(count) for month in [*months_before(MONTH, 28), MONTH]}
    wages[MONTH][list(MOTHERS).index("birth in it")] = 9_000_000
    for row, birth in enumerate(MOTHERS.values()):
        frame.loc[row, ["sex", "pregnancy_outcome", "child_birth_date"]] = ["female", "live_birth", birth]
        frame.loc[row, ["birth_date", "number_of_children_born", "separation_reason"]] = [
            "1994-05-02",
            1,
            "not_separated",
        ]
        for month in months_before(birth[:7], 12):
            wages[month][row] = 9_000_000
    for row in range(3, 6):
        frame.loc[row, ["sex", "birth_date", "contribution_months"]] = ["male", "1964-01-15", 120]
        frame.loc[row, ["pregnancy_outcome", "separation_reason"]] = ["none", "not_separated"]
        frame.loc[row, ["is_disabled", "disability_category"]] = [False, 0]  # no category of no disability
    frame["old_age_claim_date"] = [None, None, None, *OLD_AGE_CLAIMS.values(), None]
    frame["unemployment_registration_date"] = None
    for month, values in wages.items():
        frame[f"insured_wage.{month}"] = values
    frame["child_birth_date"] = frame["child_birth_date"].where(frame.index < 3, None)
    records = []
    for row in range(count):
        record = person_record(inputs, MONTH, row)
        record.update(
            {key: _plain(value) for key, value in frame.iloc[row].items() if "." not in key and not pd.isna(value)}
        )
        record["insured_wage"] = {month: float(values[row]) for month, values in wages.items()}
        records.append(
            {
                key: value
                for key, value in record.items()
                if key not in ("person_id", "household_id", "weight", "income")
            }
        )
    return records, frame


def _plain(value):
    return value.item() if isinstance(value, np.generic) else value


def _paid_in(decisions, code: str, month: str, weights: np.ndarray) -> tuple[float, float]:
    """What the API's schedules pay in ``month`` (periodical, lump sums falling due), weighted. A claim the table
    does not date is, for the API, made on the date asked; the population counts no lump sum for it."""
    periodical = lumps = 0.0
    decided = decisions.branches[code]
    dated = ~np.isnat(decided.event_date) & (decided.event_date != np.datetime64(decisions.as_of))
    for weight, payments, known in zip(weights, decided.payments("2027-12-31"), dated, strict=True):
        if payments is None:
            continue
        periodical += weight * sum(paid.periodical or 0.0 for paid in payments.months or [] if paid.month == month)
        if known:
            lumps += weight * sum(lump.amount or 0.0 for lump in payments.lump_sums if lump.due[:7] == month)
    return periodical, lumps


@pytest.fixture(scope="module")
def claims():
    records, frame = _claims()
    system = tax_benefit_system("vnm")
    decisions = decide_claims(system, records, datetime.date(2026, 10, 31), ("maternity", "old_age"))
    return decisions, simulate(frame, MONTH, system), frame["weight"].to_numpy()


def test_each_month_costs_what_the_schedules_pay_in_it(claims):
    """Each month's payments are rounded as the schedules round them (to the dong, a counted period's running
    total rounded): a mother's October maternity payment is 6,967,742 in both, not 6,967,741.94 in the
    population's. The sums as summed are compared (the totals write them to the dong, which would hide a cent)."""
    decisions, results, weights = claims
    by_month = results.costs_by_month(12).set_index(["month", "branch"])
    codes = [branch.code for branch in results.branches]
    for month in [str(month) for month in np.arange("2025-11", "2026-11", dtype="datetime64[M]")]:
        sums = BranchSums.of(results.weights, results.columns, results.branches, month, results.decimals)
        for code in ("maternity", "old_age"):
            periodical, lumps = _paid_in(decisions, code, month, weights)
            summed = sums.periodical[codes.index(code)], sums.lump_sums[codes.index(code)]
            assert summed[0] == pytest.approx(periodical, rel=1e-9, abs=1e-6), (month, code)
            assert summed[1] == pytest.approx(lumps, rel=1e-9, abs=1e-6), (month, code)
            row = by_month.loc[(month, code)]
            assert [row["periodical_benefits"], row["lump_sums"]] == round_money(np.array(summed), 0).tolist()


def test_a_maternity_benefit_is_paid_through_its_period_not_in_the_month_of_the_birth_alone(claims):
    decisions, results, weights = claims
    october = results.costs_by_month(1).set_index("branch").loc["maternity"]
    assert october["beneficiaries"] == pytest.approx(weights[[0, 2]].sum())  # the birth of March has ended
    grant = decisions.branches["maternity"].lump_sums["birth_grant"]
    assert grant[0] > 0 and october["lump_sums"] == pytest.approx(weights[2] * grant[2])  # only October's birth


def test_the_one_off_old_age_payment_is_counted_once_in_the_month_of_its_claim(claims):
    decisions, results, weights = claims
    lump = decisions.branches["old_age"].lump_sums["old_age_lump_sum"]
    assert lump[3] > 0 and lump[4] > 0
    months = results.costs_by_month(12).set_index(["month", "branch"])["lump_sums"]
    assert months[("2026-10", "old_age")] == pytest.approx(weights[3] * lump[3])
    assert months[("2026-08", "old_age")] == pytest.approx(weights[4] * lump[4])
    assert months.xs("old_age", level="branch").drop(["2026-08", "2026-10"]).eq(0).all()
    year = results.cost_over_year().set_index("branch").loc["old_age"]
    assert year["lump_sums"] == pytest.approx(weights[3] * lump[3] + weights[4] * lump[4])  # not the undated one


def test_the_shipped_sample_no_longer_counts_one_off_payments_every_month() -> None:
    """Issue 10: VND 19.1 trillion of one-off payments 'payable' in October 2026 on the sample, 2.5 times the
    pensions. Now only claims dated in October count."""
    results = simulate("sample:vnm", MONTH, "vnm")
    totals = results.totals().set_index("branch")
    dated = results.columns["old_age_pension_claim_date"].astype("datetime64[M]") == np.datetime64(MONTH)
    expected = np.dot(results.weights[dated], results.columns["old_age_lump_sum"][dated].astype(np.float64))
    assert totals.loc["old_age", "lump_sums"] == pytest.approx(expected)
    assert totals.loc["old_age", "lump_sums"] < 0.2 * totals.loc["old_age", "periodical_benefits"]


@settings(max_examples=80, deadline=None)
@given(
    columns=st.lists(
        st.lists(st.one_of(st.none(), st.just(0), st.integers(-20_000, 40_000)), min_size=0, max_size=300),
        min_size=1,
        max_size=4,
    ),
    month=st.sampled_from(["1970-01", "2024-03", "2026-10"]),
)
def test_the_months_of_the_events_are_those_of_every_stated_day(columns, month):
    """Not stated (NaT, or 1970-01-01, the inputs' default) is no event; the month evaluated is left out."""
    dates = [
        np.array([np.datetime64("NaT", "D") if day is None else NO_DATE + day for day in column], "datetime64[D]")
        for column in columns
    ]
    expected = sorted(
        {
            str(np.datetime64(day, "M"))
            for column in dates
            for day in column
            if not np.isnat(day) and day != NO_DATE and np.datetime64(day, "M") != np.datetime64(month, "M")
        }
    )
    assert event_months(dates, month) == expected


def _rounds_by_person(claims: list) -> list[list]:
    """The rounds as first written, person by person: a claim joins the first round where each person it shares
    has the same day (``None`` for no day equals ``None``)."""
    rounds: list[tuple[dict, list]] = []
    for claim in claims:
        days = dict(zip(claim.rows.tolist(), claim.claimable.tolist(), strict=True))
        for taken, members in rounds:
            if all(taken.get(row, day) == day for row, day in days.items()):
                taken.update(days)
                members.append(claim)
                break
        else:
            rounds.append((days, [claim]))
    return [members for _, members in rounds]


NO_DAY = np.datetime64("NaT", "D")


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.dictionaries(st.integers(0, 40), st.one_of(st.none(), st.integers(0, 3)), min_size=1, max_size=25),
        min_size=1,
        max_size=6,
    )
)
def test_claims_share_a_round_as_person_by_person(claims_days):
    """A day's claims grouped into simulations by arrays give the rounds found person by person."""
    claims = [
        ClaimsAgain(
            None,
            [],
            np.array(sorted(days), dtype=np.int64),
            np.array(
                [NO_DAY if days[row] is None else np.datetime64("2026-01-01") + days[row] for row in sorted(days)],
                dtype="datetime64[D]",
            ),
        )
        for days in claims_days
    ]
    assert [[id(claim) for claim in members] for members in rounds_of(claims)] == [
        [id(claim) for claim in members] for members in _rounds_by_person(claims)
    ]


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 3000).flatmap(
        lambda count: st.tuples(
            st.just(count),
            st.lists(st.sets(st.integers(0, count - 1), max_size=60), min_size=1, max_size=5),
        )
    )
)
def test_a_rounds_rows_are_the_sorted_union_of_its_claims_rows(count_and_parts):
    """Marked or sorted, a round's rows are those of its claims, ascending, each once (as ``np.unique`` gives)."""
    count, parts = count_and_parts
    arrays = [np.array(sorted(part), dtype=np.int64) for part in parts]
    found = union_of_rows(arrays, count)
    assert found.dtype == np.int64
    np.testing.assert_array_equal(found, np.unique(np.concatenate(arrays)))


def _households_twice_sorted(population: PopulationInputs, rows: np.ndarray) -> tuple:
    """The households of ``rows`` as first found: their ids sorted, then each one's first row by a second sort."""
    household_ids, household_of = np.unique(population.household_of[rows], return_inverse=True)
    is_head = population.is_head[rows].copy()
    has_head = np.zeros(len(household_ids), dtype=bool)
    has_head[household_of[is_head]] = True
    first = np.zeros(len(rows), dtype=bool)
    first[np.unique(household_of, return_index=True)[1]] = True
    return household_of, population.household_ids[household_ids], np.where(has_head[household_of], is_head, first)


@settings(max_examples=200, deadline=None)
@given(
    households=st.lists(st.integers(0, 12), min_size=1, max_size=60),
    heads=st.lists(st.booleans(), min_size=60, max_size=60),
    taken=st.lists(st.booleans(), min_size=60, max_size=60),
)
def test_the_households_of_claims_decided_again_are_found_in_one_sort(households, heads, taken):
    """A round's households (re-indexed), their ids and heads, found in one sort, are those two sorts found: rows
    in any order of households (a ring keeps them by their first claim's month), a household without its head."""
    count = len(households)
    population = PopulationInputs(
        count,
        np.arange(count),
        np.array(households, dtype=np.int64),
        np.arange(13) * 10 + 7,
        np.array(heads[:count]),
        np.ones(count),
        {},
    )
    rows = np.flatnonzero(taken[:count])
    expected = _households_twice_sorted(population, rows)
    for found, straightforward in zip(_households(population, rows), expected, strict=True):
        assert np.array_equal(found, straightforward) and found.dtype == straightforward.dtype
