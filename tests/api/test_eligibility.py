"""``POST /eligibility`` on a real server: decisions, missing facts, legal basis, versions, limits, keys."""

from __future__ import annotations

import re
import time
from typing import Any

import numpy as np
import pytest

from openfisca_sp.api.examples import eligibility_example
from tests.api.server import API_KEYS, MAX_BODY_BYTES

AS_OF = "2024-06-15"
WAGES = {f"2023-{m:02d}": 3_000_000 for m in range(6, 13)} | {f"2024-{m:02d}": 3_000_000 for m in range(1, 6)}


def _decide(client, persons: list[dict[str, Any]], prefix: str = "", **extra: Any) -> dict[str, Any]:
    answer = client.post(f"{prefix}/eligibility", json={"as_of": AS_OF, "persons": persons, **extra})
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_the_documented_example_is_decided(client) -> None:
    answer = client.post("/eligibility", json=eligibility_example())
    assert answer.status_code == 200
    body = answer.json()
    first, second = body["persons"]
    assert first["benefits"]["old_age"]["decision"] == "eligible"
    assert first["benefits"]["old_age"]["provisional"] is True  # Law 34/NA ages rest on a secondary source
    assert second["benefits"]["maternity"]["decision"] == "eligible"
    assert second["benefits"]["maternity"]["dci_benefit"]["benefit_value"].startswith("LAK ")
    assert body["persons"][0]["identifier"] == [{"identifier_type": "UIN", "identifier_value": "LA-0001"}]


def test_every_answer_names_the_rules_version(client) -> None:
    answer = client.post("/eligibility", json={"as_of": AS_OF, "persons": [{"sex": "male"}]})
    rules = answer.json()["rules"]
    assert rules["package"] == "openfisca-sp" and rules["jurisdiction"] == "lao"
    assert rules["legislation_date"] == "2024-06-15"  # the date asked; each claim says its own rules date
    assert answer.headers["openfisca-sp-rules-version"] == f"openfisca-sp {rules['version']}"
    assert answer.headers["openfisca-sp-jurisdiction"] == "lao"
    assert answer.headers["openfisca-sp-legislation-date"] == "2024-06-15"
    assert answer.headers["country-package-version"] == rules["version"]


def test_the_answer_says_how_long_its_decision_took(client) -> None:
    started = time.perf_counter()
    answer = client.post("/eligibility", json=eligibility_example())
    elapsed_ms = 1e3 * (time.perf_counter() - started)
    timing = re.fullmatch(r"decide;dur=([0-9]+\.[0-9]{3})", answer.headers["server-timing"])
    assert timing is not None, answer.headers["server-timing"]
    assert 0 < float(timing[1]) < elapsed_ms  # the decision is part of the request


def test_a_missing_fact_is_reported_never_read_as_zero(client) -> None:
    body = _decide(client, [{"identifier": "m", "sex": "male"}])
    benefits = body["persons"][0]["benefits"]
    # a man is refused maternity benefit on a stated fact: decided
    assert benefits["maternity"]["decision"] == "not_eligible"
    assert benefits["maternity"]["reason"] == "not_female"
    assert benefits["maternity"]["missing_facts"] == []
    # old age needs his age and his contributions: undetermined, and says what is missing
    assert benefits["old_age"]["decision"] == "undetermined"
    assert benefits["old_age"]["eligible"] is None
    assert set(benefits["old_age"]["missing_facts"]) >= {"birth_date", "contribution_months"}
    assert benefits["unemployment"]["missing_facts"][0] == "separation_reason"
    # were he separated, his claim would need its date: listed after the condition before it, in the law's order
    assert benefits["unemployment"]["missing_facts"][1] == "unemployment_registration_date"


def test_a_missing_wage_month_leaves_the_amount_undetermined(client) -> None:
    wages = dict(WAGES)
    del wages["2024-03"]
    person = {
        "sex": "female",
        "birth_date": "1995-01-01",
        "contribution_months": 60,
        "insured_wage": wages,
        "pregnancy_outcome": "live_birth",
        "child_birth_date": "2024-06-02",
        "number_of_children_born": 1,
    }
    maternity = _decide(client, [person])["persons"][0]["benefits"]["maternity"]
    assert maternity["decision"] == "eligible"
    assert maternity["amount"] is None
    assert "insured_wage.2024-03" in maternity["missing_facts"]
    with_null = _decide(client, [person | {"insured_wage": wages | {"2024-03": None}}])["persons"][0]
    assert with_null["benefits"]["maternity"] == maternity  # a month written null is a month not stated
    maternity = _decide(client, [person | {"insured_wage": WAGES}])["persons"][0]["benefits"]["maternity"]
    assert maternity["amount"] == 2_400_000  # 80% of the 6-month average (Instruction 0060/MLSW)
    assert maternity["missing_facts"] == []
    assert maternity["dci_benefit"] == {
        "benefit_type": "Cash",
        "benefit_value": "LAK 2400000",
        "benefit_frequency": "Monthly",
    }
    assert maternity["duration"]["unit"] == "days"


