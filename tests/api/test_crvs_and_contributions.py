"""CRVS vital events, the insurer's contribution records and dci_Sex's numbers, in ``/eligibility`` on a real server:
each read as the facts it states, decided as those facts stated directly are."""

from __future__ import annotations

import copy
import itertools
import json
import uuid
from typing import Any

import jsonschema_rs
import pytest

from openfisca_sp.decisions.attached_records import named_rows, one_person_twice
from openfisca_sp.decisions.contribution_records import SCHEMA
from tests.api.registry_server import CRVS_EVENTS, DECEASED
from tests.api.test_dci_records import _error, _schema

AS_OF = "2024-06-15"
MOTHER = {
    "identifier": [{"identifier_type": "UIN", "identifier_value": "9876543210"}],
    "sex": "female",
    "birth_date": "1990-03-01",
    "contribution_months": 60,
    "insured_wage": {f"2023-{month:02d}": 2_500_000.0 for month in range(1, 13)}
    | {f"2024-{month:02d}": 2_600_000.0 for month in range(1, 6)},
}
CONTRIBUTIONS = {
    "@type": "ContributionRecord",
    "identifier": [{"identifier_type": "UIN", "identifier_value": "LA-0042"}],
    "insurer": "LSSO",
    "contribution_months": 70,
    "wage_history": [{"month": f"2024-{month:02d}", "insured_wage": 3_000_000} for month in range(1, 6)],
    "separations": [
        {"employment_end_date": "2021-06-30", "separation_reason": "end_of_contract", "unemployment_benefit": True},
        {"employment_end_date": "2024-05-31", "separation_reason": "dismissal"},
    ],
}


def _persons(client, persons: list[Any], prefix: str = "", as_of: str = AS_OF) -> list[dict[str, Any]]:
    answer = client.post(f"{prefix}/eligibility", json={"as_of": as_of, "persons": persons})
    assert answer.status_code == 200, answer.text
    return answer.json()["persons"]


def _birth(**changes: Any) -> dict[str, Any]:
    event = copy.deepcopy(CRVS_EVENTS[0])
    event["reg_records"][0].update(changes)
    return event


def test_the_crvs_records_are_dci_person_records() -> None:
    person = _schema("registry_core", "/components/schemas/dci_PersonRecord")
    vital = _schema("registry_core", "/components/schemas/dci_VitalEvents")
    for event in CRVS_EVENTS:
        records = event["reg_records"]
        for record in records if isinstance(records, list) else [records]:
            person.validate(record)
    assert vital.is_valid("live_birth") and not vital.is_valid("LiveBirth")  # a RegistryEventType's own name


@pytest.mark.parametrize("prefix", ["", "/vnm"])
def test_a_live_birth_gives_the_mother_her_confinement(client, prefix: str) -> None:
    (read,) = _persons(client, [MOTHER, CRVS_EVENTS[0]], prefix)
    stated = {**MOTHER, "child_birth_date": "2024-05-02", "pregnancy_outcome": "live_birth"}
    (direct,) = _persons(client, [stated | {"number_of_children_born": 1}], prefix)
    assert read["benefits"] == direct["benefits"]
    maternity = read["benefits"]["maternity"]
    assert maternity["event"] == {"kind": "confinement", "date": "2024-05-02"}  # the day as the CRVS wrote it
    assert "child_birth_date" not in maternity["missing_facts"]


def test_twins_are_two_children_born_that_day_and_the_latest_birth_is_decided(client) -> None:
    event = _birth()
    twin = {**event["reg_records"][0], "identifier": "BRN-2024-000124"}
    older = {**event["reg_records"][0], "identifier": "BRN-2021-000001", "birthdate": "2021-01-05"}
    event["reg_records"] += [twin, older]
    (read,) = _persons(client, [MOTHER, event])
    stated = {**MOTHER, "child_birth_date": "2024-05-02", "pregnancy_outcome": "live_birth"}
    (direct,) = _persons(client, [stated | {"number_of_children_born": 2}])
    assert read["benefits"] == direct["benefits"]


def _maternity(client, persons: list[Any], prefix: str = "") -> dict[str, Any]:
    body = {"as_of": AS_OF, "branches": ["maternity"], "persons": persons}
    answer = client.post(f"{prefix}/eligibility", json=body)
    assert answer.status_code == 200, answer.text
    return answer.json()["persons"][0]["benefits"]["maternity"]


