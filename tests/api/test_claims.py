"""Claims decided on the date of their event, whatever date a delivery system asks on (a real server).

The examples of issue 10: a birth asked about months later, a change of law in
the middle of a month, an age reached on the day of the claim, and facts that
contradict each other.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from tests.test_provisional_payments import MAN_OF_29


def _months(first: str, last: str) -> list[str]:
    return [str(month) for month in np.arange(first, np.datetime64(last, "M") + 1, dtype="datetime64[M]")]


def _ask(client, as_of: str, persons: list[dict[str, Any]], prefix: str = "", **extra: Any) -> Any:
    return client.post(f"{prefix}/eligibility", json={"as_of": as_of, "persons": persons, **extra})


def _decided(client, as_of: str, person: dict[str, Any], branch: str, prefix: str = "") -> dict[str, Any]:
    answer = _ask(client, as_of, [person], prefix, branches=[branch])
    assert answer.status_code == 200, answer.text
    return answer.json()["persons"][0]["benefits"][branch]


def _mother(birth: str, wages: dict[str, float], **facts: Any) -> dict[str, Any]:
    return {
        "sex": "female",
        "birth_date": "1994-09-30",
        "contribution_months": 40,
        "pregnancy_outcome": "live_birth",
        "child_birth_date": birth,
        "number_of_children_born": 1,
        "insured_wage": wages,
        **facts,
    }


def test_the_wage_window_ends_before_the_birth_not_before_the_date_asked(client) -> None:
    """Viet Nam: 9,000,000 a month until the birth, nothing during the leave; asked two months after the birth,
    the benefit is 100% of the 6 months before the birth (SI Law 2014 Art 39(1)(a)), not of a window that slid
    into the leave."""
    wages = dict.fromkeys(_months("2023-04", "2024-03"), 9_000_000) | dict.fromkeys(_months("2024-04", "2024-05"), 0)
    benefit = _decided(client, "2024-06-15", _mother("2024-04-10", wages), "maternity", "/vnm")
    assert benefit["decision"] == "eligible"
    assert benefit["amount"] == 9_000_000
    assert benefit["event"] == {"kind": "confinement", "date": "2024-04-10"}
    assert benefit["rules_date"] == "2024-04-10"


def test_a_birth_years_before_the_date_asked_is_decided_on_the_law_and_wages_of_its_time(client) -> None:
    """Lao PDR, a birth on 1 January 2019 asked in June 2024: the wages of 2018 decide, not those of 2024."""
    recent = dict.fromkeys(_months("2023-12", "2024-05"), 3_000_000)
    benefit = _decided(client, "2024-06-15", _mother("2019-01-01", recent), "maternity")
    assert benefit["decision"] == "eligible"  # 40 months of contributions: the career counts (no window)
    assert benefit["amount"] is None and "insured_wage.2018-12" in benefit["missing_facts"]
    then = dict.fromkeys(_months("2018-01", "2018-12"), 2_000_000)
    benefit = _decided(client, "2024-06-15", _mother("2019-01-01", then), "maternity")
    assert benefit["decision"] == "eligible" and benefit["amount"] == 1_600_000  # 80% of 2,000,000
    assert benefit["rules_date"] == "2019-01-01"


def test_a_value_in_force_from_the_11th_applies_to_a_birth_on_the_20th(client) -> None:
    """Lao PDR: Instruction No. 0060/MLSW is in force from 11 January 2023 (the NSSF page's values from that day,
    unverified as those before it: the page bears no date)."""
    wages = dict.fromkeys(_months("2022-01", "2022-12"), 3_000_000)
    late = _ask(client, "2023-01-25", [_mother("2023-01-20", wages)], branches=["maternity"]).json()
    early = _ask(client, "2023-01-25", [_mother("2023-01-05", wages)], branches=["maternity"]).json()
    late_claim, early_claim = late["persons"][0]["benefits"]["maternity"], early["persons"][0]["benefits"]["maternity"]
    assert late_claim["rules_in_force_since"] == "2023-01-11"
    assert early_claim["rules_in_force_since"] == "2023-01-01"
    late_rules = late["branches"]["maternity"]["rules_in_force"]["2023-01-11"]
    early_rules = early["branches"]["maternity"]["rules_in_force"]["2023-01-01"]
    assert late_rules["legal_basis"]["maternity.benefit_rate"]["status"] == "unverified"
    assert late_rules["legal_basis"]["maternity.benefit_rate"]["in_force_from"] == "2023-01-11"
    assert early_rules["legal_basis"]["maternity.benefit_rate"]["status"] == "unverified"
    assert early_rules["legal_basis"]["maternity.benefit_rate"]["in_force_from"] == "2014-01-01"
    assert "maternity.benefit_rate" in late_rules["unverified_parameters"]


def test_a_pension_claim_tests_the_age_on_the_day_of_the_claim(client) -> None:
    """Lao PDR, a man born on 15 June 1964 reaches 60 on 15 June 2024: a claim on the 20th passes the age test,
    one on the 10th does not; asked later, the claim is decided on its own date."""
    man = {"sex": "male", "birth_date": "1964-06-15", "contribution_months": 240}
    on_the_20th = _decided(client, "2024-07-01", man | {"old_age_claim_date": "2024-06-20"}, "old_age")
    on_the_10th = _decided(client, "2024-07-01", man | {"old_age_claim_date": "2024-06-10"}, "old_age")
    assert on_the_20th["decision"] == "eligible"
    assert on_the_10th["reason"] == "below_pensionable_age"
    asked_today = _decided(client, "2024-06-20", man, "old_age")
    assert asked_today["event"] == {"kind": "claim", "date": "2024-06-20"} and asked_today["decision"] == "eligible"


CONTRADICTIONS = {
    "a birth after the date asked": (
        _mother("2024-09-01", {}),
        "persons[0].child_birth_date",
        "the confinement on 2024-09-01 is after the date asked",
    ),
    "a mother born after her child": (
        _mother("2024-05-01", {}, birth_date="2024-05-20"),
        "persons[0].child_birth_date",
        "before the person's birth",
    ),
    "a live birth with no child": (
        _mother("2024-05-01", {}, number_of_children_born=0),
        "persons[0].number_of_children_born",
        "a live birth with no child born",
    ),
    "a pregnancy loss with children born": (  # none is born at a loss: its grant is paid as for one child
        _mother("2024-05-01", {}, pregnancy_outcome="pregnancy_loss", number_of_children_born=2),
        "persons[0].number_of_children_born",
        "a pregnancy loss with children born (2)",
    ),
    "a contract ended of a person not separated": (  # both facts are of the separation a claim rests on
        {"separation_reason": "not_separated", "employment_end_date": "2024-05-31"},
        "persons[0].separation_reason",
        "not separated, though the labour contract ended on 2024-05-31 (employment_end_date)",
    ),
    "a confinement date without an outcome": (
        _mother("2024-05-01", {}, pregnancy_outcome="none"),
        "persons[0].pregnancy_outcome",
        "a confinement date is stated with no pregnancy outcome",
    ),
    "a wage of a month to come": (
        _mother("2024-05-01", {"2024-07": 1_000_000}),
        "persons[0].insured_wage.2024-07",
        "a wage of a month after the date asked",
    ),
    "a person born after the date asked": (
        {"sex": "male", "birth_date": "2025-01-01"},
        "persons[0].birth_date",
        "after the date asked",
    ),
    "more months of contributions than months lived": (  # found by an outside review: 5,000 months at 29, eligible
        {"sex": "male", "birth_date": "2000-01-01", "contribution_months": 295},
        "persons[0].contribution_months",
        "295 months of contributions, more than the 294 months from the birth on 2000-01-01 to the date asked",
    ),
    "fewer months of contributions than months insured": (  # a user review: eligible for 0 months in Viet Nam
        {"contribution_months": 5, "insured_wage": dict.fromkeys(_months("2023-06", "2024-05"), 1_000_000)},
        "persons[0].contribution_months",
        "5 months of contributions before 2024-06, the month the old_age claim is decided in, fewer than the 12 "
        "months with an insured wage above 0 stated before it",
    ),
    "more months of coal mining than months of contributions": (  # a review: 5,000 months of 240 were eligible
        {"sex": "male", "birth_date": "1972-01-10", "contribution_months": 240, "underground_coal_mining_months": 241},
        "persons[0].underground_coal_mining_months",
        "241 underground coal mining months, more than the 240 of contribution_months, of which they are a part",
    ),
    "a contract that ended after the claim was filed": (
        {"unemployment_registration_date": "2024-05-02", "employment_end_date": "2024-05-10"},
        "persons[0].employment_end_date",
        "after the claim filed on 2024-05-02",
    ),
    # counts of one said in the singular (a review: "more than the 1 months")
    "two months of contributions in the one month lived": (
        {"sex": "male", "birth_date": "2024-06-01", "contribution_months": 2},
        "persons[0].contribution_months",
        "2 months of contributions, more than the 1 month from the birth on 2024-06-01 to the date asked",
    ),
    "a month of coal mining with no month of contributions": (
        {"sex": "male", "birth_date": "1972-01-10", "contribution_months": 0, "underground_coal_mining_months": 1},
        "persons[0].underground_coal_mining_months",
        "1 underground coal mining month, more than the 0 of contribution_months, of which it is a part",
    ),
    "one month of contributions for twelve insured": (
        {"contribution_months": 1, "insured_wage": dict.fromkeys(_months("2023-06", "2024-05"), 1_000_000)},
        "persons[0].contribution_months",
        "1 month of contributions before 2024-06, the month the old_age claim is decided in, fewer than the 12 "
        "months with an insured wage above 0 stated before it",
    ),
    # dates before the person's birth, refused as every event before it is (a delivery-system review: decided, 200)
    "a labour contract that ended before the person's birth": (
        {
            "sex": "male",
            "birth_date": "1990-01-01",
            "employment_end_date": "1985-01-01",
            "separation_reason": "dismissal",
        },
        "persons[0].employment_end_date",
        "the labour contract ended on 1985-01-01, before the person's birth on 1990-01-01",
    ),
    "an earlier benefit's separation before the person's birth": (
        {"sex": "male", "birth_date": "1990-01-01", "previous_unemployment_separation_date": "1980-07-01"},
        "persons[0].previous_unemployment_separation_date",
        "the separation that opened the last unemployment benefit on 1980-07-01, before the person's birth on "
        "1990-01-01",
    ),
    "a disability category assessed of a person stated not disabled": (
        {"sex": "female", "birth_date": "1990-01-01", "is_disabled": False, "disability_category": 1},
        "persons[0].is_disabled",
        "not disabled, though assessed in disability category 1 (disability_category)",
    ),
    "a wage earned before the person's birth": (  # a 0 there is no wage: a table of zeros is not refused
        {"sex": "female", "birth_date": "1990-03-10", "insured_wage": {"1990-01": 0, "1990-02": 5000, "1990-03": 1}},
        "persons[0].insured_wage.1990-02",
        "a wage of 1990-02, before the person's birth on 1990-03-10",
    ),
}


def test_contradictory_facts_are_refused_naming_the_field(client) -> None:
    for case, (person, field, message) in CONTRADICTIONS.items():
        answer = _ask(client, "2024-06-15", [{"identifier": "x"}, person])
        assert answer.status_code == 422, case
        problem = answer.json()["errors"][0]
        assert problem["field"] == field.replace("persons[0]", "persons[1]"), case
        assert message in problem["message"], case
        assert problem["type"] == "contradictory_facts" and problem["expected"], case


def _unemployed(contribution_months: int, wages: dict[str, float]) -> dict[str, Any]:
    """Viet Nam: dismissed at the end of February 2024, registered on 1 March."""
    return {
        "separation_reason": "dismissal",
        "is_available_for_work": True,
        "minimum_wage_region": 1,
        "contribution_months": contribution_months,
        "employment_end_date": "2024-02-29",
        "unemployment_registration_date": "2024-03-01",
        "insured_wage": wages,
    }


@pytest.mark.parametrize("months", [0, 5, 11])
def test_a_career_below_the_insured_months_of_the_window_is_refused(client, months) -> None:
    """A user review (F2): 12 insured months in the window (Employment Law 2013 Art 49) and a career of 0, 5 or 11
    months (Art 50(2)) were eligible for 0 months, paid from 16 March to 15 March. Refused, naming the career."""
    person = _unemployed(months, dict.fromkeys(_months("2023-03", "2024-02"), 10_000_000))
    answer = _ask(client, "2024-03-20", [person], "/vnm", branches=["unemployment"])
    assert answer.status_code == 422, answer.text
    problem = answer.json()["errors"][0]
    assert problem["field"] == "persons[0].contribution_months" and problem["type"] == "contradictory_facts"
    assert f"{months} months of contributions before 2024-03, the month the unemployment claim" in problem["message"]
    twelve = _decided(client, "2024-03-20", _unemployed(12, person["insured_wage"]), "unemployment", "/vnm")
    assert twelve["decision"] == "eligible" and twelve["duration"] == {"value": 3, "unit": "months"}
    assert twelve["payments"]["start"] == "2024-03-16" and twelve["payments"]["end"] == "2024-06-15"


def test_a_career_that_cannot_reach_the_qualifying_period_is_refused_without_asking_for_wages(client) -> None:
    """A user review (F2): a career of 11 months, 11 of them among the 12 latest months stated, was undetermined,
    asking for the 12 older months of the window; none of them can be a month contributed."""
    wages = dict.fromkeys(_months("2023-03", "2024-02"), 10_000_000) | {"2023-05": 0}
    refused = _decided(client, "2024-03-20", _unemployed(11, wages), "unemployment", "/vnm")
    assert refused["decision"] == "not_eligible" and refused["reason"] == "insufficient_recent_contributions"
    assert refused["missing_facts"] == []
    open_case = _decided(client, "2024-03-20", _unemployed(12, wages), "unemployment", "/vnm")
    assert open_case["decision"] == "undetermined"  # one older month may be contributed: 12 of 24
    assert "insured_wage.2023-02" in open_case["missing_facts"]


def test_insured_months_are_counted_before_each_claims_month(client) -> None:
    """A career stated as of a confinement counts the months before it, not the wages earned since: a maternity
    claim stands where an old-age claim, decided in the month asked, is refused."""
    mother = _mother("2023-06-10", dict.fromkeys(_months("2023-06", "2024-05"), 1_000_000), contribution_months=5)
    assert _ask(client, "2024-06-15", [mother], branches=["maternity"]).status_code == 200
    answer = _ask(client, "2024-06-15", [mother], branches=["maternity", "old_age"])
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "persons[0].contribution_months"


def test_contradictions_are_refused_whichever_branches_are_asked(client) -> None:
    """A mother born after her child contradicts herself when only her old-age pension is asked too; a
    confinement after the date asked is a claim's contradiction, refused only when maternity is asked."""
    for case in (
        "a mother born after her child",
        "a live birth with no child",
        "a pregnancy loss with children born",
        "a contract ended of a person not separated",
        "a wage of a month to come",
    ):
        person, field, message = CONTRADICTIONS[case]
        answer = _ask(client, "2024-06-15", [person], branches=["old_age"])
        assert answer.status_code == 422, (case, answer.text)
        assert answer.json()["errors"][0]["field"] == field and message in answer.json()["errors"][0]["message"]
    expected = _mother("2024-07-20", {})
    assert _ask(client, "2024-06-15", [expected], branches=["old_age"]).status_code == 200
    assert _ask(client, "2024-06-15", [expected], branches=["maternity"]).status_code == 422


