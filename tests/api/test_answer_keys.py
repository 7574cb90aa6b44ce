"""Persons whose decisions differ in anything their answers are built from never share an encoded answer
(``decision_json``): within one request, across requests (the answers a worker keeps), through ``/eligibility``
and the DCI route. Viet Nam's disability allowance follows the person's age in payment (Decree 20/2021/ND-CP
Art 6(1)(e)): two persons decided alike on the day of the claim have schedules of their own."""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

import numpy as np
import orjson
import pytest

from openfisca_sp import tax_benefit_system
from openfisca_sp.api import decision_json
from openfisca_sp.api.decision_records import _payments as _payments_json
from openfisca_sp.decisions import BranchDecisions, decide_claims, row_fields
from tests.api.test_dci_envelope import _message

VNM = tax_benefit_system("vnm")
CATEGORY_1 = {"is_disabled": True, "disability_category": 1, "disability_assessment_date": "2025-07-20"}
OLDER = {"identifier": "OLDER-62", "birth_date": "1963-05-01", **CATEGORY_1}
CHILD = {"identifier": "CHILD-15", "birth_date": "2009-09-15", **CATEGORY_1}  # 16 on 15 September 2025
CATEGORY_2 = {"is_disabled": True, "disability_category": 2, "disability_assessment_date": "2024-02-29"}
ADULT = {"identifier": "ADULT-44", "birth_date": "1980-01-10", **CATEGORY_2}
TURNS_60 = {"identifier": "TURNS-60", "birth_date": "1964-06-30", **CATEGORY_2}  # 60 on 30 June 2024


def _payments(client, person: dict[str, Any] | list[dict[str, Any]], as_of: str, dci: bool = False) -> list[dict]:
    """Each person's payments as ``/vnm/eligibility`` (or its DCI route) answers them, asked together."""
    persons = person if isinstance(person, list) else [person]
    request = {"as_of": as_of, "branches": ["disability"], "persons": persons}
    if dci:
        message = _message(persons)
        message["message"]["eligibility_request"] = request
        answer = client.post("/vnm/dci/sync/eligibility", json=message)
        body = answer.json()["message"]["eligibility_response"] if answer.status_code == 200 else None
    else:
        answer = client.post("/vnm/eligibility", json=request)
        body = answer.json()
    assert answer.status_code == 200, answer.text
    return [each["benefits"]["disability"]["payments"] for each in body["persons"]]


def _months(client, person: dict[str, Any] | list[dict[str, Any]], as_of: str, dci: bool = False) -> list[dict]:
    """Each person's months paid as the server answers them (:func:`_payments`)."""
    return [by_month(payments) for payments in _payments(client, person, as_of, dci)]


def by_month(payments: dict[str, Any]) -> dict[str, float | None]:
    return {month["month"]: month["periodical"] for month in payments["months"]}


def _alone_payments(person: dict[str, Any], as_of: str) -> dict[str, Any]:
    """The person's payments as the library decides them, the person alone, in the answer's JSON."""
    facts = {name: value for name, value in person.items() if name != "identifier"}
    decisions = decide_claims(VNM, [facts], datetime.date.fromisoformat(as_of), ["disability"])
    (payments,) = decisions.branches["disability"].payments(as_of)
    return orjson.loads(decision_json.encode(_payments_json(payments)))


def _alone(person: dict[str, Any], as_of: str) -> dict[str, float | None]:
    return by_month(_alone_payments(person, as_of))


