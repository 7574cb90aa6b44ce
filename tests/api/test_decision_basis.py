"""What an answer says a decision rests on, on a real server: a refusal with a lump sum owed cites the lump sum's
values, ``provisional`` follows from the values cited, and ``amount_modelled`` is false in a decision not made.
``/eligibility``, its DCI envelope and the hot lane give the same answers."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.test_dci_envelope import _message

# Viet Nam, 2020: 16 years 4 months of contributions at 62, short of SI Law 2014 Art 54's 20 years; owed the lump
# sum of Art 60 (Circular 59/2015 Art 19's worked Example 34)
SHORT_CAREER = {
    "identifier": "P1",
    "sex": "male",
    "birth_date": "1958-01-01",
    "contribution_months": 196,
    "contribution_months_before_2014": 122,
    "career_average_insured_wage": 5_000_000,
}
LUMP_SUM_VALUES = {
    "old_age.lump_sum.provided",
    "old_age.lump_sum.months_of_wage_per_year",
    "old_age.lump_sum.months_of_wage_per_year_before_2014",
    "old_age.lump_sum.odd_months_as_years",
    "old_age.lump_sum.odd_months_before_2014_moved",
    "old_age.lump_sum.less_than_a_year.contribution_rate",
    "old_age.lump_sum.less_than_a_year.maximum_months_of_wage",
    "old_age.reference_wage.averaging_months",
    "insured_wage.ceiling_reference_amount.base_salary",  # 20 times it caps the wage the lump sum is paid on
    "reference_amounts.base_salary",
}
# Lao PDR, 2012: 57 years old with 10 years, at the early pension's age of Decree 207/PM, whose rules were not found
EARLY_PENSION = {"identifier": "L1", "sex": "male", "birth_date": "1955-01-01", "contribution_months": 120}


def _answer(client, prefix: str, as_of: str, persons: list[dict[str, Any]]) -> dict[str, Any]:
    answer = client.post(f"{prefix}/eligibility", json={"as_of": as_of, "branches": ["old_age"], "persons": persons})
    assert answer.status_code == 200, answer.text
    return answer.json()


def _cited(body: dict[str, Any], decision: dict[str, Any]) -> dict[str, Any]:
    """The values a decision cites, as the answer's rules in force give them."""
    rules = body["branches"]["old_age"]["rules_in_force"][decision["rules_in_force_since"]]["legal_basis"]
    return {name: rules[name] for name in decision["legal_basis"]}


def test_a_refusal_with_a_lump_sum_owed_cites_the_lump_sum_s_articles(client) -> None:
    body = _answer(client, "/vnm", "2020-06-15", [SHORT_CAREER])
    refused = body["persons"][0]["benefits"]["old_age"]
    assert (refused["reason"], refused["lump_sums"]) == ("insufficient_contributions", {"old_age_lump_sum": 140e6})
    assert set(refused["legal_basis"]) == LUMP_SUM_VALUES | {"old_age.qualifying_period.minimum_months"}
    cited = _cited(body, refused)
    references = [
        f"{reference['instrument']}: {reference['article']}"
        for name in LUMP_SUM_VALUES
        if name.startswith("old_age.lump_sum.")
        for reference in cited[name]["reference"]
    ]
    assert any("58/2014/QH13: Art 60" in reference for reference in references), references  # SI Law 2014 Art 60
    assert any("59/2015" in reference and "Art 19" in reference for reference in references), references
    assert all(citation["status"] for citation in cited.values())
    assert refused["provisional"] is False  # every value cited is verified in 2020


AFTER_LEAVING = ("below_contribution_months", "insured_before_in_force_only", "months_outside")


def test_provisional_follows_from_the_values_cited(client) -> None:
    """From July 2025 the half-year rule for odd months is carried forward unverified (the 2024 law's decree not
    read): the refusal that owes a lump sum cites it, and is provisional for it; a refusal for age out of work for a
    month owes none (SI Law 2024 Art 70(1)(đ): 12 months), cites the ages and that rule only, and is not."""
    short = SHORT_CAREER | {
        "birth_date": "1960-01-01",
        "contribution_months": 130,
        "contribution_months_before_2014": 50,
    }
    young = {"identifier": "Y1", "sex": "male", "birth_date": "1990-01-01", "contribution_months": 100}
    young["employment_end_date"] = "2026-06-30"
    body = _answer(client, "/vnm", "2026-07-15", [short, young])
    owed, too_young = (person["benefits"]["old_age"] for person in body["persons"])
    assert owed["reason"] == "insufficient_contributions" and owed["lump_sums"]["old_age_lump_sum"] > 0
    assert too_young["reason"] == "below_pensionable_age"
    assert too_young["lump_sums"] == {"old_age_lump_sum": 0.0}
    after_leaving = {name for name in too_young["legal_basis"] if ".lump_sum." in name}
    assert after_leaving == {f"old_age.lump_sum.after_leaving_insurance.{name}" for name in AFTER_LEAVING}
    for decision in (owed, too_young):
        unverified = [name for name, cited in _cited(body, decision).items() if cited["status"] == "unverified"]
        assert decision["provisional"] is bool(unverified), (decision["legal_basis"], unverified)
    assert "old_age.lump_sum.odd_months_as_years" in owed["legal_basis"] and owed["provisional"] is True


