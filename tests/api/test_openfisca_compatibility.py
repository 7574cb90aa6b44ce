"""Differential tests: our server answers as openfisca-core's own Flask app (``openfisca_web_api``).

The same requests go to the reference app (in-process, through Flask's test
client) and to a real ``openfisca-sp serve`` on 127.0.0.1; status codes and
parsed JSON bodies must match. Where the reference is known to be wrong, the
test asserts our better answer (see docs/api.md).
"""

from __future__ import annotations

import copy
import datetime
import json
import re
from typing import Any

import pytest
from openfisca_web_api.app import create_app as create_reference_app

from openfisca_sp import tax_benefit_system
from openfisca_sp.api.examples import calculate_example

MONTH = "2024-06"
WAGES = {f"2023-{m:02d}": 2_000_000.0 + 1000 * m for m in range(6, 13)} | {
    f"2024-{m:02d}": 2_600_000.5 for m in range(1, 6)
}


@pytest.fixture(scope="module")
def reference():
    app = create_reference_app(tax_benefit_system("lao"))
    app.testing = False  # answer errors as a deployed openfisca serve does (500 pages), not by raising
    return app.test_client()


def _hosts_normalised(body: Any) -> Any:
    """The body with the server's own address replaced (hrefs and the welcome text name it)."""
    if isinstance(body, dict):
        return {key: _hosts_normalised(value) for key, value in body.items()}
    if isinstance(body, list):
        return [_hosts_normalised(value) for value in body]
    if isinstance(body, str):
        return re.sub(r"http://(localhost|127\.0\.0\.1:\d+)/", "http://HOST/", body)
    return body


def _same(reference, client, method: str, path: str, body: Any = None) -> tuple[Any, Any]:
    if method == "GET":
        expected = reference.get(path)
        actual = client.get(path)
    else:
        expected = reference.post(path, json=copy.deepcopy(body))
        actual = client.post(path, json=copy.deepcopy(body))
    assert actual.status_code == expected.status_code, (path, actual.text[:500], expected.get_data(as_text=True)[:500])
    assert actual.headers["content-type"].startswith("application/json")
    assert actual.headers["country-package"] == expected.headers["Country-Package"]
    assert actual.headers["country-package-version"] == expected.headers["Country-Package-Version"]
    return expected.get_json(), actual.json()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/parameters",
        "/variables",
        "/variable/old_age_pension",
        "/variable/sex",
        "/variable/birth_date",
        "/variable/insured_wage",
        "/entities",
        "/parameter/old_age",
        "/parameter/nothing.here",
        "/variable/nothing_here",
    ],
)
def test_metadata_routes_answer_as_the_reference(reference, client, path: str) -> None:
    expected, actual = _same(reference, client, "GET", path)
    if path.endswith("here"):
        assert "error" in actual  # the reference answers an HTML 404 page; we answer JSON
        return
    assert _hosts_normalised(actual) == _hosts_normalised(expected)


@pytest.mark.parametrize(
    "path", ["/parameter/old_age.pensionable_age.women", "/parameter/old_age/pensionable_age/women"]
)
def test_parameter_adds_provenance_to_the_reference_answer(reference, client, path: str) -> None:
    expected, actual = _same(reference, client, "GET", path)
    provenance = actual.pop("provenance")
    assert actual == expected
    assert set(provenance) == set(expected["values"])
    assert provenance["2014-01-01"]["status"] == "unverified"
    assert provenance["2014-01-01"]["reference"][0]["instrument"].startswith("Law on Social Security No. 34/NA")


@pytest.mark.parametrize(
    "path", ["/spec", "/parameters", "/variables", "/entities", "/variable/sex", "/parameter/old_age"]
)
def test_a_query_the_reference_does_not_read_is_accepted_as_it_does(reference, client, path: str) -> None:
    """openfisca serve reads no query on these routes and answers as without one (a client's ``?v=2`` cache
    buster): so do we (docs/api.md, "Differences from openfisca serve": our own routes refuse one)."""
    expected = reference.get(f"{path}?v=2&unknown")
    actual = client.get(f"{path}?v=2&unknown")
    assert expected.status_code == actual.status_code == 200
    assert actual.json() == client.get(path).json()


