"""Differential tests over other country packages: openfisca-country-template, alone and with
openfisca-extension-template loaded.

The same bytes go to openfisca-core's own Flask app (the reference, in-process, through Flask's test client)
and to our app on a real server (uvicorn on 127.0.0.1, ``tests/api/template_app.py``); status codes,
redirects and JSON bodies must match. Where the reference fails (500) or is wrong, the test asserts the
reference's answer and our better one (docs/api.md, "Differences from openfisca serve"). Then the bounds of
the work a situation may cost, timed on the real server.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import psutil
import pytest
from openfisca_country_template.situation_examples import couple, parse, single
from openfisca_web_api.app import create_app as create_reference_app

from tests.api.server import Server, settled, start_factory
from tests.api.template_app import EXTENSIONS, country_template

EXTENSION = "openfisca_extension_template"
SMALL_BUDGET = 2_000  # the extended server's OPENFISCA_SP_MAX_REFERENCE_VALUES
MONTH = "2017-01"


@dataclass
class Apis:
    """The reference app and our server over the same system."""

    reference: Any  # Flask's test client
    ours: httpx.Client
    extended: bool


def _server(extensions: str, **settings: str) -> Iterator[Server]:
    server = start_factory("tests.api.template_app:create", environment={EXTENSIONS: extensions, **settings})
    yield server
    server.stop()


@pytest.fixture(scope="module")
def country_server() -> Iterator[Server]:
    yield from _server("")


@pytest.fixture(scope="module")
def extended_server() -> Iterator[Server]:
    yield from _server(EXTENSION, OPENFISCA_SP_MAX_REFERENCE_VALUES=str(SMALL_BUDGET))


@pytest.fixture(scope="module", params=["country-template", "with-extension-template"])
def apis(request: pytest.FixtureRequest) -> Iterator[Apis]:
    extended = request.param == "with-extension-template"
    server: Server = request.getfixturevalue("extended_server" if extended else "country_server")
    reference = create_reference_app(country_template(EXTENSION if extended else ""))
    reference.testing = False  # errors answered as a deployed openfisca serve answers them (500), not raised
    with server.client() as ours:
        yield Apis(reference.test_client(), ours, extended)


def _normalised(body: Any) -> Any:
    """A body with the server's address replaced, Flask's HTTP dates as the ISO dates we answer, and the
    trace's timings left out."""
    if isinstance(body, dict):
        return {
            key: _normalised(value) for key, value in body.items() if key not in ("calculation_time", "formula_time")
        }
    if isinstance(body, list):
        return [_normalised(value) for value in body]
    if isinstance(body, str):
        if re.fullmatch(r"\w{3}, \d{2} \w{3} \d{4} 00:00:00 GMT", body):
            return datetime.datetime.strptime(body, "%a, %d %b %Y %H:%M:%S GMT").date().isoformat()
        return re.sub(r"http://(localhost|127\.0\.0\.1:\d+)/", "http://HOST/", body)
    return body


def _post(apis: Apis, path: str, body: Any) -> tuple[Any, httpx.Response]:
    raw = json.dumps(body).encode()
    expected = apis.reference.post(path, data=raw, content_type="application/json")
    actual = apis.ours.post(path, content=raw, headers={"content-type": "application/json"})
    return expected, actual


def _same(expected: Any, actual: httpx.Response) -> tuple[Any, Any]:
    """Both answers' bodies, normalised, once their status codes and package headers are checked equal."""
    assert actual.status_code == expected.status_code, (actual.text[:600], expected.get_data(as_text=True)[:600])
    assert actual.headers["content-type"].startswith("application/json")
    assert actual.headers["country-package"] == expected.headers["Country-Package"] == "openfisca-country_template"
    assert actual.headers["country-package-version"] == expected.headers["Country-Package-Version"]
    return _normalised(expected.get_json(silent=True)), _normalised(actual.json())


def test_any_country_package_is_ready(apis: Apis) -> None:
    """/ready runs the package's first variable in openfisca-core's default simulation (its own roles)."""
    answer = apis.ours.get("/ready")
    assert answer.status_code == 200 and answer.json()["problems"] == []
    assert answer.json()["rules"][0]["package"] == "openfisca-country_template"


