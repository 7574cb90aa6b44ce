"""The social insurer's contribution record of a person, read as the facts of our rules.

DCI has no social-insurance registry: contributions come from the insurer's own records. This is the shape we
accept for them, beside the DCI records of ``persons`` (``@type: ContributionRecord``; JSON Schema:
:data:`SCHEMA`, documented in docs/dci.md). Its facts go to the person with the same identifier
(:mod:`~openfisca_sp.decisions.attached_records`), or make a person of their own:

- ``contribution_months``: months credited over the career, up to the claim's month -> ``contribution_months``;
- ``wage_history``: ``[{month: YYYY-MM, insured_wage}]`` -> the ``insured_wage`` history (each month once);
- ``separations``: ``[{employment_end_date, separation_reason, unemployment_benefit}]``: the latest (by
  ``employment_end_date``) is the one a claim rests on -> ``employment_end_date`` and ``separation_reason``; the
  latest of the others that opened an unemployment benefit -> ``previous_unemployment_separation_date``;
- ``unemployment_contribution_months_preserved``, ``contribution_months_before_2014`` -> the facts of those names;
- ``insurer`` (who keeps the record): echoed, never read by the rules.
"""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Any

from openfisca_sp.decisions.attached_records import Attached, field_name, identifier_keys
from openfisca_sp.decisions.facts import MONTH_EXPECTED, MONTH_PATTERN

MONTH = re.compile(MONTH_PATTERN)
FIELDS = (
    "@type", "identifier", "insurer", "contribution_months", "wage_history", "separations",
    "unemployment_contribution_months_preserved", "contribution_months_before_2014",
)  # fmt: skip
SEPARATION_FIELDS = ("employment_end_date", "separation_reason", "unemployment_benefit")
INSURER_LENGTH = 128  # characters of the insurer's name, echoed
IDENTIFIER_SCHEMA = {
    "oneOf": [
        {"type": "string", "maxLength": 128},
        {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "identifier_type": {"type": "string", "maxLength": 64},
                    "identifier_value": {"type": "string", "maxLength": 128},
                },
                "required": ["identifier_type", "identifier_value"],
            },
        },
    ]
}
SCHEMA: dict[str, Any] = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "title": "ContributionRecord",
    "description": "A person's social insurance contributions, as the insurer records them",
    "type": "object",
    "additionalProperties": False,
    "required": ["@type", "identifier"],
    "properties": {
        "@type": {"const": "ContributionRecord"},
        "identifier": IDENTIFIER_SCHEMA,
        "insurer": {"type": "string", "maxLength": INSURER_LENGTH},
        "contribution_months": {"type": "integer", "minimum": 0},
        "unemployment_contribution_months_preserved": {"type": "integer", "minimum": 0},
        "contribution_months_before_2014": {"type": "integer", "minimum": 0},
        "wage_history": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["month", "insured_wage"],
                "properties": {
                    "month": {"type": "string", "pattern": MONTH_PATTERN},
                    "insured_wage": {"type": "number", "minimum": 0},
                },
            },
        },
        "separations": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["employment_end_date"],
                "properties": {
                    "employment_end_date": {"type": "string", "format": "date"},
                    "separation_reason": {"type": "string", "description": "a SeparationReason name: dismissal …"},
                    "unemployment_benefit": {"type": "boolean", "description": "it opened an unemployment benefit"},
                },
            },
        },
    },
}
EXPECTED = f"the fields of a contribution record: {', '.join(FIELDS)}"