@pytest.mark.parametrize("order", [(OLDER, CHILD), (CHILD, OLDER)], ids=["older first", "child first"])
def test_persons_decided_alike_keep_their_own_schedules_in_one_request(client, order: tuple) -> None:
    as_of = "2026-03-10" if order[0] is OLDER else "2026-03-09"  # each order on a date no answer was kept for
    answered = dict(zip((person["identifier"] for person in order), _months(client, list(order), as_of), strict=True))
    assert answered["CHILD-15"]["2025-08"] == 1_250_000  # 2.5 × 500,000 to the month before the 16th birthday
    # 2.0 × 500,000 from the month of it (Decree 20/2021 Art 8(1)(đ), kept under Decree 147/2025: unverified)
    assert answered["CHILD-15"]["2025-09"] == answered["CHILD-15"]["2026-03"] == 1_000_000
    assert {answered["OLDER-62"][month] for month in ("2025-08", "2025-10", "2026-03")} == {1_250_000}  # 60 and over
    for person in order:
        assert answered[person["identifier"]] == _alone(person, as_of)


def test_a_schedule_does_not_depend_on_who_asked_before(client) -> None:
    """Two persons assessed on the same day in the same category, asked one after the other: each gets their own
    schedule, whichever was asked first, on the same date asked."""
    for as_of, first, second in (("2025-03-10", ADULT, TURNS_60), ("2025-03-11", TURNS_60, ADULT)):
        together = _months(client, [first, second], as_of)
        one, other = _months(client, first, as_of)[0], _months(client, second, as_of)[0]
        assert together == [one, other] == [_alone(first, as_of), _alone(second, as_of)]
    assert _alone(ADULT, "2025-03-10")["2024-07"] == 750_000  # 1.5 × 500,000
    assert _alone(TURNS_60, "2025-03-10")["2024-07"] == 1_000_000  # 2.0 × 500,000 (from June 2024)
    assert _alone(TURNS_60, "2025-03-10")["2024-06"] == 720_000  # 2.0 × 360,000 in the month of turning 60


def test_the_dci_route_answers_each_person_their_own_schedule(client) -> None:
    as_of = "2026-03-12"
    _months(client, OLDER, as_of, dci=True)
    child = _months(client, CHILD, as_of, dci=True)[0]
    assert child["2025-10"] == child["2025-11"] == 1_000_000
    assert child == _alone(CHILD, as_of) == _months(client, CHILD, as_of)[0]


def _claimants(count: int, seed: int) -> list[dict[str, Any]]:
    """Disability claimants born 1940 to 2015 (half of them 16 or 60 in 2023 to 2025: their amount changes in
    payment), category 1 or 2, assessed on one of a few days of 2023 (as a commune assesses many on a day): many
    share a day and a category."""
    rng = np.random.default_rng(seed)
    days = [datetime.date(2023, 1, 1) + datetime.timedelta(days=int(day)) for day in rng.integers(0, 365, 4)]
    first = [datetime.date(1940, 1, 1), datetime.date(1963, 1, 1), datetime.date(2007, 1, 1)]
    spans = [75 * 365, 3 * 365, 3 * 365]
    persons = []
    for index in range(count):
        kind = int(rng.integers(0, 3)) if index % 2 else 0
        birth = first[kind] + datetime.timedelta(days=int(rng.integers(0, spans[kind])))
        persons.append(
            {
                "identifier": f"D{index}",
                "birth_date": str(birth),
                "is_disabled": True,
                "disability_category": int(rng.integers(1, 3)),
                "disability_assessment_date": str(days[int(rng.integers(0, len(days)))]),
            }
        )
    return persons


def test_random_claimants_in_one_request_get_the_schedules_each_gets_alone(client) -> None:
    as_of = "2026-05-31"
    persons = _claimants(150, seed=66)
    answered = _payments(client, persons, as_of)
    alone = [_alone_payments(person, as_of) for person in persons]
    for age in (16, 60):  # the draw holds claimants whose amount follows their age in payment
        reached = [
            person
            for person in persons
            if person["disability_assessment_date"]
            < str(int(person["birth_date"][:4]) + age) + person["birth_date"][4:]
            < as_of
        ]
        assert len(reached) >= 10, age
    differ = [person["identifier"] for person, got, own in zip(persons, answered, alone, strict=True) if got != own]
    assert not differ


