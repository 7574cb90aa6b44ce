"""Every refusal an integrator's mistake gets is described by the OpenAPI document the server publishes: the live
answer's body validates against the schema its operation documents for that status (a client generated from the
document can read it), and each answer's rules-version headers are documented where they are sent."""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

import httpx
import jsonschema_rs
import pytest

from tests.api.server import API_KEYS, Server

PERSON = {"sex": "female", "birth_date": "1990-01-01"}
ENVELOPE = {
    "signature": "",
    "header": {
        "version": "1.0.0",
        "message_id": "error-schemas-1",
        "message_ts": "2026-01-01T00:00:00Z",
        "action": "eligibility",
        "sender_id": "spp.example.org",
        "total_count": 1,
        "is_msg_encrypted": False,
    },
    "message": {"transaction_id": "T-1", "eligibility_request": {"as_of": "2024-06-15", "persons": [{"sex": "X"}]}},
}

# (method, path as sent, key sent, JSON body or raw text, content type, status): each a mistake an integrator makes
MISTAKES = [
    ("POST", "/eligibility", API_KEYS[0], "{bad", "application/json", 400),
    ("POST", "/eligibility", None, {"as_of": "2024-06-15", "persons": [PERSON]}, "application/json", 401),
    ("POST", "/eligibility", "not-a-key", {"as_of": "2024-06-15", "persons": [PERSON]}, "application/json", 403),
    ("POST", "/eligibility", API_KEYS[0], "{}", "text/plain", 415),
    ("POST", "/vnm/eligibility", API_KEYS[0], {"as_of": "2024-02-30", "persons": []}, "application/json", 422),
    (
        "POST",
        "/tjk/eligibility",
        API_KEYS[0],
        {"as_of": "2024-06-15", "branches": ["old-age"]},
        "application/json",
        422,
    ),
    (
        "POST",
        "/lao/eligibility",
        API_KEYS[0],
        {"as_of": "2024-06-15", "persons": [PERSON | {"child_birth_date": "2025-01-01"}]},
        "application/json",
        422,
    ),
    ("POST", "/eligibility", API_KEYS[0], {"as_of": "2024-06-15", "persons": [{}] * 10_001}, "application/json", 413),
    ("POST", "/eligibility/by-identifier", API_KEYS[0], {"as_of": "2024-06-15"}, "application/json", 422),
    ("POST", "/dci/sync/eligibility", API_KEYS[0], ENVELOPE, "application/json", 422),
    ("POST", "/calculate?as_of=2024-06-15", API_KEYS[0], {"persons": {"a": {}}}, "application/json", 422),
    ("POST", "/vnm/trace?period=2024-06", API_KEYS[0], {"persons": {"a": {}}}, "application/json", 422),
    ("GET", "/parameter/no.such.parameter", API_KEYS[0], None, None, 404),
    ("GET", "/vnm/variable/no_such_variable", API_KEYS[0], None, None, 404),
    ("GET", "/compliance?jurisdiction=xx", API_KEYS[0], None, None, 422),
    ("GET", "/compliance.html?jurisdiction=xx", API_KEYS[0], None, None, 422),
]


@cache
def _document(url: str) -> dict[str, Any]:
    return httpx.get(f"{url}/openapi.json", headers={"X-API-Key": API_KEYS[0]}, timeout=60).json()


def _operation(document: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    """The operation of ``document`` that answers ``method`` at ``path`` (its query string aside)."""
    path = path.split("?")[0]
    for template, operations in document["paths"].items():
        pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path) and method.lower() in operations:
            return operations[method.lower()]
    raise AssertionError(f"no operation for {method} {path}")


def _send(server: Server, method: str, path: str, key: str | None, body: Any, content_type: str | None):
    headers = {"X-API-Key": key} if key else {}
    if content_type:
        headers["Content-Type"] = content_type
    content = body if isinstance(body, str) or body is None else json.dumps(body)
    with server.client() as http:
        return http.request(method, path, content=content, headers=headers)


@pytest.mark.parametrize(("method", "path", "key", "body", "content_type", "status"), MISTAKES)
def test_each_refusal_is_the_error_its_operation_documents(
    server: Server, method: str, path: str, key: str | None, body: Any, content_type: str | None, status: int
) -> None:
    answer = _send(server, method, path, key, body, content_type)
    assert answer.status_code == status, answer.text[:500]
    document = _document(server.url)
    responses = _operation(document, method, path)["responses"]
    assert str(status) in responses, f"{status} not documented for {method} {path}"
    schema = responses[str(status)].get("content", {}).get("application/json", {}).get("schema")
    assert schema, f"{status} of {method} {path} is documented without a body schema"
    validator = jsonschema_rs.validator_for({**schema, "components": document["components"]})
    problems = [error.message for error in validator.iter_errors(answer.json())]
    assert not problems, (answer.json(), problems)
    assert answer.json()["error"] and (answer.json().get("field") or answer.json()["errors"][0]["field"])