def _born(children: int) -> dict[str, Any]:
    """The mother with her confinement stated directly."""
    stated = {"child_birth_date": "2024-05-02", "pregnancy_outcome": "live_birth", "number_of_children_born": children}
    return {**MOTHER, **stated}


@pytest.mark.parametrize("prefix", ["", "/vnm"])
def test_one_child_recorded_twice_is_one_child(client, prefix: str) -> None:
    """A review: the docs' CRVS record with its child twice, byte for byte, was twins (Lao: a birth grant of
    3,600,000 instead of 1,800,000, 120 days instead of 105; Viet Nam likewise). One identifier, one child,
    however often its record comes: twice in one event, in two events, as a date or a date and time."""
    one = _maternity(client, [_born(1)], prefix)
    twice = _birth()
    twice["reg_records"] = [copy.deepcopy(twice["reg_records"][0]) for _ in range(2)]
    again = _birth(birthdate="2024-05-02", sex="2")  # the same child: its day as written, its sex as coded
    for persons in ([MOTHER, twice], [MOTHER, CRVS_EVENTS[0], again], [MOTHER, twice, CRVS_EVENTS[0]]):
        assert _maternity(client, persons, prefix) == one, persons
    if not prefix:
        twins = _maternity(client, [_born(2)])
        assert twins["lump_sums"]["birth_grant"] == 2 * one["lump_sums"]["birth_grant"]  # what was paid
        assert (one["duration"]["value"], twins["duration"]["value"]) == (105, 120)


def test_one_child_recorded_with_another_birthdate_is_refused_naming_both(client) -> None:
    """Two records of one child that say another day (or other parents) are refused, never guessed."""
    event = _birth()
    event["reg_records"].append({**event["reg_records"][0], "birthdate": "2024-05-03"})
    error = _error(client.post("/eligibility", json={"as_of": AS_OF, "persons": [MOTHER, event]}))
    assert error["field"] == "persons[1].reg_records[1].birthdate"
    assert error["message"].startswith("contradicts persons[1].reg_records[0].birthdate: one child")
    fatherless = _birth()
    del fatherless["reg_records"][0]["parent2_identifier"]
    error = _error(client.post("/eligibility", json={"as_of": AS_OF, "persons": [MOTHER, _birth(), fatherless]}))
    assert error["field"] == "persons[2].reg_records[0].parent1_identifier"
    assert "persons[1].reg_records[0].parent1_identifier" in error["message"] and "other parents" in error["message"]


@pytest.mark.parametrize("prefix", ["", "/vnm"])
def test_twins_in_two_events_are_two_children(client, prefix: str) -> None:
    """A review: twins of the same parents and day, each in its own CRVS data object (or on its own page of a
    registry's answer), were one child; in one object, two. Children without an identifier are each a child."""
    twins = _maternity(client, [_born(2)], prefix)
    first, second = _birth(identifier="BRN-1"), _birth(identifier="BRN-2")
    assert _maternity(client, [MOTHER, first, second], prefix) == twins
    together = _birth(identifier="BRN-1")
    together["reg_records"].append({**together["reg_records"][0], "identifier": "BRN-2"})
    assert _maternity(client, [MOTHER, together], prefix) == twins
    unnamed = {
        key: value for key, value in first["reg_records"][0].items() if key not in ("identifier_type", "identifier")
    }
    assert _maternity(client, [MOTHER, _birth() | {"reg_records": [unnamed, dict(unnamed)]}], prefix) == twins
    if not prefix:
        one = _maternity(client, [_born(1)])
        assert twins["lump_sums"]["birth_grant"] == 2 * one["lump_sums"]["birth_grant"]  # what was paid
        assert (one["duration"]["value"], twins["duration"]["value"]) == (105, 120)


def test_the_father_is_not_the_mother(client) -> None:
    father = {"identifier": "1234567890", "sex": "1", "birth_date": "1982-03-15"}  # dci_Sex 1: male
    persons = _persons(client, [father, MOTHER, CRVS_EVENTS[0]])
    assert persons[0]["benefits"]["maternity"]["reason"] == "not_female"
    assert persons[1]["benefits"]["maternity"]["event"]["date"] == "2024-05-02"
    error = _error(client.post("/eligibility", json={"as_of": AS_OF, "persons": [father, CRVS_EVENTS[0]]}))
    assert error["field"] == "persons[1]" and "mother" in error["message"]