def test_legal_basis_of_a_refusal_points_at_the_article(client) -> None:
    body = _decide(
        client, [{"sex": "male", "birth_date": "1990-01-01", "contribution_months": 100}], branches=["old_age"]
    )
    old_age = body["persons"][0]["benefits"]["old_age"]
    assert old_age["reason"] == "below_pensionable_age"
    assert old_age["legal_basis"] == ["old_age.pensionable_age.men", "old_age.pensionable_age.women"]
    assert old_age["rules_date"] == AS_OF and old_age["event"] == {"kind": "claim", "date": AS_OF}
    assert old_age["rules_in_force_since"] == "2024-06-01"  # no value of the branch changed later in June
    rules = body["branches"]["old_age"]["rules_in_force"][old_age["rules_in_force_since"]]
    citation = rules["legal_basis"]["old_age.pensionable_age.men"]
    assert citation["value"] == 720 and citation["status"] == "unverified"
    assert citation["reference"][0]["instrument"].startswith("Law on Social Security No. 34/NA")
    assert set(body["branches"]) == {"old_age"}


def test_a_branch_without_a_source_is_not_modelled(client) -> None:
    disability = _decide(client, [{"is_disabled": True}], branches=["disability"])["persons"][0]["benefits"]
    assert disability["disability"]["decision"] == "not_modelled"
    assert disability["disability"]["eligible"] is None


def test_viet_nam_pension_matches_calculate_and_reports_the_dci_benefit(client) -> None:
    person = {
        "sex": "male",
        "birth_date": "1962-01-10",
        "contribution_months": 300,
        "career_average_insured_wage": 9_000_000,
    }
    decision = _decide(client, [person], "/vnm", branches=["old_age"])["persons"][0]["benefits"]["old_age"]
    calculated = client.post(
        "/vnm/calculate",
        json={
            "persons": {
                "a": {
                    "sex": {"ETERNITY": "male"},
                    "birth_date": {"ETERNITY": "1962-01-10"},
                    "contribution_months": {"2024-06": 300},
                    "career_average_insured_wage": {"2024-06": 9_000_000},
                    "old_age_pension": {"2024-06": None},
                }
            }
        },
    ).json()["persons"]["a"]["old_age_pension"]["2024-06"]
    assert decision["decision"] == "eligible"
    assert decision["amount"] == calculated > 0
    assert decision["dci_benefit"]["benefit_value"] == f"VND {calculated:.0f}"
    assert decision["duration"]["unit"] == "lifetime"


def _synthetic(count: int, seed: int) -> list[dict[str, Any]]:
    rng = np.random.default_rng(seed)
    persons = []
    for index in range(count):
        person: dict[str, Any] = {"identifier": f"p{index}"}
        if rng.random() < 0.9:
            person["birth_date"] = f"{rng.integers(1950, 2004)}-{rng.integers(1, 13):02d}-{rng.integers(1, 29):02d}"
        if rng.random() < 0.9:
            person["sex"] = ["male", "female"][int(rng.integers(2))]
        if rng.random() < 0.9:
            person["contribution_months"] = int(rng.integers(0, 480))
            if "birth_date" in person:  # no more months than lived to the date asked (else refused as contradictory)
                lived = (2024 - int(person["birth_date"][:4])) * 12 + 6 - int(person["birth_date"][5:7]) + 1
                person["contribution_months"] = min(person["contribution_months"], lived)
        if rng.random() < 0.8:
            person["insured_wage"] = {
                month: float(rng.integers(1, 60) * 100_000) for month in WAGES if rng.random() < 0.95
            }
            if "contribution_months" in person:  # no fewer months than insured (else refused as contradictory)
                person["contribution_months"] = max(person["contribution_months"], len(person["insured_wage"]))
        person["separation_reason"] = ["not_separated", "dismissal", "misconduct"][int(rng.integers(3))]
        person["unemployment_registration_date"] = f"2024-0{rng.integers(1, 7)}-01"
        person["is_available_for_work"] = bool(rng.random() < 0.8)
        person["pregnancy_outcome"] = ["none", "live_birth", "pregnancy_loss"][int(rng.integers(3))]
        if person["pregnancy_outcome"] != "none":  # a confinement date goes with its outcome
            person["child_birth_date"] = "2024-06-01"
        children = int(rng.integers(1, 3))  # drawn for everyone, as before: the other draws unchanged
        if person["pregnancy_outcome"] != "pregnancy_loss":  # none is born at a loss (else refused as contradictory)
            person["number_of_children_born"] = children
        person["is_disabled"] = bool(rng.random() < 0.2)
        if rng.random() < 0.5:
            person["household_identifier"] = f"h{rng.integers(0, count // 2 + 1)}"
        persons.append(person)
    return persons


