"""Worked examples for the OpenAPI documentation (a woman in Lao PDR reaching pensionable age)."""

from __future__ import annotations

from typing import Any


def calculate_example(tax_benefit_system: Any) -> dict[str, Any]:
    """An OpenFisca situation: one insured person, old-age results asked for June 2024."""
    month = "2024-06"
    return {
        "persons": {
            "somphone": {
                "birth_date": {"ETERNITY": "1968-02-10"},
                "sex": {"ETERNITY": "female"},
                "contribution_months": {month: 192},
                "insured_wage": {f"2024-0{m}": 2_500_000 for m in range(1, 6)},
                "old_age_pension_eligible": {month: None},
                "old_age_pension_ineligibility_reason": {month: None},
                "old_age_pension": {month: None},
            }
        },
        "households": {"household_1": {"heads": ["somphone"]}},
    }


def eligibility_example() -> dict[str, Any]:
    """A delivery system's request: two DCI person records of one household, every branch the jurisdiction
    decides (no ``branches``)."""
    wages = {f"2023-{m:02d}": 2_400_000 for m in range(6, 13)} | {f"2024-{m:02d}": 2_500_000 for m in range(1, 6)}
    return {
        "as_of": "2024-06-01",
        "persons": [
            {
                "identifier": [{"identifier_type": "UIN", "identifier_value": "LA-0001"}],
                "household_identifier": "HH-17",
                "relationship_head": "self",
                "birth_date": "1968-02-10",
                "sex": "female",
                "is_disabled": False,
                "contribution_months": 192,
                "insured_wage": wages,
                "separation_reason": "not_separated",
                "pregnancy_outcome": "none",
            },
            {
                "identifier": [{"identifier_type": "UIN", "identifier_value": "LA-0002"}],
                "household_identifier": "HH-17",
                "birth_date": "1994-09-30",
                "sex": "female",
                "is_disabled": False,
                "contribution_months": 40,
                "insured_wage": wages,
                "pregnancy_outcome": "live_birth",
                "child_birth_date": "2024-05-28",
                "number_of_children_born": 1,
                "separation_reason": "not_separated",
            },
        ],
    }
