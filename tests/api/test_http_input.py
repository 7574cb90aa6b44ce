"""Bad input from a delivery system, on a real server: each refusal is small, names its field and says what was
expected (found by a delivery-system review of the HTTP API)."""

from __future__ import annotations

import gzip
import json
import socket

from tests.api.server import API_KEYS, Server

AS_OF = "2024-06-15"


def test_many_contradictions_are_answered_with_the_first_hundred_and_their_count(client) -> None:
    """10,000 persons of one identifier (150 kB sent) were answered with all 9,999 contradictions (3 MB), and one
    person's 2,107 wages after the date asked with 2,107: the cap of 100 problems held for other errors only."""
    twice = client.post("/eligibility", json={"as_of": AS_OF, "persons": [{"identifier": "P"}] * 10_000})
    assert twice.status_code == 422, twice.text
    body = twice.json()
    assert body["error"] == "Facts contradict each other"
    assert len(body["errors"]) == 100 and body["errors_total"] == 9_999
    assert [problem["field"] for problem in body["errors"][:2]] == ["persons[1].identifier", "persons[2].identifier"]
    assert len(twice.content) < 50_000
    wages = {f"{2024 + month // 12}-{month % 12 + 1:02d}": 1 for month in range(6, 306)}  # 2024-07 onwards
    later = client.post("/vnm/eligibility", json={"as_of": AS_OF, "persons": [{"insured_wage": wages}]})
    assert later.status_code == 422, later.text
    assert len(later.json()["errors"]) == 100 and later.json()["errors_total"] == 300
    assert later.json()["errors"][0]["field"] == "persons[0].insured_wage.2024-07"
    few = client.post("/eligibility", json={"as_of": AS_OF, "persons": [{"birth_date": "2030-01-01"}] * 3})
    assert few.status_code == 422 and len(few.json()["errors"]) == 3 and "errors_total" not in few.json()


def test_a_query_string_sent_with_a_body_is_refused_unread(client) -> None:
    """``POST /eligibility?as_of=2025-01-01`` was decided on the body's date, 2024-06-15, without a word: no route
    that takes a body reads a query string, so one sent is a question the answer would not be to."""
    person = {"identifier": "P1", "sex": "female", "birth_date": "1960-01-01", "contribution_months": 300}
    request = {"as_of": AS_OF, "persons": [person]}
    for path in ("/eligibility?as_of=2025-01-01", "/vnm/calculate?x", "/trace?a=1&b=2", "/dci/sync/eligibility?q="):
        answer = client.post(path, json=request)
        assert answer.status_code == 422, (path, answer.text)
        body = answer.json()
        name = path.partition("?")[2].partition("=")[0].partition("&")[0]
        assert body["field"] == f"query.{name}" and body["errors"][0]["field"] == f"query.{name}"
        assert body["expected"] == "no query string: every field of the request in its JSON body"
        assert answer.headers["connection"] == "close"  # the body was not read
    assert client.post("/eligibility?", json=request).status_code == 200  # an empty query is none
    assert client.post("/eligibility", json=request).status_code == 200


def test_a_number_other_than_0_or_1_for_a_boolean_is_refused_at_its_path(client) -> None:
    """``"is_disabled": {"2024-06": 7}`` (or -1, 0.5) was computed as true and echoed as 7, where /eligibility
    refuses any number for a flag; 0 and 1 are read as the reference reads them."""
    for route in ("/calculate", "/vnm/trace"):
        for number in (7, -1, 0.5, 2.0):
            situation = {"persons": {"p": {"is_disabled": {"2024-06": number}}}}
            answer = client.post(route, json=situation)
            assert answer.status_code == 400, (route, number, answer.text)
            message = answer.json()["persons"]["p"]["is_disabled"]["2024-06"]
            assert message.startswith("Expected a boolean (JSON true or false") and f"the number {number}" in message
        for number in (0, 1):
            situation = {"persons": {"p": {"is_disabled": {"2024-06": number}}}}
            assert client.post(route, json=situation).status_code == 200


