"""Rises of benefits in payment (openfisca_sp.decisions.uprating): a pension decided on one day pays, in a later
month, its amount times the law's rises since; where a rise's size is not known, what the month pays is not
known. An outside review: a Tajik pension of March 2024 was listed at 750 somoni in every later month, though
pensions rose by 30% in July 2024, and the engine's own base pension is unknown from then. Another: a Viet Nam
pension of January 2024 was listed at its amount decided after Decree 75/2024 raised pensions by 15% in July 2024."""

from __future__ import annotations

import dataclasses
import datetime

import numpy as np
import pandas as pd
import pytest

from openfisca_sp import tax_benefit_system
from openfisca_sp.decisions import decide_claims
from openfisca_sp.decisions.uprating import NOT_MODELLED_NOTE, InPaymentIndex, first_paid, in_payment_index, raised_in
from openfisca_sp.population import simulate
from tests.population.fixtures import person_table
from tests.synthetic import months_before

INDEX = InPaymentIndex(
    np.array(["2024-02-07", "2024-07-01", "2025-09-01", "2026-09-01"], dtype="datetime64[D]"),
    np.array([1.0, 1.3, 1.43, np.nan]),
    np.array([False, True, True, False]),
)


def test_a_benefit_is_raised_by_the_index_s_rise_since_the_day_it_was_decided() -> None:
    decided = np.array(["2024-03-01", "2024-07-15", "2024-02-10"], dtype="datetime64[D]")
    months = np.array(["2024-02", "2024-06", "2024-07", "2025-09", "2026-09"], dtype="datetime64[M]")
    factors = INDEX.factors(decided, months)
    assert factors.shape == (5, 3)
    assert np.allclose(factors[1:4, 0], [1.0, 1.3, 1.43])  # decided at 1: 30%, then 43% more
    assert np.allclose(factors[2:4, 1], [1.0, 1.1])  # decided after July 2024: the September 2025 rise only
    assert factors[0, 2] == 1  # decided within its month (10 February): that month is paid as decided
    assert np.isnan(factors[4]).all()  # the rise of September 2026 is of unknown size
    assert np.isnan(INDEX.factors(np.array(["2023-12-01"], dtype="datetime64[D]"), months[:1])).all()
    unsure = INDEX.unsure(decided, months)  # a rise resting on an unverified value: provisional
    assert unsure[:, 0].tolist() == [False, False, True, True, False]  # September 2026: not known, not provisional
    assert unsure[:, 1].tolist() == [False, False, False, True, False]  # decided at 1.3: its own month as decided


def test_a_rise_resting_on_an_unverified_value_is_provisional_where_it_applies() -> None:
    """The July 2024 rise is applied to the base part too, which no source says: a month it raises is
    provisional, a month before it is not (the population engine ORs this into the decision's flag)."""
    amounts, decided = np.array([750.0, 750.0]), np.array(["2024-03-01", "2024-03-01"], dtype="datetime64[D]")
    system = tax_benefit_system("tjk")
    assert raised_in(system, "old_age", amounts, decided, "2024-06")[1].tolist() == [False, False]
    raised, unsure = raised_in(system, "old_age", amounts, decided, "2024-08")
    assert raised.tolist() == [975.0, 975.0] and unsure.tolist() == [True, True]
    before = np.array(["2023-12-01"], dtype="datetime64[D]")  # decided before the index: not known, not provisional
    assert INDEX.unsure(before, np.array(["2024-08"], dtype="datetime64[M]")).tolist() == [[False]]


def test_tajikistan_and_viet_nam_have_an_index_lao_none() -> None:
    index = in_payment_index(tax_benefit_system("tjk"), "old_age")
    assert index is not None and np.allclose(index.at(np.array(["2025-10-01"], dtype="datetime64[D]")), 1.43)
    vietnam = in_payment_index(tax_benefit_system("vnm"), "old_age")
    assert vietnam is not None and vietnam.catch_up is not None
    assert in_payment_index(tax_benefit_system("lao"), "disability") is None


