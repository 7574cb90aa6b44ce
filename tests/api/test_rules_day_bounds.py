"""Claims are decided one simulation per branch and day whose rules apply: a request may ask for a bounded number of
such days (``OPENFISCA_SP_MAX_RULES_DAYS``), refused at once beyond them, naming the first person beyond.

Before the bound, 10,000 claims on as many days (27 years of events) took 14 to 21 s of one worker (one month: under
a second); each route that decides claims (``/eligibility``, its DCI forms) is bounded alike.
"""

from __future__ import annotations

import datetime
import time
from typing import Any

from tests.api.server import start
from tests.api.test_dci_envelope import _message

AS_OF = "2024-06-15"
FIRST = datetime.date(1990, 1, 1)


def _claims(count: int, days_apart: int = 1, first: datetime.date = FIRST) -> list[dict[str, Any]]:
    """``count`` births, ``days_apart`` days apart from ``first``: the reviewer's claims on distinct days."""
    return [
        {
            "identifier": f"P{index}",
            "sex": "female",
            "birth_date": "1960-01-01",
            "child_birth_date": str(first + datetime.timedelta(days=index * days_apart)),
        }
        for index in range(count)
    ]


def _months_apart(count: int) -> list[dict[str, Any]]:
    """``count`` births, each in a month of its own, going back from December 2023 (on the 20th)."""
    return [
        {
            "identifier": f"P{index}",
            "sex": "female",
            "birth_date": "1960-01-01",
            "child_birth_date": f"{2023 - index // 12}-{12 - index % 12:02d}-20",
        }
        for index in range(count)
    ]


def test_claims_on_ten_thousand_days_are_refused_before_any_is_decided(client) -> None:
    """The reviewer's request: 10,000 births on as many days, from 1990 (329 months). 2000-01-01, the first day of
    the 121st month, is the 3,652nd day."""
    started = time.perf_counter()
    refused = client.post(
        "/vnm/eligibility", json={"as_of": AS_OF, "branches": ["maternity"], "persons": _claims(10_000)}
    )
    seconds = time.perf_counter() - started
    assert refused.status_code == 413, refused.text[:300]
    body = refused.json()
    assert body["field"] == "persons[3652].child_birth_date"
    assert "at most 120 distinct months of events per branch" in body["expected"]
    assert "persons[0] to persons[3651] fall on 120" in body["expected"]
    assert "(2000-01-01)" in body["errors"][0]["message"]
    assert seconds < 5, seconds


def test_days_of_one_month_share_its_rules_and_a_year_of_births_is_decided(client) -> None:
    """730 births over 2022 and 2023 (24 months, every day) are within the bound, as are 120 months; 121 are not,
    every branch counted (old-age claims dated apart from the births)."""
    year = client.post(
        "/vnm/eligibility", json={"as_of": AS_OF, "persons": _claims(730, first=datetime.date(2022, 1, 1))}
    )
    assert year.status_code == 200, year.text[:300]
    assert len(year.json()["branches"]["maternity"]["rules_in_force"]) == 24
    within = client.post("/vnm/eligibility", json={"as_of": AS_OF, "persons": _months_apart(120)})
    assert within.status_code == 200, within.text[:300]
    assert len(within.json()["branches"]["maternity"]["rules_in_force"]) == 120
    beyond = _months_apart(121)
    for index, person in enumerate(beyond):
        person["old_age_claim_date"] = f"{2023 - index // 12}-{12 - index % 12:02d}-05"
    refused = client.post("/vnm/eligibility", json={"as_of": AS_OF, "persons": beyond})
    assert refused.status_code == 413, refused.text[:300]
    assert refused.json()["field"] in ("persons[120].child_birth_date", "persons[120].old_age_claim_date")


def test_the_dci_route_is_bounded_alike(client) -> None:
    refused = client.post("/vnm/dci/sync/eligibility", json=_message(_months_apart(121)))
    assert refused.status_code == 413, refused.text[:300]
    header = refused.json()["header"]  # a DCI refusal (tests/api/test_dci_limits.py)
    assert header["status_reason_code"] == "rjct.total_count.limit_exceeded"
    assert "persons[120].child_birth_date" in header["status_reason_message"]


def test_the_bound_is_a_setting_and_holds_for_small_requests_read_together() -> None:
    """With ``OPENFISCA_SP_MAX_RULES_DAYS=3``, four births in four months (a request read with concurrent ones, on
    the hot lane) are refused; three are decided."""
    server = start(environment={"OPENFISCA_SP_MAX_RULES_DAYS": "3"})
    try:
        with server.client() as http:
            within = http.post("/vnm/eligibility", json={"as_of": AS_OF, "persons": _months_apart(3)})
            assert within.status_code == 200, within.text[:300]
            refused = http.post("/vnm/eligibility", json={"as_of": AS_OF, "persons": _months_apart(4)})
            assert refused.status_code == 413, refused.text[:300]
            assert refused.json()["field"] == "persons[3].child_birth_date"
            assert "at most 3 distinct months" in refused.json()["expected"]
    finally:
        server.stop()