METADATA = [
    "/",
    "/parameters",
    "/variables",
    "/entities",
    "/variable/birth",  # a date, eternal
    "/variable/age",
    "/variable/housing_occupancy_status",  # an enumeration
    "/variable/postal_code",  # a text of limited length
    "/variable/housing_allowance",  # a variable with an end
    "/variable/salary",  # set_input
    "/variable/housing_tax",  # yearly
    "/variable/disposable_income",
    "/parameter/taxes.social_security_contribution",  # a marginal rate scale
    "/parameter/taxes/social_security_contribution",
    "/parameter/benefits.meal_price",  # a single amount scale
    "/parameter/benefits.swimming_pool_access_cost_increase",  # a marginal amount scale
    "/parameter/taxes.income_tax_rate",  # a placeholder ("expected")
    "/parameter/taxes.housing_tax",  # a node, documented
    "/parameter/taxes.housing_tax.minimal_amount",
    "/parameter/benefits",  # a node documented in its index.yaml
    "/parameter/benefits.housing_allowance",  # documented, with a reference, stopped (its last value is null)
    "/parameter/benefits/housing_allowance",
    "/parameter/benefits.basic_income",  # metadata on a value
    "/parameter/general.age_of_retirement",  # dates out of order, UTF-8
    "/parameter/benefits.parenting_allowance",
    "/parameter/local_town",  # the extension's (404 without it)
    "/parameter/local_town.child_allowance.amount",
    "/variable/local_town_child_allowance",
    "/parameter/taxes.social_security_contribution.brackets",  # not a parameter
    "/variable/nothing_here",
    "/parameter",
    "/variable",
]


@pytest.mark.parametrize("path", METADATA)
def test_metadata_routes_answer_as_the_reference(apis: Apis, path: str) -> None:
    expected = apis.reference.get(path)
    actual = apis.ours.get(path)
    assert actual.status_code == expected.status_code, actual.text[:300]
    if expected.status_code == 404:
        assert not expected.is_json and "error" in actual.json()  # the reference's 404 is an HTML page
        return
    assert _normalised(actual.json()) == _normalised(expected.get_json())


def test_spec_is_the_reference_spec_with_our_server(apis: Apis) -> None:
    expected = apis.reference.get("/spec").get_json()
    actual = apis.ours.get("/spec").json()
    assert actual.pop("servers") == [{"url": str(apis.ours.base_url).rstrip("/")}]
    expected.pop("servers")
    assert _normalised(actual) == _normalised(expected)  # the example trace's timings are measured at start
    assert actual["components"]["schemas"]["SituationInput"]["example"] == couple  # the package's own example


REDIRECTS = [
    "/parameters/",
    "/variables/",
    "/entities/",
    "/spec/",
    "/variable/age/",
    "/variable/",
    "/parameter/",
    "/parameter/taxes.income_tax_rate/",
    "/parameter/taxes/housing_tax/",
    "/parameter/benefits/",
    "/parameter/taxes//",
    "/parameters/?query=dropped",
    "/calculate/",
    "/trace/",
]


@pytest.mark.parametrize("path", REDIRECTS)
def test_slash_redirects_are_the_reference_ones(apis: Apis, path: str) -> None:
    expected = apis.reference.get(path)
    actual = apis.ours.get(path)
    assert (actual.status_code, actual.headers.get("location")) == (expected.status_code, expected.headers["Location"])


@pytest.mark.parametrize("route", ["/calculate", "/trace"])
def test_a_post_to_a_path_with_a_slash_keeps_its_method(apis: Apis, route: str) -> None:
    """The reference answers 302, which clients follow with a GET (405); we answer 307 to the same place."""
    expected, actual = _post(apis, route + "/", single)
    assert (expected.status_code, expected.headers["Location"]) == (302, route)
    assert (actual.status_code, actual.headers["location"]) == (307, route)
    followed = apis.ours.post(route + "/", json=single, follow_redirects=True)
    assert followed.status_code == 200 and followed.url.path == route