def test_a_catch_up_raises_the_benefits_the_previous_rise_did_not_by_its_own_rate() -> None:
    """Decree 42/2023: from July 2023, +12.5% for the pensions Decree 108/2021 raised by 7.4% in January 2022 (first
    paid before then), +20.8% for those it did not (first paid from January 2022); both +15% from July 2024."""
    index = InPaymentIndex(
        np.array(["2017-01-01", "2022-01-01", "2023-07-01", "2024-07-01"], dtype="datetime64[D]"),
        np.array([1.0, 1.074, 1.074 * 1.125, 1.074 * 1.125 * 1.15]),
        np.array([False, False, False, False]),
        InPaymentIndex(np.array(["2023-07-01"], dtype="datetime64[D]"), np.array([1.208]), np.array([True])),
    )
    decided = np.array(["2021-12-01", "2022-01-01", "2023-06-30", "2023-07-01"], dtype="datetime64[D]")
    months = np.array(["2023-06", "2023-07", "2024-07"], dtype="datetime64[M]")
    factors = index.factors(decided, months)
    assert np.allclose(factors[:, 0], [1.074, 1.074 * 1.125, 1.074 * 1.125 * 1.15])
    assert np.allclose(factors[:, 1], [1.0, 1.208, 1.208 * 1.15]) and np.allclose(factors[:, 2], factors[:, 1])
    assert np.allclose(factors[:, 3], [1.0, 1.0, 1.15])  # decided on the day: not raised by it
    unsure = index.unsure(decided, months)  # the catch-up's value is unverified here: its cells are provisional
    assert unsure[:, 1].tolist() == [False, True, True] and not unsure[:, 0].any() and not unsure[:, 3].any()


def test_a_benefit_first_paid_on_a_decree_s_day_is_not_raised_by_it() -> None:
    """Decree 75/2024 raises the pensions received before 1 July 2024: one claimed on 10 June 2024 but first paid on
    1 July (the law's first day, Decree 135/2020 Art 3) is not raised; the index is read on the first day paid."""
    index = in_payment_index(tax_benefit_system("vnm"), "old_age")
    claimed = np.array(["2024-06-10", "2024-06-10", "2024-06-10"], dtype="datetime64[D]")
    start = np.array(["2024-07-01", "2024-06-10", "NaT"], dtype="datetime64[D]")
    paid_from = first_paid(claimed, start)
    assert paid_from.astype(str).tolist() == ["2024-07-01", "2024-06-10", "2024-06-10"]  # no start: the claim's day
    factors = index.factors(paid_from, np.array(["2024-07"], dtype="datetime64[M]"))[0]
    assert np.allclose(factors, [1.0, 1.15, 1.15])


def test_viet_nam_pensions_in_payment_rise_with_the_decrees() -> None:
    """A pension decided on 10 January 2024 at 5,500,000 dong pays 6,325,000 from July 2024 (Decree 75/2024: +15%
    on June's for those receiving it before 1 July); one decided in 2016 is not known (Decree 55/2016's adjustments
    of pensions first paid in 2016 are not modelled); one decided in 2025 is 8% higher from July 2026 (Decree
    162/2026)."""
    system = tax_benefit_system("vnm")
    person = {"sex": "male", "birth_date": "1963-01-10", "contribution_months": 300}
    person |= {"career_average_insured_wage": 10_000_000, "old_age_claim_date": "2024-01-10"}
    asked = datetime.date(2024, 9, 15)
    schedule = decide_claims(system, [person], asked, ["old_age"]).branches["old_age"].payments(asked)[0]
    paid = {month.month: month.periodical for month in schedule.months}
    assert paid["2024-06"] == 5_500_000 and paid["2024-07"] == paid["2024-09"] == 6_325_000
    early = person | {"birth_date": "1956-05-10", "old_age_claim_date": "2016-05-10"}  # 60 that day: paid from June
    asked = datetime.date(2016, 9, 15)
    decided = decide_claims(system, [early], asked, ["old_age"]).branches["old_age"]
    assert decided.amount.tolist() == [6_500_000]
    assert [month.periodical for month in decided.payments(asked)[0].months] == [None] * 4  # not known, never 6.5M
    late = person | {"birth_date": "1964-01-15", "old_age_claim_date": "2025-05-01"}
    asked = datetime.date(2026, 8, 15)
    months = decide_claims(system, [late], asked, ["old_age"]).branches["old_age"].payments(asked)[0].months
    assert {month.month: month.periodical for month in months[-3:]} == {
        "2026-06": 5_500_000,
        "2026-07": 5_940_000,
        "2026-08": 5_940_000,
    }