def test_no_operation_documents_a_body_the_service_never_writes(server: Server) -> None:
    """FastAPI documents its own ``{"detail": [...]}`` 422 wherever a route takes a parameter; the service answers
    ``{"error", "errors": [{"field", …}]}`` instead, and a path's text cannot be refused at all."""
    text = json.dumps(_document(server.url))
    assert "HTTPValidationError" not in text
    document = _document(server.url)
    assert "422" not in _operation(document, "GET", "/variable/birth_date")["responses"]
    assert "422" not in _operation(document, "GET", "/lao/parameter/maternity.benefit_rate")["responses"]


@pytest.mark.parametrize("path", ["/eligibility", "/vnm/eligibility", "/health", "/parameter/maternity.benefit_rate"])
def test_the_rules_version_headers_are_documented_where_they_are_sent(server: Server, path: str) -> None:
    body = {"as_of": "2024-06-15", "branches": ["old_age"], "persons": [PERSON]} if path.endswith("y") else None
    answer = _send(server, "POST" if body else "GET", path, API_KEYS[0], body, "application/json" if body else None)
    assert answer.status_code == 200, answer.text[:300]
    documented = _operation(_document(server.url), "POST" if body else "GET", path)["responses"]["200"]["headers"]
    names = {name.lower() for name in documented}
    assert {"openfisca-sp-rules-version", "x-request-id"} <= names
    for name in documented:
        assert name.lower() in answer.headers, f"{name} documented, not sent"
    if body:
        assert answer.headers["OpenFisca-SP-Legislation-Date"] == "2024-06-15"
        assert {"openfisca-sp-jurisdiction", "openfisca-sp-legislation-date"} <= names


# decisions of every shape a delivery system meets: granted, refused, undetermined, not modelled, paid by a schedule
# or not, and after a death (`deceased_on`, a `note`), in the three national jurisdictions
DECIDED = {
    "lao": [
        PERSON
        | {
            "contribution_months": 40,
            "pregnancy_outcome": "live_birth",
            "child_birth_date": "2024-05-28",
            "number_of_children_born": 2,
            "insured_wage": dict.fromkeys(["2023-11", "2023-12", "2024-01", "2024-02", "2024-03", "2024-04"], 3e6),
        },
        {"sex": "male", "birth_date": "1950-01-01", "contribution_months": 100, "old_age_claim_date": "2012-06-01"},
        {"@type": "Person", "identifier": "P1", "sex": "M", "birthdate": "1950-01-01", "deathdate": "2024-01-01"},
    ],
    "vnm": [
        {"sex": "female", "birth_date": "2010-01-01", "is_disabled": True, "disability_category": 1},
        {"sex": "male", "birth_date": "1960-01-01", "contribution_months": 100, "career_average_insured_wage": 7e6},
    ],
    "tjk": [{"sex": "male", "birth_date": "1961-03-01", "contribution_months": 300, "pension_capital": 90000}],
}


@pytest.mark.parametrize("jurisdiction", sorted(DECIDED))
def test_every_field_of_a_decision_is_documented_and_its_values_listed(client: httpx.Client, jurisdiction: str) -> None:
    """A generated client knows every field an answer holds, and the values of the ones it branches on (``reason``,
    ``duration.unit``, ``event.kind``, ``frequency``): no field the document does not name, none outside its list."""
    answer = client.post(f"/{jurisdiction}/eligibility", json={"as_of": "2024-06-15", "persons": DECIDED[jurisdiction]})
    assert answer.status_code == 200, answer.text[:500]
    document = client.get("/openapi.json").json()
    schemas = document["components"]["schemas"]
    closed = json.loads(json.dumps(schemas))  # each object of the answer closed: a field not named fails
    for name in ("EligibilityResponse", "PersonDecisions", "BranchDecision", "Payments", "Duration", "Event"):
        closed[name]["additionalProperties"] = False
    validator = jsonschema_rs.validator_for(
        {"$ref": "#/components/schemas/EligibilityResponse", "components": {"schemas": closed}}
    )
    problems = [f"{list(error.instance_path)}: {error.message[:200]}" for error in validator.iter_errors(answer.json())]
    assert not problems, problems
    decision = schemas["BranchDecision"]["properties"]
    assert "deceased" in json.dumps(decision["reason"]) and "below_pensionable_age" in json.dumps(decision["reason"])
    assert "monthly" in json.dumps(decision["frequency"])
    assert schemas["Duration"]["properties"]["unit"].get("enum")
    assert schemas["Event"]["properties"]["kind"].get("enum")
    assert {"verified", "verified_2nd", "unverified"} <= set(
        json.dumps(schemas["Citation"]["properties"]["status"]).split('"')
    )