def test_a_contract_ending_after_the_date_asked_is_refused_once_at_its_date(client) -> None:
    """Still employed with a contract that ends later (a notice given): the end after the date asked is refused as
    such, whichever branches are asked, not said again as a separation contradicted."""
    person = {"separation_reason": "not_separated", "employment_end_date": "2024-07-31"}
    answer = _ask(client, "2024-06-15", [person], branches=["old_age"])
    assert answer.status_code == 422, answer.text
    assert [(problem["field"], problem["expected"]) for problem in answer.json()["errors"]] == [
        ("persons[0].employment_end_date", "on or before 2024-06-15")
    ]


def test_after_a_pregnancy_loss_the_number_of_children_born_is_not_asked(client) -> None:
    """Lao PDR pays the grant after a miscarriage as for one child (NSSF page [S26]): it was not told, the number
    of children born listed missing; it is told, with nothing missing, whether the number is left out or 0. A live
    birth still needs it."""
    wages = dict.fromkeys(_months("2023-09", "2024-02"), 3_000_000)
    loss = _mother("2024-03-05", wages, pregnancy_outcome="pregnancy_loss")
    del loss["number_of_children_born"]
    for person in (loss, loss | {"number_of_children_born": 0}):
        benefit = _decided(client, "2024-04-15", person, "maternity")
        assert benefit["decision"] == "eligible" and benefit["missing_facts"] == [], benefit
        assert benefit["lump_sums"] == {"birth_grant": 1_800_000}  # 60% × 3,000,000
    birth = loss | {"pregnancy_outcome": "live_birth"}
    benefit = _decided(client, "2024-04-15", birth, "maternity")
    assert benefit["missing_facts"] == ["number_of_children_born"] and benefit["lump_sums"] == {"birth_grant": None}


