"""The published OpenAPI document says what the server accepts, and refuses what it refuses where JSON Schema can
say so: a delivery system that generates its client from ``/openapi.json``, or checks its requests against it,
neither refuses a request the server documents as valid nor sends one the server refuses.

Each request is checked twice, on the real server: against the request schema its ``/openapi.json`` publishes
(JSON Schema 2020-12, the dialect of OpenAPI 3.1, with formats checked) and by the server itself."""

from __future__ import annotations

import copy
import json
import re
import uuid
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from tests.api.server import API_KEYS, Server
from tests.api.test_dci_docs import MARKED
from tests.api.test_dci_records import BENEFICIARY, DISABLED_PERSON, GROUP, _record

ROOT = Path(__file__).resolve().parents[2]
AS_OF = "2024-06-15"
WAGES = {f"2024-0{month}": 2_500_000 for month in range(1, 6)}


@pytest.fixture(scope="module")
def document(server: Server) -> dict[str, Any]:
    with server.client(**{"X-API-Key": API_KEYS[0]}) as http:
        answer = http.get("/openapi.json")
    assert answer.status_code == 200, answer.text
    return answer.json()


def _validator(document: dict[str, Any], path: str) -> Any:
    """The published schema of ``POST path``'s body, its references resolved within the document."""
    schema = document["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]
    root = {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema, "components": document["components"]}
    return jsonschema_rs.Draft202012Validator(root, validate_formats=True)


def _refusals(validator: Any, body: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, error.instance_path))}: {error.message}"[:300] for error in validator.iter_errors(body)
    ]


def _fresh(path: str, body: Any) -> Any:
    """``body`` with a new DCI message id (the server refuses one it has seen: a duplicate, as documented)."""
    body = copy.deepcopy(body)
    if isinstance(body, dict) and isinstance(body.get("header"), dict) and "message_id" in body["header"]:
        body["header"]["message_id"] = uuid.uuid4().hex
    return body


def _published_examples() -> Iterator[tuple[str, str, Any]]:
    """(name, path, body) of each documented request: the examples of docs/dci.md and docs/api.md marked
    ``<!-- tested: … → 200 -->``, and the README's request."""
    for name in ("dci.md", "api.md"):
        for match in MARKED.finditer((ROOT / "docs" / name).read_text(encoding="utf-8")):
            what, body = match["what"], json.loads(match["body"])
            if int(match["status"]) != 200:
                continue
            if what == "a person of POST /eligibility":
                what, body = "POST /eligibility", {"as_of": AS_OF, "persons": [body]}
            yield f"{name}: {what}", what.split(" ", 1)[1], body
    readme = re.search(r"curl -s http://127\.0\.0\.1:5000(/\S+) .*? -d '(\{.*?\})'", _readme(), re.S)
    assert readme, "the README's request"
    yield "README.md", readme[1], json.loads(readme[2])