def test_viet_nam_s_disability_allowance_follows_the_standard_social_assistance_level() -> None:
    """Decree 20/2021: the allowance is the standard level times a coefficient; Decree 76/2024 raised the standard
    from 360,000 to 500,000 dong from 1 July 2024. An allowance of 2.0 x 360,000 decided in June 2024 was listed at
    720,000 in every later month; it is 1,000,000 from July, provisionally (how allowances in payment are
    recomputed is read from the formula, not from a source)."""
    person = {"sex": "male", "birth_date": "1980-01-10", "is_disabled": True, "disability_category": 1}
    person["disability_assessment_date"] = "2024-06-10"
    asked = datetime.date(2024, 9, 15)
    decided = decide_claims(tax_benefit_system("vnm"), [person], asked, ["disability"]).branches["disability"]
    assert decided.amount.tolist() == [720_000]
    schedule = decided.payments(asked)[0]
    # June paid whole: from the month of the certificate, the assessment's where not stated (Art 8(1)(đ))
    assert [month.periodical for month in schedule.months] == [720_000, 1_000_000, 1_000_000, 1_000_000]
    assert schedule.provisional


def test_without_an_index_later_months_keep_the_amount_decided_and_say_so() -> None:
    person = {"sex": "male", "birth_date": "1960-01-10", "contribution_months": 400}
    person |= {"career_average_insured_wage": 8_000_000, "old_age_claim_date": "2024-03-01"}
    asked = datetime.date(2024, 8, 15)
    payments = decide_claims(tax_benefit_system("vnm"), [person], asked, ["old_age"]).branches["old_age"]
    assert payments.payments(asked)[0].months[-1].periodical == 6_624_000  # with Viet Nam's index: +15% from July
    schedule = dataclasses.replace(payments, index=None).payments(asked)[0]  # a branch without one
    assert {month.periodical for month in schedule.months} == {5_760_000}  # 72%: 33½ years (SI Law 2014 Art 85(7))
    assert schedule.provisional and schedule.method.endswith(NOT_MODELLED_NOTE)


def test_the_population_pays_a_dated_pension_with_its_rises_as_the_schedule_lists_it() -> None:
    table = pd.DataFrame(
        {
            "person_id": [1, 2],
            "household_id": [1, 2],
            "is_household_head": [True, True],
            "sex": ["male", "male"],
            "birth_date": pd.to_datetime(["1960-01-10", "1958-01-10"]),
            "contribution_months": [320, 320],
            "pension_capital": [90_000.0, 90_000.0],
            "old_age_claim_date": pd.to_datetime(["2024-03-01", "2024-04-01"]),
        }
    )
    for month, paid in (("2024-06", 750.0), ("2024-08", 975.0), ("2025-10", 1072.5)):
        results = simulate(table, month, "tjk")
        assert results.columns["old_age_pension"].tolist() == [paid, paid]
        assert results.totals().set_index("branch").loc["old_age", "cost"] == 2 * paid
    unknown = simulate(table, "2026-10", "tjk")
    assert np.isnan(unknown.columns["old_age_pension"]).all()
    assert not unknown.columns["old_age_pension_amount_modelled"].any()  # not 0: not known
    assert pd.isna(unknown.totals().set_index("branch").loc["old_age", "cost"])