def test_a_claim_whose_event_is_not_stated_is_undetermined_unless_refused_before_it(client) -> None:
    mother = _mother("2024-05-01", {})
    del mother["child_birth_date"]
    benefit = _decided(client, "2024-06-15", mother, "maternity")
    assert benefit["decision"] == "undetermined" and "child_birth_date" in benefit["missing_facts"]
    assert benefit["event"] is None
    man = _decided(client, "2024-06-15", {"sex": "male"}, "maternity")
    assert man["decision"] == "not_eligible" and man["reason"] == "not_female" and man["missing_facts"] == []


def test_a_claim_asked_after_the_birth_gets_its_benefit_period_and_schedule(client) -> None:
    """The README's example: Lao PDR, a birth on 28 May 2024 asked on 15 June: 105 days at 80% of the wage."""
    wages = dict.fromkeys(_months("2023-11", "2024-04"), 3_000_000)
    decided = _decided(client, "2024-06-15", _mother("2024-05-28", wages), "maternity")
    payments = decided["payments"]
    assert (payments["start"], payments["end"], payments["status"]) == ("2024-05-28", "2024-09-09", "payable")
    assert [month["month"] for month in payments["months"]] == _months("2024-05", "2024-09")
    # what a day of the monthly 80% pays is in no Lao source (Viet Nam's 1/30 is not borrowed: law audit §4)
    assert all(month["periodical"] is None for month in payments["months"])
    assert payments["months"][0] == {"month": "2024-05", "periodical": None, "lump_sums": 1_800_000}
    assert payments["lump_sums"] == [{"name": "birth_grant", "amount": 1_800_000, "due": "2024-05-28"}]
    assert payments["periodical_total"] is None and payments["total"] is None
    assert "not modelled" in payments["method"]  # no part month paid by an assumed rule, yet the decision rests
    assert decided["provisional"] and payments["provisional"]  # on an unverified window: what it pays rests on it


