"""A ``dci_PersonRecord`` (the registry core's person: ``identifier_type`` beside a text ``identifier``) on a real
server: its identifier is of its type, so that a record of another DCI scheme (a CRVS death, an insurer's
contributions) never attaches to it, as it never attaches to a person whose identifier states that type."""

from __future__ import annotations

from typing import Any

AS_OF = "2024-06-15"
CHILD_NUMBER = {"identifier_type": "BRN", "identifier": "1001"}  # a birth registration number
FACTS = {"sex": "male", "birth_date": "1950-01-01", "contribution_months": 300}
DEATH = {
    "reg_event_type": "death",
    "reg_records": {"identifier_type": "UIN", "identifier": "1001", "deathdate": "2024-03-10"},
}


def _persons(client, persons: list[Any]) -> list[dict[str, Any]]:
    answer = client.post("/eligibility", json={"as_of": AS_OF, "branches": ["old_age"], "persons": persons})
    assert answer.status_code == 200, answer.text
    return answer.json()["persons"]


def test_a_death_of_another_scheme_is_not_this_person_s(client) -> None:
    """UIN 1001's death made BRN 1001 dead: the record's ``identifier_type`` was accepted and ignored, and its
    identifier read as a text, which names every scheme."""
    alive, dead = _persons(client, [CHILD_NUMBER | FACTS, DEATH])
    assert alive["identifier"] == [{"identifier_type": "BRN", "identifier_value": "1001"}]
    assert "deceased_on" not in alive and alive["benefits"]["old_age"]["decision"] == "eligible"
    assert dead["identifier"] == [{"identifier_type": "UIN", "identifier_value": "1001"}]
    assert dead["deceased_on"] == "2024-03-10" and dead["record_type"] == "VitalEvent"
    stated = {"identifier": [{"identifier_type": "BRN", "identifier_value": "1001"}]} | FACTS  # as it is read
    assert _persons(client, [stated, DEATH]) == [alive, dead]


def test_a_record_of_its_own_scheme_attaches_to_it(client) -> None:
    (person,) = _persons(client, [{"identifier_type": "UIN", "identifier": "1001"} | FACTS, DEATH])
    assert person["identifier"] == [{"identifier_type": "UIN", "identifier_value": "1001"}]
    assert person["deceased_on"] == "2024-03-10"
    (untyped,) = _persons(client, [{"identifier": "1001"} | FACTS, DEATH])  # a text names every scheme
    assert untyped["identifier"] == "1001" and untyped["deceased_on"] == "2024-03-10"
