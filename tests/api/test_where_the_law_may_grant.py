"""``POST /vnm/eligibility`` on a real server: no firm refusal where a case the law may grant is not decided.

A woman whose months before the birth meet only the lower minimum of a prescribed rest during pregnancy (SI Law 2014
Art 31(3)) is asked for the rest; a person below the pensionable age whose stated loss of working capacity the law
gives a reduced pension for (SI Law 2024 Art 65) is not modelled (an outside review found both refused, final); a
person within the years below the pensionable age that arduous work or underground coal mining may lower it by (SI
Law 2014 Art 54(1)(b)-(c), SI Law 2024 Art 64(1)(b)-(c)) is asked for the months of such work, then decided on them.
"""

from __future__ import annotations

from typing import Any

# 4 months of contributions in the 12 before a birth of 10 May 2024, none in the 12 before those, after 30 months in
# all (the 24 months read for her latest months with contributions, Circular 59/2015 Art 12(1)(a))
OLDER = {f"2022-{month:02d}": 0 for month in range(5, 13)} | {f"2023-0{month}": 0 for month in range(1, 5)}
MOTHER = {
    "sex": "female",
    "birth_date": "1994-09-30",
    "contribution_months": 30,
    "pregnancy_outcome": "live_birth",
    "child_birth_date": "2024-05-10",
    "number_of_children_born": 1,
    "insured_wage": OLDER
    | {f"2023-{month:02d}": 0 for month in range(5, 13)}
    | {f"2024-0{m}": 5_000_000 for m in range(1, 5)},
}
# 58 years 5 months in June 2026 (the pensionable age is 61 years 6 months), 25 years of contributions
WORKER = {
    "birth_date": "1968-01-01",
    "sex": "male",
    "contribution_months": 300,
    "career_average_insured_wage": 10_000_000,
}
NO_ARDUOUS_WORK = {"arduous_work_months": 0, "hardship_area_months": 0, "underground_coal_mining_months": 0}
ASKED = list(NO_ARDUOUS_WORK)  # in the facts' order: arduous work, a place of hardship, coal mining
# 52 years 5 months in June 2019 (the pensionable age is 55, 50 after 15 years of arduous work), 20 years
ARDUOUS_WORKER = {
    "birth_date": "1967-01-01",
    "sex": "female",
    "contribution_months": 240,
    "career_average_insured_wage": 6_000_000,
}


def _decided(client, as_of: str, person: dict[str, Any], branch: str) -> dict[str, Any]:
    answer = client.post("/vnm/eligibility", json={"as_of": as_of, "branches": [branch], "persons": [person]})
    assert answer.status_code == 200, answer.text
    return answer.json()["persons"][0]["benefits"][branch]


def test_a_mother_the_prescribed_rest_may_entitle_is_asked_for_it_not_refused(client) -> None:
    asked = _decided(client, "2024-06-15", MOTHER, "maternity")
    assert asked["decision"] == "undetermined"
    assert asked["missing_facts"] == ["rested_during_pregnancy_on_prescription"]
    rested = _decided(client, "2024-06-15", {**MOTHER, "rested_during_pregnancy_on_prescription": True}, "maternity")
    # her 6 latest months with contributions (Circular 59/2015 Art 12(1)(a)) reach before the 24 months read: the 4
    # found are averaged (not 4 × 5,000,000 / 6 = 3,333,333, the two empty months counted as zero) and the decision
    # is provisional
    assert (rested["decision"], rested["provisional"], rested["missing_facts"]) == ("eligible", True, [])
    assert rested["amount"] == 5_000_000, rested
    assert rested["duration"] == {"value": 6.0, "unit": "months"}
    # her months before the 12 not stated: eligible, the amount not known, and those months asked (2 of them with
    # contributions would make her 6)
    recent = {**MOTHER, "insured_wage": {m: w for m, w in MOTHER["insured_wage"].items() if m not in OLDER}}
    unstated = _decided(client, "2024-06-15", {**recent, "rested_during_pregnancy_on_prescription": True}, "maternity")
    assert (unstated["decision"], unstated["amount"]) == ("eligible", None)
    assert unstated["missing_facts"] == [f"insured_wage.{month}" for month in sorted(OLDER)]
    not_rested = _decided(
        client, "2024-06-15", {**MOTHER, "rested_during_pregnancy_on_prescription": False}, "maternity"
    )
    assert (not_rested["decision"], not_rested["reason"]) == ("not_eligible", "insufficient_recent_contributions")
    assert not_rested["missing_facts"] == []


def test_a_reduced_working_capacity_below_the_pensionable_age_is_not_modelled_not_refused(client) -> None:
    loss = {**WORKER, **NO_ARDUOUS_WORK, "is_disabled": True, "disability_degree": 70}
    stated = _decided(client, "2026-06-15", loss, "old_age")
    assert (stated["decision"], stated["reason"]) == ("not_modelled", "reduced_capacity_pension_not_modelled")
    assert stated["amount"] is None and stated["missing_facts"] == []
    unstated = _decided(client, "2026-06-15", {**WORKER, **NO_ARDUOUS_WORK}, "old_age")  # no loss: not asked
    assert (unstated["decision"], unstated["reason"], unstated["missing_facts"]) == (
        "not_eligible",
        "below_pensionable_age",
        [],
    )
    low = _decided(
        client, "2026-06-15", {**WORKER, **NO_ARDUOUS_WORK, "is_disabled": True, "disability_degree": 60}, "old_age"
    )
    assert (low["decision"], low["reason"]) == ("not_eligible", "below_pensionable_age")


