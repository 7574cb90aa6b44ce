"""The hot lane answers exactly as the whole stack: the same request, sent without and with an ``Origin`` header
(a browser's request takes the whole stack, for CORS), gets the same status, body and headers."""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

import httpx
import pytest

from openfisca_sp import tax_benefit_system
from openfisca_sp.api.app import create_app
from openfisca_sp.api.settings import Settings
from tests.api.server import API_KEYS, MAX_BODY_BYTES, Server

AS_OF = "2024-06-15"
WAGES = {f"2023-{month:02d}": 3_000_000 for month in range(6, 13)} | {
    f"2024-{month:02d}": 3_000_000 for month in range(1, 6)
}
PERSON = {
    "birth_date": {"ETERNITY": "1960-03-02"},
    "sex": {"ETERNITY": "male"},
    "contribution_months": {"2024-06": 300},
}
WANTED = {"old_age_pension_eligible": {"2024-06": None}, "old_age_pension": {"2024-06": None}}
ORIGIN = "https://registry.example.org"
VARYING = {"date", "x-request-id", "vary"}  # and every access-control-* header, which only CORS adds

CALCULATE: dict[str, Any] = {
    "one person": {"persons": {"a": PERSON | {"insured_wage": WAGES} | WANTED}},
    "two persons, a household": {
        "persons": {"a": PERSON | WANTED, "b": {"sex": {"ETERNITY": "female"}} | WANTED},
        "households": {"h": {"members": ["a", "b"]}},
    },
    "not JSON": b'{"persons": {"a": ',
    "an unknown variable": {"persons": {"a": {"old_age_pensoin": {"2024-06": None}}}},
    "a period that does not fit": {"persons": {"a": {"old_age_pension": {"2024": None}}}},
    "text for a number": {"persons": {"a": {"contribution_months": {"2024-06": "sixty"}}}},
    "an unknown entity": {"persons": {"a": {}}, "families": {}},
    "axes (left to openfisca-core)": {
        "persons": {"a": WANTED},
        "axes": [[{"count": 2, "name": "contribution_months", "min": 0, "max": 300, "period": "2024-06"}]],
    },
    "no persons": {"persons": {}},
    "a list": [],
    "an empty body": b"",
    "a year beyond 9999": {"persons": {"a": {"old_age_pension": {"9999-12": None, "month:2024-01:99999999": None}}}},
}
ELIGIBILITY: dict[str, Any] = {
    "one person": {"as_of": AS_OF, "persons": [{"sex": "male", "birth_date": "1960-03-02", "insured_wage": WAGES}]},
    "two persons, one branch": {
        "as_of": AS_OF,
        "branches": ["old_age"],
        "persons": [{"sex": "female", "birth_date": "1990-01-01"}, {"contribution_months": 12}],
    },
    "not JSON": b'{"as_of": ',
    "an empty body": b"",
    "JSON that is not an object": b"[1, 2]",
    "a missing date": {"persons": [{}]},
    "a date that does not exist": {"as_of": "2024-02-30", "persons": [{}]},
    "a misspelt field": {"as_of": AS_OF, "persons": [{"contributions_months": 12}]},
    "a negative count": {"as_of": AS_OF, "persons": [{}, {"contribution_months": -3}]},
    "a bad wage month": {"as_of": AS_OF, "persons": [{"insured_wage": {"2024-1": 5}}]},
    "an unknown branch": {"as_of": AS_OF, "branches": ["pension"], "persons": [{}]},
    "no persons": {"as_of": AS_OF, "persons": []},
    "an unknown top-level key": {"as_of": AS_OF, "persons": [{}], "extra": 1},
    "a lone surrogate": b'{"as_of": "2024-06-15", "persons": [{"identifier": "\\ud800"}]}',
    "contradictory facts": {
        "as_of": AS_OF,
        "persons": [{"sex": "female", "birth_date": "2000-01-01", "child_birth_date": "1999-01-01"}],
    },
}


def _content(body: Any) -> bytes:
    return body if isinstance(body, bytes) else json.dumps(body).encode()


def _answer(http: httpx.Client, path: str, body: Any, **headers: str) -> tuple[int, Any, dict[str, str]]:
    answer = http.post(path, content=_content(body), headers={"content-type": "application/json", **headers})
    kept = {
        name: value
        for name, value in answer.headers.items()
        if name not in VARYING and not name.startswith("access-control-")
    }
    if "server-timing" in kept:  # the same metric on both paths; its duration varies
        kept["server-timing"] = re.sub(r"dur=[0-9.]+", "dur=...", kept["server-timing"])
    try:
        content = answer.json()
    except ValueError:
        content = answer.text
    return answer.status_code, content, kept


def _both(http: httpx.Client, path: str, body: Any) -> tuple[tuple[int, Any, dict[str, str]], ...]:
    lane = _answer(http, path, body)
    whole = http.post(path, content=_content(body), headers={"content-type": "application/json", "origin": ORIGIN})
    assert whole.headers.get("access-control-allow-origin"), "the whole stack (CORS) did not answer"
    return lane, _answer(http, path, body, origin=ORIGIN)