def test_a_month_pays_the_same_whenever_it_is_asked() -> None:
    """The months of an open-ended pension were rounded as running totals from the first month listed, so a
    month's payment turned on the date asked: November 2024 paid 1191.68 asked in February 2026 and 1191.67 asked
    in August 2026 (Tajikistan, 250 + 120,000 / 180 somoni raised by 30% and 10%). Each month is now its own
    amount rounded to the diram."""
    person = {"sex": "male", "birth_date": "1960-01-10", "contribution_months": 320, "pension_capital": 120_000}
    person["old_age_claim_date"] = "2024-03-15"
    system = tax_benefit_system("tjk")
    listed = {}
    for asked in (datetime.date(2026, 2, 15), datetime.date(2026, 8, 15)):
        decided = decide_claims(system, [person], asked, ["old_age"]).branches["old_age"]
        schedule = decided.payments(asked, system.jurisdiction.amount_decimals)[0]  # 2: the diram
        listed[asked] = {month.month: month.periodical for month in schedule.months}
    early, late = listed.values()
    shared = sorted(set(early) & set(late))
    assert len(shared) >= 17 and all(early[month] == late[month] for month in shared)
    assert {early["2024-11"], early["2026-01"]} == {1191.67, 1310.84}


def _vietnamese_pensioners(month: str, claims: list[str], births: list[str]) -> pd.DataFrame:
    """Men with 25 years of contributions at a career average of 10,000,000 dong, claiming on ``claims``."""
    frame = person_table(len(claims), month, seed=2, household_size=1)
    frame["sex"], frame["birth_date"], frame["old_age_claim_date"] = "male", births, claims
    frame["contribution_months"], frame["career_average_insured_wage"] = 300, 10_000_000.0
    frame[["pregnancy_outcome", "separation_reason", "is_disabled"]] = ["none", "not_separated", False]
    frame["unemployment_registration_date"] = frame["child_birth_date"] = None
    for earlier in months_before(month, 28):
        frame[f"insured_wage.{earlier}"] = 0.0
    return frame


def test_the_population_pays_viet_nam_s_dated_pensions_with_the_decrees_rises() -> None:
    """The cost of a month after a rise is what the schedules list: a pension of January 2024 is 15% higher from
    July 2024; one of March 2023 (first paid after Decree 108/2021's rise) 20.8% higher from July 2023, then 15%."""
    claims, births = ["2024-01-10", "2023-03-01"], ["1963-01-10", "1962-01-15"]
    for month, paid in (("2024-06", [5_500_000, 6_644_000]), ("2024-08", [6_325_000, 7_640_600])):
        table = _vietnamese_pensioners(month, claims, births)
        results = simulate(table, month, "vnm")
        assert results.columns["old_age_pension"].tolist() == paid
        cost = results.totals().set_index("branch").loc["old_age", "cost"]
        assert cost == pytest.approx(float(np.dot(table["weight"], paid)))  # each person weighted
    early = simulate(_vietnamese_pensioners("2024-08", ["2016-06-01"], ["1955-01-10"]), "2024-08", "vnm")
    assert np.isnan(early.columns["old_age_pension"]).all()  # decided in 2016: not known, not the amount decided
    assert not early.columns["old_age_pension_amount_modelled"].any()


def test_an_allowance_following_the_standard_is_raised_from_the_day_decided_whenever_first_paid() -> None:
    """Viet Nam's disability allowance is the standard level in force times a coefficient (Decree 20/2021 Art 6(1)):
    decided on 20 June 2024 at 2.0 × 360,000 and first paid from 1 August (the certificate's month, Art 8(1)(đ)), it
    pays 2.0 × 500,000 in August (Decree 76/2024: 500,000 from 1 July 2024), not June's amount. A pension's rise
    still counts from its first day paid (a decree raises what was paid before it)."""
    system = tax_benefit_system("vnm")
    decided = np.array(["2024-06-20"], dtype="datetime64[D]")
    start = np.array(["2024-08-01"], dtype="datetime64[D]")
    allowance = in_payment_index(system, "disability")
    on = allowance.counted_from(decided, start)
    assert on.tolist() == decided.tolist()
    assert allowance.factors(on, np.array(["2024-08"], dtype="datetime64[M]"))[0, 0] * 720000 == pytest.approx(1e6)
    assert in_payment_index(system, "old_age").counted_from(decided, start).tolist() == start.tolist()