@pytest.mark.parametrize("mother_named", [{"identifier_type": "NID", "identifier": "9876543210"}, "9876543210"])
def test_the_mother_is_found_when_the_father_is_named_by_his_very_type(client, mother_named) -> None:
    """A review: the father's UIN matched by its very type hid the mother, matched by value only (a registry's NID,
    or no type): the birth was refused as having no mother among the persons."""
    father = {"identifier": [{"identifier_type": "UIN", "identifier_value": "1234567890"}], "sex": "male"}
    event = _birth(parent1_identifier=mother_named)
    persons = _persons(client, [father, MOTHER, event])
    assert persons[1]["benefits"]["maternity"]["event"] == {"kind": "confinement", "date": "2024-05-02"}


def test_a_record_naming_two_persons_by_two_identifiers_is_refused(client) -> None:
    one = {"identifier": [{"identifier_type": "UIN", "identifier_value": "1"}], "sex": "male"}
    two = {"identifier": [{"identifier_type": "UIN", "identifier_value": "2"}], "sex": "male"}
    record = {"@type": "ContributionRecord", "contribution_months": 300}
    record["identifier"] = [
        {"identifier_type": "UIN", "identifier_value": "1"},
        {"identifier_type": "NID", "identifier_value": "2"},
    ]
    error = _error(client.post("/eligibility", json={"as_of": AS_OF, "persons": [one, two, record]}))
    assert "persons[0] and persons[1]" in error["message"]


def test_a_wage_month_written_null_takes_the_insurer_s_wage(client) -> None:
    """A review: a month written null is not stated, yet a contribution record's wage for it was refused as a
    contradiction."""
    month = "2024-05"
    record = {"@type": "ContributionRecord", "identifier": MOTHER["identifier"]}
    record["wage_history"] = [{"month": month, "insured_wage": 2_600_000}]
    nulled = {**MOTHER, "insured_wage": {**MOTHER["insured_wage"], month: None}}
    (read,) = _persons(client, [nulled, record])
    (stated,) = _persons(client, [MOTHER])
    assert read["benefits"] == stated["benefits"]


def test_a_stated_fact_the_crvs_contradicts_is_refused_naming_both(client) -> None:
    stated = {**MOTHER, "child_birth_date": "2024-04-30"}
    error = _error(client.post("/eligibility", json={"as_of": AS_OF, "persons": [stated, CRVS_EVENTS[0]]}))
    assert error["field"] == "persons[1].reg_records[0].birthdate"
    assert "persons[0].child_birth_date" in error["message"]


@pytest.mark.parametrize("code", ["spdci-common:RegistryEventType:Adoption", "marriage", "7", "Christening"])
def test_a_vital_event_no_rule_reads_is_refused_by_name(client, code: str) -> None:
    error = _error(client.post("/eligibility", json={"as_of": AS_OF, "persons": [_birth() | {"reg_event_type": code}]}))
    assert error["field"] == "persons[0].reg_event_type"
    assert "live_birth" in error["expected"]


def test_a_death_ends_every_entitlement_from_that_day(client) -> None:
    death = CRVS_EVENTS[1]
    (person,) = _persons(client, [{"identifier": DECEASED, "contribution_months": 400}, death])
    assert person["deceased_on"] == "2024-03-10" and "record_type" not in person  # a flat person, the CRVS's death
    for code, decision in person["benefits"].items():
        assert (decision["decision"], decision["reason"]) == ("not_eligible", "deceased"), code
        assert decision["payments"] is None and decision["amount"] is None and "2024-03-10" in decision["note"]
    (alone,) = _persons(client, [death])  # no record of the person: the CRVS's is the person
    assert alone["identifier"] == [{"identifier_type": "UIN", "identifier_value": DECEASED}]
    assert alone["record_type"] == "VitalEvent"
    assert alone["benefits"]["old_age"]["reason"] == "deceased"
    (before,) = _persons(client, [death], as_of="2024-03-01")  # alive on the date asked: decided as the law says
    assert before["deceased_on"] == "2024-03-10" and before["benefits"]["old_age"]["reason"] != "deceased"


