"""The problems of a file of claim cases (``tests/claims/<jurisdiction>/*.yaml``), each with its line.

A claim case asks, as a delivery system asks ``/eligibility``, on a date (``as_of``), with a person's facts
(``person``), and gives the parts of the answer it expects per branch (``expected``), or the fact the law refuses
(``refused``). A fact is a variable a claim states (:func:`~openfisca_sp.decisions.facts.facts_of`): a misspelt one
was left out without a word and the case still passed; a misspelt branch, a date that does not exist (as asked, or
of a fact) gave a bare traceback, the second one with no case of the file run (an outside review). Each is told
here as ``file:line: cause``, with the closest name, and ``pytest`` fails that case alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from openfisca_sp.decisions.facts import facts_of
from openfisca_sp.decisions.record_checks import calendar_problem, fact_value_problem, months_problem
from openfisca_sp.rules.branches import decided_branches
from openfisca_sp.rules.law_case_values import closest
from openfisca_sp.rules.yaml_files import ParameterFileError, line_of

KEYS = ("name", "as_of", "person", "expected", "refused")
REQUIRED = ("name", "as_of", "person")
IDENTIFIER = "identifier"  # a field /eligibility refuses that is no fact: a person's identifier stated twice


def is_claim_file(path: Path, data: Any) -> bool:
    """Whether ``data``, read from ``path``, is claim cases: a file of a ``claims`` folder, or cases asked on a
    date (``as_of``, ``person``) and not law cases (``input``, ``output``)."""
    if path.parent.parent.name == "claims":
        return True
    cases = [case for case in (data if isinstance(data, list) else [data]) if isinstance(case, dict)]
    asked = any("as_of" in case or "person" in case for case in cases)
    return asked and not any("input" in case or "output" in case for case in cases)


class _ClaimChecker:
    """Checks the claim cases of one file against one jurisdiction's rules."""

    def __init__(self, path: Path, system: Any) -> None:
        self.path = path
        self.system = system
        self.facts = facts_of(system)
        self.branches = [branch.code for branch in decided_branches(system)]

    def problem(self, where: Any, key: Any, message: str) -> ParameterFileError:
        return ParameterFileError(self.path, line_of(where, key), message)

    def case(self, case: Any, number: int, container: Any) -> Iterator[ParameterFileError]:
        if not isinstance(case, dict):
            yield self.problem(container, None, f"claim case {number} is not a mapping of {', '.join(KEYS)}")
            return
        label = f"claim case {number}" + (f" ('{case['name']}')" if isinstance(case.get("name"), str) else "")
        for key in case:
            if key not in KEYS:
                yield self.problem(case, key, f"unexpected key '{key}' in {label}{closest(str(key), KEYS)}")
        for key in REQUIRED:
            if case.get(key) in (None, "", {}):
                yield self.problem(case, key if key in case else None, f"{label} needs '{key}'")
        if "expected" not in case and "refused" not in case:
            yield self.problem(case, None, f"{label} needs 'expected' (per branch) or 'refused' (a fact)")
        if case.get("as_of") not in (None, "") and (problem := calendar_problem(case["as_of"])):
            yield self.problem(case, "as_of", f"'{case['as_of']}', the date {label} is asked on, {problem}")
        if isinstance(case.get("person"), dict):
            yield from self.person(case["person"], label)
        elif case.get("person") not in (None, ""):
            yield self.problem(case, "person", f"the person of {label} maps facts to values")
        yield from self.expected(case, label)
        refused = case.get("refused")
        if refused is not None and refused not in self.facts and refused != IDENTIFIER:
            hint = closest(str(refused), self.facts)
            yield self.problem(case, "refused", f"'{refused}', refused in {label}, is no fact{hint}")

    def person(self, person: dict[str, Any], label: str) -> Iterator[ParameterFileError]:
        for name, value in person.items():
            fact = self.facts.get(name)
            if fact is None:
                computed = name in self.system.variables
                why = "is computed by the rules, not a fact a claim states" if computed else "is no fact"
                hint = "" if computed else closest(str(name), self.facts)
                yield self.problem(person, name, f"'{name}' in the person of {label} {why}{hint}")
                continue
            variable = self.system.variables[name]
            if not isinstance(value, dict):
                if problem := fact_value_problem(name, variable, value):
                    yield self.problem(person, name, f"{problem} in the person of {label}")
                continue
            if fact.eternal:
                yield self.problem(person, name, f"'{name}' is one value for life, not month by month ({label})")
                continue
            for months, amount in value.items():
                problem = months_problem(months)
                problem = f"'{months}' of '{name}' {problem}" if problem else fact_value_problem(name, variable, amount)
                if problem:
                    yield self.problem(value, months, f"{problem} in the person of {label}")

    def expected(self, case: dict[str, Any], label: str) -> Iterator[ParameterFileError]:
        expected = case.get("expected")
        if expected is None:
            return
        if not isinstance(expected, dict):
            yield self.problem(case, "expected", f"'expected' of {label} maps branches to parts of their answers")
            return
        for branch, parts in expected.items():
            if branch not in self.branches:
                hint = closest(str(branch), self.branches, cutoff=0.6) or f" (one of: {', '.join(self.branches)})"
                yield self.problem(expected, branch, f"'{branch}' in the expected of {label} is no branch{hint}")
            elif not isinstance(parts, dict):
                yield self.problem(expected, branch, f"'{branch}' in the expected of {label} maps fields to values")


def claim_case_problems(path: Path, data: Any, system: Any, number: int) -> list[ParameterFileError]:
    """The problems of claim case ``number`` (from 1) of ``data`` read from ``path``."""
    cases = data if isinstance(data, list) else [data]
    return list(_ClaimChecker(path, system).case(cases[number - 1], number, data))


def claim_file_problems(path: Path, data: Any, system: Any) -> list[ParameterFileError]:
    """Every problem of the claim cases ``data`` read from ``path``, under the rules ``system``."""
    if not isinstance(data, list) or not data:
        return [ParameterFileError(path, line_of(data), "a file of claim cases holds a list of cases")]
    checker = _ClaimChecker(path, system)
    return [problem for number, case in enumerate(data, 1) for problem in checker.case(case, number, data)]
