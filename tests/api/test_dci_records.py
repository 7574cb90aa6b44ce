"""DCI registry records as they come (DCI v1.0.0, vendored in ``openfisca_sp/data/dci``): the specifications' own
example records, valid against their schemas, decided on a real server as the law says."""

from __future__ import annotations

import copy
import json
import uuid
from functools import cache
from importlib import resources
from typing import Any

import jsonschema_rs
import pytest
import yaml

AS_OF = "2024-06-15"
SPECS = resources.files("openfisca_sp") / "data" / "dci"
# Where each registry's record schema is, with its example (the specifications give no separate record schema)
GROUP = (
    "/components/schemas/SearchResponse/properties/search_response/items/properties/data/properties/reg_records/items"
)
BENEFICIARY = GROUP  # in ibr_api
DISABLED_PERSON = GROUP.removesuffix("/items")  # in dr_api: an object, its example one level down


@cache
def _spec(name: str) -> dict[str, Any]:
    return yaml.safe_load((SPECS / f"{name}_api_v1.0.0.yaml").read_text(encoding="utf-8"))


def _at(document: Any, pointer: str) -> Any:
    for part in pointer.strip("/").split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        document = document[int(part)] if isinstance(document, list) else document[part]
    return document


def _schema(name: str, pointer: str) -> Any:
    """The schema at ``pointer`` of a specification, its references resolved within the specification."""
    return jsonschema_rs.Draft4Validator({**_spec(name), "$ref": "#" + pointer})


def _record(name: str, pointer: str) -> dict[str, Any]:
    """A specification's example record (a copy), checked against its schema."""
    schema = _at(_spec(name), pointer)
    example = copy.deepcopy(schema["example"])
    if "example" in example:  # the Disability Registry nests its example record one level down
        example = example["example"]
    _schema(name, pointer).validate(example)
    return example


def _post(client, persons: list[Any], prefix: str = "") -> Any:
    return client.post(f"{prefix}/eligibility", json={"as_of": AS_OF, "persons": persons})


def _error(answer: Any) -> dict[str, Any]:
    assert answer.status_code == 422, answer.text
    (error,) = answer.json()["errors"]
    return error


def test_the_records_accepted_are_valid_against_the_published_schemas() -> None:
    group, beneficiary = _record("social", GROUP), _record("ibr", BENEFICIARY)
    disabled = _record("dr", DISABLED_PERSON)
    assert group["@type"] == "spdci:Group" and beneficiary["@type"] == "Beneficiary"
    assert disabled["disability_level"] == "Severe"
    sex = _schema("registry_core", "/components/schemas/dci_Sex")
    for member in group["member_list"]:
        sex.validate(member["demographic_info"]["sex"])
    assert not sex.is_valid(beneficiary["member"]["demographic_info"]["person"]["sex"])  # "F": the IBR's own code


def test_a_social_registry_group_is_decided_member_by_member(client) -> None:
    answer = _post(client, [_record("social", GROUP)])
    assert answer.status_code == 200, answer.text
    persons = answer.json()["persons"]
    assert len(persons) == 4  # the head (Alice) is also the list's first member: decided once
    alice, bob, charlie, daisy = persons
    assert alice["identifier"] == [{"identifier_type": "NationalID", "identifier_value": "9876543210"}]
    assert alice["member_identifier"] == [{"identifier_type": "NationalID", "identifier_value": "M9876543210"}]
    assert {person["household_identifier"] for person in persons} == {"G9876543210"}
    assert all(
        person["group_identifier"] == [{"identifier_type": "NationalID", "identifier_value": "G9876543210"}]
        and person["record_type"] == "Member"
        for person in persons
    )
    assert bob["identifier"][0]["identifier_value"] == "1234567890"  # written spdci:identifier
    assert charlie["identifier"] is None and charlie["member_identifier"][0]["identifier_value"] == "9876543210"
    assert daisy["member_identifier"] == "M987654323"
    for person in persons:  # born 1982 to 2012 (dates and times, 'Z'): as the law says
        old_age = person["benefits"]["old_age"]
        assert (old_age["decision"], old_age["reason"]) == ("not_eligible", "below_pensionable_age")
        assert person["benefits"]["disability"]["decision"] == "not_modelled"  # Lao invalidity: no source found
    for person in _post(client, [_record("social", GROUP)], "/vnm").json()["persons"]:  # none disabled
        assert person["benefits"]["disability"]["reason"] == "not_disabled"
    assert alice["benefits"]["maternity"]["decision"] == "undetermined"  # no pregnancy stated: truly unknown
    assert bob["benefits"]["maternity"]["decision"] == "not_eligible"  # a man, read from the group