def test_spec_is_the_reference_spec_with_our_server(reference, client) -> None:
    expected, actual = _same(reference, client, "GET", "/spec")
    assert actual.pop("servers") == [{"url": str(client.base_url).rstrip("/")}]
    expected.pop("servers")
    assert actual == expected


def _person(birth: str, sex: str, months: int) -> dict[str, Any]:
    return {
        "birth_date": {"ETERNITY": birth},
        "sex": {"ETERNITY": sex},
        "contribution_months": {MONTH: months},
        "insured_wage": dict(WAGES),
    }


SITUATIONS = {
    "example": calculate_example(None),
    "household with roles, enums, dates, several months": {
        "persons": {
            "ana": _person("1962-03-04", "female", 200)
            | {
                "pregnancy_outcome": {MONTH: "none"},
                "old_age_pension": {MONTH: None, "2024-05": None},
                "old_age_pension_ineligibility_reason": {MONTH: None},
                "age": {MONTH: None},
            },
            "bo": _person("1990-07-01", "female", 30)
            | {
                "pregnancy_outcome": {MONTH: "live_birth"},
                "child_birth_date": {MONTH: "2024-05-20"},
                "number_of_children_born": {MONTH: 2},
                "maternity_benefit": {MONTH: None},
                "maternity_benefit_duration": {MONTH: None},
                "maternity_benefit_duration_unit": {MONTH: None},
                "birth_grant": {MONTH: None},
                "maternity_benefit_provisional": {MONTH: None},
            },
            "chan": _person("1985-01-01", "male", 100)
            | {
                "separation_reason": {MONTH: "dismissal"},
                "unemployment_registration_date": {MONTH: "2024-04-02"},
                "is_available_for_work": {MONTH: True},
                "unemployment_benefit": {MONTH: None},
                "unemployment_benefit_eligible": {MONTH: None},
                "unemployment_benefit_duration": {MONTH: None},
                "days_registered_unemployed": {MONTH: None},
            },
        },
        "households": {"h1": {"heads": ["ana"], "members": ["bo"]}, "h2": {"heads": "chan"}},
    },
    "persons without households": {
        "persons": {
            f"p{i}": _person(f"19{50 + i}-0{1 + i % 9}-15", ["male", "female"][i % 2], 12 * i) for i in range(8)
        }
        | {"q": {"old_age_pension_eligible": {MONTH: None}, "old_age_pension": {MONTH: None}}},
    },
    "household of members only": {
        "persons": {"a": _person("1950-01-01", "male", 400) | {"old_age_pension_eligible": {MONTH: None}}},
        "households": {"h": {"members": ["a"]}},
    },
    "unknown variable": {"persons": {"a": {"salary": {MONTH: 1}}}},
    "unknown enum value": {"persons": {"a": {"sex": {"ETERNITY": "other"}}}},
    "bad period": {"persons": {"a": {"contribution_months": {"2024-13": 5}}}},
    "person in two households": {
        "persons": {"a": {}},
        "households": {"h1": {"heads": ["a"]}, "h2": {"heads": ["a"]}},
    },
    "unknown person in a household": {"persons": {"a": {}}, "households": {"h": {"heads": ["zed"]}}},
    "two heads": {"persons": {"a": {}, "b": {}}, "households": {"h": {"heads": ["a", "b"]}}},
    "persons not an object": {"persons": ["a"]},
}


@pytest.mark.parametrize("name", list(SITUATIONS))
def test_calculate_answers_as_the_reference(reference, client, name: str) -> None:
    expected, actual = _same(reference, client, "POST", "/calculate", SITUATIONS[name])
    assert actual == expected