def _death(deceased: str, day: str, **facts: Any) -> dict[str, Any]:
    return {"reg_event_type": "death", "reg_records": {"identifier": deceased, "deathdate": day, **facts}}


@pytest.mark.parametrize(
    ("assessed", "decision"), [("2024-06-20", "not_eligible"), ("2024-06-01", "undetermined")], ids=["after", "before"]
)
def test_a_decision_the_death_makes_cites_no_value_and_is_not_provisional(client, assessed: str, decision: str) -> None:
    """Viet Nam's disability allowance of 2024 is provisional (an unverified value): a claim made after the death
    is refused for it, one made before and granted is undetermined; neither rests on a value of the law."""
    person = {"identifier": "V", "birth_date": "1970-01-01", "is_disabled": True, "disability_category": 2}
    alive = {**person, "disability_assessment_date": assessed}
    (answered,) = _persons(client, [alive, _death("V", "2024-06-15")], "/vnm", as_of="2024-09-01")
    died = answered["benefits"]["disability"]
    assert (died["decision"], died["reason"]) == (decision, "deceased")
    assert died["provisional"] is False and died["legal_basis"] == []
    (living,) = _persons(client, [alive], "/vnm", as_of="2024-09-01")
    granted = living["benefits"]["disability"]
    assert (granted["decision"], granted["provisional"]) == ("eligible", True)  # what the death replaced


def test_a_death_before_the_person_s_birth_is_refused_never_decided(client) -> None:
    person = {"identifier": "D", "birth_date": "1990-01-01", "contribution_months": 400}
    error = _error(client.post("/eligibility", json={"as_of": AS_OF, "persons": [person, _death("D", "1980-06-01")]}))
    assert error["field"] == "persons[1].reg_records.deathdate"
    assert "persons[0].birth_date" in error["message"] and "birth_date" in error["expected"]
    alone = _death("D", "1980-06-01T10:00:00+07:00", birthdate="1990-01-01T00:00:00Z")  # the CRVS's own person
    error = _error(client.post("/eligibility", json={"as_of": AS_OF, "persons": [alone]}))
    assert error["field"] == "persons[0].reg_records.deathdate" and "1990-01-01" in error["message"]
    twice = [person, _death("D", "2024-03-10"), _death("D", "2024-04-01")]  # never the one read last
    error = _error(client.post("/eligibility", json={"as_of": AS_OF, "persons": twice}))
    assert error["field"] == "persons[2].reg_records.deathdate" and "2024-03-10" in error["message"]
    (died,) = _persons(client, [person, _death("D", "1990-01-01")])  # the day of birth: no contradiction
    assert died["deceased_on"] == "1990-01-01"


def test_the_contribution_record_shape_is_a_json_schema_that_the_example_meets() -> None:
    validator = jsonschema_rs.validator_for(SCHEMA)
    validator.validate(CONTRIBUTIONS)
    assert not validator.is_valid({**CONTRIBUTIONS, "pension": 3})
    assert not validator.is_valid({**CONTRIBUTIONS, "wage_history": [{"month": "2024-13", "insured_wage": 1}]})