def test_a_group_head_outside_the_member_list_is_a_member_too(client) -> None:
    group = _record("social", GROUP)
    head = group["group_head_info"]
    head["@id"] = "https://example.org/member/head"
    head["demographic_info"]["birth_date"] = "1950-01-01T00:00:00Z"
    group["member_list"] = group["member_list"][1:2]
    persons = _post(client, [group]).json()["persons"]
    assert [person["identifier"][0]["identifier_value"] for person in persons] == ["9876543210", "1234567890"]
    old_age = persons[0]["benefits"]["old_age"]  # the head, 74: her contributions decide, and are not stated
    assert (old_age["decision"], old_age["missing_facts"]) == ("undetermined", ["contribution_months"])


@pytest.mark.parametrize(("field", "value"), [("sex", "male"), ("birth_date", "1990-01-01")])
def test_a_group_head_listed_as_a_member_with_other_facts_is_refused_naming_both(client, field, value) -> None:
    """A delivery-system review: the spec's Group with its head saying male and the same member (by @id) saying
    female was decided as whichever record was read; docs/api.md refuses one fact stated twice differently."""
    group = _record("social", GROUP)
    group["group_head_info"]["demographic_info"][field] = value
    error = _error(_post(client, [group]))
    assert error["field"] == f"persons[0].member_list[0].demographic_info.{field}", error
    assert f"persons[0].group_head_info.demographic_info.{field} ('{value}')" in error["message"], error
    assert "(the group's head is this member, by @id)" in error["message"]


def test_an_ibr_beneficiary_is_read_with_its_codes_and_identifiers(client) -> None:
    beneficiary = _record("ibr", BENEFICIARY)
    error = _error(_post(client, [beneficiary]))  # "02.05.2004": day and month cannot be told apart
    assert error["field"] == "persons[0].member.demographic_info.person.birth_date"
    assert "YYYY-MM-DD" in error["expected"]
    beneficiary["member"]["demographic_info"]["person"]["birth_date"] = "2004-05-02"
    answer = _post(client, [beneficiary], "/vnm")
    assert answer.status_code == 200, answer.text
    (person,) = answer.json()["persons"]
    assert person["identifier"] == [{"identifier_type": "NID", "identifier_value": "0205202401"}]
    assert (person["record_type"], person["member_identifier"]) == ("Beneficiary", "HS0205202401")
    assert person["benefits"]["disability"]["reason"] == "not_disabled"  # is_disabled: "0"
    assert person["benefits"]["maternity"]["reason"] != "not_female"  # sex: "F"
    assert person["benefits"]["old_age"]["reason"] == "below_pensionable_age"


def _beneficiary(**beside: Any) -> dict[str, Any]:
    """The IBR's example Beneficiary, its birth date written as a date, with ``beside`` its member."""
    beneficiary = _record("ibr", BENEFICIARY)
    beneficiary["member"]["demographic_info"]["person"]["birth_date"] = "1950-05-02"
    return beneficiary | beside


def test_facts_beside_a_beneficiary_s_member_are_the_person_s(client) -> None:
    """They were dropped: a Beneficiary with contribution_months beside its member was asked for them."""
    answer = _post(client, [_beneficiary(contribution_months=300)])
    assert answer.status_code == 200, answer.text
    (person,) = answer.json()["persons"]
    assert "contribution_months" not in person["benefits"]["old_age"]["missing_facts"]
    assert person["benefits"]["old_age"]["decision"] == "eligible"


@pytest.mark.parametrize(
    ("beside", "field", "words"),
    [
        ({"contributions_months": 300}, "persons[0].contributions_months", "contribution_months"),  # a typo
        ({"sex": "M"}, "persons[0].sex", "contradicts persons[0].member.demographic_info.person.sex"),
    ],
)
def test_a_wrong_fact_beside_a_beneficiary_s_member_is_refused(client, beside, field: str, words: str) -> None:
    error = _error(_post(client, [_beneficiary(**beside)]))
    assert error["field"] == field and words in error["message"] + error["expected"], error


