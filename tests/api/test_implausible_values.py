"""Values no claim or simulation can hold, refused at their field with what was expected, on a real server, never
decided nor answered with a 500: dates and months outside the calendar the service reads, axes beyond 32 bits,
codes that name nothing, a part larger than its whole; and an empty body, which is no JSON document."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.test_dci_envelope import _message

AS_OF = "2024-06-15"
REGIONS = "0 (unknown: the highest regional amount applies), or a region from 1 (region I) to 4 (region IV)"
CALENDAR_MONTH = "a month, YYYY-MM, from 1900-01 to 2199-12"


def _problems(client, persons: list[Any], path: str = "/eligibility") -> list[dict[str, Any]]:
    answer = client.post(path, json={"as_of": AS_OF, "persons": persons})
    assert answer.status_code == 422, answer.text
    problems = answer.json()["errors"]
    assert all(problem["field"] and problem["expected"] for problem in problems), problems
    return problems


@pytest.mark.parametrize("month", ["0001-01", "0000-01", "0999-12", "1899-12", "2200-01"])
def test_a_wage_month_outside_the_calendar_is_refused_at_its_field(client, month: str) -> None:
    """A year before 1000 was no period (500), and ``0999-12`` was read as ``999-12`` and compared as text."""
    problems = _problems(client, [{"identifier": "A", "insured_wage": {month: 1}}])
    assert [problem["field"] for problem in problems] == [f"persons[0].insured_wage.{month}"]
    assert problems[0]["expected"] == CALENDAR_MONTH
    many = [{"insured_wage": {"2024-01": 1.0, month: 1.0}}] * 40  # read in columns: refused as one by one
    assert _problems(client, many)[0]["field"] == f"persons[0].insured_wage.{month}"
    record = {"@type": "ContributionRecord", "identifier": "A", "wage_history": [{"month": month, "insured_wage": 1}]}
    (problem,) = _problems(client, [record])
    assert (problem["field"], problem["expected"]) == ("persons[0].wage_history[0].month", CALENDAR_MONTH)


@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31", "1899-12-31T23:00:00Z", "2200-01-01"])
def test_a_date_outside_the_calendar_is_refused_as_the_date_asked_is(client, day: str) -> None:
    for persons in ([{"birth_date": day}], [{"birth_date": "1990-01-01"}] * 39 + [{"birth_date": day}]):
        (problem,) = _problems(client, persons)
        assert problem["field"] == f"persons[{len(persons) - 1}].birth_date"
        assert problem["expected"] in ("1900-01-01 or more", "at most 2199-12-31")


def test_the_synchronous_dci_route_refuses_a_month_outside_the_calendar(client) -> None:
    message = _message([{"identifier": "A", "insured_wage": {"0001-01": 1}}])
    answer = client.post("/dci/sync/eligibility", json=message)
    assert answer.status_code == 422, answer.text
    assert "message.eligibility_request.persons[0].insured_wage.0001-01" in answer.text


@pytest.mark.parametrize(
    ("name", "low", "high", "key"),
    [
        ("contribution_months", 0, 1e40, "max"),  # answered [0, -2147483648, -2147483648]
        ("contribution_months", -(2**31) - 1, 0, "min"),
        ("contribution_months", 0, 2**31, "max"),
    ],
)
def test_an_axis_beyond_what_its_variable_holds_is_refused_at_its_path(client, name, low, high, key) -> None:
    axis = {"count": 3, "name": name, "min": low, "max": high, "period": "2024-06"}
    situation = {
        "persons": {"a": {"birth_date": {"ETERNITY": "1960-01-01"}, "old_age_pension_eligible": {"2024-06": None}}},
        "households": {"h": {"heads": ["a"]}},
        "axes": [[axis]],
    }
    answer = client.post("/trace", json=situation)
    assert answer.status_code == 400, answer.text
    assert "too large for type" in answer.json()["axes"]["0"]["0"][key]
    for path in ("/calculate", "/vnm/calculate"):  # refused there too (axes are not supported)
        assert client.post(path, json=situation).status_code == 400
    within = {**situation, "axes": [[{**axis, key: 10**9 if key == "max" else 0}]]}  # a count: 0 to 10**9
    assert client.post("/trace", json=within).status_code == 200


def test_a_float_axis_beyond_float32_is_held_exactly_in_float64(client) -> None:
    """openfisca-sp holds its floats in float64 (rules.exact_numbers): 999,999,999,999,999, which float32 rounds to
    1e15, is held exactly (1e15 is the largest amount a fact takes, as /eligibility reads it)."""
    axis = {
        "count": 2,
        "name": "career_average_insured_wage",
        "min": 0,
        "max": 999_999_999_999_999.0,
        "period": "2024-06",
    }
    situation = {
        "persons": {"a": {"career_average_insured_wage": {"2024-06": None}}},
        "households": {"h": {"heads": ["a"]}},
        "axes": [[axis]],
    }
    answer = client.post("/trace", json=situation)
    assert answer.status_code == 200, answer.text
    assert answer.json()["trace"]["career_average_insured_wage<2024-06>"]["value"] == [0.0, 999_999_999_999_999.0]


@pytest.mark.parametrize("region", [5, 99, -1])
@pytest.mark.parametrize("path", ["/eligibility", "/vnm/eligibility"])
def test_a_minimum_wage_region_that_does_not_exist_is_refused(client, path: str, region: int) -> None:
    """Viet Nam has regions I to IV: 5 or 99 was read as unknown (the highest regional amount applied)."""
    for persons in (
        [{"minimum_wage_region": region}],
        [{"minimum_wage_region": 1}] * 39 + [{"minimum_wage_region": region}],
    ):
        (problem,) = _problems(client, persons, path)
        assert (problem["field"], problem["expected"]) == (f"persons[{len(persons) - 1}].minimum_wage_region", REGIONS)
    for known in range(5):
        assert client.post(path, json={"as_of": AS_OF, "persons": [{"minimum_wage_region": known}]}).status_code == 200


def test_more_months_before_2014_than_in_all_is_refused_naming_both_fields(client) -> None:
    person = {"contribution_months_before_2014": 100, "contribution_months": 50}
    answer = client.post("/vnm/eligibility", json={"as_of": AS_OF, "persons": [{}, person]})
    assert answer.status_code == 422, answer.text
    (problem,) = answer.json()["errors"]
    assert problem["field"] == "persons[1].contribution_months_before_2014"
    assert problem["expected"] == "at most contribution_months" and "50 of contribution_months" in problem["message"]
    for months in (100, 120):
        whole = {"as_of": AS_OF, "persons": [{**person, "contribution_months": months}]}
        assert client.post("/vnm/eligibility", json=whole).status_code == 200


@pytest.mark.parametrize("path", ["/eligibility", "/vnm/eligibility", "/eligibility/by-identifier", "/calculate"])
@pytest.mark.parametrize("origin", [{}, {"Origin": "http://127.0.0.1:9"}])  # the hot lane, the whole stack
def test_an_empty_body_is_invalid_json_on_every_route(client, path: str, origin: dict[str, str]) -> None:
    """FastAPI reads an empty body as a body missing: /eligibility answered 422 Field required, where the docs
    and the other routes answer 400 Invalid JSON."""
    answer = client.post(path, content=b"", headers={"Content-Type": "application/json", **origin})
    assert answer.status_code == 400, answer.text
    body = answer.json()
    assert body["error"].startswith("Invalid JSON: Input is a zero-length, empty document"), body
    assert (body["field"], body["expected"]) == ("body", "a JSON document")


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("contribution_months", -5, "Expected a number from 0 to 1,000,000,000 (contribution_months: as the law counts "
         "it), got -5."),
        ("disability_degree", 150, "Expected a number from 0 to 100 (disability_degree: as the law counts it), got 150."),
        ("number_of_children_born", -2, "Expected a number from 0 to 20 (number_of_children_born: as the law counts "
         "it), got -2."),
    ],
)  # fmt: skip
@pytest.mark.parametrize("persons", [1, 200])  # one situation read as openfisca-core reads it, and many planned
def test_calculate_refuses_a_fact_beyond_the_law_s_bounds_as_eligibility_does(client, name, value, expected, persons):
    """An outside review: /calculate computed with -5 months of contributions and a degree of 150 (an age of -10
    came out), values /eligibility refuses."""
    person = {"birth_date": {"ETERNITY": "1960-01-01"}, "old_age_pension_eligible": {"2024-06": None}}
    situation = {"persons": {f"p{row}": dict(person) for row in range(persons)}}
    situation["persons"][f"p{persons - 1}"][name] = {"2024-06": value}
    answer = client.post("/calculate", json=situation)
    assert answer.status_code == 400, answer.text
    assert answer.json()["persons"][f"p{persons - 1}"][name]["2024-06"] == expected


@pytest.mark.parametrize("persons", [1, 200])  # read as openfisca-core reads it, and planned
def test_calculate_refuses_one_period_written_two_ways_for_one_input(client, persons: int) -> None:
    """An outside review: 2024-06 and month:2024-06 for one person's input gave the answer of the key written last
    (eligible or not as the keys were ordered). Two persons may each write it their own way."""
    person = {"birth_date": {"ETERNITY": "1950-01-01"}, "old_age_pension_eligible": {"2024-06": None}}
    situation = {"persons": {f"p{row}": {**person, "contribution_months": {"2024-06": 300}} for row in range(persons)}}
    situation["persons"]["p0"]["contribution_months"] = {"month:2024-06": 10}  # another person: fine
    assert client.post("/calculate", json=situation).status_code == 200
    twice = {"2024-06": 300, "month:2024-06": 10}
    situation["persons"][f"p{persons - 1}"]["contribution_months"] = twice
    answer = client.post("/calculate", json=situation)
    assert answer.status_code == 400, answer.text
    assert answer.json()["persons"][f"p{persons - 1}"]["contribution_months"]["month:2024-06"] == (
        "The period month:2024-06 is 2024-06, stated already as '2024-06': state each period once."
    )


def test_calculate_refuses_a_date_or_an_amount_eligibility_refuses(client) -> None:
    """A birth date of 9999-12-31 gave an age of -7,976 years, 0001-01-01 was computed with, and an insured wage of
    3e38 gave a pension of 1.53e38, where /eligibility refuses them (dates from 1900-01-01 to 2199-12-31, amounts
    to 1e15)."""
    for person, field in (
        ({"birth_date": {"ETERNITY": "9999-12-31"}, "age": {"2024-06": None}}, "birth_date"),
        ({"birth_date": {"ETERNITY": "0001-01-01"}, "age": {"2024-06": None}}, "birth_date"),
        ({"insured_wage": {"2024-05": 3e38}, "old_age_pension": {"2024-06": None}}, "insured_wage"),
        ({"career_average_insured_wage": {"2024-06": 2e15}, "old_age_pension": {"2024-06": None}}, "career_average"),
    ):
        for path in ("/calculate", "/vnm/calculate"):
            answer = client.post(path, json={"persons": {"p": person}, "households": {"h": {"members": ["p"]}}})
            assert answer.status_code == 400, (path, person, answer.text)
            assert field in answer.text and "Expected" in answer.text, answer.text
    many = {f"p{n}": {"birth_date": {"ETERNITY": "1960-01-01"}, "age": {"2024-06": None}} for n in range(40)}
    many["p39"]["birth_date"]["ETERNITY"] = "2200-01-01"  # a column read in numpy: refused too
    answer = client.post("/calculate", json={"persons": many, "households": {"h": {"members": list(many)}}})
    assert answer.status_code == 400 and "2200-01-01" in answer.text, answer.text
    fine = client.post(
        "/calculate", json={"persons": {"p": {"birth_date": {"ETERNITY": "1960-01-01"}, "age": {"2024-06": None}}}}
    )
    assert fine.status_code == 200, fine.text


@pytest.mark.parametrize("route", ["/calculate", "/trace"])
@pytest.mark.parametrize("text", ["", " 1960-03-01", "9999-12-31"])
def test_a_birth_date_that_is_no_date_of_the_calendar_is_refused_quoted(client, route: str, text: str) -> None:
    """openfisca serve computes with an empty text or a space before the date (not eligible, said as if known);
    refused, the text quoted: it read "got ." for an empty one."""
    situation = {"persons": {"p": {"birth_date": {"ETERNITY": text}, "old_age_pension_eligible": {"2024-06": None}}}}
    answer = client.post(route, json=situation)
    assert answer.status_code == 400, answer.text
    assert answer.json()["persons"]["p"]["birth_date"]["ETERNITY"] == (
        "Expected a date (YYYY-MM-DD) from 1900-01-01 to 2199-12-31 (birth_date: as /eligibility reads it), "
        f"got {text!r}."
    )


def test_a_disability_category_beyond_any_jurisdiction_s_is_refused(client) -> None:
    """A review: Viet Nam's disability_category 7 was decided as a category not covered; no jurisdiction has more
    than 6 (Lao PDR's categories 1 to 6)."""
    person = {"is_disabled": True, "birth_date": "1980-01-01"}
    answer = client.post("/vnm/eligibility", json={"as_of": AS_OF, "persons": [person | {"disability_category": 7}]})
    assert answer.status_code == 422, answer.text
    (problem,) = answer.json()["errors"]
    assert (problem["field"], problem["expected"]) == ("persons[0].disability_category", "at most 6")
    assert (
        client.post(
            "/lao/eligibility", json={"as_of": AS_OF, "persons": [person | {"disability_category": 6}]}
        ).status_code
        == 200
    )
