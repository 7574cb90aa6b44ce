"""Claim cases: the law's cases asked on a date, as a delivery system asks ``/eligibility``.

``tests/claims/<jurisdiction>/*.yaml`` hold a list of cases a drafter can read::

    - name: SI Law 2014 Art 39(1)(a) — asked two months after the birth, the 6 months before it count
      as_of: 2024-06-15                # the date the delivery system asks on
      person:                          # the facts, named as in /eligibility
        sex: female
        child_birth_date: 2024-04-10
        insured_wage:
          2023-04..2024-03: 9000000    # a range of months, each with this amount
          2024-04..2024-05: 0
      expected:                        # per branch, the parts of the answer checked (as /eligibility gives them)
        maternity:
          decision: eligible
          amount: 9000000
          payments: {start: 2024-04-10, end: 2024-10-09, status: payable}

or, for facts the law refuses together, ``refused: <field>`` (the 422 naming it). Each case runs the
decision path of ``/eligibility`` (records read, facts checked against each other, claims decided,
answers built) without HTTP; ``tests/api`` tests the same path through a real server. Expected values
are compared where given: nested mappings in part, lists item by item, numbers to a cent. A file is read
with its lines; a case with a mistake (a misspelt fact or branch, a date that does not exist: what
``openfisca-sp check`` tells, :mod:`~openfisca_sp.drafting.claim_cases`) fails alone, as ``file:line: cause``,
and the others run; a field of an answer that does not exist is named, with the closest.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from api.decision_records import branch_records
from openfisca_sp import tax_benefit_system
from openfisca_sp.decisions import decide_claims, facts_of, read_records
from openfisca_sp.decisions.consistency import ContradictoryFactsError, check_facts
from openfisca_sp.drafting.claim_cases import claim_case_problems
from openfisca_sp.rules.branches import BRANCHES
from openfisca_sp.rules.law_case_values import closest
from openfisca_sp.rules.yaml_files import ParameterFileError, line_of, read_yaml

CLAIMS = Path(__file__).parent / "claims"


def _months(key: str) -> list[str]:
    first, _, last = key.partition("..")
    months = np.arange(np.datetime64(first, "M"), np.datetime64(last or first, "M") + 1, dtype="datetime64[M]")
    return [str(month) for month in months]


def _text(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime.date) else value


def person_record(person: Mapping[str, Any]) -> dict[str, Any]:
    """A case's facts as an /eligibility record: dates as text, month ranges of a history expanded."""
    record: dict[str, Any] = {}
    for name, value in person.items():
        if isinstance(value, Mapping):
            record[name] = {month: amount for key, amount in value.items() for month in _months(str(key))}
        else:
            record[name] = _text(value)
    return record


def _matches(found: Any, expected: Any, path: str) -> list[str]:
    """Where ``found`` differs from the parts of it ``expected`` gives."""
    if isinstance(expected, Mapping):
        if not isinstance(found, Mapping):
            return [f"{path}: expected a mapping, found {found!r}"]
        return [line for key, value in expected.items() for line in _matches(found.get(key), value, f"{path}.{key}")]
    if isinstance(expected, list):
        if not isinstance(found, (list, tuple)) or len(found) != len(expected):
            return [f"{path}: expected {len(expected)} items, found {found!r}"]
        pairs = enumerate(zip(found, expected, strict=True))
        return [line for index, pair in pairs for line in _matches(*pair, f"{path}[{index}]")]
    expected = _text(expected)
    if isinstance(expected, (int, float)) and not isinstance(expected, bool) and isinstance(found, (int, float)):
        return [] if abs(found - expected) <= 0.005 else [f"{path}: expected {expected}, found {found}"]
    return [] if found == expected else [f"{path}: expected {expected!r}, found {found!r}"]


def _unknown_fields(answer: Mapping[str, Any], expected: Mapping[str, Any], branch: str) -> list[str]:
    """The fields a case expects that the branch's answer has none of (``reson``), each with the closest."""
    known = [*answer, "waiting_days"]  # given where the branch has a waiting period
    return [
        f"{branch}.{field}: no such field in the answer{closest(str(field), known, cutoff=0.6)}"
        for field in expected
        if field not in known
    ]


def run_case(code: str, case: Mapping[str, Any]) -> list[str]:
    """Decide one case as /eligibility does; the differences from what it expects (none: it passes)."""
    system = tax_benefit_system(code)
    as_of = datetime.date.fromisoformat(str(case["as_of"]))
    branches = list(case.get("expected", {})) or list(BRANCHES)
    columns = read_records([person_record(case["person"])], facts_of(system))
    try:
        check_facts(columns, as_of, branches)
    except ContradictoryFactsError as error:
        fields = [contradiction.field for contradiction in error.contradictions]
        if case.get("refused") in fields:
            return []
        return [f"refused ({error}), expected {case.get('refused') or 'a decision'}"]
    if case.get("refused"):
        return [f"expected a refusal naming {case['refused']}, got a decision"]
    decisions = decide_claims(system, columns, as_of, branches)
    jurisdiction = system.jurisdiction
    differences = []
    for branch, expected in case["expected"].items():
        answer = branch_records(decisions.branches[branch], jurisdiction.currency, jurisdiction.amount_decimals, as_of)[
            0
        ]
        differences += _unknown_fields(answer, expected, branch) or _matches(answer, expected, branch)
    return differences


class ClaimFile(pytest.File):
    """A YAML file of claim cases for the jurisdiction its folder names."""

    def collect(self):
        try:
            cases = read_yaml(self.path)
        except ParameterFileError as error:  # not YAML: no case can be read
            raise self.CollectError(str(error)) from None
        system = tax_benefit_system(self.path.parent.name)
        for number, case in enumerate(cases if isinstance(cases, list) else [cases], 1):
            named = isinstance(case, Mapping) and isinstance(case.get("name"), str)
            yield ClaimItem.from_parent(
                self,
                name=case["name"] if named else f"case {number}",
                case=case,
                problems=claim_case_problems(self.path, cases, system, number),
                line=line_of(case) or 1,
            )


class ClaimItem(pytest.Item):
    """One claim case, and the mistakes that stop it running (it fails alone, on them)."""

    def __init__(
        self, *, case: Mapping[str, Any], problems: list[ParameterFileError], line: int, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.case = case
        self.problems = problems
        self.line = line

    def runtest(self) -> None:
        if self.problems:
            raise AssertionError("\n".join(map(str, self.problems)))
        differences = run_case(self.path.parent.name, self.case)
        if differences:
            raise AssertionError(f"{self.path}:{self.line}: " + "\n".join(differences))

    def repr_failure(self, excinfo: Any, style: Any = None) -> str:
        if isinstance(excinfo.value, AssertionError):
            return f"{self.path.name}: {self.name}\n{excinfo.value}"
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.line - 1, self.name
