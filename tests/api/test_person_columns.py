"""Person records read in columns: what pydantic accepts, read as pydantic and ``read_records`` read it; the
same errors as pydantic otherwise."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ConfigDict, Field, ValidationError, create_model

from openfisca_sp import tax_benefit_system
from openfisca_sp.api.examples import eligibility_example
from openfisca_sp.api.models import BranchCode, DecisionDate, eligibility_request_model, person_record_model
from openfisca_sp.api.person_columns import (
    DeclinedError,
    PersonBatch,
    _dates_as_arrays,
    _dates_one_by_one,
    _is_month,
    _is_month_text,
)
from openfisca_sp.decisions import facts_of

SYSTEM = tax_benefit_system("lao")
FACTS = facts_of(SYSTEM)
MAX_PERSONS = 5
MODEL = eligibility_request_model(SYSTEM, MAX_PERSONS)
PLAIN = create_model(  # the request as pydantic alone validates it, record by record
    "PlainRequest",
    __config__=ConfigDict(extra="forbid"),
    as_of=(DecisionDate, ...),
    branches=(list[BranchCode] | None, Field(None, min_length=1)),
    persons=(list[person_record_model(SYSTEM)], Field(min_length=1, max_length=MAX_PERSONS)),
)


def _some(*values: Any) -> st.SearchStrategy:
    return st.sampled_from(values)


DATES = _some(
    "1961-07-19", "2024-02-29", "2023-02-29", "0000-01-01", "-001-01-01", "10000-01-01", "2024-1-05", "2024-01-01T00:00:00",
    20240101, "", "1995-09-21T11:20:00", "1985-05-20T00:00:00Z", "2024-05-28T23:30:00-05:00", "2024-02-30T10:00:00",
    "2024-01-01T24:00:00", "2024-01-01T10:00:00+25:00", "2024-01-01 10:00:00", "02.05.2004", "1961-07-19T06:00:00.123456Z",
    "1899-12-31", "1900-01-01", "2199-12-31", "2200-01-01", "0001-01-01T00:00:00Z",
)  # fmt: skip
WHOLE = st.one_of(st.integers(0, 500), _some(-1, 10**9, 10**9 + 1, 10**30, 2.0, 2.5, True, "3"))
AMOUNT = st.one_of(
    st.floats(0, 1e7, allow_nan=False), st.integers(0, 10**7), _some(-1.0, 1e15, 1e16, 10**16, True, "5")
)
MONTHS = _some("2024-01", "2024-05", "2023-12", "2024-13", "2024-1", "２０２４-01", "0999-12", "0001-01", "1899-12")
FIELDS: dict[str, st.SearchStrategy] = {
    "identifier": st.one_of(
        st.text(max_size=5),
        _some(None, 5, ["x"], []),
        st.lists(
            st.fixed_dictionaries(
                {"identifier_type": _some("UIN", "B" * 65, 3), "identifier_value": st.text(max_size=3)},
                optional={"note": st.integers()},
            ),
            max_size=2,
        ),
    ),
    "household_identifier": st.one_of(_some(None, "h1", "h2", "H" * 129, 7)),
    "relationship_head": _some(None, "self", "Head", "member", "x" * 65),
    "birth_date": DATES,
    "child_birth_date": DATES,
    "sex": _some("male", "female", "Male", "F", "M", "other", "unknown", "f", 1, None, ["F"]),
    "pregnancy_outcome": _some("none", "live_birth", "pregnancy_loss", "twins"),
    "contribution_months": WHOLE,
    "number_of_children_born": WHOLE,
    "career_average_insured_wage": AMOUNT,
    "disability_degree": st.one_of(st.floats(0, 150, allow_nan=False), _some(100, 100.5, False)),
    "is_disabled": _some(True, False, 1, "yes", None, "0", "1", "01", "true"),
    "insured_wage": st.one_of(
        st.none(),
        st.dictionaries(MONTHS, AMOUNT, max_size=4),
        _some(5.0, {"2024-01": None}),
    ),
    "name": st.one_of(st.text(max_size=3), st.integers()),  # a DCI field: accepted, not read
    "nmae": st.integers(),  # not a field: refused
}
RECORD = st.dictionaries(st.sampled_from(sorted(FIELDS)), st.none(), max_size=7).flatmap(
    lambda chosen: st.fixed_dictionaries({name: FIELDS[name] for name in chosen})
)


def _same(found: PersonBatch, expected: PersonBatch) -> None:
    assert list(found.columns.values) == list(expected.columns.values)
    assert list(found.columns.histories) == list(expected.columns.histories)
    for kind in ("values", "histories"):
        for key, (array, stated) in getattr(found.columns, kind).items():
            other, other_stated = getattr(expected.columns, kind)[key]
            assert array.dtype == other.dtype and np.array_equal(array, other), key
            assert np.array_equal(stated, other_stated), key
    assert (found.identifiers, found.households, found.heads) == (
        expected.identifiers,
        expected.households,
        expected.heads,
    )


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(RECORD, min_size=0, max_size=MAX_PERSONS + 1))
def test_persons_are_read_as_pydantic_reads_them_or_refused_with_its_errors(records: list[dict[str, Any]]) -> None:
    body = orjson.loads(json.dumps({"as_of": "2024-06-15", "persons": records}))  # as the API parses a request
    try:
        plain = PLAIN.model_validate(body)
    except ValidationError as refused:
        try:
            MODEL.model_validate(body)
        except ValidationError as error:
            assert error.json() == refused.json()  # the errors the 422 answer is made of
            return
        raise AssertionError("accepted what pydantic refuses") from None
    persons = MODEL.model_validate(body).persons
    expected = PersonBatch.from_models(plain.persons, FACTS)
    _same(persons if isinstance(persons, PersonBatch) else PersonBatch.from_models(persons, FACTS), expected)


def test_usual_batches_are_read_in_columns() -> None:
    wages = {f"2024-{month:02d}": 2_500_000 + month for month in range(1, 6)}
    persons = [
        *eligibility_example()["persons"],
        # DCI forms (openfisca_sp.decisions.dci_values): a date and time, a code, a flag
        {
            "identifier": "a",
            "birth_date": "1970-01-01T08:00:00+07:00",
            "sex": "M",
            "insured_wage": wages,
            "is_disabled": "1",
            "name": "Somphone",
        },
        {"identifier": None, "insured_wage": {"2023-12": 1, **wages}, "contribution_months": 12, "is_disabled": "0"},
        {"insured_wage": {}, "disability_degree": 100, "career_average_insured_wage": 2_000_000, "sex": "unknown"},
    ]
    body = orjson.loads(orjson.dumps({"as_of": "2024-06-15", "persons": persons}))
    persons = MODEL.model_validate(body).persons
    assert isinstance(persons, PersonBatch)
    _same(persons, PersonBatch.from_models(PLAIN.model_validate(body).persons, FACTS))


def test_a_month_written_in_other_digits_is_refused_by_both_readers() -> None:
    """``\\d`` in pydantic's pattern took fullwidth digits (２０２４-01), which then failed period parsing:
    a month is four ASCII digits, a dash and a month number."""
    body = {"as_of": "2024-06-15", "persons": [{"identifier": "a", "insured_wage": {"２０２４-01": 1.0}}]}
    for model in (PLAIN, MODEL):
        try:
            model.model_validate(body)
        except ValidationError as error:
            assert "insured_wage" in str(error.errors()[0]["loc"])
        else:
            raise AssertionError(f"{model.__name__} accepted a month of fullwidth digits")


DATE_LIKE = st.one_of(
    st.text(alphabet="0123456789-", min_size=8, max_size=11),
    st.dates().map(str),
    st.text(max_size=11),
    _some("0000-12-31", "0001-01-01", "9999-12-31", "2024-02-29", "2023-02-29", "2024-1-050", "２０２４-01-01"),
    _some("1899-12-31", "1900-01-01", "2199-12-31", "2200-01-01"),
)


@settings(max_examples=500, deadline=None)
@given(st.lists(DATE_LIKE, min_size=1, max_size=4))
def test_dates_checked_one_by_one_are_read_as_over_arrays(texts: list[str]) -> None:
    """A few dates are checked one by one, many over arrays: both accept the same texts, as the same days."""
    results = []
    for read in (_dates_one_by_one, _dates_as_arrays):
        try:
            results.append(read(texts))
        except DeclinedError:
            results.append(None)
    one_by_one, as_arrays = results
    assert (one_by_one is None) == (as_arrays is None), texts
    if one_by_one is not None:
        assert one_by_one.dtype == as_arrays.dtype and np.array_equal(one_by_one, as_arrays)


def test_a_history_key_longer_than_a_month_is_refused_and_never_kept() -> None:
    """The months a reader has matched are kept to be matched once; a request's long keys are refused without being
    kept, so that requests cannot fill the reader's memory with them."""
    kept = _is_month_text.cache_info().currsize
    long_key = "2024-01" + "0" * 100_000
    request = {"as_of": "2024-06-01", "persons": [{"identifier": "p", "insured_wage": {long_key: 1.0}}]}
    with pytest.raises(ValidationError):
        MODEL.model_validate(request)
    assert _is_month_text.cache_info().currsize == kept
    assert not _is_month(long_key) and _is_month("2024-01") and not _is_month("2024-13")