def contribution_record(record: dict[str, Any], base: tuple[Any, ...], error: type[ValueError]) -> Attached:
    """The facts of an insurer's contribution record (see the module), or ``error``
    (:class:`~openfisca_sp.decisions.dci_records.RecordError`)."""
    for name in record:
        if name not in FIELDS:
            raise error((*base, name), f"{str(name)[:40]!r} is not a field of a contribution record", EXPECTED)
    identifiers = identifier_keys(record.get("identifier"))
    if not identifiers:
        raise error((*base, "identifier"), "no identifier", "identifier: the insured person's")
    facts: dict[str, Any] = {}
    origins: dict[str, tuple[Any, ...]] = {}
    for name in (
        "contribution_months",
        "unemployment_contribution_months_preserved",
        "contribution_months_before_2014",
    ):
        if record.get(name) is not None:
            facts[name], origins[name] = record[name], (*base, name)  # a count: checked as the fact is
    if record.get("wage_history") is not None:
        facts["insured_wage"] = _wages(record["wage_history"], (*base, "wage_history"), error, origins)
        origins["insured_wage"] = (*base, "wage_history")
    if record.get("separations"):
        _separations(record["separations"], (*base, "separations"), error, facts, origins)
    insurer = record.get("insurer")
    if insurer is not None and (type(insurer) is not str or len(insurer) > INSURER_LENGTH):  # as SCHEMA says
        raise error((*base, "insurer"), "not an insurer's name", f"a text of at most {INSURER_LENGTH} characters")
    echo = {} if insurer is None else {"insurer": insurer}
    person = {"identifier": record["identifier"]}
    return Attached("ContributionRecord", identifiers, facts, origins, base, echo, person)


def _wages(
    history: Any, location: tuple[Any, ...], error: type[ValueError], origins: dict[str, tuple[Any, ...]]
) -> dict[str, Any]:
    """The wages by month; ``origins`` gets where each month's wage is (``insured_wage.YYYY-MM``)."""
    if type(history) is not list:
        raise error(location, "not a list", "[{month: YYYY-MM, insured_wage}]")
    wages: dict[str, Any] = {}
    for row, item in enumerate(history):
        where = (*location, row)
        if type(item) is not dict or set(item) != {"month", "insured_wage"}:
            raise error(where, "not a month's wage", "{month: YYYY-MM, insured_wage}, no other field")
        month, wage = item["month"], item["insured_wage"]
        if type(month) is not str or not MONTH.fullmatch(month):
            raise error((*where, "month"), "not a month the service reads", MONTH_EXPECTED)
        if month in wages:
            raise error((*where, "month"), f"{month} is given twice", "each month once")
        if type(wage) not in (int, float) or not 0 <= wage < float("inf"):
            raise error((*where, "insured_wage"), "not a wage", "a number, 0 or more")
        wages[month] = float(wage)
        origins[f"insured_wage.{month}"] = (*where, "insured_wage")
    return wages


def _separations(
    separations: Any,
    location: tuple[Any, ...],
    error: type[ValueError],
    facts: dict[str, Any],
    origins: dict[str, tuple[Any, ...]],
) -> None:
    if type(separations) is not list:
        raise error(location, "not a list", "[{employment_end_date, separation_reason, unemployment_benefit}]")
    dated = []
    for row, item in enumerate(separations):
        where = (*location, row)
        if type(item) is not dict or not set(item) <= set(SEPARATION_FIELDS):
            raise error(where, "not a separation", f"an object of {', '.join(SEPARATION_FIELDS)}")
        day = item.get("employment_end_date")
        if type(day) is not str or len(day) != 10:
            raise error((*where, "employment_end_date"), "not a date", "YYYY-MM-DD")
        if type(item.get("unemployment_benefit", False)) is not bool:
            raise error((*where, "unemployment_benefit"), "not a flag", "true or false")
        dated.append((day, row, item))
    dated.sort(key=lambda entry: entry[:2])
    for (day, first, one), (other_day, row, other) in pairwise(dated):
        if day == other_day and one != other:  # never settled by the order they are written in
            raise error(
                (*location, row, "employment_end_date"),
                f"another separation ends on {day} ({field_name((*location, first))}), stated differently",
                "one separation a day: each contract's end once",
            )
    day, row, last = dated[-1]
    facts["employment_end_date"], origins["employment_end_date"] = day, (*location, row, "employment_end_date")
    if last.get("separation_reason") is not None:
        facts["separation_reason"] = last["separation_reason"]
        origins["separation_reason"] = (*location, row, "separation_reason")
    earlier = [(day, row) for day, row, item in dated[:-1] if item.get("unemployment_benefit")]
    if earlier:
        day, row = earlier[-1]
        facts["previous_unemployment_separation_date"] = day
        origins["previous_unemployment_separation_date"] = (*location, row, "employment_end_date")