def test_a_decision_not_modelled_has_no_amount_modelled(client) -> None:
    """Lao PDR, 2012: the early pension at 57 with 10 years is not modelled, so its amount is not either; a man
    of 60 with the same career is granted, and a man of 40 refused, on an amount formula that exists."""
    granted = EARLY_PENSION | {"identifier": "L2", "birth_date": "1951-06-01"}
    refused = EARLY_PENSION | {"identifier": "L3", "birth_date": "1972-01-01", "contribution_months": 100}
    body = _answer(client, "", "2012-01-15", [EARLY_PENSION, granted, refused])
    early, pension, young = (person["benefits"]["old_age"] for person in body["persons"])
    assert (early["decision"], early["reason"]) == ("not_modelled", "early_pension_not_modelled")
    assert early["amount"] is None and early["amount_modelled"] is False
    assert (pension["decision"], pension["amount_modelled"]) == ("eligible", True)
    assert (young["decision"], young["amount_modelled"]) == ("not_eligible", True)


@pytest.mark.parametrize(
    ("prefix", "as_of", "person"),
    [("/vnm", "2020-06-15", SHORT_CAREER), ("", "2012-01-15", EARLY_PENSION)],
    ids=["lump sum owed", "not modelled"],
)
def test_the_dci_envelope_and_the_hot_lane_answer_alike(client, prefix: str, as_of: str, person: dict) -> None:
    request = {"as_of": as_of, "branches": ["old_age"], "persons": [person]}
    lane = client.post(f"{prefix}/eligibility", json=request)
    whole = client.post(f"{prefix}/eligibility", json=request, headers={"origin": "https://registry.example.org"})
    assert whole.headers.get("access-control-allow-origin")  # the whole stack answered
    assert lane.status_code == whole.status_code == 200 and lane.content == whole.content
    message = _message([person])
    message["message"]["eligibility_request"] = request
    dci = client.post(f"{prefix}/dci/sync/eligibility", json=message)
    assert dci.status_code == 200, dci.text
    assert dci.json()["message"]["eligibility_response"] == lane.json()


def test_an_undetermined_decision_is_not_provisional(client) -> None:
    """Nothing undetermined rests on a value of the law (its legal basis is none), whichever facts are stated:
    Lao PDR's maternity and old age, some persons' facts stated in part."""
    persons = [
        {"identifier": "U1", "sex": "female", "birth_date": "1990-03-01"},
        {"identifier": "U2"},
        {"identifier": "U3", "sex": "male", "birth_date": "1950-01-01"},
    ]
    request = {"as_of": "2024-06-15", "branches": ["maternity", "old_age"], "persons": persons}
    answer = client.post("/eligibility", json=request)
    assert answer.status_code == 200, answer.text
    decisions = [decision for person in answer.json()["persons"] for decision in person["benefits"].values()]
    undetermined = [decision for decision in decisions if decision["decision"] == "undetermined"]
    assert len(undetermined) == 4  # all but U1's old age (34: refused for age) and U3's maternity (a man)
    assert all(decision["provisional"] is False and decision["legal_basis"] == [] for decision in undetermined)
    message = _message(persons)
    message["message"]["eligibility_request"] = request
    dci = client.post("/dci/sync/eligibility", json=message)
    assert dci.status_code == 200, dci.text
    assert dci.json()["message"]["eligibility_response"] == answer.json()


# Viet Nam, July 2024: dismissed on 20 June, registered on 5 July, 50,000,000 a month for two years in region I
CAPPED_AT_THE_END = {
    "identifier": "U0",
    "sex": "male",
    "birth_date": "1980-01-01",
    "contribution_months": 48,
    "separation_reason": "dismissal",
    "unemployment_registration_date": "2024-07-05",
    "employment_end_date": "2024-06-20",
    "minimum_wage_region": 1,
    "is_available_for_work": True,
    "insured_wage": {f"{year}-{month:02d}": 50_000_000 for year in (2022, 2023) for month in range(1, 13)}
    | {f"2024-{month:02d}": 50_000_000 for month in range(1, 7)},
}


def test_a_cap_read_on_the_contract_s_end_names_the_values_it_rests_on(client) -> None:
    """Employment Law 2013 Art 50(1): 5 × the regional minimum wage in force when the contract ended (4,680,000
    from 1 July 2022), not the claim's day's (4,960,000 from 1 July 2024, which the legal basis lists): the
    answer names the value the amount rests on, its first day and status; a contract ended after the rise, on
    the claim's day's values, adds no note."""
    after_the_rise = {**CAPPED_AT_THE_END, "identifier": "U1", "employment_end_date": "2024-07-02"}
    answer = client.post(
        "/vnm/eligibility",
        json={"as_of": "2024-07-31", "branches": ["unemployment"], "persons": [CAPPED_AT_THE_END, after_the_rise]},
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    ended_before, ended_after = (person["benefits"]["unemployment"] for person in body["persons"])
    assert (ended_before["amount"], ended_after["amount"]) == (23_400_000, 24_800_000)
    cited = body["branches"]["unemployment"]["rules_in_force"][ended_before["rules_in_force_since"]]["legal_basis"]
    assert cited["reference_amounts.regional_minimum_wage.region_1"]["value"] == 4_960_000  # the claim's day's
    method = ended_before["payments"]["method"]
    assert method.startswith("capped at the maximum in force on 2024-06-20, the day the labour contract ended")
    assert "5 × reference_amounts.regional_minimum_wage.region_1 4680000 (in force from 2022-07-01, verified" in method
    assert "capped" not in ended_after["payments"]["method"]