@pytest.mark.parametrize("prefix", ["", "/vnm"])
@pytest.mark.parametrize("case", sorted(CALCULATE))
def test_calculate_answers_as_the_whole_stack(client, prefix: str, case: str) -> None:
    lane, whole = _both(client, f"{prefix}/calculate", CALCULATE[case])
    assert lane == whole


@pytest.mark.parametrize("prefix", ["", "/tjk"])
@pytest.mark.parametrize("case", sorted(ELIGIBILITY))
def test_eligibility_answers_as_the_whole_stack(client, prefix: str, case: str) -> None:
    lane, whole = _both(client, f"{prefix}/eligibility", ELIGIBILITY[case])
    assert lane == whole


def test_the_lane_keeps_the_service_s_guards(server: Server) -> None:
    """No key, a wrong key, a body over the limit, a wrong Content-Type: refused on the lane as elsewhere."""
    body = _content(ELIGIBILITY["one person"])
    with httpx.Client(base_url=server.url, timeout=60) as http:
        for headers, status in [({}, 401), ({"x-api-key": "not-a-key"}, 403)]:
            for path in ("/calculate", "/eligibility"):
                answer = http.post(path, content=body, headers={"content-type": "application/json", **headers})
                assert answer.status_code == status, (path, answer.text)
                assert answer.headers["x-request-id"] and answer.headers["openfisca-sp-rules-version"]
        key = {"x-api-key": API_KEYS[0]}
        large = b'{"persons": [' + b" " * MAX_BODY_BYTES + b"]}"
        answer = http.post("/eligibility", content=large, headers={"content-type": "application/json", **key})
        assert (answer.status_code, answer.json()["field"]) == (413, "body")
        answer = http.post("/calculate", content=body, headers={"content-type": "text/plain", **key})
        assert (answer.status_code, answer.json()["expected"]) == (415, "application/json")


def test_the_lane_counts_its_requests_under_the_route_s_name(client) -> None:
    def calculated() -> float:
        metrics = client.get("/metrics").text
        lines = [line for line in metrics.splitlines() if line.startswith("openfisca_sp_requests_total{")]
        return sum(float(line.rsplit(" ", 1)[1]) for line in lines if 'route="/tjk/calculate"' in line)

    before = calculated()
    assert _answer(client, "/tjk/calculate", CALCULATE["one person"])[0] == 200
    assert calculated() == before + 1


async def _post(app: Any, **headers: str) -> httpx.Response:
    """A one-person ``/calculate`` to ``app`` over ASGI."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        body = _content(CALCULATE["one person"])
        return await http.post("/calculate", content=body, headers={"content-type": "application/json", **headers})


def _lane_and_browser(app: Any) -> tuple[httpx.Response, httpx.Response]:
    """The request without ``Origin`` (the lane's), then with it (a browser's)."""
    return asyncio.run(_post(app)), asyncio.run(_post(app, origin=ORIGIN))


def test_a_hot_route_s_post_without_origin_never_reaches_the_router() -> None:
    """The lane answers even when the router has no route any more; a browser's request gets the router's 404."""
    app = create_app(tax_benefit_system("lao"), Settings())
    app.router.routes = []
    lane, whole = _lane_and_browser(app)
    assert lane.status_code == 200 and lane.json()["persons"]["a"]["old_age_pension_eligible"]["2024-06"] is True
    assert whole.status_code == 404


def test_the_lane_answers_before_the_app_s_own_stack_is_even_built() -> None:
    """FastAPI builds its middleware stack (telemetry, error and body-limit layers, ours) on the first request
    that needs it: the lane's requests never do."""
    app = create_app(tax_benefit_system("lao"), Settings())
    lane = asyncio.run(_post(app))
    assert lane.status_code == 200 and lane.headers["x-request-id"] and "openfisca-sp-rules-version" in lane.headers
    assert app.middleware_stack is None
    lane, browser = _lane_and_browser(app)
    assert browser.status_code == 200 and app.middleware_stack is not None


def test_a_middleware_an_embedder_adds_sees_the_lane_s_requests_too() -> None:
    """A middleware added after the app is made (an embedder's logging or access control) is not bypassed: the
    lane then answers from inside it, with the same answer."""
    app = create_app(tax_benefit_system("lao"), Settings())
    reached: list[str | None] = []

    class Counting:
        def __init__(self, inner: Any) -> None:
            self.inner = inner

        async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
            if scope["type"] == "http":
                reached.append(dict(scope["headers"]).get(b"origin", b"").decode() or None)
            await self.inner(scope, receive, send)

    app.add_middleware(Counting)
    lane, browser = _lane_and_browser(app)
    assert lane.status_code == browser.status_code == 200
    assert lane.json() == browser.json() and "access-control-allow-origin" not in lane.headers
    assert reached == [None, ORIGIN]