def test_a_benefit_of_months_pays_each_month_and_says_when_it_ended(client) -> None:
    """Viet Nam: 6 months of leave from a birth on 10 April 2024 (SI Law 2014 Art 34(1)), asked in 2026."""
    wages = dict.fromkeys(_months("2023-04", "2024-03"), 9_000_000) | dict.fromkeys(_months("2024-04", "2024-05"), 0)
    payments = _decided(client, "2026-01-15", _mother("2024-04-10", wages), "maternity", "/vnm")["payments"]
    assert (payments["start"], payments["end"], payments["status"]) == ("2024-04-10", "2024-10-09", "ended")
    assert payments["periodical_total"] == 54_000_000 == sum(month["periodical"] for month in payments["months"])
    assert payments["lump_sums"][0]["due"] == "2024-04-10"


def test_an_open_ended_pension_has_no_end_and_no_total(client) -> None:
    pensioner = {
        "sex": "male",
        "birth_date": "1962-01-10",
        "contribution_months": 300,
        "career_average_insured_wage": 9_000_000,
        "old_age_claim_date": "2024-03-15",
    }
    pension = _decided(client, "2024-06-20", pensioner, "old_age", "/vnm")
    payments = pension["payments"]
    # Decree 135/2020/ND-CP Art 3: from the first day of the month after the month of retirement (the claim's)
    assert payments["start"] == "2024-04-01" and payments["end"] is None and payments["status"] == "payable"
    assert payments["periodical_total"] is None and payments["total"] is None
    assert [month["month"] for month in payments["months"]] == _months("2024-04", "2024-06")
    assert all(month["periodical"] == pension["amount"] for month in payments["months"])  # no part month
    assert payments["method"].startswith("paid from the first day of the month after the month of the claim")