@pytest.mark.parametrize("person", ["garbage", None, [1, 2]])
def test_a_beneficiary_whose_person_is_no_object_is_refused_never_an_empty_person(client, person: Any) -> None:
    beneficiary = _beneficiary()
    beneficiary["member"]["demographic_info"]["person"] = person
    error = _error(_post(client, [beneficiary]))
    assert error["field"] == "persons[0].member.demographic_info.person"
    assert error["message"] == "person is not an object"


def test_a_beneficiary_s_person_without_identifier_type_is_identified_by_its_value(client) -> None:
    beneficiary = _beneficiary(contribution_months=300)
    del beneficiary["member"]["demographic_info"]["person"]["identifier_type"]
    (person,) = _post(client, [beneficiary]).json()["persons"]
    assert person["identifier"] == "0205202401"


@pytest.mark.parametrize(
    ("record", "field"),
    [
        (lambda: _beneficiary() | {"member": {**_beneficiary()["member"], "demographic_info": {"person": {
            "identifier_value": "1", "contribution_months": 3}}}}, "persons[0].member.demographic_info.person"),
        (lambda: {"@type": "Member", "demographic_info": {"sex": "F", "contribution_months": 3}},
         "persons[0].demographic_info"),
        (lambda: {"@type": "Group", "contribution_months": 3, "member_list": [{"demographic_info": {"sex": "F"}}]},
         "persons[0]"),
    ],
)  # fmt: skip
def test_a_fact_where_the_rules_do_not_read_it_is_refused_never_dropped(client, record, field: str) -> None:
    error = _error(_post(client, [record()]))
    assert error["field"] == f"{field}.contribution_months", error
    assert error["message"] == "contribution_months is not read here: it is a fact of the person"


@pytest.mark.parametrize("prefix", ["", "/vnm", "/tjk", "/ilo_c102"])
def test_disability_registry_codes_no_source_maps_are_refused_per_jurisdiction(client, prefix: str) -> None:
    error = _error(_post(client, [_record("dr", DISABLED_PERSON)], prefix))
    assert error["field"] == "persons[0].disability_status"
    assert error["message"].startswith(f"unmappable for {prefix.strip('/') or 'lao'}: ")


def test_a_disability_registry_person_without_codes_is_read(client) -> None:
    record = {key: value for key, value in _record("dr", DISABLED_PERSON).items() if not key.startswith("disability")}
    answer = _post(client, [{**record, "is_disabled": True}])
    assert answer.status_code == 200, answer.text
    (person,) = answer.json()["persons"]
    assert (person["identifier"], person["record_type"]) == ("123456", "DisabledPerson")
    assert person["benefits"]["maternity"]["reason"] == "not_female"  # gender: "Male"
    assert person["benefits"]["old_age"]["reason"] == "below_pensionable_age"  # date_of_birth 1990


def test_a_record_type_not_understood_is_refused_by_name(client) -> None:
    error = _error(_post(client, [{"@type": "spdci:Farmer", "birth_date": "1950-01-01"}]))
    assert error["field"] == "persons[0].@type"
    assert "'Farmer'" in error["message"] and "Group" in error["expected"]


@pytest.mark.parametrize(
    ("record", "field", "message"),
    [
        ({"@type": "Member", "member_identifier": "m1"}, "persons[0].demographic_info", "no demographic_info"),
        ({"@type": "DisabledPerson"}, "persons[0].personal_details", "no personal_details"),
        ({"@type": None}, "persons[0].@type", "not a text"),
        ({"@type": 7, "sex": "male"}, "persons[0].@type", "not a text"),
    ],
)
def test_a_record_with_no_person_in_it_is_refused_never_read_as_an_empty_person(client, record, field, message):
    error = _error(_post(client, [record]))
    assert error["field"] == field and message in error["message"], error


