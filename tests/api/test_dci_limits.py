"""A DCI message over a limit of the service is refused as the DCI routes refuse (a real server with small limits):
its header read, with the ``rjct`` header of ``rjct.total_count.limit_exceeded`` (a ``NACK`` asynchronously), the
limit and the place named; before its header is read (a body too large, too many values), with DCI's
``HttpErrorResponse``. Each is valid against the published schemas and keeps its HTTP status, 413: these were the
service's plain JSON (``{"error": …}``), no DCI message at all."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.api.server import Server, start
from tests.api.test_dci_async import ACK, _valid
from tests.api.test_dci_envelope import PERSONS, _message
from tests.api.test_rules_day_bounds import _months_apart

HEADER = "/components/schemas/MsgCallbackHeader_V1.0.0"
HTTP_ERROR = "/components/responses/HttpErrorResponse/content/application~1json/schema"
ERROR = "/components/schemas/Error"
ROUTES = ("/dci/sync/eligibility", "/dci/async/eligibility", "/lao/dci/sync/eligibility")
SENDER_URI = "http://127.0.0.1:9/callback/on-eligibility"  # never called: every message here is refused


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    environment = {
        "OPENFISCA_SP_MAX_BODY_BYTES": str(64 * 1024),
        "OPENFISCA_SP_MAX_JSON_VALUES": "5000",
        "OPENFISCA_SP_MAX_PERSONS": "50",
        "OPENFISCA_SP_MAX_RULES_DAYS": "3",
        "OPENFISCA_SP_DCI_CALLBACK_HOSTS": "127.0.0.1",
        "OPENFISCA_SP_API_KEYS": "",
        "OPENFISCA_SP_API_KEYS_FILE": "",
    }
    server: Server = start(environment=environment)
    try:
        with server.client() as http:
            yield http
    finally:
        server.stop()


def _sent(records: list[Any], route: str) -> dict[str, Any]:
    message = _message(records)
    if "async" in route:
        message["header"]["sender_uri"] = SENDER_URI
    return message


def _refused_header(answer: httpx.Response, route: str) -> dict[str, Any]:
    """The ``rjct`` header of a 413 refusal, checked against the specification (and its ``NACK``, asynchronously)."""
    assert answer.status_code == 413, answer.text[:500]
    assert answer.headers["x-correlation-id"]
    body = answer.json()
    if "async" in route:
        _valid("registry_core", ACK, body)
        assert body["message"]["ack_status"] == "NACK"
    else:
        assert set(body) == {"header"}
    _valid("registry_core", HEADER, body["header"])
    assert body["header"]["status"] == "rjct" and body["header"]["completed_count"] == 0
    assert body["header"]["status_reason_code"] == "rjct.total_count.limit_exceeded"
    return body["header"]


@pytest.mark.parametrize("route", ROUTES)
def test_a_group_over_the_persons_limit_is_a_dci_refusal(client: httpx.Client, route: str) -> None:
    group = {
        "@type": "Group",
        "group_identifier": [{"identifier_type": "HH", "identifier_value": "H1"}],
        "member_list": [
            {
                "@type": "Member",
                "demographic_info": {"identifier": f"M{index}", "sex": "male", "birth_date": "1950-01-01"},
            }
            for index in range(60)
        ],
    }
    header = _refused_header(client.post(route, json=_sent([group], route)), route)
    reason = header["status_reason_message"]
    assert "persons[0] (a Group) holds 60" in reason and "at most 50 persons" in reason, reason


@pytest.mark.parametrize("route", ["/vnm/dci/sync/eligibility", "/vnm/dci/async/eligibility"])
def test_claims_on_too_many_rules_days_are_a_dci_refusal(client: httpx.Client, route: str) -> None:
    header = _refused_header(client.post(route, json=_sent(_months_apart(4), route)), route)
    reason = header["status_reason_message"]
    assert "persons[3].child_birth_date" in reason and "at most 3 distinct months" in reason, reason


@pytest.mark.parametrize("route", [*ROUTES, "/dci/txn/status"])
@pytest.mark.parametrize("kind", ["bytes", "values"])
def test_a_message_too_large_to_read_is_a_dci_http_error(client: httpx.Client, route: str, kind: str) -> None:
    if kind == "bytes":
        records = [dict(PERSONS[0], identifier=f"P{index}", address="x" * 2_000) for index in range(40)]
    else:
        records = [dict(PERSONS[0], identifier=f"P{index}", meta=list(range(200))) for index in range(40)]
    content = json.dumps(_sent(records, route)).encode()
    answer = client.post(route, content=content, headers={"Content-Type": "application/json"})
    assert answer.status_code == 413, answer.text[:500]
    body = answer.json()
    _valid("registry_core", HTTP_ERROR, body)
    (error,) = body["errors"]
    _valid("registry_core", ERROR, error)
    assert error["code"] == "err.request.bad" and error["field"] == "body"
    expected = "at most 65536 bytes" if kind == "bytes" else "at most 5000 JSON values"
    assert error["expected"] == expected and expected in error["message"], error


def test_other_routes_keep_the_service_s_own_413(client: httpx.Client) -> None:
    """Only the DCI routes answer DCI: ``/eligibility`` keeps ``{"error", "field", "expected"}``."""
    records = [dict(PERSONS[0], identifier=f"P{index}", address="x" * 2_000) for index in range(40)]
    answer = client.post("/eligibility", json={"as_of": "2024-06-15", "persons": records})
    assert answer.status_code == 413 and answer.json()["field"] == "body", answer.text[:300]
