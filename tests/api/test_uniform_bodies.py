"""A large body whose persons all share one shape is read from its bytes (``api/situations/uniform.py``): its
answer is the usual reading's, whatever the values, the layout and the damage done to the bytes; a body that
is not such a table, or not JSON, is left to the usual reading."""

from __future__ import annotations

import json
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openfisca_web_api.app import create_app as create_reference_app

from openfisca_sp import tax_benefit_system
from openfisca_sp.api.situations import SituationError, calculate, calculate_uniform, reading
from openfisca_sp.api.situations.uniform import MIN_BYTES, read_uniform

SYSTEM = tax_benefit_system("lao")
MONTH = "2024-06"
WAGE_MONTHS = ("2024-03", "2024-04", "2024-05")
ODD = st.sampled_from(["2024-02-30", "1961", "null", "other", "x", "9", 3, 1.5, True, 2**31, 3.5e38, 1e300])
SHAPES = {  # each variable: its periods, and the values a person may state (a few refused, some wanted)
    "birth_date": (("ETERNITY",), st.sampled_from(["1958-03-01", "1990-12-31", "1964-02-29", None])),
    "sex": (("ETERNITY",), st.sampled_from(["male", "female", None])),
    "contribution_months": ((MONTH,), st.one_of(st.integers(-5, 500), st.none())),
    "insured_wage": (WAGE_MONTHS, st.one_of(st.floats(0, 1e7), st.integers(0, 10**7), st.just(-0.0), st.none())),
    "old_age_pension": ((MONTH,), st.sampled_from([None, None, None, 5.0])),
    "old_age_pension_eligible": ((MONTH, "2024-07"), st.sampled_from([None, None, True])),
    "age": ((MONTH,), st.sampled_from([None, 70])),
}
IDS = st.text(alphabet="abnul0123456789 -_", min_size=1, max_size=6)
LAYOUTS = {
    "compact": lambda situation: orjson.dumps(situation),
    "spaced": lambda situation: json.dumps(situation).encode(),
    "indented": lambda situation: json.dumps(situation, indent=2).encode(),
}


def _usual(raw: bytes) -> tuple[str, Any]:
    try:
        return "answer", calculate(SYSTEM, orjson.loads(raw))
    except SituationError as error:
        return "refused", (error.path, error.message, error.code)
    except Exception as error:  # openfisca-core's own errors, compared by kind
        return "error", type(error).__name__


def _uniform(raw: bytes) -> tuple[str, Any] | None:
    try:
        body = calculate_uniform(SYSTEM, raw, min_bytes=0)
    except SituationError as error:
        return "refused", (error.path, error.message, error.code)
    except Exception as error:
        return "error", type(error).__name__
    return None if body is None else ("answer", orjson.loads(body.answer()))


@st.composite
def tables(draw: Any) -> dict[str, Any]:
    """Persons who all state the same variables for the same periods, in the same order, with any values."""
    names = draw(st.lists(st.sampled_from(sorted(SHAPES)), min_size=1, max_size=5, unique=True))
    odd = draw(st.booleans())  # then any value may be one a variable refuses
    ids = draw(st.lists(IDS, min_size=2, max_size=5, unique=True))
    persons = {}
    for person_id in ids:
        persons[person_id] = {
            name: {period: draw(st.one_of(SHAPES[name][1], ODD) if odd else SHAPES[name][1]) for period in periods}
            for name in names
            for periods in [SHAPES[name][0]]
        }
    return {"persons": persons}


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(), st.sampled_from(sorted(LAYOUTS)))
def test_a_table_read_from_its_bytes_answers_as_the_usual_reading(situation: dict[str, Any], layout: str) -> None:
    raw = LAYOUTS[layout](situation)
    uniform = _uniform(raw)
    event("left to the usual reading" if uniform is None else f"read from its bytes: {uniform[0]}")
    if uniform is not None:
        assert uniform == _usual(raw), raw