# Every field of a branch's decisions that ``take`` cuts by row is read into the answers' keys (or is a missing
# fact, keyed by its label); the others are shared by every row. One field changed in one of two rows decided
# alike changes that row's key, and its group.
BRANCH_CASES = {
    "disability": [OLDER, {**OLDER, "identifier": "OLDER-2"}],  # age changes
    "unemployment": [  # waiting days, the first day it can be claimed
        {
            "identifier": f"U{index}",
            "separation_reason": "dismissal",
            "contribution_months": 40,
            "unemployment_registration_date": "2024-05-02",
            "is_available_for_work": True,
            "insured_wage": {"2024-03": 6e6, "2024-04": 6e6},
        }
        for index in range(2)
    ],
    "maternity": [  # lump sums
        {
            "identifier": f"M{index}",
            "sex": "female",
            "birth_date": "1994-01-01",
            "contribution_months": 40,
            "pregnancy_outcome": "live_birth",
            "child_birth_date": "2024-06-01",
            "number_of_children_born": 1,
        }
        for index in range(2)
    ],
    "old_age": [  # the rule of the first day paid
        {
            "identifier": f"V{index}",
            "sex": "male",
            "birth_date": "1963-01-10",
            "contribution_months": 300,
            "career_average_insured_wage": 10_000_000,
            "old_age_claim_date": "2024-01-10",
        }
        for index in range(2)
    ],
}


def _changed(value: Any) -> Any:
    """``value`` (a field of two rows' decisions) with its second row's values changed."""
    if isinstance(value, dict):
        return {name: _changed(item) for name, item in value.items()}
    if dataclasses.is_dataclass(value):
        return dataclasses.replace(
            value, **{item.name: _changed(getattr(value, item.name)) for item in dataclasses.fields(value)}
        )
    changed = value.copy()
    kind = value.dtype.kind
    if kind == "M":
        changed[1] = np.datetime64("2001-02-03").astype(value.dtype)
    elif kind == "b":
        changed[1] = ~value[1]
    elif kind == "O":
        changed[1] = "changed"
    else:  # a number the row has not (small integer kinds hold their own highest)
        changed[1] = 12345 if kind == "f" or value.dtype.itemsize > 2 else np.iinfo(value.dtype).max - value[1]
    return changed


def _decided(code: str) -> BranchDecisions:
    persons = [{name: value for name, value in person.items() if name != "identifier"} for person in BRANCH_CASES[code]]
    return decide_claims(VNM, persons, datetime.date(2026, 3, 10), [code]).branches[code]


def test_every_field_cut_by_row_is_in_the_answers_keys() -> None:
    seen: set[str] = set()
    for code in BRANCH_CASES:
        decisions = _decided(code)
        one = decisions.take(np.array([0]))
        by_row = {
            item.name
            for item in dataclasses.fields(BranchDecisions)
            if getattr(one, item.name) is not getattr(decisions, item.name)
        }
        missing_facts = {"missing_for_decision", "missing_for_amount"}
        assert by_row - missing_facts - row_fields.UNTOLD_FIELDS <= set(decision_json.KEYED_FIELDS), by_row
        assert not (set(decision_json.KEYED_FIELDS) & set(row_fields.SHARED_FIELDS))
        first, second = decision_json.answer_keys(decisions, None, "2026-03-10")
        assert first == second and len(decision_json.distinct_decisions(decisions)[0]) == 1
        for name in decision_json.KEYED_FIELDS:
            value = getattr(decisions, name)
            if value is None or (isinstance(value, dict) and not value):
                continue
            seen.add(name)
            changed = dataclasses.replace(decisions, **{name: _changed(value)})
            first, second = decision_json.answer_keys(changed, None, "2026-03-10")
            assert first != second, name
            assert len(decision_json.distinct_decisions(changed)[0]) == 2, name
    assert seen == set(decision_json.KEYED_FIELDS)  # every keyed field was changed in some branch's decisions