FAMILY = {
    "persons": {
        "ana": {
            "birth": {"ETERNITY": "1980-01-01"},
            "salary": {MONTH: 4000, "2017-02": 4100.5},
            "age": {MONTH: None},
            "basic_income": {MONTH: None, "2017-02": None},
            "income_tax": {MONTH: None},
            "social_security_contribution": {MONTH: None},
            "pension": {MONTH: None},
        },
        "bob": {"birth": {"ETERNITY": "1982-05-31"}, "salary": {"2017": 36000}, "capital_returns": {MONTH: 12.5}},
        "cid": {"birth": {"ETERNITY": "2012-02-29"}, "age": {MONTH: None, "2017-02": None}},
        "dee": {"birth": {"2017": "2015-07-14"}},  # an eternal variable stated for a year
    },
    "households": {
        "h": {
            "adults": ["ana", "bob"],
            "children": ["cid", "dee"],
            "housing_occupancy_status": {MONTH: "owner", "2017-02": None},
            "postal_code": {MONTH: "75001"},
            "accommodation_size": {MONTH: 80},
            "rent": {"2016-01": 700, MONTH: 0},
            "housing_tax": {"2017": None},
            "housing_allowance": {"2016-01": None, "2016-12": None},  # before and after the variable's end
            "parenting_allowance": {MONTH: None},
            "disposable_income": {MONTH: None, "2017-02": None},
            "household_income": {MONTH: None},
            "meal_price": {MONTH: None},
            "swimming_pool_access": {MONTH: None},
            "total_taxes": {MONTH: None},
            "total_benefits": {MONTH: None},
        }
    },
}
SITUATIONS = {
    "single (the package's example)": single,
    "couple (the package's OpenAPI example)": couple,
    "housing (the package's example)": parse("housing.json"),
    "a family: enums, texts, dates, several periods, roles": FAMILY,
    "two households, a role given as one id": {
        "persons": {"a": {"salary": {MONTH: 1000}}, "b": {}, "c": {"salary": {MONTH: 20000}}},
        "households": {
            "h1": {"adults": "a", "children": ["b"], "housing_occupancy_status": {MONTH: None}},
            "h2": {
                "adults": ["c"],
                "housing_occupancy_status": {MONTH: "homeless"},
                "disposable_income": {MONTH: None},
            },
        },
    },
    "persons without households": {
        "persons": {
            f"p{i}": {"salary": {MONTH: 900.0 * i}, "income_tax": {MONTH: None}, "basic_income": {"2016-12": None}}
            for i in range(6)
        }
    },
    "a person outside any household": {
        "persons": {"a": {}, "b": {"salary": {MONTH: 1.5}}},
        "households": {"h": {"adults": ["a"], "disposable_income": {MONTH: None}}},
    },
    "a year spread over months, a period of three months, a day": {
        "persons": {
            "a": {
                "salary": {"2016": 12000, "month:2017-01:3": 3000, "2018-02-03": 10},
                "income_tax": {"2016-06": None, "2017-02": None, "2018-02": None},
            }
        }
    },
    "rows of different shapes: a period stated for some, wanted for others, spelt two ways": {
        "persons": {
            "a": {"salary": {MONTH: 1000, "2017-02": None}, "income_tax": {"2017-02": None}},
            "b": {"salary": {MONTH: None}, "birth": {"ETERNITY": "1990-12-31"}},
            "c": {"income_tax": {MONTH: None}, "salary": {"month:2017-02": 500, MONTH: 200.5}},
            "d": {},
        },
        "households": {"h": {"adults": ["a", "b"], "children": ["c", "d"], "total_benefits": {MONTH: None}}},
    },
    "the extension's variable (404 without it)": {
        "persons": {"a": {}, "b": {}, "c": {}},
        "households": {"h": {"adults": ["a"], "children": ["b", "c"], "local_town_child_allowance": {MONTH: None}}},
    },
    "a number for an enumeration, a whole float for an integer": {
        "persons": {"a": {"age": {MONTH: 30.0}, "pension": {MONTH: None}}},
        "households": {"h": {"adults": ["a"], "housing_occupancy_status": {MONTH: 1}}},
    },
    "the largest int32": {"persons": {"a": {"age": {MONTH: 2**31 - 1}, "pension": {MONTH: None}}}},
    "unknown variable": {"persons": {"a": {"wage": {MONTH: 1}}}},
    "unknown role": {"persons": {"a": {}}, "households": {"h": {"parents": ["a"]}}},
    "wrong period": {"persons": {"a": {"salary": {"2017-13": 1}}}},
    "empty period": {"persons": {"a": {"salary": {"": 1}}}},
    "bad enum value": {
        "persons": {"a": {}},
        "households": {"h": {"adults": ["a"], "housing_occupancy_status": {MONTH: "castle"}}},
    },
    "integer beyond int32": {"persons": {"a": {"age": {MONTH: 2**31}}}},
    "negative integer beyond int32": {"persons": {"a": {"age": {MONTH: -(2**31) - 1}}}},
    "a date that does not exist": {"persons": {"a": {"birth": {"ETERNITY": "2024-02-30"}}}},
    "a period that does not exist": {"persons": {"a": {"salary": {"2024-02-30": 1}}}},
    "a date in another format": {"persons": {"a": {"birth": {"ETERNITY": "1980/01/01"}}}},
    "ETERNITY stated for a monthly variable": {"persons": {"a": {"salary": {"ETERNITY": 1}}}},
    "a text of limited length, not ASCII": {
        "persons": {"a": {}},
        "households": {"h": {"adults": ["a"], "postal_code": {MONTH: "é1"}}},
    },
    "a person in two roles": {"persons": {"a": {}}, "households": {"h": {"adults": ["a"], "children": ["a"]}}},
    "an unknown person in a household": {"persons": {"a": {}}, "households": {"h": {"adults": ["zed"]}}},
    "variables not an object": {"persons": {"a": 5}},
    "a group variable not an object": {"persons": {"a": {}}, "households": {"h": {"adults": ["a"], "rent": [1]}}},
    "members not a list": {"persons": {"a": {}}, "households": {"h": {"adults": 5}}},
    "a member that is not an id (its error at its place in the list)": {
        "persons": {"a": {}, "b": {}},
        "households": {"h": {"adults": ["a", None], "children": [7]}},
    },
    "no persons": {"persons": {}},
    "persons null": {"persons": None},
    "not an object": [1, 2],
    "null": None,
}