def test_a_part_month_is_paid_where_the_law_pays_a_pension_from_the_claim(client) -> None:
    """Tajikistan: no start of payment in the law's sources read other than the claim's day (a part month)."""
    pensioner = {"sex": "male", "birth_date": "1960-01-10", "contribution_months": 300, "pension_capital": 90_000}
    pension = _decided(client, "2024-06-20", pensioner | {"old_age_claim_date": "2024-03-15"}, "old_age", "/tjk")
    payments = pension["payments"]
    assert payments["start"] == "2024-03-15"
    assert payments["months"][0]["periodical"] == round(pension["amount"] * 17 / 31, 2)


def test_unemployment_benefit_starts_after_the_waiting_days(client) -> None:
    """Viet Nam: the benefit starts on the 16th day after filing (Employment Law 2013 Art 50(3))."""
    wages = dict.fromkeys(_months("2022-03", "2024-02"), 10_000_000)
    person = {
        "separation_reason": "dismissal",
        "unemployment_registration_date": "2024-03-01",
        "contribution_months": 60,
        "minimum_wage_region": 1,
        "is_available_for_work": True,
        "insured_wage": wages,
    }
    early = _decided(client, "2024-03-10", person, "unemployment", "/vnm")["payments"]
    assert (early["start"], early["end"], early["status"]) == ("2024-03-16", "2024-08-15", "not_yet_payable")
    assert early["periodical_total"] == 5 * 6_000_000
    later = _decided(client, "2024-04-01", person, "unemployment", "/vnm")["payments"]
    assert later == early | {"status": "payable"}


def test_unemployment_duration_counts_only_months_not_used_by_an_earlier_benefit(client) -> None:
    """Viet Nam, Employment Law 2013 Art 45: 60 months in all, but an earlier benefit opened by a separation on
    31 December 2022 used those before it; 16 months since then give 3 months, not 5. Months preserved by the
    insurer (Art 53(4)) count again."""
    wages = dict.fromkeys(_months("2022-08", "2023-03"), 0) | dict.fromkeys(_months("2023-04", "2024-07"), 10_000_000)
    person = {
        "separation_reason": "dismissal",
        "unemployment_registration_date": "2024-08-05",
        "contribution_months": 60,
        "is_available_for_work": True,
        "insured_wage": wages,
    }
    first_claim = _decided(client, "2024-09-20", person, "unemployment", "/vnm")
    assert first_claim["duration"] == {"value": 5.0, "unit": "months"}
    earlier = person | {"previous_unemployment_separation_date": "2022-12-31"}
    repeat = _decided(client, "2024-09-20", earlier, "unemployment", "/vnm")
    assert repeat["decision"] == "eligible" and repeat["duration"] == {"value": 3.0, "unit": "months"}
    assert repeat["payments"]["periodical_total"] == 3 * 6_000_000
    preserved = _decided(
        client, "2024-09-20", earlier | {"unemployment_contribution_months_preserved": 34}, "unemployment", "/vnm"
    )
    assert preserved["duration"] == {"value": 4.0, "unit": "months"}
    too_recent = _decided(
        client, "2024-09-20", person | {"previous_unemployment_separation_date": "2023-11-30"}, "unemployment", "/vnm"
    )
    assert (too_recent["decision"], too_recent["reason"]) == ("not_eligible", "insufficient_recent_contributions")