def test_an_error_in_a_member_names_the_field_as_written(client) -> None:
    group = _record("social", GROUP)
    group["member_list"][1]["demographic_info"]["sex"] = "x"
    group["member_list"][2]["contributions_months"] = 5
    errors = {error["field"]: error for error in _post(client, [group]).json()["errors"]}
    assert set(errors) == {
        "persons[0].member_list[1].demographic_info.sex",
        "persons[0].member_list[2].contributions_months",
    }
    assert "contribution_months" in errors["persons[0].member_list[2].contributions_months"]["expected"]
    assert "F" in errors["persons[0].member_list[1].demographic_info.sex"]["expected"]


def test_dates_with_times_take_the_date_as_written_in_their_own_offset(client) -> None:
    persons = [
        {"sex": "male", "birth_date": "1995-09-21T11:20:00"},
        {"sex": "male", "birth_date": "1964-06-15T23:30:00-05:00"},  # 16 June in UTC: still born on the 15th
    ]
    first, second = _post(client, persons).json()["persons"]
    assert first["benefits"]["old_age"]["reason"] == "below_pensionable_age"
    assert second["benefits"]["old_age"]["reason"] != "below_pensionable_age"  # 60 on the day asked (Lao men: 60)
    error = _error(_post(client, [{"birth_date": "2024-06-16T00:30:00+07:00"}]))  # 15 June in UTC: not read so
    assert error["field"] == "persons[0].birth_date" and error["type"] == "contradictory_facts"
    error = _error(_post(client, [{"birth_date": "1995-09-21T25:20:00"}]))
    assert error["field"] == "persons[0].birth_date" and "1995-09-21T11:20:00" in error["expected"]


def test_flags_and_codes_take_exactly_the_spec_forms(client) -> None:
    persons = [{"sex": "F", "is_disabled": "1", "birth_date": "1990-01-01"}]
    (person,) = _post(client, persons, "/vnm").json()["persons"]
    assert person["benefits"]["maternity"]["reason"] != "not_female"
    assert person["benefits"]["disability"]["reason"] != "not_disabled"
    (person,) = _post(client, [{"sex": "unknown", "birth_date": "1990-01-01"}]).json()["persons"]
    assert "sex" in person["benefits"]["maternity"]["missing_facts"]  # not a sex the law knows: not stated
    for field, value in (("is_disabled", "yes"), ("is_disabled", "01"), ("sex", "f")):
        error = _error(_post(client, [{field: value}]))
        assert error["field"] == f"persons[0].{field}" and error["received"] == value
        assert ('"1" / "0"' if field == "is_disabled" else "F") in error["expected"]


@pytest.mark.parametrize(
    ("record", "field", "other"),
    [
        ({"@type": "SRPerson", "sex": "female", "spdci:sex": "male"}, "persons[0].spdci:sex", "persons[0].sex"),
        ({"spdci:birth_date": "1990-01-01", "birth_date": "1991-01-01"}, "persons[0].birth_date", "spdci:birth_date"),
        (
            {"@type": "Member", "sex": "male", "demographic_info": {"identifier": "x", "sex": "female"}},
            "persons[0].demographic_info.sex",
            "persons[0].sex",
        ),
        (
            {"@type": "DisabledPerson", "sex": "male", "personal_details": {"identifier": "x", "gender": "Female"}},
            "persons[0].personal_details.gender",
            "persons[0].sex",
        ),
    ],
)
def test_two_fields_that_state_one_fact_differently_are_refused_naming_both(client, record, field, other) -> None:
    error = _error(_post(client, [record], "/vnm"))
    assert error["field"] == field and other in error["message"], error
    assert error["type"] == "dci_record" and "the same in both" in error["expected"]


def test_a_fact_stated_twice_alike_and_prefixed_fields_without_a_type_are_read_as_with_one(client) -> None:
    person = {"identifier": "x", "sex": "female", "birth_date": "1990-01-01"}
    expected = _post(client, [person]).json()["persons"][0]["benefits"]
    for record in (
        {"identifier": "x", "spdci:sex": "female", "spdci:birth_date": "1990-01-01"},  # no @type, as with SRPerson
        {"@type": "SRPerson", **person, "spdci:sex": "F", "spdci:birth_date": "1990-01-01T08:00:00+07:00"},
        {"@type": "Member", "sex": "2", "demographic_info": person},
    ):
        answer = _post(client, [record])
        assert answer.status_code == 200, answer.text
        assert answer.json()["persons"][0]["benefits"] == expected, record


