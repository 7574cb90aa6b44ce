"""Every answer of a jurisdiction's route says its jurisdiction, errors too; a query a route of ours does not read is
refused by name, where the routes copied from ``openfisca serve`` accept it as the reference does; the compliance
query documents the values it takes."""

from __future__ import annotations

import re

import pytest

from tests.api.server import Server

JURISDICTION = "openfisca-sp-jurisdiction"


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "jurisdiction"),
    [
        ("POST", "/vnm/eligibility", {"as_of": "2024-06-15", "persons": [{"sex": "x"}]}, 422, "vnm"),
        ("POST", "/eligibility", {"as_of": "2024-06-15", "persons": [{"sex": "x"}]}, 422, "lao"),
        ("POST", "/vnm/calculate", {"persons": {"a": {"no_such_variable": {"2024": 1}}}}, 404, "vnm"),
        ("GET", "/vnm/parameter/no.such.parameter", None, 404, "vnm"),
        ("GET", "/parameter/no.such.parameter", None, 404, "lao"),
        ("GET", "/vnm/dci/sync/eligibility", None, 405, "vnm"),
    ],
)
def test_an_error_of_a_jurisdiction_s_route_says_its_jurisdiction(
    client, method: str, path: str, body: object, status: int, jurisdiction: str
) -> None:
    answer = client.request(method, path, json=body) if body is not None else client.request(method, path)
    assert answer.status_code == status, answer.text[:300]
    assert answer.headers.get(JURISDICTION) == jurisdiction
    assert answer.headers["openfisca-sp-rules-version"].startswith("openfisca-sp ")


def test_a_refusal_before_the_route_says_the_jurisdiction_too(server: Server) -> None:
    """No API key: refused by the middleware before any route runs."""
    with server.client() as http:
        refused = http.post("/vnm/eligibility", json={"as_of": "2024-06-15", "persons": [{}]})
    assert refused.status_code == 401
    assert refused.headers.get(JURISDICTION) == "vnm"


@pytest.mark.parametrize("path", ["/health", "/compliance?date=2024-02-30", "/xyz/eligibility", "/vnm/no-such-route"])
def test_routes_of_no_jurisdiction_say_none(client, path: str) -> None:
    assert JURISDICTION not in client.get(path).headers


@pytest.mark.parametrize("path", ["/health", "/ready", "/metrics", "/.well-known/jwks.json"])
def test_a_query_a_route_of_ours_does_not_read_is_refused_by_name(client, path: str) -> None:
    assert client.get(path).status_code == 200
    refused = client.get(f"{path}?verbose=1")
    assert refused.status_code == 422, refused.text[:300]
    assert refused.json()["field"] == "query.verbose"
    assert "unknown query parameter 'verbose'" in refused.json()["errors"][0]["message"]


def test_the_compliance_query_documents_the_values_it_takes(client) -> None:
    """Schemathesis sent ``reform=k`` and ``date=9426-07-12``, which the document allowed (any text) and the route
    refuses: the document now lists the jurisdictions and reforms, and the dates' form; each value listed is
    answered, one beside them refused naming its field."""
    parameters = client.get("/openapi.json").json()["paths"]["/compliance"]["get"]["parameters"]
    schemas = {parameter["name"]: parameter["schema"] for parameter in parameters}
    assert set(schemas["jurisdiction"]["enum"]) == {"ilo_c102", "lao", "tjk", "vnm"}
    for reform in schemas["reform"]["enum"]:
        assert client.get("/compliance", params={"reform": reform}).status_code == 200, reform
    for jurisdiction in schemas["jurisdiction"]["enum"]:
        assert client.get("/compliance", params={"jurisdiction": jurisdiction}).status_code == 200, jurisdiction
    pattern = re.compile(schemas["date"]["pattern"])
    for date, taken in (("1900-01-01", True), ("2999-12-31", True), ("1899-12-31", False), ("9426-07-12", False)):
        assert bool(pattern.match(date)) == taken == (client.get("/compliance", params={"date": date}).is_success)
    for name, value in (("reform", "k"), ("jurisdiction", "xyz")):
        refused = client.get("/compliance", params={name: value})
        assert refused.status_code == 422 and refused.json()["field"] == name, refused.text


@pytest.mark.parametrize("name", ["date", "jurisdiction", "reform"])
def test_a_compliance_query_given_empty_is_refused_not_read_as_its_default(client, name: str) -> None:
    """``/compliance?date=`` answered today's report, which the document's pattern does not allow (an empty
    date is none): FastAPI reads an empty value as no value. Noted in stop 76, fixed in stop 77."""
    refused = client.get(f"/compliance?{name}=")
    assert refused.status_code == 422, refused.text
    body = refused.json()
    assert body["field"] == f"query.{name}"
    assert body["expected"] == f"a value, or no {name} parameter for its default"
    assert client.get("/compliance").status_code == 200