def test_a_birth_after_the_period_asked_is_computed_with_as_the_reference_does(reference, client) -> None:
    """OpenFisca situations may hold persons not yet born in some of their periods (a projection over years, a
    child expected): /calculate computes with them (an age of -6), as the reference does, where /eligibility
    refuses a birth after the date asked (docs/api.md). One period before the birth and one after, in one body."""
    unborn = {"birth_date": {"ETERNITY": "2030-01-01"}, "age": {MONTH: None, "2035-06": None}}
    situation = {"persons": {"a": unborn}, "households": {"h": {"heads": ["a"]}}}
    expected, actual = _same(reference, client, "POST", "/calculate", situation)
    assert actual == expected
    assert actual["persons"]["a"]["age"] == {MONTH: -6, "2035-06": 5}


AXES = {
    "persons": {"a": _person("1960-01-01", "male", 100) | {"old_age_pension_eligible": {MONTH: None}}},
    "households": {"h": {"heads": ["a"]}},
    "axes": [[{"count": 3, "name": "contribution_months", "min": 0, "max": 400, "period": MONTH}]],
}


def test_unknown_entity_is_refused_as_the_reference_does(reference, client) -> None:
    expected, actual = _same(reference, client, "POST", "/calculate", {"persons": {"a": {}}, "companies": {}})
    assert set(actual) == set(expected) == {"companies"}
    assert "companies" in actual["companies"]  # the list of entities is in set order, which varies by process


def _iso_dates(body: Any) -> Any:
    """Flask writes dates as HTTP dates; we write ISO dates (the format the requests use)."""
    if isinstance(body, dict):
        return {key: _iso_dates(value) for key, value in body.items()}
    if isinstance(body, list):
        return [_iso_dates(value) for value in body]
    if isinstance(body, str) and re.match(r"^\w{3}, \d{2} \w{3} \d{4} 00:00:00 GMT$", body):
        return datetime.datetime.strptime(body, "%a, %d %b %Y %H:%M:%S GMT").date().isoformat()
    return body


@pytest.mark.parametrize("name", ["example", "household with roles, enums, dates, several months", "axes"])
def test_trace_answers_as_the_reference(reference, client, name: str) -> None:
    situation = AXES if name == "axes" else SITUATIONS[name]
    expected, actual = _same(reference, client, "POST", "/trace", situation)
    expected = _iso_dates(expected)
    for body in (expected, actual):
        body["requestedCalculations"].sort()  # in request key order, and Flask's test client sorts the keys it sends
        for step in body["trace"].values():
            step.pop("calculation_time")
            step.pop("formula_time")
    assert actual == expected


def test_trace_and_calculate_agree(client) -> None:
    """Tracing does not change results (it used to hide parameters from the rules)."""
    situation = SITUATIONS["household with roles, enums, dates, several months"]
    calculated = client.post("/calculate", json=situation).json()
    trace = client.post("/trace", json=situation).json()["trace"]
    assert (
        trace[f"old_age_pension_ineligibility_reason<{MONTH}>"]["value"][0]
        == (calculated["persons"]["ana"]["old_age_pension_ineligibility_reason"][MONTH])
    )
    assert trace[f"maternity_benefit<{MONTH}>"]["value"][1] == calculated["persons"]["bo"]["maternity_benefit"][MONTH]


# Where the reference is wrong, we are better (docs/api.md, "Differences from openfisca serve").


def test_a_period_that_does_not_fit_the_variable_is_a_400_not_a_500(reference, client) -> None:
    situation = {"persons": {"a": {"age": {"2024": None}}}}
    assert reference.post("/calculate", json=situation).status_code == 500
    answer = client.post("/calculate", json=situation)
    assert answer.status_code == 400
    assert "whole month" in answer.json()["persons"]["a"]["age"]["2024"]