def test_a_reduced_capacity_is_asked_the_months_that_would_grant_the_full_pension_at_a_lower_age(client) -> None:
    """A user review: a man of 56 in 2024 with 20 years and a 65% loss was not modelled, asked nothing, and granted
    the full pension stating 15 years of arduous work (SI Law 2014 Art 54(1)(b)); one of 52 with an 85% loss was so
    for coal mining (Art 54(1)(c): his age of 51 is reached, arduous work's of 56 not). Asked first, then decided."""
    worker = {"sex": "male", "birth_date": "1968-06-01", "contribution_months": 240, "disability_degree": 65}
    worker["career_average_insured_wage"] = 10_000_000
    for person, facts, asked in (
        (worker, {"arduous_work_months": 180}, ASKED),
        (
            {**worker, "birth_date": "1972-01-01", "disability_degree": 85},
            {"underground_coal_mining_months": 180},
            ["underground_coal_mining_months"],
        ),
    ):
        undecided = _decided(client, "2024-06-15", person, "old_age")
        assert (undecided["decision"], undecided["amount"], undecided["missing_facts"]) == ("undetermined", None, asked)
        granted = _decided(client, "2024-06-15", {**person, **facts}, "old_age")
        assert (granted["decision"], granted["amount"], granted["missing_facts"]) == ("eligible", 4_500_000, [])
        none = _decided(client, "2024-06-15", {**person, **NO_ARDUOUS_WORK}, "old_age")
        assert (none["decision"], none["reason"]) == ("not_modelled", "reduced_capacity_pension_not_modelled")


def test_a_person_not_stating_sex_is_asked_every_fact_either_sex_needs_at_once(client) -> None:
    """A user review: a person of 52 in 2024 with 20 years, sex not stated, was asked only ``sex``; as a man coal
    mining's months are needed (his age of 51 is reached), as a woman all three (her ages of 51 years 4 months and
    46 years 4 months are): a second round trip. Each answer stated next asks nothing new."""
    person = {"birth_date": "1972-01-01", "contribution_months": 240, "career_average_insured_wage": 10_000_000}
    unknown = _decided(client, "2024-06-15", person, "old_age")
    assert (unknown["decision"], unknown["missing_facts"]) == ("undetermined", ["sex", *ASKED])
    for sex in ("male", "female"):
        stated = _decided(client, "2024-06-15", {**person, "sex": sex}, "old_age")
        assert set(stated["missing_facts"]) <= set(unknown["missing_facts"]), sex


def test_months_of_arduous_work_that_would_lower_the_age_are_asked_then_decide(client) -> None:
    asked = _decided(client, "2019-06-15", ARDUOUS_WORKER, "old_age")
    assert (asked["decision"], asked["reason"], asked["amount"]) == ("undetermined", None, None)
    assert asked["missing_facts"] == ASKED
    granted = _decided(client, "2019-06-15", {**ARDUOUS_WORKER, "arduous_work_months": 180}, "old_age")
    assert (granted["decision"], granted["provisional"], granted["missing_facts"]) == ("eligible", False, [])
    assert granted["amount"] == 3_300_000  # Art 56(2): 45% + 5 × 2% of 6,000,000, no reduction for the years early
    assert "old_age.arduous_work.months_below_pensionable_age" in granted["legal_basis"]  # the lower age cited
    short = _decided(client, "2019-06-15", {**ARDUOUS_WORKER, **NO_ARDUOUS_WORK, "arduous_work_months": 120}, "old_age")
    assert (short["decision"], short["reason"], short["missing_facts"]) == ("not_eligible", "below_pensionable_age", [])
    # with a year too few of contributions, the months of such work change nothing: refused, not asked for them;
    # under 240 months, the one-off payment after a year out of insurance (Resolution 93/2015) asks when work ended
    early = _decided(client, "2019-06-15", {**ARDUOUS_WORKER, "contribution_months": 228}, "old_age")
    assert (early["decision"], early["reason"]) == ("not_eligible", "below_pensionable_age")
    assert early["missing_facts"] == ["employment_end_date"]
    # the same worker as a man of 52 in 2019: only coal mining (from 50) may lower his age (arduous work: from 55)
    man = _decided(client, "2019-06-15", {**ARDUOUS_WORKER, "sex": "male"}, "old_age")
    assert (man["decision"], man["missing_facts"]) == ("undetermined", ["underground_coal_mining_months"])