def test_a_claim_filed_more_than_three_months_after_the_contract_ended_is_out_of_time(client) -> None:
    """Viet Nam Employment Law 2013 Art 46(1): the claim is filed within 3 months of the end of the contract;
    the windows end with the contract (Art 49(2), 50(1))."""
    wages = dict.fromkeys(_months("2022-06", "2024-05"), 10_000_000) | dict.fromkeys(_months("2024-06", "2024-08"), 0)
    person = {
        "separation_reason": "dismissal",
        "employment_end_date": "2024-05-31",
        "contribution_months": 24,
        "minimum_wage_region": 1,
        "is_available_for_work": True,
        "insured_wage": wages,
    }
    in_time = _decided(
        client, "2024-09-10", person | {"unemployment_registration_date": "2024-08-05"}, "unemployment", "/vnm"
    )
    assert (in_time["decision"], in_time["amount"]) == ("eligible", 6_000_000)  # 60% of December to May
    late = _decided(
        client, "2024-09-10", person | {"unemployment_registration_date": "2024-09-02"}, "unemployment", "/vnm"
    )
    assert (late["decision"], late["reason"]) == ("not_eligible", "claim_out_of_time")


@pytest.mark.parametrize(
    ("identifier", "answered"),
    [
        ("LA-0001", "LA-0001"),
        ({"identifier_type": "UIN", "identifier_value": "1"}, [{"identifier_type": "UIN", "identifier_value": "1"}]),
        ([{"identifier_type": "UIN", "identifier_value": "1"}], [{"identifier_type": "UIN", "identifier_value": "1"}]),
    ],
)
def test_an_identifier_is_a_text_one_dci_identifier_or_a_list(client, identifier, answered) -> None:
    answer = _ask(client, "2024-06-15", [{"identifier": identifier, "sex": "male"}], branches=["old_age"])
    assert answer.status_code == 200, answer.text
    assert answer.json()["persons"][0]["identifier"] == answered


@pytest.mark.parametrize("identifier", [12345, True, [["UIN", "1"]]])
def test_an_identifier_of_another_kind_is_one_error_at_its_field(client, identifier) -> None:
    """A number was two errors, at ``identifier.str`` and ``identifier.list[Identifier]``, fields that do not
    exist."""
    answer = _ask(client, "2024-06-15", [{"identifier": identifier, "sex": "male"}], branches=["old_age"])
    assert answer.status_code == 422, answer.text
    errors = answer.json()["errors"]
    assert len(errors) == 1 and errors[0]["field"].startswith("persons[0].identifier"), errors
    assert ".str" not in errors[0]["field"] and "list[" not in errors[0]["field"]


def test_a_number_of_children_no_confinement_gives_is_refused(client) -> None:
    """1,000,000 children born (a typo) was decided, a birth grant for each; more than 20 is refused."""
    mother = _mother("2024-05-01", {}, number_of_children_born=1_000_000)
    answer = _ask(client, "2024-06-15", [mother], branches=["maternity"])
    assert answer.status_code == 422, answer.text
    (error,) = answer.json()["errors"]
    assert error["field"] == "persons[0].number_of_children_born" and error["expected"] == "at most 20"
    assert (
        _ask(client, "2024-06-15", [{**mother, "number_of_children_born": 20}], branches=["maternity"]).status_code
        == 200
    )


def test_a_lump_sum_owed_after_a_short_career_is_not_told_as_zero_when_its_wage_is_not_stated(client) -> None:
    """Viet Nam, a man past pensionable age with 10 years of contributions: refused a pension, owed the lump sum
    (SI Law 2024 Art 70(1)(a)). Without the career average insured wage it reads, the lump sum is not told (it
    was told as 0); with it, 2 months of wage a year from 2014 and 1.5 before (Art 70(3))."""
    man = {"sex": "male", "birth_date": "1962-01-15", "contribution_months": 120, "old_age_claim_date": "2026-10-01"}
    refused = _decided(client, "2026-10-05", man, "old_age", "/vnm")
    assert (refused["decision"], refused["reason"]) == ("not_eligible", "insufficient_contributions")
    assert refused["lump_sums"] == {"old_age_lump_sum": None}
    assert refused["missing_facts"] == ["career_average_insured_wage"]
    stated = man | {"career_average_insured_wage": 8_000_000, "contribution_months_before_2014": 48}
    owed = _decided(client, "2026-10-05", stated, "old_age", "/vnm")
    assert owed["missing_facts"] == []
    assert owed["lump_sums"] == {"old_age_lump_sum": (1.5 * 4 + 2 * 6) * 8_000_000}
    assert owed["payments"]["lump_sums"] == [{"name": "old_age_lump_sum", "amount": 144_000_000, "due": "2026-10-01"}]