def test_an_input_period_mismatch_is_keyed_by_the_period_sent(reference, client) -> None:
    situation = {"persons": {"a": {"contribution_months": {"2024": 4}}}}
    broken = reference.post("/calculate", json=situation).get_json()
    assert isinstance(broken["persons"]["a"]["contribution_months"], list)  # dpath turned "2024" into an index
    answer = client.post("/calculate", json=situation)
    assert answer.status_code == 400
    assert "only be set for one month" in answer.json()["persons"]["a"]["contribution_months"]["2024"]


def test_text_for_a_number_is_refused_not_evaluated(reference, client) -> None:
    situation = {"persons": {"a": {"contribution_months": {MONTH: "20*12"}, "old_age_pension_eligible": {MONTH: None}}}}
    assert reference.post("/calculate", json=situation).status_code == 200  # the reference evaluated "20*12"
    answer = client.post("/calculate", json=situation)
    assert answer.status_code == 400
    assert "not evaluated" in answer.json()["persons"]["a"]["contribution_months"][MONTH]


@pytest.mark.parametrize("text", ["false", "0", "no", "False", "very"])
def test_text_for_a_boolean_is_refused_not_read_as_true(reference, client, text: str) -> None:
    situation = {"persons": {"a": {"is_disabled": {MONTH: text}, "disability_benefit_eligible": {MONTH: None}}}}
    read = reference.post("/calculate", json=situation)
    assert read.status_code == 200 and read.get_json()["persons"]["a"]["is_disabled"][MONTH] == text
    answer = client.post("/calculate", json=situation)
    assert answer.status_code == 400
    message = answer.json()["persons"]["a"]["is_disabled"][MONTH]
    assert "Expected a boolean (JSON true or false)" in message and repr(text) in message
    stated = {"persons": {"a": {"is_disabled": {MONTH: False}, "disability_benefit_eligible": {MONTH: None}}}}
    assert client.post("/calculate", json=stated).json()["persons"]["a"]["disability_benefit_eligible"][MONTH] is False


@pytest.mark.parametrize("number", [7, -1, 1.5, 2.0])
def test_a_number_that_is_no_index_of_an_enumeration_is_refused(reference, client, number: float) -> None:
    """The reference reads any number as an index: ``sex: 7`` or ``-1`` was not female, ``1.5`` female (found by an
    outside review). An index stays accepted, as the reference accepts it."""
    asked = {"maternity_benefit_ineligibility_reason": {MONTH: None}}
    situation = {"persons": {"a": {"sex": {"ETERNITY": number}, **asked}}}
    assert reference.post("/calculate", json=situation).status_code == 200
    answer = client.post("/calculate", json=situation)
    assert answer.status_code == 400
    assert (
        "Expected one of male, female (or its index, a whole number from 0 to 1)"
        in (answer.json()["persons"]["a"]["sex"]["ETERNITY"])
    )
    for index, reason in ((0, "not_female"), (1, "no_confinement")):
        stated = {"persons": {"a": {"sex": {"ETERNITY": index}, **asked}}}
        assert client.post("/calculate", json=stated).json() == reference.post("/calculate", json=stated).get_json()
        assert (
            client.post("/calculate", json=stated).json()["persons"]["a"]["maternity_benefit_ineligibility_reason"][
                MONTH
            ]
            == reason
        )


@pytest.mark.parametrize(("name", "value"), [("contribution_months", True), ("insured_wage", False)])
def test_a_boolean_for_a_number_is_refused_not_read_as_1_or_0(reference, client, name: str, value: bool) -> None:
    situation = {"persons": {"a": {name: {MONTH: value}, "old_age_pension_eligible": {MONTH: None}}}}
    assert reference.post("/calculate", json=situation).status_code == 200  # the reference read it as a number
    answer = client.post("/calculate", json=situation)
    assert answer.status_code == 400
    assert "got the boolean" in answer.json()["persons"]["a"][name][MONTH]


