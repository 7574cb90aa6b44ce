"""Client errors in the shape docs/api.md gives every one, on a real server: JSON naming the field as the caller
wrote it and saying what was expected, the 413 of a batch too large and a page of the explorer not found too."""

from __future__ import annotations

AS_OF = "2024-06-15"


def test_too_many_persons_is_a_413_naming_the_field_and_the_limit(client) -> None:
    """The batch's 413 had its field and limit only inside ``errors``, where every other 413 has them at the top."""
    for path, body in (
        ("/eligibility", {"as_of": AS_OF, "persons": [{}] * 10_001}),
        ("/vnm/eligibility", {"as_of": AS_OF, "persons": [{}] * 10_001}),
    ):
        answer = client.post(path, json=body)
        assert answer.status_code == 413, answer.text
        found = answer.json()
        assert (found["field"], found["expected"]) == ("persons", "at most 10000 persons (split the request)")
        assert found["errors"][0]["field"] == "persons"


def test_a_wrong_month_is_named_as_written_without_a_key_marker(client) -> None:
    """pydantic locates a mapping's key with a ``[key]`` part: ``persons[0].insured_wage.2024-13.[key]``."""
    answer = client.post("/eligibility", json={"as_of": AS_OF, "persons": [{}, {"insured_wage": {"2024-13": 1}}]})
    assert answer.status_code == 422, answer.text
    assert [problem["field"] for problem in answer.json()["errors"]] == ["persons[1].insured_wage.2024-13"]


def test_an_offset_out_of_range_is_said_to_be_one(client) -> None:
    """``+99:00`` was called "not a time of day"."""
    for written in ("2000-01-01T10:00:00+99:00", "2000-01-01T10:00:00-05:75"):
        answer = client.post("/eligibility", json={"as_of": AS_OF, "persons": [{"birth_date": written}]})
        assert answer.status_code == 422, answer.text
        (problem,) = answer.json()["errors"]
        assert problem["field"] == "persons[0].birth_date"
        assert problem["message"] == f"the offset {written[-6:]} is out of range"
        assert problem["expected"].startswith("an offset from -23:59 to +23:59")
    time = client.post("/eligibility", json={"as_of": AS_OF, "persons": [{"birth_date": "2000-01-01T25:00:00Z"}]})
    assert time.json()["errors"][0]["message"] == "not a time of day"


def test_a_page_of_the_explorer_not_found_is_a_json_404(client) -> None:
    """It was ``Not found`` as text/plain, where every other 404 of the service is JSON."""
    answer = client.get("/explorer/nothing.html")
    assert answer.status_code == 404 and answer.headers["content-type"] == "application/json"
    body = answer.json()
    assert (body["error"], body["field"], body["expected"]) == ("Not Found", "path", "a page of the rules explorer")


def test_a_situation_nested_too_deep_is_a_400_at_its_path(client) -> None:
    """openfisca-core's builder copies a situation recursively: 600 levels under a person's variable ran out of
    Python's stack (a 500), where 1,024 were refused by the JSON parser. Any depth past 32 is a 400 at the path
    of the variable holding it, on both routes that reach the builder."""
    for path in ("/calculate", "/trace", "/vnm/calculate"):
        for depth in (40, 600, 1000):
            for opened, closed in (("[", "]"), ('{"a":', "}")):
                for entity, key in (("persons", "p"), ("households", "h")):
                    body = f'{{"{entity}":{{"{key}":{{"x":{opened * depth}1{closed * depth}}}}}}}'
                    answer = client.post(path, content=body, headers={"content-type": "application/json"})
                    assert answer.status_code == 400, (path, depth, entity, answer.text[:200])
                    assert "Nested deeper than 32 levels" in answer.json()[entity][key]["x"]


def test_an_empty_identifier_is_refused_and_none_is_a_person_without_one(client) -> None:
    """``""`` and ``[]`` were accepted and echoed: they identify nobody (found by an outside review)."""
    for empty in ("", []):
        answer = client.post("/eligibility", json={"as_of": AS_OF, "persons": [{"identifier": empty, "sex": "male"}]})
        assert answer.status_code == 422, answer.text
        (problem,) = answer.json()["errors"]
        assert (problem["field"], problem["type"]) == ("persons[0].identifier", "identifier_empty")
        assert problem["expected"].startswith("null, or text")
    for absent in ({"identifier": None}, {}):
        answer = client.post("/eligibility", json={"as_of": AS_OF, "persons": [{**absent, "sex": "male"}]})
        assert answer.status_code == 200 and answer.json()["persons"][0]["identifier"] is None