def _readme() -> str:
    return (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_documents_keep_their_request_examples() -> None:
    names = [name for name, _, _ in _published_examples()]
    assert (
        sum(name.startswith("api.md") for name in names) >= 1 and sum(name.startswith("dci.md") for name in names) >= 2
    )


def test_every_example_of_the_openapi_document_is_valid_and_answered(document: dict[str, Any], client) -> None:
    """The examples /docs shows (Try it out sends them): each valid against its own schema, and answered."""
    checked = 0
    for path, operations in document["paths"].items():
        content = operations.get("post", {}).get("requestBody", {}).get("content", {}).get("application/json")
        if not content:
            continue
        examples = [content["example"]] if "example" in content else []
        examples += [example["value"] for example in content.get("examples", {}).values()]
        validator = _validator(document, path)
        for example in examples:
            assert _refusals(validator, example) == [], (path, example)
            if path.endswith(("/dci/async/eligibility", "/by-identifier")):
                continue  # asynchronous: answered by a callback; by identifier: no registry here (docs/dci.md)
            answer = client.post(path, json=_fresh(path, example))
            expected = 404 if path.endswith("/txn/status") else 200  # no transaction T-1 yet: well formed
            assert answer.status_code == expected, (path, answer.text[:500])
            checked += 1
    assert checked >= 20


@pytest.mark.parametrize(("name", "path", "body"), list(_published_examples()), ids=lambda value: str(value)[:60])
def test_every_documented_request_is_valid_against_the_published_schema(document, client, name, path, body) -> None:
    assert _refusals(_validator(document, path), body) == [], name
    answer = client.post(path, json=_fresh(path, body))
    assert answer.status_code == 200, answer.text[:500]


def _beneficiary() -> dict[str, Any]:
    beneficiary = _record("ibr", BENEFICIARY)  # sex "F", is_disabled "0", identifiers as the IBR writes them
    beneficiary["member"]["demographic_info"]["person"]["birth_date"] = "1950-05-02"  # not 02.05.2004
    return beneficiary


# Requests the server reads (tests/api/test_dci_records.py, test_person_columns.py …), in the forms DCI writes
DCI_FORMS: dict[str, Any] = {
    "dates with times and offsets": [
        {"sex": "male", "birth_date": "1995-09-21T11:20:00"},
        {"sex": "male", "birth_date": "1964-06-15T23:30:00-05:00"},
        {"sex": "female", "birth_date": "1985-05-20T00:00:00Z", "child_birth_date": "2024-05-28T08:15:30.250+07:00"},
        {"birth_date": "1960-01-10T00:00"},
    ],
    "sex and flags as DCI codes": [
        {"sex": "F", "is_disabled": "1", "birth_date": "1990-01-01"},
        {"sex": "M", "is_disabled": "0", "is_available_for_work": "1"},
        {"sex": "Female"},
        {"sex": "unknown"},
        {"sex": "other"},
        {"sex": "2"},
        {"sex": "4"},
    ],
    "DCI fields accepted and ignored": [
        {
            "@type": "spdci:SRPerson",
            "@id": "https://registry.example.org/person/1",
            "identifier": {"identifier_type": "UIN", "identifier_value": "LA-0001"},
            "name": {"given_name": "Somphone", "surname": "Vongsa"},
            "address": [{"address_line1": "Ban Phonxay"}],
            "phone_number": "+856 20 5555 5555",
            "marital_status": "married",
            "birthdate": "1968-02-10",
            "sex": "female",
            "birth_date": "1968-02-10",
            "contribution_months": 192,
            "insured_wage": WAGES,
        }
    ],
    "fields written with the Social Registry's prefix": [
        {"spdci:sex": "male", "spdci:birth_date": "1960-01-01", "spdci:identifier": "P-9"}
    ],
    "a Social Registry Group": lambda: [_record("social", GROUP)],
    "a Member with facts beside it": [
        {
            "@type": "Member",
            "member_identifier": "M-1",
            "demographic_info": {"identifier": "P-1", "sex": "F", "birth_date": "1960-03-01T00:00:00Z"},
            "is_disabled": "0",
            "contribution_months": 300,
        }
    ],
    "a Member without @type, and a Group without one": [
        {"demographic_info": {"identifier": "P-2", "sex": "1", "birth_date": "1958-03-01"}},
        {
            "group_identifier": [{"identifier_type": "GID", "identifier_value": "G-1"}],
            "member_list": [{"demographic_info": {"identifier": "P-3", "sex": "male", "birth_date": "1990-01-01"}}],
        },
    ],
    "an IBR Beneficiary": lambda: [_beneficiary() | {"contribution_months": 300}],
    "a Disability Registry person without codes": lambda: [
        {key: value for key, value in _record("dr", DISABLED_PERSON).items() if not key.startswith("disability")}
        | {"is_disabled": True}
    ],
    "a person and the insurer's contribution record": [
        {"identifier": "9876543210", "sex": "female", "birth_date": "1960-01-01"},
        {"@type": "ContributionRecord", "identifier": "9876543210", "contribution_months": 60},
    ],
    "a history with a month not stated": [{"sex": "female", "insured_wage": {"2024-05": None, "2024-04": 1.5}}],
}


def _persons(name: str) -> list[Any]:
    persons = DCI_FORMS[name]
    return persons() if callable(persons) else copy.deepcopy(persons)


@pytest.mark.parametrize("name", list(DCI_FORMS))
@pytest.mark.parametrize("prefix", ["", "/vnm"])
def test_requests_in_dci_forms_are_valid_against_the_published_schema(document, client, name, prefix) -> None:
    body = {"as_of": AS_OF, "persons": _persons(name)}
    assert _refusals(_validator(document, f"{prefix}/eligibility"), body) == []
    answer = client.post(f"{prefix}/eligibility", json=body)
    assert answer.status_code == 200, answer.text[:500]


def test_a_dci_envelope_of_records_in_dci_forms_is_valid_against_the_published_schema(document, client) -> None:
    together = [name for name in DCI_FORMS if "contribution record" not in name]  # its person is the Group's head
    persons = [person for name in together for person in _persons(name)]
    envelope = {
        "header": {
            "version": "1.0.0",
            "message_id": uuid.uuid4().hex,
            "message_ts": "2024-06-15T10:00:00+07:00",
            "action": "eligibility",
            "sender_id": "registry.example.org",
            "total_count": len(persons),
        },
        "message": {"transaction_id": "T-forms", "eligibility_request": {"as_of": AS_OF, "persons": persons}},
    }
    assert _refusals(_validator(document, "/dci/sync/eligibility"), envelope) == []
    answer = client.post("/dci/sync/eligibility", json=envelope)
    assert answer.status_code == 200 and answer.json()["header"]["status"] == "succ", answer.text[:500]


REFUSED: dict[str, Any] = {
    "a sex that is no value nor DCI code": {"sex": "X"},
    "a month that does not exist": {"insured_wage": {"2026-13": 100.0}},
    "a month before the calendar": {"insured_wage": {"0999-12": 100.0}},
    "an amount above the maximum": {"career_average_insured_wage": 1e16},
    "a degree above 100": {"disability_degree": 101},
    "a count below 0": {"contribution_months": -1},
    "an unknown field": {"contributions_months": 5},
    "an unknown prefixed field": {"spdci:contributions_months": 5},
    "a date outside the calendar": {"birth_date": "1899-12-31"},
    "a date that is no day": {"birth_date": "2024-02-30"},
    "a time that is no time": {"birth_date": "1995-09-21T25:20:00"},
    "a date written another way": {"birth_date": "02.05.2004"},
    "a flag in another text": {"is_disabled": "yes"},
    "an empty identifier": {"identifier": ""},
    "an identifier too long": {"identifier": "x" * 129},
    "too many identifiers": {"identifier": [{"identifier_type": "UIN", "identifier_value": str(n)} for n in range(17)]},
    "a record type not understood": {"@type": "spdci:Farmer", "birth_date": "1950-01-01"},
    "a Member with no person": {"@type": "Member", "member_identifier": "m1"},
    "a Group with no members": {"@type": "Group", "member_list": []},
    "a Disability Registry code no source maps": {"personal_details": {"identifier": "1"}, "disability_level": "2"},
}


@pytest.mark.parametrize("name", list(REFUSED))
def test_what_the_server_refuses_the_schema_refuses(document, client, name) -> None:
    body = {"as_of": AS_OF, "persons": [REFUSED[name]]}
    answer = client.post("/eligibility", json=body)
    assert answer.status_code == 422, answer.text[:500]
    assert _refusals(_validator(document, "/eligibility"), body) != [], "the schema accepts what the server refuses"


@pytest.mark.parametrize(
    "body",
    [
        {"as_of": "2024-13-01", "persons": [{}]},
        {"as_of": "2200-01-01", "persons": [{}]},
        {"as_of": AS_OF, "persons": []},
        {"as_of": AS_OF, "persons": [{}], "branches": ["pension"]},
        {"as_of": AS_OF, "persons": [{}], "asof": AS_OF},
    ],
    ids=["no month 13", "beyond the calendar", "no person", "a branch that is none", "an unknown field"],
)
def test_a_request_refused_by_the_server_is_refused_by_the_schema(document, client, body) -> None:
    assert client.post("/eligibility", json=body).status_code == 422
    assert _refusals(_validator(document, "/eligibility"), body) != []


@pytest.mark.parametrize(
    "situation",
    [
        {"persons": {}},
        {"persons": {"a": {}}, "axes": [[{"name": "contribution_months", "count": 2, "min": 0, "max": 9}]]},
        {"persons": {"a": {}}, "families": {}},
        {"households": {"h": {}}},
        {"persons": {"a": 5}},
    ],
    ids=["no person", "axes (/trace only)", "an entity the rules lack", "no persons", "a person not an object"],
)
def test_a_situation_calculate_refuses_is_refused_by_its_schema(document, client, situation) -> None:
    assert client.post("/calculate", json=situation).status_code == 400
    assert _refusals(_validator(document, "/calculate"), situation) != []


def test_the_schema_declares_what_it_accepts_and_ignores(document: dict[str, Any]) -> None:
    """A generated client has a field for each DCI field the server ignores, each DCI value form, each record."""
    schemas = document["components"]["schemas"]
    person = schemas["PersonRecord_lao"]
    assert person["additionalProperties"] is False
    assert {"name", "address", "@id", "phone_number"} <= set(person["properties"])
    assert "accepted and ignored" in person["properties"]["name"]["description"]
    sex = json.dumps(person["properties"]["sex"])
    assert all(f'"{code}"' in sex for code in ("male", "M", "F", "unknown"))
    assert '"ge"' not in json.dumps(schemas) and '"le"' not in json.dumps(schemas)  # no JSON Schema keywords
    items = schemas["EligibilityRequest_lao"]["properties"]["persons"]["items"]
    assert {"#/components/schemas/DCIGroup", "#/components/schemas/IBRBeneficiary"} <= {
        alternative.get("$ref") for alternative in items["anyOf"]
    }


@cache
def _person_schema_and_model() -> tuple[Any, Any]:
    from openfisca_sp import tax_benefit_system
    from openfisca_sp.api.models import person_record_model

    model = person_record_model(tax_benefit_system("lao"))
    return jsonschema_rs.Draft202012Validator(model.model_json_schema(), validate_formats=True), model


DIGITS = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
DATE_TEXTS = st.from_regex(
    rf"\A({DIGITS}|{DIGITS}T[0-9]{{2}}:[0-9]{{2}}(:[0-9]{{2}}(\.[0-9]{{1,3}})?)?(Z|[+-][0-9]{{2}}:[0-9]{{2}})?)\Z"
)


@settings(max_examples=400, deadline=None)
@given(
    field=st.sampled_from(["birth_date", "sex", "is_disabled"]),
    value=st.one_of(DATE_TEXTS, st.sampled_from(["M", "F", "Male", "m", "0", "1", "01", "true", "3", "other", ""])),
)
def test_the_schema_of_a_value_accepts_what_the_model_reads(field: str, value: str) -> None:
    """Without a server: the JSON Schema of a person record accepts a value whenever the model reads it, and
    refuses it whenever the model refuses it, but for a date and time on a day no month has (2024-02-30T10:00,
    which no pattern of this size tells from a real day)."""
    validator, model = _person_schema_and_model()
    try:
        model.model_validate({field: value})
        read = True
    except ValidationError:
        read = False
    assert validator.is_valid({field: value}) == read or (not read and "T" in value and field == "birth_date"), value