def test_a_fraction_for_a_whole_number_is_refused_not_cut(reference, client) -> None:
    """An outside review: 179.9 contribution months were computed as 179 (refused a pension) and echoed as 179.9,
    as the reference does; 180.0 is a whole number and is read as 180."""
    situation = {"persons": {"a": {"contribution_months": {MONTH: 179.9}, "old_age_pension_eligible": {MONTH: None}}}}
    assert reference.post("/calculate", json=situation).status_code == 200  # the reference cut it to 179
    answer = client.post("/calculate", json=situation)
    assert answer.status_code == 400
    assert (
        "Expected a whole number (JSON integer), got 179.9"
        in answer.json()["persons"]["a"]["contribution_months"][MONTH]
    )
    whole = {"persons": {"a": {"contribution_months": {MONTH: 180.0}, "old_age_pension_eligible": {MONTH: None}}}}
    assert client.post("/calculate", json=whole).status_code == 200


def test_a_number_for_a_date_is_refused_not_read_as_days(reference, client) -> None:
    situation = {"persons": {"a": {"birth_date": {"ETERNITY": 19900101}, "age": {MONTH: None}}}}
    assert reference.post("/calculate", json=situation).get_json()["persons"]["a"]["age"][MONTH] < 0
    answer = client.post("/calculate", json=situation)
    assert answer.status_code == 400
    assert "Expected a date as text (YYYY-MM-DD)" in answer.json()["persons"]["a"]["birth_date"]["ETERNITY"]


@pytest.mark.parametrize(
    ("axes", "path", "words"),
    [
        ("x", ["axes"], "Expected a list of lists of axes"),
        ([[]], ["axes", "0"], "Expected a non-empty list of axes"),
        ([[{"count": 3, "name": "nope", "min": 0, "max": 9}]], ["axes", "0", "0", "name"], "is not a variable"),
        ([[{"count": 3, "name": "contribution_monts", "min": 0, "max": 9}]], ["axes", "0", "0", "name"], "Did you"),
        ([[{"count": 3, "name": "contribution_months", "min": "a", "max": 9}]], ["axes", "0", "0", "min"], "a number"),
        ([[{"count": 3, "name": "contribution_months", "max": 9}]], ["axes", "0", "0", "min"], "needs 'min'"),
        ([[{"count": 3, "name": "sex", "min": 0, "max": 9}]], ["axes", "0", "0", "name"], "is not a number"),
        (
            [[{"count": 3, "name": "contribution_months", "min": 0, "max": 9, "index": 4}]],
            ["axes", "0", "0", "index"],
            "the one person: 0",
        ),
    ],
)
def test_axes_openfisca_core_cannot_read_are_refused_at_their_path(client, axes, path, words) -> None:
    """The builder answered Python's own words with no place (string indices must be integers, list index out
    of range, 'nope') for these."""
    answer = client.post("/trace", json={**AXES, "axes": axes})
    assert answer.status_code == 400, answer.text
    message = answer.json()
    for key in path:
        message = message[key]
    assert words in message


def test_a_list_for_one_period_is_refused_at_its_path(client) -> None:
    situation = {"persons": {"a": {"insured_wage": {"2024-01": [1, 2]}, "old_age_pension": {MONTH: None}}}}
    answer = client.post("/trace", json=situation)
    assert answer.status_code == 400 and "got a list" in answer.json()["persons"]["a"]["insured_wage"]["2024-01"]


def test_axes_in_calculate_are_a_400_not_a_500(reference, client) -> None:
    assert reference.post("/calculate", json=AXES).status_code == 500
    answer = client.post("/calculate", json=AXES)
    assert answer.status_code == 400
    assert "not supported" in answer.json()["axes"]


def test_unknown_routes_and_methods_answer_json(reference, client) -> None:
    assert reference.get("/nowhere").status_code == 404
    assert not reference.get("/nowhere").is_json
    missing = client.get("/nowhere")
    assert missing.status_code == 404 and missing.json()["field"] == "path"
    assert reference.get("/calculate").status_code == 405
    wrong = client.get("/calculate")
    assert wrong.status_code == 405 and wrong.json()["field"] == "method"