@pytest.mark.parametrize("name", list(SITUATIONS))
def test_calculate_answers_as_the_reference(apis: Apis, name: str) -> None:
    expected, actual = _same(*_post(apis, "/calculate", SITUATIONS[name]))
    assert actual == expected


def test_a_large_table_of_persons_read_from_its_bytes_answers_as_the_reference(apis: Apis) -> None:
    """A body of 64 KiB or more whose persons share one shape is read from its bytes (``situations/uniform.py``):
    its answer is the reference's, its numbers echoed as written."""
    persons = {
        f"person {index}": {
            "birth": {"ETERNITY": f"19{40 + index % 60}-0{1 + index % 9}-1{index % 10}"},
            "salary": {MONTH: 1000 + 10 * index, "2017-02": 2500},
            "income_tax": {MONTH: None},
            "social_security_contribution": {MONTH: None},
            "age": {MONTH: None},
            "basic_income": {MONTH: None},
        }
        for index in range(600)
    }
    raw = json.dumps({"persons": persons}).encode().replace(b": 2500}", b": 2.5e3}")
    assert len(raw) >= 64 * 1024
    expected = apis.reference.post("/calculate", data=raw, content_type="application/json")
    actual = apis.ours.post("/calculate", content=raw, headers={"content-type": "application/json"})
    expected_body, actual_body = _same(expected, actual)
    assert actual_body == expected_body
    assert actual.content.count(b"2.5e3") == 600  # as sent (the usual answer writes 2500.0)


AXES = {
    "persons": {"a": {"salary": {MONTH: 1000}}, "b": {}},
    "households": {"h": {"adults": ["a"], "children": ["b"], "disposable_income": {MONTH: None}}},
    "axes": [
        [{"count": 3, "name": "salary", "min": 0, "max": 5000, "period": MONTH}],
        [{"count": 2, "name": "rent", "min": 0, "max": 500, "period": MONTH}],
    ],
}
TRACED = [
    "couple (the package's OpenAPI example)",
    "a family: enums, texts, dates, several periods, roles",
    "a year spread over months, a period of three months, a day",
    "the extension's variable (404 without it)",
    "integer beyond int32",
    "unknown variable",
    "a member that is not an id (its error at its place in the list)",
    "axes",
]


@pytest.mark.parametrize("name", TRACED)
def test_trace_answers_as_the_reference(apis: Apis, name: str) -> None:
    expected, actual = _same(*_post(apis, "/trace", AXES if name == "axes" else SITUATIONS[name]))
    assert actual == expected


