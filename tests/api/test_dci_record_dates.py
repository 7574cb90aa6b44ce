"""The days a DCI record states of a person's birth and death, on a real server: a CRVS death's ``deathdate`` read
as a real day (a day that is none is refused, never compared as text with the date asked); a person record's own
``birthdate`` and ``deathdate`` (the registry core's ``dci_PersonRecord``) and ``death_date`` (the IBR's person)
read as the person's birth and death, never accepted and ignored."""

from __future__ import annotations

import uuid
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


def _decisions(client, persons: list[Any], path: str = "/eligibility") -> list[dict[str, Any]]:
    answer = _asked(client, persons, path)
    assert answer.status_code == 200, answer.text
    return answer.json()["persons"]


def _beneficiary(**person: Any) -> dict[str, Any]:
    """The IBR's Beneficiary, as its example writes it (empty texts for what it does not know)."""
    demographic = {"identifier_type": "NID", "identifier_value": "D1", "sex": "M", "birth_date": "1950-01-01"}
    member = {"member_identifier": "M1", "demographic_info": {"person": demographic | person}, "is_disabled": "0"}
    return {"@type": "Beneficiary", "member": member, "contribution_months": 300}


def test_a_dci_person_record_s_birthdate_is_its_birth_date(client) -> None:
    """``birthdate`` is the ``dci_PersonRecord``'s name of the birth date: it was accepted and ignored, and the man
    of 74 left undetermined for want of a ``birth_date`` he had stated."""
    record = {"identifier_type": "UIN", "identifier": "D1", "sex": "male", "birthdate": "1950-01-01T00:00:00Z"}
    (person,) = _decisions(client, [record | {"contribution_months": 300}])
    (stated,) = _decisions(client, [MAN])
    assert person["benefits"] == stated["benefits"]
    assert person["benefits"]["old_age"]["decision"] == "eligible"
    error = _error(_asked(client, [MAN | {"birthdate": "1960-01-01"}]))  # two days of birth: never one dropped
    assert error["field"] == "persons[0].birthdate" and "persons[0].birth_date" in error["message"]


@pytest.mark.parametrize(
    "record",
    [
        MAN | {"deathdate": "2024-03-10T08:00:00+07:00"},  # a dci_PersonRecord's
        {
            "identifier": "D1",
            "sex": "male",
            "birthdate": "1950-01-01",
            "deathdate": "2024-03-10",
            "contribution_months": 300,
        },
        _beneficiary(death_date="2024-03-10"),  # the IBR's
        {
            "@type": "Member",
            "demographic_info": {k: MAN[k] for k in ("identifier", "sex", "birth_date")} | {"deathdate": "2024-03-10"},
            "contribution_months": 300,
        },
    ],
    ids=["person", "dci_PersonRecord", "Beneficiary", "Member"],
)
def test_a_death_the_person_s_own_record_states_ends_the_entitlement(client, record: dict[str, Any]) -> None:
    """The day of death a person's record states was accepted and ignored: the dead man was decided eligible.
    Read, it is the CRVS's death (``deceased_on``), on both routes."""
    (person,) = _decisions(client, [record])
    assert person["deceased_on"] == "2024-03-10"
    assert (person["benefits"]["old_age"]["decision"], person["benefits"]["old_age"]["reason"]) == (
        "not_eligible",
        "deceased",
    )
    (by_crvs,) = _decisions(client, [MAN, _death("2024-03-10")])
    assert person["benefits"] == by_crvs["benefits"]
    envelope = {
        "header": {"version": "1.0.0", "message_id": uuid.uuid4().hex, "message_ts": "2024-06-15T10:20:07Z",
                   "action": "eligibility", "sender_id": "spp.example.org", "total_count": 1},
        "message": {"transaction_id": "T-1", "eligibility_request": {"as_of": AS_OF, "branches": ["old_age"],
                                                                     "persons": [record]}},
    }  # fmt: skip
    answer = client.post("/dci/sync/eligibility", json=envelope)
    assert answer.status_code == 200, answer.text
    assert answer.json()["message"]["eligibility_response"]["persons"] == [person]


def test_a_death_not_known_is_no_death_and_a_wrong_one_is_refused(client) -> None:
    (alive,) = _decisions(client, [_beneficiary(death_date="")])  # the IBR's empty text: not known
    assert "deceased_on" not in alive and alive["benefits"]["old_age"]["decision"] == "eligible"
    error = _error(_asked(client, [MAN | {"deathdate": "1940-01-01"}]))
    assert error["field"] == "persons[0].deathdate" and "1950-01-01" in error["message"]
    error = _error(_asked(client, [_beneficiary(death_date="31.12.2023")]))
    assert error["field"] == "persons[0].member.demographic_info.person.death_date"
    error = _error(_asked(client, [MAN | {"deathdate": "2024-03-10"}, _death("2024-04-01")]))  # two deaths
    assert error["field"] == "persons[1].reg_records.deathdate" and "2024-03-10" in error["message"]
    (died,) = _decisions(client, [MAN | {"deathdate": "2024-03-10"}, _death("2024-03-10T12:00:00Z")])
    assert died["deceased_on"] == "2024-03-10"
