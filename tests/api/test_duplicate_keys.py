"""A key stated twice in one JSON object is refused on a real server, at the key, on every route that reads a
body: orjson keeps the last value, so ``"sex": "female", "sex": "male"`` was decided on whichever came last and two
persons with one id became one."""

from __future__ import annotations

import pytest

from openfisca_sp.api.duplicate_keys import BLOCK, LARGE_BODY, DuplicateKeyError, object_members, refuse_duplicate_keys

JSON = {"content-type": "application/json"}


def test_eligibility_names_the_key_stated_twice(client) -> None:
    body = (
        '{"as_of":"2024-06-15","branches":["maternity"],"persons":[{"sex":"female","birth_date":"1990-01-10"},'
        '{"sex":"female","sex":"male","birth_date":"1990-01-10","contribution_months":20}]}'
    )
    # with an Origin header (a browser's request) the whole stack answers, not the hot lane: it said 400 then
    for path, origin in (("/eligibility", {}), ("/lao/eligibility", {}), ("/eligibility", {"origin": "https://a.b"})):
        answer = client.post(path, content=body, headers=JSON | origin)
        assert answer.status_code == 422, (origin, answer.text)
        (problem,) = answer.json()["errors"]
        assert problem["field"] == "persons[1].sex", problem
        assert "appears twice" in problem["message"] and problem["expected"] == "each key once in an object"


def test_calculate_refuses_a_period_or_a_person_stated_twice(client) -> None:
    for body in (
        '{"persons":{"p":{"contribution_months":{"2024-06":300,"2024-06":10}}},"households":{"h":{"members":["p"]}}}',
        '{"persons":{"p":{},"p":{}},"households":{"h":{"members":["p"]}}}',
    ):
        answer = client.post("/calculate", content=body, headers=JSON)
        assert answer.status_code == 400, answer.text
        assert "appears twice" in answer.text


def test_the_same_keys_in_different_objects_and_colons_in_strings_are_accepted(client) -> None:
    body = '{"as_of":"2024-06-15","persons":[{"sex":"female","birth_date":"1990-01-10T10:30:00Z"},{"sex":"male"}]}'
    assert client.post("/eligibility", content=body, headers=JSON).status_code == 200


@pytest.mark.parametrize("padding", [0, LARGE_BODY, 3 * BLOCK])  # by splitting, by NumPy, block by block
def test_the_count_finds_a_duplicate_however_long_the_body(padding: int) -> None:
    filler = '"x":"' + "a:b" * (padding // 3) + '",'
    clean = f'{{{filler}"a":1,"b":[{{"c":1}}]}}'.encode()
    assert object_members(clean) == 4  # the colons inside the string, across blocks too, are not members
    refuse_duplicate_keys(clean, {"x": "a:b" * (padding // 3), "a": 1, "b": [{"c": 1}]})
    raw = f'{{{filler}"a":1,"b":[{{"c":1,"c":2}}]}}'.encode()
    with pytest.raises(DuplicateKeyError) as found:
        refuse_duplicate_keys(raw, {"x": "a:b" * (padding // 3), "a": 1, "b": [{"c": 2}]})
    assert (found.value.key, found.value.path) == ("c", ("b", 0))


def test_escaped_quotes_are_read_key_by_key() -> None:
    refuse_duplicate_keys(b'{"a":"say \\"b\\":1","b":1}', {"a": 'say "b":1', "b": 1})
    with pytest.raises(DuplicateKeyError):
        refuse_duplicate_keys(b'{"a":"\\"","a":1}', {"a": 1})
