"""``POST /vnm/eligibility`` on a real server: no firm refusal where a case the law may grant is not decided.

A woman whose months before the birth meet only the lower minimum of a prescribed rest during pregnancy (SI Law 2014
Art 31(3)) is asked for the rest; a person below the pensionable age whose stated loss of working capacity the law
gives a reduced pension for (SI Law 2024 Art 65) is not modelled (an outside review found both refused, final).
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
    stated = _decided(client, "2026-06-15", {**WORKER, "is_disabled": True, "disability_degree": 70}, "old_age")
    assert (stated["decision"], stated["reason"]) == ("not_modelled", "reduced_capacity_pension_not_modelled")
    assert stated["amount"] is None and stated["missing_facts"] == []
    unstated = _decided(client, "2026-06-15", WORKER, "old_age")  # no loss stated: the age refuses, not asked
    assert (unstated["decision"], unstated["reason"], unstated["missing_facts"]) == (
        "not_eligible",
        "below_pensionable_age",
        [],
    )
    low = _decided(client, "2026-06-15", {**WORKER, "is_disabled": True, "disability_degree": 60}, "old_age")
    assert (low["decision"], low["reason"]) == ("not_eligible", "below_pensionable_age")
