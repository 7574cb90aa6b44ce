"""The records and branches a Python caller gives :func:`~.claims.decide_claims`, checked before they are read
(the HTTP routes check theirs with their request models, and pass records already read)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from openfisca_sp.decisions.facts import MONTH_EXPECTED, MONTH_PATTERN, facts_of
from openfisca_sp.rules.date_forms import write_instead
from openfisca_sp.rules.fact_bounds import fact_range_problem
from openfisca_sp.rules.law_case_values import value_problem
from openfisca_sp.rules.parameter_checks import DATE
from openfisca_sp.rules.periods import FIRST_DATE, LAST_DATE
from openfisca_sp.rules.suggestions import closest_name
from openfisca_sp.rules.wording import abridged, noun_for

MAX_NAMES_TOLD = 20  # unknown names, or values, an error lists at most
_MONTHS = re.compile(r"(?P<first>[^.]+)(\.\.(?P<last>.+))?")  # 2023-04, or 2023-04..2024-03
# A person's identity, which /eligibility reads beside the facts: a record copied from a request may hold them
IDENTITY_FIELDS = ("identifier", "household_identifier", "relationship_head")


def calendar_problem(text: Any) -> str | None:
    """Why ``text`` is not a date of the calendar the rules are asked in (written YYYY-MM-DD, existing), or None."""
    if not DATE.fullmatch(str(text)):
        return f"is not a date written YYYY-MM-DD{write_instead(str(text))}"
    try:
        day = datetime.date.fromisoformat(str(text))
    except ValueError:
        return "is not a date that exists"
    if not FIRST_DATE <= day <= LAST_DATE:
        return f"is outside the calendar the rules are asked in ({FIRST_DATE} to {LAST_DATE})"
    return None


def months_problem(key: Any) -> str | None:
    """Why a key of a month-by-month fact is not a month (``2023-04``) or a range of months (``2023-04..2024-03``)."""
    found = _MONTHS.fullmatch(str(key))
    months = [found["first"], found["last"] or found["first"]] if found else []
    if not months or not all(re.fullmatch(MONTH_PATTERN, month) for month in months):
        return f"is not {MONTH_EXPECTED}, nor a range of them, YYYY-MM..YYYY-MM"
    if months[0] > months[1]:
        return "is a range of months that ends before it starts"
    return None


def fact_value_problem(name: str, variable: Any, value: Any) -> str | None:
    """Why ``value`` is not one of the fact ``name``'s kind (a date of the calendar, a name of its enumeration, a
    number in the law's bounds and in what the rules hold, true or false), or None."""
    if variable.value_type is datetime.date and value is not None:
        day = value.date() if isinstance(value, datetime.datetime) else value
        if problem := calendar_problem(day):
            return f"'{day}' of '{name}' {problem}"
    return value_problem(name, variable, value) or fact_range_problem(name, variable, value)


def record_problems(name: str, fact: Any, variable: Any, value: Any) -> list[str]:
    """Why the value a record states for the fact ``name`` (one value, or a history by month) is none of its."""
    if not isinstance(value, Mapping):
        problem = fact_value_problem(name, variable, value)
        return [problem] if problem else []
    if fact.eternal:
        return [f"'{name}' is one value for life, not month by month"]
    problems = []
    for months, amount in value.items():
        problem = months_problem(months)
        problem = f"{abridged(months)} of '{name}' {problem}" if problem else fact_value_problem(name, variable, amount)
        problems += [problem] if problem else []
    return problems


def check_records(records: Sequence[Any], system: Any) -> None:
    """Each record a mapping of fact names to values of their kind, each name a fact of the rules or of the
    person's identity (:data:`IDENTITY_FIELDS`, not read here), as a claim case's person is checked: a mistyped
    ``sexe`` was dropped in silence (the decision said the sex was missing), ``contribution_months: -5`` and
    ``2.5`` were taken, ``sex: robot`` and a month ``2024-13`` failed in openfisca-core's words, a record given as
    text raised ``AttributeError``."""
    facts = facts_of(system)
    known = {*facts, *IDENTITY_FIELDS}
    unknown: dict[str, int] = {}
    problems: list[str] = []
    for row, record in enumerate(records):
        if not isinstance(record, Mapping):
            raise TypeError(f"record {row} is a mapping of fact names to values, not {type(record).__name__}")
        for name, value in record.items():
            if name not in known:
                unknown.setdefault(name, row)
            elif name in facts and len(problems) < MAX_NAMES_TOLD:
                problems += [
                    f"record {row}: {told}"
                    for told in record_problems(name, facts[name], system.variables[name], value)
                ]
    if unknown:
        told = [
            f"{abridged(name)} (record {row}{_closest(name, known)})"
            for name, row in list(unknown.items())[:MAX_NAMES_TOLD]
        ]
        more = f" and {len(unknown) - MAX_NAMES_TOLD:,} more" if len(unknown) > MAX_NAMES_TOLD else ""
        raise ValueError(
            f"unknown {noun_for(len(unknown), 'fact')} {', '.join(told)}{more}: a record names facts of the rules "
            "(openfisca-sp parameter-names, or /openapi.json's person)"
        )
    if problems:
        raise ValueError("; ".join(problems[:MAX_NAMES_TOLD]))


def check_branch_codes(codes: Sequence[Any], branches: Iterable[str]) -> None:
    """Each branch code one of the branches (an unknown one raised ``KeyError``)."""
    known = list(branches)
    for code in codes:
        if code not in known:
            said = f"unknown branch {abridged(code)}{_closest(code, known)}"
            raise ValueError(f"{said}; the branches: {', '.join(known)}")


def _closest(name: Any, known: Iterable[str]) -> str:
    close = closest_name(name, known) if isinstance(name, str) else None
    return f"; did you mean {close!r}?" if close else ""