NESTED = "NESTED-HERE"
DEEP_PLACES = {  # where a value nested a thousand levels went: each recursed past Python's limit, a 500
    "the head's marital_status": lambda group: group["group_head_info"].update(marital_status=NESTED),
    "a member's identifier": lambda group: group["member_list"][0]["demographic_info"].update(identifier=NESTED),
    "a vital event's type": lambda group: {"reg_event_type": NESTED, "reg_records": {"identifier": "X"}},
    "a birth's child": lambda group: {"reg_event_type": "live_birth", "reg_records": [{"name": NESTED}]},
}


@pytest.mark.parametrize("place", sorted(DEEP_PLACES))
@pytest.mark.parametrize("route", ["/eligibility", "/vnm/dci/sync/eligibility"])
def test_a_record_nested_deeper_than_any_dci_record_is_refused_at_it(client, place: str, route: str) -> None:
    """A value nested a thousand levels deep (JSON's reading allows 1,024) in a DCI record made the reading of
    records, which compares, prints and copies them recursively, exceed Python's recursion limit: a 500. A
    record nested deeper than 64 levels (a Group is six, a registry's whole answer about ten) is a 422 at it."""
    group = copy.deepcopy(_record("social", GROUP))
    record = DEEP_PLACES[place](group) or group
    request = {"as_of": "2024-06-15", "persons": [{"identifier": "P-0", "birth_date": "1960-01-01"}, record]}
    if "dci" in route:
        header = {"version": "1.0.0", "message_id": uuid.uuid4().hex, "message_ts": "2024-06-15T10:20:07Z",
                  "action": "eligibility", "sender_id": "spp.example.org", "total_count": 2}  # fmt: skip
        request = {"header": header, "message": {"transaction_id": "T-1", "eligibility_request": request}}
    body = json.dumps(request).replace(f'"{NESTED}"', '{"a": ' * 1000 + "1" + "}" * 1000)
    error = _error(client.post(route, content=body, headers={"Content-Type": "application/json"}))
    assert error["field"].endswith("persons[1]"), error
    assert error["message"] == "a record nested deeper than 64 levels", error


def _head_listed(head_person: dict[str, Any], member_person: dict[str, Any]) -> dict[str, Any]:
    """A Group whose head (``group_head_info``) is also its first member (the same ``@id``), and a wife."""
    head = {"@type": "Member", "@id": "m-1", "demographic_info": head_person, "contribution_months": 300}
    member = {"@type": "Member", "@id": "m-1", "demographic_info": member_person}
    wife = {"@type": "Member", "@id": "m-2", "demographic_info": {"identifier": "W-1", "sex": "female"}}
    return {"@type": "Group", "group_identifier": "G-1", "group_head_info": head, "member_list": [member, wife]}


def test_what_only_the_head_s_record_states_is_the_listed_member_s(client) -> None:
    """The head is read once, from its member_list record, checked against group_head_info: a fact (or a death)
    only group_head_info stated was dropped, so the head with his birth date and sex there was undetermined for
    want of them, and the head who died was decided eligible."""
    man = {"identifier": "H-1", "sex": "male", "birth_date": "1950-01-01"}
    plain = {"as_of": "2024-06-15", "branches": ["old_age"]}
    stated = client.post("/eligibility", json=plain | {"persons": [man | {"contribution_months": 300}]}).json()
    answer = client.post("/eligibility", json=plain | {"persons": [_head_listed(man, {"identifier": "H-1"})]})
    assert answer.status_code == 200, answer.text
    head, _ = answer.json()["persons"]
    assert head["benefits"] == stated["persons"][0]["benefits"]
    assert head["benefits"]["old_age"]["decision"] == "eligible"
    died = _head_listed(man | {"deathdate": "2024-03-01"}, man)
    answer = client.post("/eligibility", json=plain | {"persons": [died]})
    assert answer.status_code == 200, answer.text
    head, _ = answer.json()["persons"]
    assert head["deceased_on"] == "2024-03-01" and head["benefits"]["old_age"]["reason"] == "deceased"
    other_day = _head_listed(man | {"deathdate": "2024-03-01"}, man | {"deathdate": "2024-04-01"})
    error = _error(client.post("/eligibility", json=plain | {"persons": [other_day]}))
    assert "2024-03-01" in error["message"] and error["field"].startswith("persons[0]"), error