@pytest.mark.parametrize("prefix", ["", "/vnm", "/ilo_c102"])
def test_a_batch_decides_each_person_as_alone(client, prefix: str) -> None:
    persons = _synthetic(40, seed=len(prefix))
    together = _decide(client, persons, prefix)["persons"]
    for person, answer in zip(persons, together, strict=True):
        alone = _decide(client, [person], prefix)["persons"][0]
        assert answer == alone


def test_households_follow_the_dci_identifier(client) -> None:
    persons = [
        {"identifier": "a", "household_identifier": "H", "sex": "male"},
        {"identifier": "b", "household_identifier": "H", "relationship_head": "self", "sex": "female"},
        {"identifier": "c", "sex": "female"},
    ]
    body = _decide(client, persons)
    assert [person["household_identifier"] for person in body["persons"]] == ["H", "H", None]


def test_api_keys_guard_every_route_but_the_open_ones(server) -> None:
    body = {"as_of": AS_OF, "persons": [{"sex": "male"}]}
    with server.client() as anonymous:
        refused = anonymous.post("/eligibility", json=body)
        assert refused.status_code == 401
        assert refused.json()["field"] == "header X-API-Key"
        assert anonymous.post("/calculate", json={"persons": {"a": {}}}).status_code == 401
        assert anonymous.get("/parameters").status_code == 401
        assert anonymous.get("/health").status_code == 200 and anonymous.get("/ready").status_code == 200
    with server.client(**{"X-API-Key": "not-a-key"}) as wrong:
        assert wrong.post("/eligibility", json=body).status_code == 403
    with server.client(**{"X-API-Key": API_KEYS[1]}) as other:
        assert other.post("/vnm/eligibility", json=body).status_code == 200


def test_a_batch_over_the_limit_is_a_413(client) -> None:
    answer = client.post("/eligibility", json={"as_of": AS_OF, "persons": [{}] * 10_001})
    assert answer.status_code == 413
    assert answer.json()["errors"][0]["field"] == "persons"


def _group(name: str, members: int) -> dict[str, Any]:
    member = {"sex": "M", "birth_date": "1960-01-01"}
    listed = [{"demographic_info": {"identifier": f"{name}-{i}", **member}} for i in range(members)]
    return {"@type": "Group", "group_identifier": name, "member_list": listed}


def test_groups_whose_members_pass_the_limit_are_a_413_naming_them(client) -> None:
    """A Group's members count towards the 10,000 persons: the refusal says how many persons the records give,
    names the Groups that give them, and how to split, never a list of 10,001 items the client did not send."""
    persons = [{"identifier": "X1"}, _group("HH1", 9_999), {"identifier": "X2"}]
    answer = client.post("/eligibility", json={"as_of": AS_OF, "branches": ["old_age"], "persons": persons})
    assert answer.status_code == 413, answer.text
    body = answer.json()
    assert (body["field"], body["expected"]) == ("persons", "at most 10000 persons (split the request)")
    (problem,) = body["errors"]
    assert problem["message"] == (
        "10,001 persons once each Group's members are counted (3 records sent): persons[1] (a Group) holds 9,999"
    )
    assert problem["received"] == "3 records giving 10,001 persons"
    assert "split the request between Groups" in problem["expected"]
    assert "10001 items" not in answer.text
    alone = client.post("/eligibility", json={"as_of": AS_OF, "persons": [_group("HH2", 10_001)]}).json()["errors"][0]
    assert "persons[0] (a Group) holds 10,001" in alone["message"]
    assert "persons[0] alone is over the limit: send its members in several requests" in alone["expected"]
    fits = [_group("HH3", 9_998), {"identifier": "X1"}, {"identifier": "X2"}]
    assert client.post("/eligibility", json={"as_of": AS_OF, "persons": fits}).status_code == 200  # 10,000 persons