GOOD = {
    "persons": {
        f"p{index}": {
            "birth_date": {"ETERNITY": f"19{50 + index}-0{1 + index % 9}-15"},
            "sex": {"ETERNITY": "female" if index % 2 else "male"},
            "contribution_months": {MONTH: 60 * index},
            "insured_wage": {month: 1_500_000.0 + 1000 * index for month in WAGE_MONTHS},
            "old_age_pension": {MONTH: None},
            "old_age_pension_eligible": {MONTH: None},
        }
        for index in range(4)
    }
}
DAMAGE = st.sampled_from(list(b'{}[]:,"\\ \n\t\x0b\x0c0123456789.-+eEnultrfa\x00\x01\xc3\xa9'))


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(sorted(LAYOUTS)),
    st.lists(
        st.tuples(st.floats(0, 1), st.sampled_from(["replace", "insert", "delete"]), DAMAGE), min_size=1, max_size=3
    ),
)
def test_damaged_bytes_are_never_read_as_a_table_they_are_not(
    layout: str, damage: list[tuple[float, str, int]]
) -> None:
    raw = bytearray(LAYOUTS[layout](GOOD))
    for where, how, byte in damage:
        position = min(int(where * len(raw)), len(raw) - 1)
        if how == "replace":
            raw[position] = byte
        elif how == "insert":
            raw.insert(position, byte)
        else:
            del raw[position]
    raw = bytes(raw)
    uniform = _uniform(raw)
    event("left to the usual reading" if uniform is None else f"read from its bytes: {uniform[0]}")
    try:
        orjson.loads(raw)
    except orjson.JSONDecodeError:
        assert uniform is None, raw  # not JSON: the usual reading answers 400
        return
    if uniform is not None:
        assert uniform == _usual(raw), raw


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_a_table_is_read_from_its_bytes_and_echoed_as_written(layout: str) -> None:
    raw = LAYOUTS[layout](GOOD)
    body = calculate_uniform(SYSTEM, raw, min_bytes=0)
    assert body is not None
    usual = _usual(raw)
    assert ("answer", orjson.loads(body.answer())) == usual
    if layout == "compact":
        assert body.answer() == orjson.dumps(usual[1])  # byte for byte
    assert body.answer().count(b"\n") == raw.count(b"\n")  # the client's own layout kept


def _text(situation: dict[str, Any]) -> bytes:
    return orjson.dumps(situation)


def _person(index: int = 0) -> dict[str, Any]:
    return json.loads(json.dumps(GOOD["persons"][f"p{index}"]))


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(_text(GOOD).replace(b'"p1"', b'"p\\u0031x"'), id="an escape"),
        pytest.param(_text(GOOD).replace(b'"p1"', '"pé"'.encode()), id="beyond ASCII"),
        pytest.param(_text(GOOD).replace(b'"p1"', b'"p0"'), id="an id twice"),
        pytest.param(_text(GOOD).replace(b'"sex"', b'"birth_date"', 1), id="a variable twice"),
        pytest.param(_text({"persons": {"p0": _person()}}), id="one person"),
        pytest.param(_text(GOOD | {"households": {"h": {"heads": ["p0"]}}}), id="a group entity"),
        pytest.param(_text(GOOD | {"axes": []}), id="another key"),
        pytest.param(_text({"persons": {"p0": _person(), "p1": {"sex": {"ETERNITY": "male"}}}}), id="another shape"),
        pytest.param(_text(GOOD).replace(b'"p2"', b'"p\x012"'), id="a control character in an id"),
        pytest.param(_text(GOOD).replace(b":60}", b":[60]}"), id="a list for a value"),
        pytest.param(_text(GOOD).replace(b":60}", b":NaN}"), id="not JSON"),
        pytest.param(_text({"persons": {"p0": [["sex", 1]], "p1": [["sex", 2]]}}), id="a person as a list"),
        pytest.param(_text({"persons": {"p0": {"sex": ["male"]}, "p1": {"sex": ["male"]}}}), id="values as lists"),
        pytest.param(_text(GOOD) + b"{}", id="something after"),
        pytest.param(
            _text({"persons": {"p0": {"nothing_here": {MONTH: 1}}, "p1": {"nothing_here": {MONTH: 2}}}}),
            id="an unknown variable",
        ),
    ],
)
def test_what_is_not_a_table_of_json_scalars_is_left_to_the_usual_reading(raw: bytes) -> None:
    assert calculate_uniform(SYSTEM, raw, min_bytes=0) is None


def test_more_persons_than_allowed_are_left_to_the_usual_reading_which_refuses_them() -> None:
    raw = _text(GOOD)
    assert calculate_uniform(SYSTEM, raw, max_persons=3, min_bytes=0) is None
    assert calculate_uniform(SYSTEM, raw, max_persons=4, min_bytes=0) is not None


def test_the_memory_a_body_takes_is_bounded_before_it_is_read() -> None:
    quotes = b'{"persons":{"' + b'"' * (MIN_BYTES * 2) + b"}}"  # no table has more quotes than other bytes
    assert calculate_uniform(SYSTEM, quotes) is None
    persons = {f"p{index}": {"sex": {"ETERNITY": "male"}} for index in range(2_000)}
    assert read_uniform(_text({"persons": persons}), "persons", 10_000, min_bytes=0) is not None
    persons["p" * 60] = persons.pop("p0")  # one long token among many short ones: every cell would be as wide
    assert read_uniform(_text({"persons": persons}), "persons", 10_000, min_bytes=0) is None


def test_a_table_past_the_limit_of_inputs_is_refused_by_the_usual_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reading, "MAX_VARIABLE_PERIODS", 5)  # GOOD states 8 inputs and results a person
    raw = _text(GOOD)
    assert calculate_uniform(SYSTEM, raw, min_bytes=0) is None
    kind, (path, message, code) = _usual(raw)
    assert (kind, path, code) == ("refused", ["persons"], 413) and "At most 5 inputs and results" in message