@pytest.mark.parametrize("route", ["/calculate", "/trace"])
@pytest.mark.parametrize("key", ["household", "families"])
def test_an_unknown_entity_is_refused_as_the_reference_does(apis: Apis, route: str, key: str) -> None:
    expected, actual = _same(*_post(apis, route, {"persons": {"a": {}}, key: {}}))
    assert set(actual) == set(expected) == {key}  # the reference lists the entities in set order
    assert f"These entities are not found: {key}. The defined entities are: persons, households." in actual[key]
    assert ("Did you mean 'households'" in actual[key]) == (key == "household")


# Where the reference fails (500), we answer 400 with the path of what is wrong.
FAILING = {
    "a period ending in year 10000": ({"salary": {"2017-12": 1.0, "9999-12": 1.0}}, "9999-12", "end by 9999-12-30"),
    "a period of 99,999,999 months": ({"salary": {"month:2024-01:99999999": 1.0}}, "month:2024-01:99999999", "9999"),
    "a period before year 1000": ({"salary": {"0999-12": 1.0}}, "0999-12", "start in year 1000 or later"),
    "a period of no month": ({"salary": {"month:2017-01:0": 1.0}}, "month:2017-01:0", "lasts 0 months"),
    "a period of -1 month": ({"salary": {"month:2017-01:-1": 1.0}}, "month:2017-01:-1", "at least one"),
    "a result asked for no month": ({"income_tax": {"month:2017-01:0": None}}, "month:2017-01:0", "at least one"),
    "a monthly result asked for a year": ({"salary": {"2017": None}}, "2017", "computed for a whole month"),
    "a monthly result asked for a day": ({"salary": {"2017-01-01": None}}, "2017-01-01", "whole month"),
    "a monthly result asked for ETERNITY": ({"salary": {"ETERNITY": None}}, "ETERNITY", "whole month"),
    "a result before the legislation": ({"income_tax": {"2000-01": None}}, "2000-01", "was not found"),
}


@pytest.mark.parametrize("route", ["/calculate", "/trace"])
@pytest.mark.parametrize("name", list(FAILING))
def test_what_the_reference_fails_on_is_a_400(apis: Apis, route: str, name: str) -> None:
    variables, period, fragment = FAILING[name]
    expected, actual = _post(apis, route, {"persons": {"a": variables}})
    assert expected.status_code == 500
    assert actual.status_code == 400
    body = actual.json()
    message = body.get("error") or body["persons"]["a"][next(iter(variables))][period]
    assert fragment in message


@pytest.mark.parametrize("route", ["/calculate", "/trace"])
def test_group_results_and_inputs_the_reference_fails_on_are_400s(apis: Apis, route: str) -> None:
    yearly = {"persons": {"a": {}}, "households": {"h": {"adults": ["a"], "housing_tax": {MONTH: None}}}}
    ended = {"persons": {"a": {}}, "households": {"h": {"adults": ["a"], "housing_allowance": {"ETERNITY": 1}}}}
    for situation, period, fragment in ((yearly, MONTH, "whole year"), (ended, "ETERNITY", "only defined for months")):
        expected, actual = _post(apis, route, situation)
        assert (expected.status_code, actual.status_code) == (500, 400)
        name = next(key for key in situation["households"]["h"] if key != "adults")
        assert fragment in actual.json()["households"]["h"][name][period]


def test_axes_in_calculate_are_a_400_not_a_500(apis: Apis) -> None:
    expected, actual = _post(apis, "/calculate", AXES)
    assert expected.status_code == 500  # the reference looks results up by ids, which axes multiply
    assert actual.status_code == 400 and "not supported" in actual.json()["axes"]


@pytest.mark.parametrize("route", ["/calculate", "/trace"])
def test_an_empty_id_is_not_a_500(apis: Apis, route: str) -> None:
    """Refused at its place on every route and path: the fast path took an empty id as any other (200) where the
    usual reading answered 400 in dpath's words, so one body's answer depended on which path read it."""
    expected, actual = _post(apis, route, {"persons": {"": {"salary": {MONTH: 1000}, "income_tax": {MONTH: None}}}})
    assert expected.status_code == 500  # dpath refuses empty keys
    assert actual.status_code == 400 and actual.json()["persons"][""].startswith("An empty id names no one")


# Where the reference answers, but wrongly.