def test_invalid_json_is_a_400_in_both(reference, client) -> None:
    expected = reference.post("/calculate", data=b"{not json", content_type="application/json")
    actual = client.post("/calculate", content=b"{not json", headers={"content-type": "application/json"})
    assert expected.status_code == actual.status_code == 400
    assert actual.json()["error"].startswith("Invalid JSON")


def test_dates_computed_are_iso_dates(reference, client) -> None:
    situation = {"persons": {"a": {"birth_date": {"ETERNITY": None}}}}
    assert reference.post("/calculate", json=situation).get_json()["persons"]["a"]["birth_date"]["ETERNITY"] == (
        "Thu, 01 Jan 1970 00:00:00 GMT"
    )
    assert client.post("/calculate", json=situation).json()["persons"]["a"]["birth_date"]["ETERNITY"] == "1970-01-01"


def test_every_jurisdiction_is_served_under_its_prefix(client) -> None:
    situation = {"persons": {"a": _person("1960-01-01", "male", 300) | {"old_age_pension_eligible": {MONTH: None}}}}
    for code in ("lao", "vnm", "ilo_c102"):
        answer = client.post(f"/{code}/calculate", json=situation)
        assert answer.status_code == 200
        assert answer.headers["openfisca-sp-jurisdiction"] == code
        assert (
            client.get(f"/{code}/variables")
            .json()["old_age_pension"]["href"]
            .endswith(f"/{code}/variable/old_age_pension")
        )
    vnm = client.get("/vnm/parameter/old_age.pensionable_age.men").json()
    lao = client.get("/parameter/old_age.pensionable_age.men").json()
    assert vnm["values"] != lao["values"]


def test_costly_situations_are_refused_before_any_work(client) -> None:
    huge_axes = AXES | {
        "axes": [[{"count": 200_000, "name": "contribution_months", "min": 0, "max": 9, "period": MONTH}]]
    }
    answer = client.post("/trace", json=huge_axes)
    assert answer.status_code == 413 and "200000" in answer.json()["persons"]
    too_many = {"persons": {f"p{i}": {} for i in range(10_001)}}
    assert client.post("/calculate", json=too_many).status_code == 413
    long_period = {"persons": {"a": {"insured_wage": {"month:1900-01:2000": 1.0}, "age": {MONTH: None}}}}
    answer = client.post("/calculate", json=long_period)
    assert answer.status_code == 400
    assert "century" in answer.json()["persons"]["a"]["insured_wage"]["month:1900-01:2000"]


def test_large_numeric_keys_cannot_exhaust_the_server(client) -> None:
    """The reference builds error paths with dpath, which would allocate a list as long as the key."""
    situation = {"persons": {"1": {"999999999999999999999999999999": {"2024-01": True}}}}
    answer = client.post("/calculate", json=situation, timeout=30)
    assert answer.status_code == 400
    assert "Numeric keys" in answer.json()["persons"]["1"]["999999999999999999999999999999"]
    valid = {"persons": {"1234567890123": {"old_age_pension_eligible": {MONTH: None}}}}
    assert client.post("/calculate", json=valid).status_code == 200  # on the fast path, any id is fine


PERSON = {"birth_date": {"ETERNITY": "1980-01-01"}, "old_age_pension": {MONTH: None}}