def test_null_inside_an_id_or_a_text_is_kept_where_it_is() -> None:
    situation = {"persons": {"null": _person(0), "anull": _person(1), "p2": _person(2)}}
    raw = _text(situation)
    body = calculate_uniform(SYSTEM, raw, min_bytes=0)
    assert body is not None
    assert orjson.loads(body.answer()) == _usual(raw)[1]


def test_a_small_body_is_left_to_the_usual_reading_which_merges_concurrent_ones() -> None:
    raw = _text(GOOD)
    assert len(raw) < MIN_BYTES
    assert calculate_uniform(SYSTEM, raw) is None


def test_a_large_table_over_http_answers_as_openfisca_core_and_echoes_the_numbers_as_written(client) -> None:
    persons = {}
    for index in range(400):
        person = _person(index % 4)
        person["contribution_months"] = {MONTH: index % 480}
        persons[f"person {index}"] = person
    raw = json.dumps({"persons": persons}, indent=1).encode().replace(b"1500000.0", b"1.5e6")
    assert len(raw) >= MIN_BYTES
    reference = create_reference_app(SYSTEM).test_client().post("/calculate", json=json.loads(raw))
    answer = client.post("/calculate", content=raw, headers={"Content-Type": "application/json"})
    assert answer.status_code == reference.status_code == 200
    assert answer.json() == reference.get_json()
    assert answer.content.count(b"1.5e6") == raw.count(b"1.5e6") > 0  # read from the bytes: echoed as sent


def _table_with_one_cell(variable: str, value: str) -> bytes:
    """3,000 persons of one shape (over the builder's budget), ``variable`` of row p02993 written ``value``."""

    def row(index: int) -> str:
        cells = {"birth_date": '"1960-01-15"', "contribution_months": str(index % 400)}
        if index == 2993:
            cells[variable] = value
        sex = f',"sex":{{"ETERNITY":{cells["sex"]}}}' if "sex" in cells else ""
        return (
            f'"p{index:05d}":{{"birth_date":{{"ETERNITY":{cells["birth_date"]}}},'
            f'"contribution_months":{{"2024-01":{cells["contribution_months"]}}}{sex},"old_age_pension":{{"2024-01":null}}}}'
        )

    return ('{"persons":{' + ",".join(map(row, range(3000))) + "}}").encode()


@pytest.mark.parametrize(
    ("variable", "value", "named", "trace"),
    [  # trace: /trace's status (it always uses the builder: its budget refuses what is only too large for it)
        ("contribution_months", "1.5", "whole number", 400),  # a fraction for a whole number
        ("contribution_months", '"12"', "text", 400),  # text for a number
        ("contribution_months", "99999999999999999999", "", 400),  # a number its array cannot hold
        ("contribution_months", "1e2", "Expected a whole number written as a JSON integer (100)", 413),
        ("contribution_months", "100.0", "Expected a whole number written as a JSON integer (100)", 413),
        ("birth_date", '"2023-02-30"', "Expected a date that exists, written YYYY-MM-DD", 400),  # no such day
        ("birth_date", '"2023-13-01"', "Can't deal with date: '2023-13-01'", 400),
        ("sex", '"femal"', "'femal' is not a known value for 'sex'. Possible values are ['male', 'female']", 400),
        ("sex", "1", "Expected one of ['male', 'female'], written as text, got 1", 413),  # an index the builder reads
        ("sex", "true", "Expected one of ['male', 'female'], written as text, got True", 413),
    ],
)
def test_one_bad_value_in_a_large_table_is_a_400_naming_it_not_a_413(
    client, variable: str, value: str, named: str, trace: int
) -> None:
    """The security review's finding: one bad cell in a table-shaped body over the builder's budget was a 413
    'simplify it or split it' naming nothing; the same value in a small body is a 400 at its place (a whole
    number written as a float, which the builder reads in a small body, is named on /calculate, whose fast path
    reads integers only)."""
    body = _table_with_one_cell(variable, value)
    period = "ETERNITY" if variable in ("birth_date", "sex") else "2024-01"
    for route, status in (("/calculate", 400), ("/trace", trace)):
        answer = client.post(route, content=body, headers={"content-type": "application/json"})
        assert answer.status_code == status, (route, answer.text[:300])
        if status == 400:
            assert named in answer.json()["persons"]["p02993"][variable][period], (route, answer.text[:300])
        else:
            assert "limited to 10000 values" in answer.json()["error"]
    good = _table_with_one_cell(variable, {"birth_date": '"2023-02-28"', "sex": '"female"'}.get(variable, "100"))
    assert client.post("/calculate", content=good, headers={"content-type": "application/json"}).status_code == 200