@pytest.mark.filterwarnings("ignore:overflow encountered in cast:RuntimeWarning")  # the reference's, in process
@pytest.mark.parametrize("route", ["/calculate", "/trace"])
def test_a_number_beyond_float32_is_refused_not_made_infinite(apis: Apis, route: str) -> None:
    expected, actual = _post(apis, route, {"persons": {"a": {"salary": {MONTH: 1e40}}}})
    assert expected.status_code == 200
    assert actual.status_code == 400
    assert "32-bit float" in actual.json()["persons"]["a"]["salary"][MONTH]


@pytest.mark.parametrize("route", ["/calculate", "/trace"])
def test_text_for_a_number_is_refused_not_evaluated(apis: Apis, route: str) -> None:
    expected, actual = _post(apis, route, {"persons": {"a": {"salary": {MONTH: "1000"}}}})
    assert expected.status_code == 200
    assert actual.status_code == 400 and "not evaluated" in actual.json()["persons"]["a"]["salary"][MONTH]


def test_a_computed_text_of_limited_length_is_text(apis: Apis) -> None:
    situation = {
        "persons": {"a": {}, "b": {}},
        "households": {"h": {"adults": ["a"], "postal_code": {MONTH: "75001"}}, "g": {"adults": ["b"]}},
    }
    situation["households"]["g"]["postal_code"] = {MONTH: None}
    expected, actual = _same(*_post(apis, "/calculate", situation))
    assert expected["households"]["g"]["postal_code"][MONTH] == "b''"  # Python's notation of bytes
    assert actual["households"]["g"]["postal_code"][MONTH] == ""
    assert actual["households"]["h"] == expected["households"]["h"]


@pytest.mark.parametrize("route", ["/calculate", "/trace"])
def test_an_input_period_mismatch_is_keyed_by_the_period_sent(apis: Apis, route: str) -> None:
    situation = {"persons": {"a": {"age": {"2017": 30}}}}  # a year, for a monthly variable without set_input
    expected, actual = _post(apis, route, situation)
    assert expected.status_code == actual.status_code == 400
    assert isinstance(expected.get_json()["persons"]["a"]["age"], list)  # dpath turned "2017" into an index
    assert "can only be set for one month" in actual.json()["persons"]["a"]["age"]["2017"]


def test_an_integer_beyond_64_bits_is_refused_as_the_reference_does(apis: Apis) -> None:
    expected, actual = _post(apis, "/calculate", {"persons": {"a": {"age": {MONTH: 2**64}}}})
    assert expected.status_code == actual.status_code == 400
    assert "18446744073709551616" in expected.get_json()["persons"]["a"]["age"][MONTH]
    assert "1.8446744073709552e+19" in actual.json()["persons"]["a"]["age"][MONTH]  # read as a float, and shown so


# Bounded work: what would be costly is refused before the work, in about the time it takes to read the body.

ITEMS = 1_900_000  # tiny JSON items: under the 2,000,000 values a body may hold, in 24 to 31 MiB


def _cpu_seconds(server: Server) -> float:
    times = psutil.Process(server.process.pid).cpu_times()
    return times.user + times.system


def _timed(server: Server, client: httpx.Client, route: str, raw: bytes) -> tuple[httpx.Response, float]:
    """The answer, and the CPU seconds the server spent on it: the work the request caused, which other
    processes on a loaded machine do not stretch as they stretch its wall time."""
    started = _cpu_seconds(server)
    answer = client.post(route, content=raw, headers={"content-type": "application/json"})
    return answer, _cpu_seconds(server) - started


def _rss(server: Server) -> int:
    return psutil.Process(server.process.pid).memory_info().rss


