"""A schedule names the rule of its first day paid in force on its claim's day, not every rule the law has had (a
real server).

Viet Nam's disability allowance is paid from the month the certificate of the degree of disability was issued before
5 October 2026 (Decree 20/2021/ND-CP Art 8(1)(đ)), from the month the commune chairman signed the decision from that
day (Decree 335/2026/ND-CP Art 8(2)); the social pension from the written request's day before it (a reading), from the
decision's month from it (Decree 335/2026 Art 31(2)). An outside review: a schedule's ``method`` named both the
certificate's month and the decision's, whichever was in force.
"""

from __future__ import annotations

from typing import Any

import pytest

BEFORE, AFTER = "2026-09-20", "2026-11-03"  # decided before 5 October 2026, and after
CERTIFICATE = "disability.payment_start.month_of_certificate"
DECISION = "disability.payment_start.month_of_decision"


def _method(client: Any, branch: str, person: dict[str, Any]) -> tuple[str, str]:
    answer = client.post("/vnm/eligibility", json={"as_of": "2026-12-01", "persons": [person], "branches": [branch]})
    assert answer.status_code == 200, answer.text
    payments = answer.json()["persons"][0]["benefits"][branch]["payments"]
    return payments["start"], payments["method"]


def _assessed(day: str, **dates: str) -> dict[str, Any]:
    person = {"birth_date": "1980-04-01", "is_disabled": True, "disability_category": 1}
    return person | {"disability_assessment_date": day} | dates


@pytest.mark.parametrize(
    ("day", "dates", "start", "named", "not_named"),
    [
        (BEFORE, {"disability_certificate_date": "2026-09-10"}, "2026-09-01", CERTIFICATE, "decision"),
        (AFTER, {"disability_decision_date": "2026-11-03"}, "2026-11-01", DECISION, "certificate"),
        # both dates stated: the law of the claim's day reads one of them
        (
            BEFORE,
            {"disability_certificate_date": "2026-09-10", "disability_decision_date": "2026-11-03"},
            "2026-09-01",
            CERTIFICATE,
            "decision",
        ),
        (
            AFTER,
            {"disability_certificate_date": "2026-09-10", "disability_decision_date": "2026-11-03"},
            "2026-11-01",
            DECISION,
            "certificate",
        ),
    ],
)
def test_the_disability_allowance_names_the_month_the_law_of_its_day_pays_from(
    client: Any, day: str, dates: dict[str, str], start: str, named: str, not_named: str
) -> None:
    paid_from, method = _method(client, "disability", _assessed(day, **dates))
    assert paid_from == start
    told = method.split("; ")[0]
    assert told.startswith("paid from the first day of the month ") and named in told, method
    assert not_named not in told, method


@pytest.mark.parametrize(
    ("day", "named", "not_named"),
    [(BEFORE, "disability_certificate_date", "decision"), (AFTER, "disability_decision_date", "certificate")],
)
def test_a_date_not_stated_names_the_one_the_assessment_stands_for(
    client: Any, day: str, named: str, not_named: str
) -> None:
    _, method = _method(client, "disability", _assessed(day))
    told = method.split("; ")[0]
    assert told.startswith("paid from the first day of the month of the assessment, which stands for") and named in told
    assert not_named not in told and "provisional" in told, method


def test_the_social_pension_names_the_request_before_the_decree_and_the_decision_from_it(client: Any) -> None:
    woman = {"birth_date": "1950-01-01", "sex": "female", "contribution_months": 0, "is_disabled": False}
    before = _method(client, "social_pension", woman | {"social_pension_claim_date": BEFORE})
    assert before[0] == BEFORE and before[1].startswith("paid from the day of the written request")
    assert "decision" not in before[1].split("; ")[0], before[1]
    decided = woman | {"social_pension_claim_date": AFTER, "social_pension_decision_date": "2026-11-20"}
    after = _method(client, "social_pension", decided)
    assert after[0] == "2026-11-01"
    assert after[1].split("; ")[0] == (
        "paid from the first day of the month the commune chairman signed the decision "
        "(social_pension.payment_start.month_of_decision)"
    )
    unstated = _method(client, "social_pension", woman | {"social_pension_claim_date": AFTER})
    assert unstated[1].startswith("paid from the first day of the request's month, which stands for the month the")
    assert "written request" not in unstated[1].split("; ")[0], unstated[1]