def test_the_compliance_report_refuses_a_query_it_does_not_read_or_one_given_twice(client) -> None:
    """``?jurisdction=vnm`` answered every jurisdiction, ``?jurisdiction=vnm&jurisdiction=lao`` Lao PDR alone
    (found by an outside review)."""
    for path in ("/compliance", "/compliance.html"):
        typo = client.get(f"{path}?jurisdction=vnm")
        assert typo.status_code == 422 and typo.json()["field"] == "query.jurisdction"
        assert "did you mean 'jurisdiction'?" in typo.json()["errors"][0]["message"]
        twice = client.get(f"{path}?jurisdiction=vnm&jurisdiction=lao")
        assert twice.status_code == 422 and twice.json()["errors"][0]["message"] == "given 2 times"
        assert client.get(f"{path}?jurisdiction=vnm&date=2026-11-30").status_code == 200
    # a report of one jurisdiction names it as every answer of one does (found by a delivery-system review)
    assert client.get("/compliance?jurisdiction=vnm").headers["OpenFisca-SP-Jurisdiction"] == "vnm"
    assert "OpenFisca-SP-Jurisdiction" not in client.get("/compliance").headers


def test_a_404_says_what_was_expected_and_the_closest_name(client) -> None:
    """``/variable/birth_dat`` and an unknown route answered 404 with no ``expected`` (found by an outside review)."""
    variable = client.get("/variable/birth_dat").json()
    assert variable["expected"] == "a variable listed at /variables; did you mean 'birth_date'?"
    parameter = client.get("/parameter/old_age/pensionable_age/mem").json()
    assert parameter["expected"] == "a parameter listed at /parameters; did you mean 'old_age/pensionable_age/men'?"
    assert client.get("/variable/zzzzzzzz").json()["expected"] == "a variable listed at /variables"
    route = client.get("/nowhere")
    assert route.status_code == 404 and route.json()["expected"] == "a route this service answers (see /spec)"


def test_an_unknown_jurisdiction_is_named_with_those_served(client) -> None:
    """A review: POST /xyz/eligibility answered a generic 'a route this service answers', not saying the
    jurisdiction was the mistake nor which are served."""
    for path in ("/xyz/eligibility", "/c102/calculate"):
        answer = client.post(path, json={"as_of": AS_OF, "persons": [{}]})
        assert answer.status_code == 404, answer.text
        body = answer.json()
        assert body["error"] == f"Unknown jurisdiction '{path.split('/')[1]}'" and body["field"] == "path"
        assert body["expected"].startswith("one of ilo_c102, lao, tjk, vnm")
    plain = client.post("/nothing/here", json={}).json()
    assert plain["expected"] == "a route this service answers (see /spec)"


def test_an_identifier_is_bounded_as_the_household_s_is(client) -> None:
    """A review: an identifier of 100,000 characters, or 100,000 identifiers for one person, was accepted and
    echoed, where household_identifier is at most 128 characters."""
    dci = {"identifier_type": "UIN", "identifier_value": "1"}
    for identifier, kind in (("x" * 129, "identifier_too_long"), ([dci] * 17, "identifier_too_many")):
        for persons in (
            [{"identifier": identifier}],
            [{"identifier": identifier}, *({"sex": "male"} for _ in range(39))],
        ):
            answer = client.post("/eligibility", json={"as_of": AS_OF, "persons": persons})
            assert answer.status_code == 422, answer.text
            (problem,) = answer.json()["errors"]
            assert (problem["field"], problem["type"]) == ("persons[0].identifier", kind)
    for identifier in ("x" * 128, [dci] * 16):
        assert (
            client.post("/eligibility", json={"as_of": AS_OF, "persons": [{"identifier": identifier}]}).status_code
            == 200
        )


def test_a_404_405_and_every_refusal_of_a_route_have_the_shape_of_the_others(client) -> None:
    """A 404 or 405 carried a ``status`` key (the status again) that no other error body has (found by a review): each
    is ``error``, ``field``, ``expected`` as docs/api.md gives them, whichever layer answers."""
    answers = {
        "unknown route": client.get("/nowhere"),
        "unknown variable": client.get("/variable/birth_dat"),
        "explorer page": client.get("/explorer/nothing.html"),
        "unknown jurisdiction": client.post("/xyz/eligibility", json={}),
        "method": client.get("/calculate"),
        "body where none is read": client.post("/health", json={}),
        "query of the report": client.get("/compliance?jurisdction=vnm"),
    }
    for what, answer in answers.items():
        assert answer.status_code in (404, 405, 422), (what, answer.text)
        body = answer.json()
        assert {"error", "field", "expected"} <= set(body) <= {"error", "field", "expected", "errors"}, (what, body)