def test_bodies_of_millions_of_tiny_items_are_refused_at_once_and_memory_returns(country_server: Server) -> None:
    """openfisca-core's builder deep-copies the whole body first (2.6 s here for the million small lists under
    an unknown key, 12 to 40 s and 2.5 GB reported for larger ones); here a refusal costs about the parsing of
    the body (1 to 2.2 s of the server's CPU for 1.9 million distinct keys). The bounds are the server's CPU
    seconds, which a loaded machine does not stretch as it stretches wall time (3.2 and 3.9 s of wall time at a
    load of 5 on two cores, against a bound of 3)."""
    unknown_key = b'{"persons":{"a":{}},"x":[' + b",".join([b'"abcdefghijklmn"'] * ITEMS) + b"]}"
    small_lists = b'{"persons":{"a":{}},"x":[' + b",".join([b"[0]"] * (ITEMS // 2)) + b"]}"
    persons = b'{"persons":{' + b",".join(b'"p%07d":0' % index for index in range(ITEMS)) + b"}}"
    variables = b'{"persons":{"a":{' + b",".join(b'"v%07d":0' % index for index in range(ITEMS)) + b"}}}"
    first = datetime.date(1000, 1, 1)
    days = b",".join(
        b'"%s":0' % (first + datetime.timedelta(days=index)).isoformat().encode() for index in range(ITEMS)
    )
    periods = b'{"persons":{"a":{"salary":{' + days + b"}}}}"
    cases = [  # route, body, status, field, fragment of the message, CPU seconds allowed
        ("/calculate", small_lists, 400, "x", "These entities are not found: x.", 1),
        ("/trace", small_lists, 400, "x", "These entities are not found: x.", 1),
        ("/calculate", unknown_key, 400, "x", "These entities are not found: x.", 3),
        ("/calculate", persons, 413, "persons", "At most 10000 persons", 6),
        ("/calculate", variables, 413, "error", "split it into several requests", 6),
        ("/trace", variables, 413, "error", "/trace always uses it", 6),
        ("/calculate", periods, 413, "persons", "At most 5000 inputs and results", 6),
    ]
    with country_server.client() as client:
        assert client.post("/calculate", json=single).status_code == 200
        before = _rss(country_server)
        for route, raw, status, field, fragment, allowed in cases:
            assert len(raw) < 32 * 1024 * 1024
            answer, seconds = _timed(country_server, client, route, raw)
            assert (answer.status_code, fragment in answer.json()[field]) == (status, True), answer.text[:300]
            assert seconds < allowed, (route, fragment, seconds)
        assert client.post("/calculate", json=couple).status_code == 200
    limit = before + 150 * 1024 * 1024
    assert settled(lambda: _rss(country_server), limit) < limit  # given back once the worker is quiet


def _large(persons: int) -> dict[str, Any]:
    """A situation of ``persons`` persons with a year of salaries each (about 270 bytes a person)."""
    salaries = {f"2017-{month:02d}": 1000.0 for month in range(1, 13)}
    return {
        "persons": {
            f"person-{index:05d}": {
                "birth": {"ETERNITY": "1980-01-01"},
                "salary": salaries,
                "income_tax": {MONTH: None},
            }
            for index in range(persons)
        }
    }


def test_a_large_situation_off_the_fast_path_is_refused_in_milliseconds(country_server: Server) -> None:
    """1.7 MB that openfisca-core's builder would take 5 to 6 s on (/trace always takes it): 413, saying to
    simplify or split the situation. A float for an integer, which left /calculate's fast path for the builder,
    is a 400 naming its cell on both routes, found in milliseconds too."""
    situation = _large(6_500)
    fast = json.dumps(situation).encode()
    situation["persons"]["person-00000"]["age"] = {MONTH: 30.5}
    slow = json.dumps(situation).encode()
    assert len(slow) > 1_700_000
    with country_server.client() as client:
        for route in ("/calculate", "/trace"):
            answer, seconds = _timed(country_server, client, route, slow)
            assert answer.status_code == 400, answer.text[:300]
            assert "30.5" in answer.json()["persons"]["person-00000"]["age"][MONTH] and seconds < 1.5, seconds
        for route, raw in (("/trace", fast),):
            answer, seconds = _timed(country_server, client, route, raw)
            assert answer.status_code == 413, answer.text[:300]
            assert "limited to 10000 values" in answer.json()["error"] and "split" in answer.json()["error"]
            assert seconds < 1.5, (route, seconds)
        answer, seconds = _timed(country_server, client, "/calculate", fast)  # the usual form: the fast path
        assert answer.status_code == 200 and answer.json()["persons"]["person-06499"]["income_tax"][MONTH] == 150.0
        assert seconds < 3, seconds


def test_the_builder_budget_is_a_setting(country_server: Server, extended_server: Server) -> None:
    """OPENFISCA_SP_MAX_REFERENCE_VALUES (2,000 on the extended server, 10,000 by default)."""
    situation = _large(200)  # about 3,400 values
    for server, status in ((country_server, 200), (extended_server, 413)):
        with server.client() as client:
            answer = client.post("/trace", json=situation)
            assert answer.status_code == status, answer.text[:300]
    assert f"limited to {SMALL_BUDGET} values" in answer.json()["error"]