def test_a_refusal_at_the_lower_age_for_too_few_months_cites_the_qualifying_period(client) -> None:
    """SI Law 2014 Art 54(1): the lower age of arduous work needs 20 years of contributions. At 52, with 15 years of
    arduous work and 19 of contributions, she is refused on the qualifying period, which her answer cites (with its
    article) beside the lower age's values; at 49, below even the lower age, the age refuses her and it is not."""
    short = {**ARDUOUS_WORKER, **NO_ARDUOUS_WORK, "arduous_work_months": 180, "contribution_months": 228}
    persons = [short, {**short, "birth_date": "1970-01-01"}]
    answer = client.post("/vnm/eligibility", json={"as_of": "2019-06-15", "branches": ["old_age"], "persons": persons})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    refused, younger = (person["benefits"]["old_age"] for person in body["persons"])
    period = "old_age.qualifying_period.minimum_months"
    for decision in (refused, younger):
        assert (decision["decision"], decision["reason"]) == ("not_eligible", "below_pensionable_age")
        assert "old_age.arduous_work.months_below_pensionable_age" in decision["legal_basis"]
    assert period in refused["legal_basis"] and period not in younger["legal_basis"]
    cited = body["branches"]["old_age"]["rules_in_force"][refused["rules_in_force_since"]]["legal_basis"][period]
    assert (cited["value"], cited["status"]) == (240, "verified")
    assert any(reference["article"].startswith("Art 54(1)") for reference in cited["reference"]), cited


def test_a_claimant_is_asked_the_same_facts_whoever_shares_the_batch(client) -> None:
    """A user review: a man of 69 without contribution_months was asked for them alone, and asked nothing beside a
    man of 58 stating 15 years of arduous work (the lower age's condition and the qualifying period both read
    contribution_months; the first one listed, the lower age's, asked it of the younger man only). The server
    batches concurrent requests alike, so one caller's answer changed with another's facts."""
    older = {"sex": "male", "birth_date": "1955-06-01"}
    alone = _decided(client, "2024-06-15", older, "old_age")
    assert (alone["decision"], alone["missing_facts"]) == ("undetermined", ["contribution_months"])
    younger = {"sex": "male", "birth_date": "1966-06-01", "arduous_work_months": 180}
    persons = [older, younger, {**younger, "sex": "female", "underground_coal_mining_months": 179}]
    answer = client.post("/vnm/eligibility", json={"as_of": "2024-06-15", "branches": ["old_age"], "persons": persons})
    assert answer.status_code == 200, answer.text
    batch = [person["benefits"]["old_age"] for person in answer.json()["persons"]]
    assert batch[0] == alone
    for person, decided in zip(persons[1:], batch[1:], strict=True):
        assert decided == _decided(client, "2024-06-15", person, "old_age")
        assert "contribution_months" in decided["missing_facts"]


def test_a_negative_count_of_months_of_arduous_work_is_a_422_naming_it(client) -> None:
    body = {"as_of": "2019-06-15", "persons": [{**ARDUOUS_WORKER, "hardship_area_months": -12}]}
    answer = client.post("/vnm/eligibility", json=body)
    assert answer.status_code == 422, answer.text
    problems = answer.json()["errors"]
    assert ("persons[0].hardship_area_months", "0 or more") in [(item["field"], item["expected"]) for item in problems]


def test_more_months_of_arduous_work_than_months_lived_are_a_422_naming_them(client) -> None:
    """A user review: 900 months of arduous work of a man of 52 (625 months lived), his months of contributions not
    stated, were undetermined; they are a part of those months, no larger than the months lived either."""
    body = {"as_of": "2024-06-15", "persons": [{"sex": "male", "birth_date": "1972-06-01", "arduous_work_months": 900}]}
    answer = client.post("/vnm/eligibility", json=body)
    assert answer.status_code == 422, answer.text
    problem = answer.json()["errors"][0]
    assert (problem["field"], problem["type"]) == ("persons[0].arduous_work_months", "contradictory_facts")
    assert problem["expected"] == "at most the months from birth_date to the date asked"
    assert "900 arduous work months, more than the 625 months from the birth on 1972-06-01" in problem["message"]


def test_months_of_arduous_work_and_of_hardship_together_above_the_months_lived_are_a_422_naming_them(client) -> None:
    """An outside review: 400 months of arduous work and 300 in a place of hardship of a man of 52 (625 months lived)
    were decided, each alone within his life; the rules add the two (SI Law 2024 Art 64(1)(b)), as months apart."""
    person = {"sex": "male", "birth_date": "1972-06-01", "contribution_months": 400, "arduous_work_months": 400}
    body = {"as_of": "2024-06-15", "persons": [{**person, "hardship_area_months": 300}]}
    answer = client.post("/vnm/eligibility", json=body)
    assert answer.status_code == 422, answer.text
    problem = answer.json()["errors"][0]
    assert (problem["field"], problem["type"]) == ("persons[0].hardship_area_months", "contradictory_facts")
    assert problem["expected"] == (
        "arduous_work_months and hardship_area_months together at most the months from birth_date to the date asked"
    )
    assert (
        "400 arduous work months and 300 hardship area months, 700 together, more than the 625 months from the birth "
        "on 1972-06-01 to the date asked: the rules add the two, as months apart"
    ) in problem["message"]
    body["persons"][0]["hardship_area_months"] = 225  # 625 together: the months lived hold them
    assert client.post("/vnm/eligibility", json=body).status_code == 200