@pytest.mark.parametrize(
    ("situation", "path"),
    [
        ({"persons": {"": PERSON}}, ["persons", ""]),  # the fast path took it, the usual reading refused it
        ({"persons": {str(row) if row else "": PERSON for row in range(1200)}}, ["persons", ""]),  # a table's bytes
        ({"persons": {"a": PERSON}, "households": {"": {"members": ["a"]}}}, ["households", ""]),
    ],
)
@pytest.mark.parametrize("route", ["/calculate", "/trace"])
def test_an_empty_id_is_refused_at_its_place_on_every_path(reference, client, situation, path, route) -> None:
    """Schemathesis sent an empty id: the reference answers 500 (dpath refuses empty keys), we answered 400 with
    dpath's words and no place, or 200 where the fast path took the situation; now a 400 at the empty id."""
    if len(situation["persons"]) < 10:
        assert reference.post(route, json=situation).status_code == 500
    answer = client.post(route, json=situation)
    assert answer.status_code == 400, answer.text
    message = answer.json()
    for key in path:
        message = message[key]
    assert message.startswith("An empty id names no one"), message


@pytest.mark.parametrize(
    ("situation", "path", "status"),
    [
        ({"persons": {"a": {**PERSON, "old_age_pension": {"": None}}}}, ["persons", "a", "old_age_pension"], 400),
        ({"persons": {"a": {**PERSON, "": {MONTH: 1}}}}, ["persons", "a", ""], 404),
        ({"persons": {"a": PERSON}, "households": {"h": {"": ["a"]}}}, ["households", "h", ""], 404),
    ],
)
def test_an_empty_period_or_variable_is_answered_as_the_reference_answers_it(
    reference, client, situation, path, status
):
    expected = reference.post("/calculate", json=situation)
    answer = client.post("/calculate", json=situation)
    assert answer.status_code == expected.status_code == status, answer.text
    found, told = answer.json(), expected.get_json()
    for key in path:
        found, told = found[key], told[key]
    assert found == told


@pytest.mark.parametrize(("prefix", "route"), [("", "/calculate"), ("", "/trace"), ("/vnm", "/calculate")])
def test_the_published_example_asks_for_results_and_gets_them(client, prefix: str, route: str) -> None:
    """The OpenAPI document's example situation keeps its nulls (FastAPI drops them: the example then asked
    for nothing and computed nothing), and sent as published it is answered with the results it asks for."""
    document = client.get("/openapi.json").json()
    example = document["paths"][prefix + route]["post"]["requestBody"]["content"]["application/json"]["example"]
    asked = {name: periods for name, periods in example["persons"]["somphone"].items() if None in periods.values()}
    assert set(asked) >= {"old_age_pension_eligible", "old_age_pension"}
    answer = client.post(prefix + route, json=example)
    assert answer.status_code == 200, answer.text
    if route == "/calculate":
        person = answer.json()["persons"]["somphone"]
        assert all(value is not None for name in asked for value in person[name].values())
    else:
        requested = answer.json()["requestedCalculations"]
        assert {key.rsplit("<", 1)[0] for key in requested} == set(asked)


@pytest.mark.parametrize("route", ["/calculate", "/trace"])
def test_a_value_not_known_is_null_where_the_reference_writes_nan(reference, client, route: str) -> None:
    """A float the rules leave not known (NaN: no contract's end stated, so no maximum read) is written ``null``;
    the reference writes ``NaN``, which is not JSON: strict parsers (JavaScript's, Go's) refuse its whole answer."""
    situation = {"persons": {"a": {"unemployment_benefit_maximum_at_end": {MONTH: None}}}}
    expected = reference.post(route, json=situation)
    assert expected.status_code == 200 and b"NaN" in expected.get_data()
    with pytest.raises(ValueError, match="NaN"):
        json.loads(expected.get_data(), parse_constant=_not_json)
    actual = client.post(route, json=situation)
    assert actual.status_code == 200 and b"NaN" not in actual.content
    body = json.loads(actual.content, parse_constant=_not_json)
    if route == "/calculate":
        assert body["persons"]["a"]["unemployment_benefit_maximum_at_end"] == {MONTH: None}
    else:
        assert body["trace"][f"unemployment_benefit_maximum_at_end<{MONTH}>"]["value"] == [None]


def _not_json(constant: str) -> None:
    raise ValueError(f"{constant} is not JSON")