def test_a_pension_does_not_wait_for_a_fact_only_the_lump_sum_reads(client) -> None:
    """The split of a career before and after 2014 sets only the lump sum: a man with 25 years gets his pension
    told without it."""
    man = {
        "sex": "male",
        "birth_date": "1962-01-15",
        "contribution_months": 300,
        "old_age_claim_date": "2026-10-01",
        "career_average_insured_wage": 8_000_000,
    }
    pension = _decided(client, "2026-10-05", man, "old_age", "/vnm")
    assert pension["decision"] == "eligible" and pension["amount"] is not None
    assert "contribution_months_before_2014" not in pension["missing_facts"]


def test_a_maternity_amount_not_told_is_not_provisional_for_the_months_it_may_average(client) -> None:
    """Circular 59/2015 Art 12(1)(a), Example 17, only her 12 latest months stated: eligible on the prescribed rest
    whatever the 12 older months hold, they are asked and the amount is not told. With them as 0 she would be
    averaged over the 4 months found, provisionally (her career counts 28): a qualification of an amount, and none
    is told; no value in force is unverified, so the decision is not provisional. Stating them as 0 tells the
    amount, provisional."""
    recent = dict.fromkeys(_months("2016-05", "2016-08"), 7_000_000) | dict.fromkeys(_months("2016-09", "2017-04"), 0)
    mother = _mother("2017-05-13", recent, birth_date="1990-03-01", contribution_months=28)
    mother["rested_during_pregnancy_on_prescription"] = True
    answer = _ask(client, "2017-06-01", [mother], "/vnm", branches=["maternity"])
    assert answer.status_code == 200, answer.text
    claim = answer.json()["persons"][0]["benefits"]["maternity"]
    assert (claim["decision"], claim["amount"], claim["provisional"]) == ("eligible", None, False)
    assert claim["missing_facts"] == [f"insured_wage.{month}" for month in _months("2015-05", "2016-04")]
    rules = answer.json()["branches"]["maternity"]["rules_in_force"][claim["rules_in_force_since"]]
    assert rules["unverified_parameters"] == []
    stated = mother | {"insured_wage": dict.fromkeys(_months("2015-05", "2016-04"), 0) | recent}
    short = _decided(client, "2017-06-01", stated, "maternity", "/vnm")
    assert (short["amount"], short["provisional"], short["missing_facts"]) == (7_000_000, True, [])


def test_amounts_in_dong_are_exact_to_the_dong_over_http(client) -> None:
    """7 years at 2 months of a wage of 5,000,001 dong: 70,000,014 (held in float32, the answer was 70,000,016), in
    /eligibility and in /calculate."""
    person = {
        "sex": "male",
        "birth_date": "1960-01-10",
        "contribution_months": 84,
        "contribution_months_before_2014": 0,
        "career_average_insured_wage": 5_000_001,
    }
    decided = _decided(client, "2024-06-15", person, "old_age", prefix="/vnm")
    assert decided["lump_sums"] == {"old_age_lump_sum": 70_000_014}
    month = "2024-06"
    situation = {
        "sex": {"ETERNITY": "male"},
        "birth_date": {"ETERNITY": "1960-01-10"},
        "contribution_months": {month: 84},
        "contribution_months_before_2014": {month: 0},
        "career_average_insured_wage": {month: 5_000_001},
        "old_age_lump_sum": {month: None},
    }
    calculated = client.post("/vnm/calculate", json={"persons": {"p": situation}})
    assert calculated.status_code == 200, calculated.text
    assert calculated.json()["persons"]["p"]["old_age_lump_sum"][month] == 70_000_014


def test_months_since_2014_that_the_calendar_cannot_hold_are_refused(client) -> None:
    """228 months with none before 2014, asked in June 2024, were paid a lump sum on 228 months since 2014 (only
    126 months run from January 2014): found by an outside review. 102 before 2014 leave exactly 126."""
    man = {"sex": "male", "birth_date": "1960-01-01", "contribution_months": 228, "career_average_insured_wage": 1e7}
    for before, status in ((0, 422), (101, 422), (102, 200)):
        request = {"as_of": "2024-06-15", "persons": [man | {"contribution_months_before_2014": before}]}
        answer = client.post("/vnm/eligibility", json=request)
        assert answer.status_code == status, (before, answer.text)
    problem = client.post(
        "/vnm/eligibility", json={"as_of": "2024-06-15", "persons": [man | {"contribution_months_before_2014": 0}]}
    ).json()["errors"][0]
    assert problem["field"] == "persons[0].contribution_months_before_2014"
    assert "leave 228 since" in problem["message"] and "126 months from January 2014" in problem["message"]
    assert problem["expected"] == "at least contribution_months less 126"