@pytest.mark.parametrize("prefix", ["", "/vnm", "/tjk", "/ilo_c102"])
def test_a_contribution_record_gives_the_insurer_s_facts(client, prefix: str) -> None:
    person = {"identifier": CONTRIBUTIONS["identifier"], "sex": "2", "birth_date": "1980-01-01"}
    claim = {"unemployment_registration_date": "2024-06-03", "is_available_for_work": True}
    read = _persons(client, [person | claim, CONTRIBUTIONS], prefix)
    stated = {
        "contribution_months": 70,
        "insured_wage": {f"2024-{month:02d}": 3_000_000.0 for month in range(1, 6)},
        "employment_end_date": "2024-05-31",
        "separation_reason": "dismissal",
        "previous_unemployment_separation_date": "2021-06-30",
    }
    direct = _persons(client, [person | claim | stated], prefix)
    assert [one["benefits"] for one in read] == [one["benefits"] for one in direct]
    assert read[0]["insurer"] == "LSSO"
    (alone,) = _persons(client, [CONTRIBUTIONS], prefix)  # no other record: a person of its own
    assert alone["record_type"] == "ContributionRecord"
    assert "contribution_months" not in alone["benefits"]["old_age"]["missing_facts"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"contribution_months": -1}, "persons[1].contribution_months"),
        ({"wage_history": [{"month": "2024-13", "insured_wage": 1}]}, "persons[1].wage_history[0].month"),
        ({"separations": [{"employment_end_date": "31.05.2024"}]}, "persons[1].separations[0].employment_end_date"),
        ({"pension": 1}, "persons[1].pension"),
        ({"contribution_months": 12}, "persons[1].contribution_months"),  # contradicts the person's 60
        ({"wage_history": [{"month": "2024-01", "insured_wage": 1.0}]}, "persons[1].wage_history[0].insured_wage"),
        (  # two separations the same day, stated differently: never settled by the order they are written in
            {
                "separations": [
                    {"employment_end_date": "2024-01-31", "separation_reason": "misconduct"},
                    {"employment_end_date": "2024-01-31", "separation_reason": "dismissal"},
                ]
            },
            "persons[1].separations[1].employment_end_date",
        ),
    ],
)
def test_a_wrong_contribution_record_is_refused_naming_its_field(client, change: dict[str, Any], field: str) -> None:
    record = {"@type": "ContributionRecord", "identifier": "9876543210", **change}
    error = _error(client.post("/eligibility", json={"as_of": AS_OF, "persons": [MOTHER, record]}))
    assert error["field"] == field


def test_a_record_more_than_one_person_could_be_is_refused_naming_them(client) -> None:
    man = {"identifier": "X", "sex": "male", "birth_date": "1950-01-01"}
    woman = {"identifier": [{"identifier_type": "UIN", "identifier_value": "X"}], "sex": "female"}
    for record in (
        {"@type": "ContributionRecord", "identifier": "X", "contribution_months": 300},  # never credited to both
        {"reg_event_type": "death", "reg_records": {"identifier": "X", "deathdate": "2024-03-10"}},
    ):
        error = _error(client.post("/eligibility", json={"as_of": AS_OF, "persons": [man, woman, record]}))
        assert error["field"].startswith("persons[2]"), error
        assert "persons[0] and persons[1]" in error["message"] and "one person" in error["expected"]


def test_a_record_names_no_person_of_another_dci_identifier_scheme(client) -> None:
    """DCI's identifier types (UIN, BRN, MRN, DRN) are distinct schemes: a death registered under birth
    registration number 1001 is not the death of the person whose UIN is 1001."""
    person = {"identifier": [{"identifier_type": "UIN", "identifier_value": "1001"}], "contribution_months": 300}
    person |= {"sex": "male", "birth_date": "1950-01-01"}
    death = {"reg_event_type": "death", "reg_records": {"identifier_type": "BRN", "identifier": "1001"}}
    death["reg_records"]["deathdate"] = "2024-03-01"
    alive, dead = _persons(client, [person, death])
    assert "deceased_on" not in alive and alive["benefits"]["old_age"]["decision"] == "eligible"
    assert dead["identifier"] == [{"identifier_type": "BRN", "identifier_value": "1001"}]
    assert dead["deceased_on"] == "2024-03-01" and dead["record_type"] == "VitalEvent"
    wages = {"@type": "ContributionRecord", "identifier": [{"identifier_type": "MRN", "identifier_value": "1001"}]}
    alive, insured = _persons(client, [person | {"contribution_months": None}, wages | {"contribution_months": 9}])
    assert alive["benefits"]["old_age"]["missing_facts"] == ["contribution_months"]  # not credited to the UIN
    assert insured["record_type"] == "ContributionRecord"


def test_a_record_goes_to_the_person_of_its_very_identifier_type(client) -> None:
    """A registry's own type (NID) may name a UIN, so it is matched by value; but where a person's identifier
    has the record's very type, that person is the one, and the other is not asked to share it."""
    base = {"sex": "male", "birth_date": "1950-01-01"}
    by_uin = base | {"identifier": [{"identifier_type": "UIN", "identifier_value": "42"}], "contribution_months": 10}
    by_nid = base | {"identifier": [{"identifier_type": "NID", "identifier_value": "42"}]}
    record = {"@type": "ContributionRecord", "identifier": [{"identifier_type": "NID", "identifier_value": "42"}]}
    uin, nid = _persons(client, [by_uin, by_nid, record | {"contribution_months": 300}])
    assert uin["benefits"]["old_age"]["reason"] == "insufficient_contributions"
    assert nid["benefits"]["old_age"]["decision"] == "eligible"
    (alone,) = _persons(client, [by_uin | {"contribution_months": None}, record | {"contribution_months": 300}])
    assert alone["benefits"]["old_age"]["decision"] == "eligible"  # a NID may be the UIN: matched by value


