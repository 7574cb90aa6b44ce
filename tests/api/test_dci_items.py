"""A property of DCI partial answers (``api/dci_items.py``), read in process: whatever records of a message are bad,
and wherever they are, exactly those are rejected, each naming itself, and the others are read in their order; a
message of bad records only is refused as a whole."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.exceptions import RequestValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from openfisca_sp import tax_benefit_system
from openfisca_sp.api.dci_items import ITEM_INVALID, item_reader
from openfisca_sp.api.dci_models import envelope_model
from openfisca_sp.api.eligibility_answers import EligibilityAnswers
from openfisca_sp.api.models import eligibility_request_model
from openfisca_sp.decisions.consistency import ContradictoryFactsError

SYSTEM = tax_benefit_system("lao")
MESSAGE = envelope_model(eligibility_request_model(SYSTEM, 10_000)).model_fields["message"].annotation
READ = item_reader(MESSAGE, EligibilityAnswers(SYSTEM))
# each way a record can be bad, and the field its rejection names
BAD = {
    "a code that is none": ({"sex": "martian"}, ".sex"),
    "a date that is none": ({"birth_date": "1960-13-01"}, ".birth_date"),
    "a count below zero": ({"contribution_months": -1}, ".contribution_months"),
    "an empty identifier": ({"identifier": ""}, ".identifier"),
    "a DCI identifier without its value": ({"identifier": [{"identifier_type": "UIN"}]}, ".identifier[0].identifier_value"),
    "a mistyped fact": ({"contributon_months": 5}, ".contributon_months"),
    "a confinement before the birth": (
        {"sex": "F", "birth_date": "1990-01-01", "child_birth_date": "1980-01-01", "pregnancy_outcome": "live_birth",
         "number_of_children_born": 1},
        ".child_birth_date",
    ),
}  # fmt: skip


def _record(index: int, bad: str | None) -> dict[str, Any]:
    record = {"identifier": f"P-{index}", "sex": "male", "birth_date": "1960-01-10", "contribution_months": 200}
    return record if bad is None else {**record, **BAD[bad][0]}


def _raw(kinds: list[str | None]) -> dict[str, Any]:
    persons = [_record(index, bad) for index, bad in enumerate(kinds)]
    return {"transaction_id": "T-1", "eligibility_request": {"as_of": "2024-06-15", "persons": persons}}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.sampled_from(sorted(BAD))), min_size=1, max_size=8))
def test_exactly_the_bad_records_are_rejected_each_naming_its_field(kinds: list[str | None]) -> None:
    raw = _raw(kinds)
    if all(kinds):  # nothing to decide: refused as a whole, as /eligibility refuses it
        with pytest.raises((RequestValidationError, ContradictoryFactsError)):
            READ(raw)
        return
    read = READ(raw)
    good = [index for index, kind in enumerate(kinds) if kind is None]
    assert read.claims.persons.identifiers == [f"P-{index}" for index in good]  # the good ones, in their order
    if not any(kinds):
        assert read.statuses is None  # every record read: the answer as before
        return
    assert [item["reference_id"] for item in read.statuses] == [f"persons[{index}]" for index in range(len(kinds))]
    for index, (kind, item) in enumerate(zip(kinds, read.statuses, strict=True)):
        if kind is None:
            assert item["status"] == "succ" and "status_reason_code" not in item
        else:
            assert item["status"] == "rjct" and item["status_reason_code"] == ITEM_INVALID
            assert item["status_reason_message"].startswith(f"persons[{index}]{BAD[kind][1]}: "), item
            assert "expected: " in item["status_reason_message"]
