"""Protection by configuration, on real servers: keys on every route (read before the body), keys from a file,
open routes, rates per key, CORS origins, links from the public URL, and strict, documented inputs."""

from __future__ import annotations

import gzip
import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.api.server import API_KEYS, MAX_BODY_BYTES, Server, start

KEY = {"X-API-Key": API_KEYS[0]}


@pytest.fixture(scope="module")
def configured(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    keys = tmp_path_factory.mktemp("keys") / "keys.txt"
    keys.write_text("# keys of the registry\nkey-from-file\n\nother-key  # the MIS\ns3cr#et-part\n", encoding="utf-8")
    running = start(
        environment={
            "OPENFISCA_SP_API_KEYS_FILE": str(keys),
            "OPENFISCA_SP_OPEN_PATHS": "/ready",
            "OPENFISCA_SP_RATE_LIMIT": "5",
            "OPENFISCA_SP_CORS_ORIGINS": "https://portal.example.org",
            "OPENFISCA_SP_PUBLIC_URL": "https://api.example.org/social",
        }
    )
    yield running
    running.stop()


def _raw(url: str, data: bytes, wait: float = 5.0) -> bytes:
    """Send raw bytes on a new connection and read what comes back until it closes or ``wait`` passes."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=wait) as connection:
        connection.sendall(data)
        received = b""
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                chunk = connection.recv(65536)
            except (TimeoutError, ConnectionResetError):
                break
            if not chunk:
                break
            received += chunk
            if b"\r\n\r\n" in received and b"connection: close" in received.lower():
                time.sleep(0.05)
    return received


def test_a_request_without_a_key_is_refused_before_its_body_is_read(server: Server) -> None:
    """A 30 MB body announced without a key: refused at once, without waiting for a byte of it."""
    started = time.monotonic()
    head = (
        b"POST /eligibility HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 31000000\r\n\r\n"
    )
    answer = _raw(server.url, head, wait=5)
    assert answer.startswith(b"HTTP/1.1 401"), answer[:200]
    assert time.monotonic() - started < 2


@pytest.mark.parametrize("path", ["/health", "/docs/oauth2-redirect", "/explorer/index.html"])
def test_a_body_sent_without_a_key_to_an_open_route_is_refused_unread(server: Server, path: str) -> None:
    """An outside review: with keys set, 25 MiB bodies announced to the open /health were read and held in flight
    until keyed requests got 503; no open route takes a body, so it is refused before a byte of it is read."""
    head = f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 26000000\r\n\r\n"
    answer = _raw(server.url, head.encode(), wait=2)
    assert answer.startswith(b"HTTP/1.1 405"), answer[:200]
    assert b'"expected":"one of GET, HEAD"' in answer and b"allow: get, head" in answer.lower()


def test_keys_from_a_file_protect_every_route_but_those_set_open(configured: Server) -> None:
    with configured.client() as anonymous:
        for path in ("/health", "/docs", "/parameters", "/openapi.json"):
            assert anonymous.get(path).status_code == 401, path
        assert anonymous.get("/ready").status_code == 200
    with configured.client(**{"X-API-Key": "other-key"}) as known:
        assert known.get("/health").status_code == 200


def test_the_document_locks_the_operations_a_key_protects_and_no_other(server: Server, client) -> None:
    """Schemathesis found /health, /ready and /.well-known/jwks.json documented as needing ``X-API-Key`` (every
    operation carried the lock): each operation now shows the lock, and the key's refusals among its answers,
    exactly when a request without a key is refused."""
    document = client.get("/openapi.json").json()
    locked = {"get": 0, "other": 0}
    with server.client() as anonymous:
        for path, item in document["paths"].items():
            for method, operation in item.items():
                if "{" in path or not isinstance(operation, dict):
                    continue
                status = anonymous.request(method.upper(), path).status_code
                assert (status == 401) == ("security" in operation), (method, path, status)
                assert ("401" in operation["responses"]) == ("security" in operation), (method, path)
                locked["get" if method == "get" else "other"] += "security" in operation
    assert locked["get"] > 5 and locked["other"] > 20, locked  # the protected ones are many, and locked


def test_an_open_dci_route_keeps_its_own_refusals_in_the_document() -> None:
    """The key's refusals leave an open operation's answers, not those of a DCI route's bearer token and
    signatures (401, 403), which it gives with or without keys; without keys no operation shows the lock."""
    from openfisca_sp.api.app import create_jurisdictions_app
    from openfisca_sp.api.settings import Settings

    opened = create_jurisdictions_app(Settings(api_keys=("k",), open_paths=("/dci",)), codes=["vnm"]).openapi()
    answers = opened["paths"]["/dci/sync/eligibility"]["post"]["responses"]
    assert "security" not in opened["paths"]["/dci/sync/eligibility"]["post"] and "429" not in answers
    assert "bearer token" in answers["401"]["description"] and "signature" in answers["403"]["description"]
    assert "security" in opened["paths"]["/vnm/eligibility"]["post"]
    keyless = create_jurisdictions_app(Settings(), codes=["vnm"]).openapi()
    assert not [path for path, item in keyless["paths"].items() for op in item.values() if "security" in op]


def test_a_hash_within_a_key_is_part_of_it(configured: Server) -> None:
    """Any ``#`` started a comment: ``s3cr#et-part`` was read as ``s3cr``, refused whole and accepted cut short.
    A comment starts at a ``#`` that begins a line or follows a space."""
    with configured.client(**{"X-API-Key": "s3cr#et-part"}) as whole:
        assert whole.get("/health").status_code == 200
    for prefix in ("s3cr", "s3cr#", "# the MIS", "the"):
        with configured.client(**{"X-API-Key": prefix}) as cut:
            assert cut.get("/health").status_code == 403, prefix


def test_each_key_is_limited_to_its_rate(configured: Server) -> None:
    with configured.client(**{"X-API-Key": "key-from-file"}) as http:
        answers = [http.get("/variables").status_code for _ in range(7)]
        assert answers[:5] == [200] * 5 and answers[5] == 429
        limited = http.get("/variables")
        assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
        assert limited.json()["field"] == "header X-API-Key" and "requests a minute" in limited.json()["expected"]


def test_cors_answers_only_the_configured_origins_and_headers(configured: Server) -> None:
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type,x-api-key"}
    with configured.client() as http:
        allowed = http.options("/eligibility", headers={"Origin": "https://portal.example.org", **preflight})
        assert allowed.headers.get("access-control-allow-origin") == "https://portal.example.org"
        foreign = http.options("/eligibility", headers={"Origin": "https://evil.example", **preflight})
        assert "access-control-allow-origin" not in foreign.headers
        odd = http.options(
            "/eligibility",
            headers={
                "Origin": "https://portal.example.org",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "x-injected-header",
            },
        )
        assert "x-injected-header" not in odd.headers.get("access-control-allow-headers", "").lower()
        # refusals in JSON, naming the preflight header refused and what is allowed
        assert foreign.status_code == 400 and foreign.json() == {
            "error": "CORS preflight refused: origin not allowed",
            "field": "header Origin",
            "expected": ["https://portal.example.org"],
        }
        assert odd.status_code == 400 and odd.json()["field"] == "header Access-Control-Request-Headers"
        assert "x-api-key" in odd.json()["expected"]
        asked = http.post("/eligibility", headers={"Origin": "https://portal.example.org"}, json={})
        exposed = {name.strip().lower() for name in asked.headers["access-control-expose-headers"].split(",")}
        assert {"openfisca-sp-jurisdiction", "openfisca-sp-legislation-date", "server-timing"} <= exposed


def test_preflights_are_logged_and_counted_with_their_request_id(configured: Server) -> None:
    """CORS preflights are answered in front of the service's middleware (they carry no key), where the access log
    and the metrics did not see them: a portal's refused preflights left no trace."""
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
    with configured.client() as http:
        allowed = http.options(
            "/eligibility",
            headers={"Origin": "https://portal.example.org", "X-Request-ID": "preflight-allowed", **preflight},
        )
        refused = http.options(
            "/lao/calculate",
            headers={"Origin": "https://evil.example", "X-Request-ID": "preflight-refused", **preflight},
        )
        metrics = http.get("/metrics", headers={"X-API-Key": "other-key"}).text
    assert allowed.status_code == 200 and allowed.headers["x-request-id"] == "preflight-allowed"
    assert refused.status_code == 400 and refused.headers["x-request-id"] == "preflight-refused"
    log = configured.log_with('"request_id":"preflight-allowed"', '"request_id":"preflight-refused"')
    lines = {
        line["request_id"]: line for line in map(json.loads, filter(lambda x: x.startswith("{"), log.splitlines()))
    }
    assert {key: lines["preflight-allowed"][key] for key in ("method", "path", "status")} == {
        "method": "OPTIONS",
        "path": "/eligibility",
        "status": 200,
    }
    assert lines["preflight-refused"]["path"] == "/lao/calculate" and lines["preflight-refused"]["status"] == 400
    assert lines["preflight-refused"]["response_bytes"] == len(refused.content) > 0
    assert 'openfisca_sp_requests_total{method="OPTIONS",route="/eligibility",status="200"}' in metrics


def test_links_and_redirects_name_the_public_url_whatever_the_host_header(configured: Server) -> None:
    with configured.client(**{"X-API-Key": "other-key", "Host": "evil.example"}) as http:
        links = http.get("/parameters").json()
        assert all(item["href"].startswith("https://api.example.org/social/parameter/") for item in links.values())
        assert http.get("/spec").json()["servers"] == [{"url": "https://api.example.org/social"}]
        assert "evil.example" not in http.get("/").text
        moved = http.get("/variables/", follow_redirects=False)
        if moved.status_code in (301, 307, 308):
            assert moved.headers["location"].startswith("https://api.example.org/social")


def test_head_is_answered_where_get_is(client) -> None:
    for path in ("/health", "/parameters", "/variable/birth_date"):
        answer = client.head(path)
        assert answer.status_code == 200, path
        assert answer.content == b"" and int(answer.headers["content-length"]) > 0


@pytest.mark.parametrize(
    ("content_type", "status"),
    [("text/plain", 415), ("application/x-www-form-urlencoded", 415), (None, 415), ("application/json", 400)],
)
def test_a_body_must_be_declared_json_and_be_json(client, content_type: str | None, status: int) -> None:
    headers = {"content-type": content_type} if content_type else {}
    answer = client.post("/eligibility", content=b"{not json", headers=headers)
    assert answer.status_code == status, answer.text
    body = answer.json()
    assert body["expected"] in ("application/json", "a JSON document") and body["field"] in (
        "body",
        "header Content-Type",
    )


@pytest.mark.parametrize("path", ["/calculate", "/eligibility", "/dci/sync/eligibility"])
@pytest.mark.parametrize(
    ("headers", "field", "expected"),
    [
        ({"content-encoding": "gzip"}, "header Content-Encoding", "none (identity): the body uncompressed"),
        ({"content-type": "application/json; charset=utf-16"}, "header Content-Type", "application/json in UTF-8"),
    ],
)
def test_a_compressed_or_non_utf8_body_is_refused_by_its_header(client, path, headers, field, expected) -> None:
    """Bodies are read as sent, in UTF-8: gzip was ignored and its bytes reported as invalid JSON at 0."""
    body = gzip.compress(b'{"persons": {"a": {}}}') if "content-encoding" in headers else '{"a": 1}'.encode("utf-16")
    answer = client.post(path, content=body, headers={"content-type": "application/json", **headers})
    assert answer.status_code == 415, answer.text
    assert answer.json()["field"] == field and answer.json()["expected"].startswith(expected)


@pytest.mark.parametrize(
    "declared",
    ["application/json;;;==", "application/json; charset", "application/json; charset=utf-8; charset=latin1"],
)
def test_a_malformed_content_type_is_a_415_naming_the_header(client, declared: str) -> None:
    """``application/json;;;==`` was read as its first word and accepted (found by a review): a header that is no
    media type and name=value parameters is refused, by the standard library's parser."""
    answer = client.post(
        "/eligibility", json={"as_of": "2024-06-01", "persons": [{}]}, headers={"content-type": declared}
    )
    assert answer.status_code == 415, answer.text
    body = answer.json()
    assert (body["error"], body["field"], body["received"]) == (
        "Malformed Content-Type",
        "header Content-Type",
        declared,
    )
    assert body["expected"].startswith("application/json, any parameter written name=value")


@pytest.mark.parametrize(
    "declared", ["application/json;", "application/json;;charset=utf-8", 'Application/JSON; CharSet="UTF-8"']
)
def test_a_well_formed_content_type_is_read(client, declared: str) -> None:
    """RFC 9110 lets a parameter list hold empty entries, and names and types in any case."""
    answer = client.post(
        "/eligibility", json={"as_of": "2024-06-01", "persons": [{}]}, headers={"content-type": declared}
    )
    assert answer.status_code == 200, answer.text


@pytest.mark.parametrize("path", ["/calculate", "/eligibility", "/dci/sync/eligibility"])
def test_bytes_that_are_not_utf8_are_named_with_their_position(client, path: str) -> None:
    body = '{"persons": {"é": {}}}'.encode("latin-1")
    answer = client.post(path, content=body, headers={"content-type": "application/json"})
    assert answer.status_code == 400, answer.text
    assert "the body is not UTF-8 text: byte 0xe9 at position 14" in answer.text


def test_a_chunked_body_over_the_limit_is_a_413(server: Server, client) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"as_of": "2024-06-01", "persons": ['
        for _ in range(MAX_BODY_BYTES // 60_000 + 2):
            yield b'{"sex": "male"},' * 4000
        yield b"{}]}"

    marked = {"content-type": "application/json", "x-request-id": "chunked-over-the-limit"}
    answer = client.post("/eligibility", content=chunks(), headers=marked)
    assert answer.status_code == 413 and answer.json()["expected"] == f"at most {MAX_BODY_BYTES} bytes"
    log = server.log_with('"request_id":"chunked-over-the-limit"')  # what was read is logged, not 0 (a review)
    (line,) = [json.loads(text) for text in log.splitlines() if "chunked-over-the-limit" in text]
    assert line["request_bytes"] > MAX_BODY_BYTES  # what was read, the chunk that crossed the limit too


def test_a_body_of_millions_of_tiny_values_is_refused_in_milliseconds(client) -> None:
    body = b'{"as_of": "2024-06-01", "persons": [{"insured_wage": {"2024-01": [' + b"0," * 2_400_000 + b"0]}}]}"
    assert len(body) < MAX_BODY_BYTES
    started = time.monotonic()
    answer = client.post("/eligibility", content=body, headers={"content-type": "application/json"})
    assert answer.status_code == 413 and "JSON values" in answer.json()["expected"]
    assert time.monotonic() - started < 2
    assert client.get("/health").status_code == 200


def test_text_that_is_not_unicode_is_invalid_json(client) -> None:
    body = b'{"as_of": "2024-06-01", "persons": [{"identifier": "\\ud800"}]}'
    answer = client.post("/eligibility", content=body, headers={"content-type": "application/json"})
    assert answer.status_code == 400, answer.text
    assert answer.json()["field"] == "body" and "surrogate" in answer.json()["error"]


def test_a_mistyped_field_is_refused_with_the_closest_name_and_dci_fields_are_accepted(client) -> None:
    person = {"contributions_months": 40, "sex": "male"}
    answer = client.post("/eligibility", json={"as_of": "2024-06-01", "persons": [person]})
    assert answer.status_code == 422
    problem = answer.json()["errors"][0]
    assert problem["field"] == "persons[0].contributions_months"
    assert problem["expected"] == "no such field; did you mean 'contribution_months'?"
    dci = {"sex": "male", "name": {"given_name": "A"}, "address": {"city": "Vientiane"}, "marital_status": "single"}
    assert client.post("/eligibility", json={"as_of": "2024-06-01", "persons": [dci]}).status_code == 200


def test_a_field_written_at_the_wrong_level_is_told_where_it_belongs(client) -> None:
    """A hunt (stop 78): a person's facts written at the top of the body, beside ``as_of``, were told "no such
    field; did you mean 'birth_date'?" of ``birth_date`` itself; ``as_of`` in a person the same. Another route's
    body (a DCI request) is not told about an eligibility request's levels."""
    body = {"as_of": "2026-10-01", "birth_date": "1950-01-01", "persons": [{"sex": "female", "as_of": "2026-10-01"}]}
    for route in ("/eligibility", "/vnm/eligibility", "/ilo_c102/eligibility"):
        answer = client.post(route, json=body)
        assert answer.status_code == 422, answer.text
        told = {problem["field"]: problem["expected"] for problem in answer.json()["errors"]}
        assert told == {
            "birth_date": "no such field at the top of the request: 'birth_date' is a field of a person, in 'persons' "
            "(a list)",
            "persons[0].as_of": "no such field here: 'as_of' is a field of the request, beside 'persons'",
        }
    answer = client.post("/vnm/dci/sync/eligibility", json={"header": {}, "message": {}, "birth_date": "1950-01-01"})
    told = {problem["field"]: problem["expected"] for problem in answer.json()["errors"]}
    elsewhere = "no such field here: 'birth_date' is read at another level of this request (see /openapi.json)"
    assert told["birth_date"] == elsewhere


def test_a_mistyped_field_is_told_the_closest_name_its_own_route_documents(client) -> None:
    """A hunt (stop 79): a DCI envelope's ``mesage`` was told "no such field" with no closest name, since the
    names compared were an eligibility request's whatever the route; they are those ``/openapi.json`` documents
    for the route's body."""
    body = {"header": {"mesage_id": "m1"}, "mesage": {}}
    for route in ("/dci/sync/eligibility", "/vnm/dci/async/eligibility", "/tjk/dci/txn/status"):
        answer = client.post(route, json=body)
        assert answer.status_code == 422, answer.text
        told = {problem["field"]: problem["expected"] for problem in answer.json()["errors"]}
        assert told["mesage"] == "no such field; did you mean 'message'?", route
        assert told["header.mesage_id"] == "no such field; did you mean 'message_id'?", route
    status = client.post("/dci/txn/status", json={"header": {}, "message": {}, "birth_date": "1950-01-01"})
    told = {problem["field"]: problem["expected"] for problem in status.json()["errors"]}
    assert told["birth_date"] == "no such field (see /openapi.json)"  # a status request holds no person


def test_dates_in_errors_are_text_never_a_python_repr(client) -> None:
    answer = client.post("/eligibility", json={"as_of": "2300-01-01", "persons": [{}]})
    assert answer.status_code == 422
    assert "datetime" not in answer.text and "2199-12-31" in answer.text


def test_every_answer_carries_a_request_id(client) -> None:
    answer = client.get("/health", headers={"X-Request-ID": "mis-42"})
    assert answer.headers["x-request-id"] == "mis-42"
    assert len(client.get("/health").headers["x-request-id"]) == 32
    assert client.get("/health", headers={"X-Request-ID": "bad id with spaces"}).headers["x-request-id"] != (
        "bad id with spaces"
    )


def test_an_open_service_on_a_public_address_warns_at_start(tmp_path: Path) -> None:
    server = start("--host", "0.0.0.0", environment={"OPENFISCA_SP_CORS_ORIGINS": "*"})  # noqa: S104 - the warning
    try:
        log = server.log()
        assert "no API key" in log and "OPENFISCA_SP_PUBLIC_URL is not set" in log
        assert "OPENFISCA_SP_CORS_ORIGINS is '*'" in log
        assert httpx.get(f"{server.url}/health").status_code == 200
    finally:
        server.stop()


def _traced(months: int, points: int) -> dict:
    """One person asked 8 results a month for ``months`` months, over ``points`` axis points (an outside review's
    /trace: 150 KB asking 88 million results)."""
    names = [f"{branch}_{what}" for branch in ("old_age_pension", "maternity_benefit") for what in ("eligible",)]
    names += ["old_age_pension_ineligibility_reason", "maternity_benefit_ineligibility_reason"]
    periods = [f"{1950 + month // 12}-{month % 12 + 1:02d}" for month in range(months)]
    person = {"birth_date": {"ETERNITY": "1940-01-01"}, **{name: dict.fromkeys(periods) for name in names}}
    axis = {"name": "contribution_months", "count": points, "min": 0, "max": 500, "period": "1950-01"}
    return {"persons": {"p": person}, "households": {"h": {"members": ["p"]}}, "axes": [[axis]]}


def test_a_trace_asking_more_results_than_it_may_compute_is_refused_before_computing(client) -> None:
    refused = client.post("/trace", json=_traced(1100, 9999))  # 4 x 1,100 x 9,999 results
    assert refused.status_code == 413, refused.text[:300]
    assert "asks 43995600 results" in refused.text and "at most 200000 are computed per request" in refused.text
    assert client.post("/trace", json=_traced(12, 100)).status_code == 200  # 4,800 results


def test_by_default_no_browser_origin_is_allowed() -> None:
    """CORS was ``*`` by default: any page a user visited could call a keyless service on their network (the
    security review, finding 6). Now no origin is allowed until listed; a request with ``Origin`` (a browser's,
    the same origin's too) is still answered, without CORS headers, which a page of the same origin needs not."""
    server = start(environment={"OPENFISCA_SP_API_KEYS": "", "OPENFISCA_SP_API_KEYS_FILE": ""})
    preflight = {"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}
    try:
        with server.client() as http:
            asked = http.options(
                "/eligibility", headers={**preflight, "Access-Control-Request-Headers": "content-type"}
            )
            simple = http.get("/health", headers={"Origin": "https://evil.example"})
            same = http.post(
                "/eligibility", headers={"Origin": server.url}, json={"as_of": "2024-06-15", "persons": [{}]}
            )
    finally:
        server.stop()
    assert "access-control-allow-origin" not in asked.headers and asked.status_code != 200
    assert simple.status_code == 200 and "access-control-allow-origin" not in simple.headers
    assert same.status_code == 200, same.text