def test_two_persons_are_one_exactly_where_the_record_matching_cannot_tell_them_apart() -> None:
    """The check of the request's identifiers (one_person_twice, one pass) against the record matching itself
    (named_rows): two persons are one where either, named by its own identifier, names the other too. Every
    person of one or two identifiers among two values and five types (none, three DCI schemes, a registry's)."""
    keys = [(kind, value) for kind in (None, "UIN", "BRN", "MRN", "NID") for value in ("1", "2")]
    persons = [frozenset(chosen) for size in (1, 2) for chosen in itertools.combinations(keys, size)]
    for one, other in itertools.product(persons, repeat=2):
        index: dict[str, list[tuple[int, str | None]]] = {}
        for row, person in enumerate((one, other)):
            for kind, value in person:
                index.setdefault(value, []).append((row, kind))
        matched = 1 in named_rows(index, one) or 0 in named_rows(index, other)
        written = [
            [{"identifier_type": kind, "identifier_value": value} for kind, value in person] for person in (one, other)
        ]
        assert list(one_person_twice(written)) == ([(1, 0)] if matched else []), (one, other)


@pytest.mark.parametrize(("code", "sex"), [("1", "male"), ("2", "female")])
def test_dci_sex_numbers_read_as_their_codes(client, code: str, sex: str) -> None:
    person = {"identifier": "P", "birth_date": "1950-01-01", "contribution_months": 300}
    assert _persons(client, [person | {"sex": code}]) == _persons(client, [person | {"sex": sex}])


@pytest.mark.parametrize("code", ["3", "4"])
def test_dci_sex_numbers_other_and_unknown_are_not_stated(client, code: str) -> None:
    (person,) = _persons(client, [{"identifier": "P", "sex": code, "birth_date": "1950-01-01"}])
    assert "sex" in person["benefits"]["maternity"]["missing_facts"]


@pytest.mark.parametrize("route", ["/eligibility", "/dci/sync/eligibility"])
def test_a_birth_event_nested_too_deep_to_compare_is_refused_not_a_500(client, route: str) -> None:
    """A birth's ``data`` object is compared with the request's others as JSON (one found again is read once):
    a field nested a thousand levels (within JSON's reading, 1,024) made that recurse past Python's limit, a 500.
    Such an event is refused, 422 at it."""
    levels = 1000
    request = {"as_of": AS_OF, "branches": ["maternity"], "persons": [MOTHER, _birth(name="NESTED")]}
    if route != "/eligibility":
        header = {"version": "1.0.0", "message_id": f"deep-{uuid.uuid4().hex}", "message_ts": "2024-06-15T10:20:07Z",
                  "action": "eligibility", "sender_id": "spp.example.org", "total_count": 2}  # fmt: skip
        request = {"header": header, "message": {"transaction_id": "T-1", "eligibility_request": request}}
    body = json.dumps(request).replace('"NESTED"', '{"a": ' * levels + "1" + "}" * levels)
    answer = client.post(route, content=body, headers={"Content-Type": "application/json"})
    error = _error(answer)
    assert error["field"].endswith("persons[1]"), error
    assert "nested" in error["message"]


@pytest.mark.parametrize("insurer", [5, {"name": "LSSO"}, "L" * 129])
def test_an_insurer_that_is_not_a_name_is_refused_as_its_schema_says(client, insurer: Any) -> None:
    """The published schema says the insurer is a text of at most 128 characters: anything else was accepted, a
    number or an object dropped without a word and a longer text echoed."""
    assert not jsonschema_rs.is_valid(SCHEMA, CONTRIBUTIONS | {"insurer": insurer})
    person = {"identifier": "LA-0042", "sex": "male", "birth_date": "1960-01-01"}
    request = {"as_of": AS_OF, "persons": [person, CONTRIBUTIONS | {"insurer": insurer}]}
    error = _error(client.post("/eligibility", json=request))
    assert error["field"] == "persons[1].insurer" and "128" in error["expected"], error