def test_one_identifier_given_to_two_persons_is_refused_naming_the_second(client) -> None:
    """A delivery system keys the answers by identifier: two records of one person stating other facts were
    decided each on its own, one eligible and one not (found by a delivery-system review). Across concurrent
    requests, one identifier each is no mistake: each request is read alone."""
    mother = _mother("2024-05-01", {"2023-11": 2_000_000.0}, identifier="DUP")
    again = {**mother, "contribution_months": 5}
    answer = _ask(client, "2024-06-15", [mother, {"identifier": "x"}, again])
    assert answer.status_code == 422, answer.text
    (problem,) = answer.json()["errors"]
    assert problem["field"] == "persons[2].identifier" and problem["type"] == "contradictory_facts"
    assert problem["message"] == "the identifier of persons[0] too: one person, stated twice"
    listed = [{"identifier_type": "NID", "identifier_value": "7"}]
    twice = _ask(client, "2024-06-15", [{**mother, "identifier": listed}, {**again, "identifier": listed}])
    assert twice.status_code == 422 and twice.json()["errors"][0]["field"] == "persons[1].identifier"
    assert _ask(client, "2024-06-15", [mother, {**again, "identifier": "OTHER"}]).status_code == 200
    assert (
        _ask(client, "2024-06-15", [{**mother, "identifier": None}, {**again, "identifier": None}]).status_code == 200
    )


def test_one_person_written_two_ways_is_refused_as_stated_twice(client) -> None:
    """A review: the text "P1" and the UIN "P1" were two persons, one eligible, one not, where a record naming P1 is
    refused as naming both. Two persons are one when the record matching cannot tell them apart; UIN 1001 and BRN
    1001 (two DCI schemes) it keeps apart, and so does this check."""
    old = {"sex": "female", "birth_date": "1960-01-01", "contribution_months": 200}
    young = {**old, "birth_date": "1990-01-01"}

    def asked(first: Any, second: Any) -> Any:
        persons = [old | {"identifier": first}, young | {"identifier": second}]
        return _ask(client, "2024-06-15", persons, branches=["old_age"])

    uin, brn = ([{"identifier_type": kind, "identifier_value": "P1"}] for kind in ("UIN", "BRN"))
    for first, second in (("P1", uin), (uin, "P1"), (uin, [{"identifier_type": "MRN", "identifier_value": "2"}, *uin])):
        answer = asked(first, second)
        assert answer.status_code == 422, (first, second, answer.text)
        (problem,) = answer.json()["errors"]
        assert problem["field"] == "persons[1].identifier" and problem["type"] == "contradictory_facts"
        assert problem["message"] == "the identifier of persons[0] too: one person, stated twice"
    answer = asked(uin, brn)
    assert answer.status_code == 200, answer.text
    assert [person["benefits"]["old_age"]["decision"] for person in answer.json()["persons"]] == [
        "eligible",
        "not_eligible",
    ]


def test_a_birth_after_the_date_asked_is_said_once_not_again_as_negative_months(client) -> None:
    """A delivery-system review: the birth's contradiction was followed by "40 months of contributions, more than
    the -6 months from the birth", which only said it again."""
    person = {"identifier": "a", "sex": "female", "birth_date": "2025-01-01", "contribution_months": 40}
    answer = _ask(client, "2024-06-15", [person])
    assert answer.status_code == 422
    assert [problem["field"] for problem in answer.json()["errors"]] == ["persons[0].birth_date"]


def test_a_one_off_payment_decided_provisionally_is_paid_provisionally(client) -> None:
    """Resolution 93/2015 (unverified): a man of 29 out of work since January 2024 with 5 years contributed is
    refused the pension for his age and owed 10 months of wage, 80,000,000 dong; the decision is provisional, and so
    are its payments, which list that lump sum alone (they said false: a payment block with no month listed was
    never provisional). The same in /calculate's old_age_pension_provisional, the population engine's column."""
    man = MAN_OF_29
    decided = _decided(client, "2025-03-01", man, "old_age", "/vnm")
    assert (decided["reason"], decided["lump_sums"]) == ("below_pensionable_age", {"old_age_lump_sum": 80_000_000})
    assert decided["provisional"] is True and decided["payments"]["provisional"] is True
    assert decided["payments"]["lump_sums"] == [{"name": "old_age_lump_sum", "amount": 80_000_000, "due": "2025-03-01"}]
    month = "2025-03"
    situation = {name: {"ETERNITY" if name in ("sex", "birth_date") else month: value} for name, value in man.items()}
    situation |= {"old_age_lump_sum": {month: None}, "old_age_pension_provisional": {month: None}}
    calculated = client.post("/vnm/calculate", json={"persons": {"p": situation}})
    assert calculated.status_code == 200, calculated.text
    person = calculated.json()["persons"]["p"]
    assert (person["old_age_lump_sum"][month], person["old_age_pension_provisional"][month]) == (80_000_000, True)