def test_a_body_over_the_limit_is_a_413_with_json(client) -> None:
    big = b'{"as_of": "2024-06-01", "persons": [' + b'{"sex": "male"},' * (MAX_BODY_BYTES // 16) + b"{}]}"
    answer = client.post("/eligibility", content=big, headers={"content-type": "application/json"})
    assert answer.status_code == 413
    assert answer.json()["expected"] == f"at most {MAX_BODY_BYTES} bytes"


@pytest.mark.parametrize(
    ("body", "field", "expected"),
    [
        ({"persons": [{}]}, "as_of", None),
        ({"as_of": "2024-02-30", "persons": [{}]}, "as_of", None),
        (
            {"as_of": AS_OF, "persons": [{"sex": "x"}]},
            "persons[0].sex",
            "'male' or 'female', or a DCI code: 'M', 'F', 'Male', 'Female', 'other', 'unknown', '1', '2', '3', '4'",
        ),
        ({"as_of": AS_OF, "persons": [{}, {"contribution_months": -3}]}, "persons[1].contribution_months", "0 or more"),
        ({"as_of": AS_OF, "persons": [{"contribution_months": 2.5}]}, "persons[0].contribution_months", None),
        ({"as_of": AS_OF, "persons": [{"insured_wage": {"2024-1": 5}}]}, "persons[0].insured_wage.2024-1", None),
        ({"as_of": AS_OF, "persons": [{"disability_degree": 140}]}, "persons[0].disability_degree", "at most 100.0"),
        ({"as_of": AS_OF, "persons": [{"is_disabled": "yes"}]}, "persons[0].is_disabled", None),
        ({"as_of": AS_OF, "branches": ["pension"], "persons": [{}]}, "branches[0]", None),
        ({"as_of": AS_OF, "persons": []}, "persons", None),
        ({"as_of": AS_OF, "persons": [{}], "extra": 1}, "extra", None),
    ],
)
def test_a_bad_field_is_named_with_what_was_expected(client, body, field, expected) -> None:
    answer = client.post("/eligibility", json=body)
    assert answer.status_code == 422, answer.text
    problems = answer.json()["errors"]
    assert field in [problem["field"] for problem in problems], problems
    assert all(problem.get("expected") for problem in problems), problems  # every item says what was expected
    if expected is not None:
        assert any(problem.get("expected") == expected for problem in problems), problems


def test_a_refusal_on_stated_facts_stands_whatever_is_missing(client) -> None:
    old_age = _decide(client, [{"sex": "male", "birth_date": "1990-01-01"}], branches=["old_age"])["persons"][0]
    assert old_age["benefits"]["old_age"]["decision"] == "not_eligible"  # too young, whatever his contributions
    assert old_age["benefits"]["old_age"]["missing_facts"] == []
    unknown_age = _decide(client, [{"sex": "male", "contribution_months": 400}], branches=["old_age"])["persons"][0]
    assert unknown_age["benefits"]["old_age"]["decision"] == "undetermined"
    assert unknown_age["benefits"]["old_age"]["missing_facts"] == ["birth_date"]


def test_a_lump_sum_without_a_formula_is_null_not_zero(client) -> None:
    person = {"sex": "male", "birth_date": "1950-01-01", "contribution_months": 24}
    lao = _decide(client, [person], branches=["old_age"])["persons"][0]["benefits"]["old_age"]
    assert lao["reason"] == "insufficient_contributions"
    assert lao["lump_sums"] == {"old_age_lump_sum": None}  # Law 34/NA lump sum: formula not found
    vnm = _decide(client, [person | {"career_average_insured_wage": 6_000_000}], "/vnm", branches=["old_age"])
    assert vnm["persons"][0]["benefits"]["old_age"]["lump_sums"]["old_age_lump_sum"] > 0  # SI Law 2014 Art 60


def test_a_condition_the_jurisdiction_s_law_lacks_needs_no_facts(client) -> None:
    """Viet Nam's disability allowance does not end at pensionable age: a social-assistance registry without
    contribution months, birth date or sex gets its decision (its amount asks the birth date: children and older
    persons are paid more, Decree 20/2021 Art 6(1)(e)); the ILO scheme's benefit does end, so it needs them."""
    person = {"identifier": "VN-1", "is_disabled": True, "disability_category": 1}
    allowance = _decide(client, [person], prefix="/vnm", as_of="2024-08-15")["persons"][0]["benefits"]["disability"]
    assert allowance["decision"] == "eligible" and allowance["missing_facts"] == ["birth_date"]
    assert allowance["amount"] is None
    adult = _decide(client, [person | {"birth_date": "1980-03-01"}], prefix="/vnm", as_of="2024-08-15")
    allowance = adult["persons"][0]["benefits"]["disability"]
    assert allowance["decision"] == "eligible" and allowance["missing_facts"] == []
    assert allowance["amount"] == 1_000_000
    invalidity = {"identifier": "ILO-1", "is_disabled": True, "disability_degree": 100}
    body = _decide(client, [invalidity], prefix="/ilo_c102", as_of="2020-01-15")
    c102 = body["persons"][0]["benefits"]["disability"]
    assert c102["decision"] == "undetermined"
    assert set(c102["missing_facts"]) == {"birth_date", "contribution_months", "sex"}


def test_no_answer_carries_a_sentinel_value(client) -> None:
    """Open-ended and unmodelled durations have no count; an unmodelled waiting period is null, never -1."""
    pensioner = {
        "sex": "male",
        "birth_date": "1962-01-10",
        "contribution_months": 300,
        "career_average_insured_wage": 9_000_000,
    }
    pension = _decide(client, [pensioner], "/vnm", branches=["old_age"])["persons"][0]["benefits"]["old_age"]
    assert pension["duration"] == {"value": None, "unit": "lifetime"}
    wages = {f"{year}-{month:02d}": 10_000_000 for year in (2024, 2025) for month in range(1, 13)} | {
        "2026-01": 10_000_000
    }
    unemployed = {
        "separation_reason": "dismissal",
        "unemployment_registration_date": "2026-02-03",
        "contribution_months": 60,
        "minimum_wage_region": 1,
        "insured_wage": wages,
        "is_available_for_work": True,
    }
    body = _decide(client, [unemployed], "/vnm", branches=["unemployment"], as_of="2026-02-20")
    benefit = body["persons"][0]["benefits"]["unemployment"]
    assert benefit["decision"] == "eligible" and benefit["duration"] == {"value": 5, "unit": "months"}
    assert benefit["waiting_days"] is None  # the waiting period of the law in force from 2026 was not read
    two_years = {str(month): 3_000_000 for month in np.arange("2022-05", "2024-05", dtype="datetime64[M]")}
    lao = {
        "separation_reason": "dismissal",
        "unemployment_registration_date": "2024-05-01",
        "contribution_months": 60,
        "insured_wage": two_years,
        "is_available_for_work": True,
    }
    lao_benefit = _decide(client, [lao], branches=["unemployment"])["persons"][0]["benefits"]["unemployment"]
    assert lao_benefit["decision"] == "eligible"
    assert lao_benefit["duration"] == {"value": None, "unit": "not_modelled"}
    assert lao_benefit["waiting_days"] is None


def test_persons_lacking_many_different_wage_months_are_each_told_what_they_lack(client) -> None:
    """An outside review: 40 persons whose claims fall on 40 days lacked 118 different wage months; the missing
    facts were coded as bits of an int64, which overflowed beyond 62 facts: a 500 on an ordinary batch."""
    persons = [
        {
            "identifier": f"ID-{number}",
            "birth_date": "1940-01-01",
            "sex": "male",
            "contribution_months": 300,
            "old_age_claim_date": f"{2005 + number // 4}-{(number % 4) * 3 + 1:02d}-15",
        }
        for number in range(36)  # claims of 2005 to 2013, under Decree 207/PM
    ]
    answer = _decide(client, persons, "/lao", branches=["old_age"])  # Decree 207/PM: 12 months of wages
    lacking = [person["benefits"]["old_age"]["missing_facts"] for person in answer["persons"]]
    assert len({fact for facts in lacking for fact in facts}) > 62
    assert all(sum(fact.startswith("insured_wage.") for fact in facts) == 12 for facts in lacking)
    assert all("pension_points" in facts for facts in lacking)
    assert lacking[0] != lacking[35] and lacking[0] == sorted(set(lacking[0]), key=lacking[0].index)


def test_a_request_of_many_mistakes_is_answered_with_the_first_hundred_and_their_count(client) -> None:
    """An outside review: one person with a million unknown fields (10 MB) held a worker for a minute and was
    answered with 144 MB, each field compared with every known name."""
    person = {"identifier": "p", **{f"f{number}": 0 for number in range(200_000)}}
    answer = client.post("/eligibility", json={"as_of": AS_OF, "persons": [person]})
    assert answer.status_code == 422
    body = answer.json()
    assert len(body["errors"]) == 100 and body["errors_total"] == 200_000
    assert body["errors"][0]["field"] == "persons[0].f0" and len(answer.content) < 50_000
