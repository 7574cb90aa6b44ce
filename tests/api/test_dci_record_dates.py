"""The days a DCI record states of a person's birth and death, on a real server: a CRVS death's ``deathdate`` read
as a real day (a day that is none is refused, never compared as text with the date asked)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.test_dci_records import _error

AS_OF = "2024-06-15"
MAN = {"identifier": "D1", "sex": "male", "birth_date": "1950-01-01", "contribution_months": 300}


def _death(day: Any) -> dict[str, Any]:
    return {"reg_event_type": "death", "reg_records": {"identifier": "D1", "deathdate": day}}


def _asked(client, persons: list[Any], path: str = "/eligibility") -> Any:
    return client.post(path, json={"as_of": AS_OF, "branches": ["old_age"], "persons": persons})


@pytest.mark.parametrize("day", ["31.12.2023", "10/03/2024", "2024-13-45", "2024-02-30", "yesterday", "1899-12-31"])
def test_a_crvs_death_on_a_day_that_is_none_is_refused_naming_it(client, day: str) -> None:
    """``31.12.2023`` was echoed as ``deceased_on`` and compared as text with the date asked: the man was decided
    alive and eligible (``3`` sorts after ``2``), and ``10/03/2024`` dead; neither is a day."""
    error = _error(_asked(client, [MAN, _death(day)]))
    assert error["field"] == "persons[1].reg_records.deathdate", error
    assert "YYYY-MM-DD" in error["expected"]


def test_a_crvs_death_on_a_real_day_ends_the_entitlement(client) -> None:
    for day in ("2024-03-10", "2024-03-10T23:30:00-05:00"):
        answer = _asked(client, [MAN, _death(day)])
        assert answer.status_code == 200, answer.text
        (person,) = answer.json()["persons"]
        assert person["deceased_on"] == "2024-03-10"
        assert person["benefits"]["old_age"]["reason"] == "deceased"