def test_a_whole_number_beyond_64_bits_is_refused_as_such(client) -> None:
    """A hunt (stop 77): ``"contribution_months": 10**29`` was told "written without a decimal point (180, not
    180.0)", which it was; 180.0 itself keeps that word."""
    for number, expected in (
        (10**29, "a whole number within 64 bits (from -9223372036854775808 to 9223372036854775807)"),
        (-(2**63) - 1, "a whole number within 64 bits (from -9223372036854775808 to 9223372036854775807)"),
    ):
        person = {"identifier": "P1", "birth_date": "1960-01-01", "contribution_months": number}
        body = json.dumps({"as_of": AS_OF, "persons": [person]})
        answer = client.post("/eligibility", content=body, headers={"content-type": "application/json"})
        assert answer.status_code == 422, answer.text
        (problem,) = answer.json()["errors"]
        assert problem["field"] == "persons[0].contribution_months" and problem["expected"] == expected, problem


def test_a_length_refused_says_what_it_counts(client) -> None:
    """Each length refused was said to be "at least 1 items or characters", whatever it counted."""
    empty = client.post("/eligibility", json={"as_of": AS_OF, "persons": []})
    assert empty.status_code == 422 and empty.json()["errors"][0]["expected"] == "at least 1 item"
    header = {"message_id": "m" * 300, "message_ts": "2024-06-15T10:20:07Z", "action": "eligibility"}
    envelope = {"header": {**header, "sender_id": "s", "total_count": 1}, "message": {"transaction_id": "T"}}
    long = client.post("/dci/sync/eligibility", json=envelope)
    assert long.status_code == 422
    assert {"field": "header.message_id", "expected": "at most 256 characters"}.items() <= long.json()["errors"][
        0
    ].items()


def test_a_body_sent_with_a_transfer_coding_other_than_chunked_is_refused_as_compressed(server: Server) -> None:
    """``Transfer-Encoding: gzip, chunked`` was de-chunked and its gzip bytes read as JSON: a 400 "not UTF-8 text",
    where ``Content-Encoding: gzip`` is a 415 naming its header."""
    body = gzip.compress(json.dumps({"as_of": AS_OF, "persons": [{}]}).encode())
    host, port = server.url.removeprefix("http://").split(":")
    for coding in (b"gzip, chunked", b"deflate,chunked"):
        head = b"POST /eligibility HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-API-Key: %s\r\n" % (
            API_KEYS[0].encode()
        )
        chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
        with socket.create_connection((host, int(port)), timeout=10) as connection:
            connection.sendall(head + b"Transfer-Encoding: " + coding + b"\r\n\r\n" + chunked)
            answer = b""
            while b"}" not in answer.partition(b"\r\n\r\n")[2]:
                received = connection.recv(65536)
                if not received:
                    break
                answer += received
        assert answer.startswith(b"HTTP/1.1 415"), answer[:300]
        refused = json.loads(answer.partition(b"\r\n\r\n")[2])
        assert refused["field"] == "header Transfer-Encoding" and refused["received"] == coding.decode()


def test_a_body_where_no_route_takes_one_is_answered_by_the_route_s_absence(client) -> None:
    """``POST /parameters``, ``PUT /eligibility``, ``POST /xyz/eligibility`` without a Content-Type (or with a query
    string) were told to fix the header (415) or the query (422), and only once they had, that no route takes them."""
    for method, path, status, expected in (
        ("POST", "/no-such-route", 404, "a route this service answers (see /spec)"),
        ("POST", "/xyz/eligibility?as_of=2025-01-01", 404, "one of ilo_c102, lao, tjk, vnm (/ilo_c102/eligibility)"),
        ("POST", "/parameters", 405, "one of GET, HEAD"),
        ("PUT", "/eligibility", 405, "one of POST"),
        ("PATCH", "/vnm/calculate", 405, "one of POST"),
    ):
        for headers in (
            {},
            {"Content-Type": "text/plain"},
            {"Content-Type": "application/json", "Content-Encoding": "br"},
        ):
            answer = client.request(method, path, content=b"{}", headers=headers)
            assert answer.status_code == status, (method, path, headers, answer.text)
            assert answer.json()["expected"] == expected and answer.headers["connection"] == "close"
    # where a route takes the body, its headers are what is wrong
    assert client.post("/eligibility", content=b"{}").status_code == 415
    assert client.post("/vnm/calculate/", content=b"{}").status_code == 415  # redirected once its body is JSON
