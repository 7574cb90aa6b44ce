"""The law's cases (OpenFisca YAML tests in ``tests/rules/<jurisdiction>/``), run to see what law they rest on.

Each case is computed as openfisca-core's test runner computes it (the same
situation, period and reforms), with a recorder on the parameters, so that the
dated values it reads are known exactly: the legal index links each value to
the cases that test it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import yaml

from openfisca_sp.drafting.parameter_reads import Read, record_reads
from openfisca_sp.rules.law_case_on_date import law_case_simulation
from openfisca_sp.rules.own_reforms import own_reform
from openfisca_sp.rules.system import tax_benefit_system
from openfisca_sp.rules.yaml_files import ParameterFileError, line_of, read_yaml


@dataclass(frozen=True)
class LawCase:
    """One case of a YAML test file: where it is, what it is called, and what it computes."""

    file: Path
    name: str
    period: str
    input: dict[str, Any]
    output: dict[str, Any]
    reforms: tuple[str, ...]
    number: int = 1  # its place in the file, from 1
    line: int | None = None  # the line it starts on
    absolute_error_margin: Any = None  # openfisca-core's margins, per variable (ErrorMargin), as the runner reads them
    relative_error_margin: Any = None
    located_output: Any = None  # its output as read with the line of each key (:func:`~.yaml_files.read_yaml`)
    located: Any = None  # the whole case as read with the line of each key


class Check(NamedTuple):
    """One value a case expects: of ``variable`` (for entity member ``index``) in ``period``; ``label`` names it
    (``variable``, or ``member.variable``), ``where`` and ``key`` are the mapping and key it is written at."""

    label: str
    variable: str
    period: str
    index: int | None
    expected: Any
    where: Any
    key: Any


def read_cases(path: Path) -> list[LawCase]:
    """The cases of one YAML file, as openfisca-core's test runner reads them (with ``yaml.safe_load``); a file
    that is not YAML, or a case the runner cannot read, is a :class:`ParameterFileError` naming its line."""
    from openfisca_core.tools.test_runner import build_test  # it imports pytest: not at a server worker's start

    lines = read_yaml(path)  # the file's line numbers, and a YAML mistake as file:line: cause
    documents = yaml.safe_load(path.read_text(encoding="utf-8"))
    if documents is None:
        raise ParameterFileError(path, None, "no law case: a file holds a list of cases")
    numbered = documents if isinstance(documents, list) else [documents]
    located = lines if isinstance(lines, list) else [lines]
    cases = []
    for number, (raw, where) in enumerate(zip(numbered, located, strict=True), 1):
        line = line_of(where)
        if not isinstance(raw, dict):
            raise ParameterFileError(path, line, f"case {number} is not a mapping of name, period, input and output")
        try:
            test = build_test(dict(raw))
        except (TypeError, ValueError, OverflowError) as error:  # OverflowError: a margin of hundreds of digits
            raise ParameterFileError(path, line, f"case {number} cannot be read: {error}") from None
        reforms = test.reforms if isinstance(test.reforms, list | tuple) else [test.reforms]
        cases.append(
            LawCase(
                path,
                test.name,
                str(test.period),
                test.input,
                test.output or {},
                tuple(reforms),
                number,
                line,
                test.absolute_error_margin,
                test.relative_error_margin,
                where.get("output") if isinstance(where, dict) else None,
                where,
            )
        )
    return cases


def cases_in(folder: Path, unreadable: list[ParameterFileError] | None = None) -> Iterator[LawCase]:
    """Every case of the YAML files under ``folder``, in file order. A file that cannot be read raises its
    :class:`ParameterFileError`, or, given ``unreadable``, is added to it and skipped."""
    for path in sorted(folder.rglob("*.yaml")):
        try:
            cases = read_cases(path)
        except ParameterFileError as error:
            if unreadable is None:
                raise
            unreadable.append(error)
            continue
        yield from cases


def case_problem(case: LawCase, jurisdiction: str, error: Exception) -> ParameterFileError:
    """Why ``case`` could not be computed, as ``file:line: cause``: the first problem ``openfisca-sp check`` finds
    in it (a variable no rule defines, a value not of its kind: with the closest name), else ``error``'s words
    at the case's line."""
    from openfisca_sp.rules.law_case_checks import case_problems  # openfisca-core's test runner: pytest

    if isinstance(error, ParameterFileError):
        return error
    found = case_problems(case.file, read_yaml(case.file), jurisdiction, case.number)
    if found:
        return found[0]
    return ParameterFileError(case.file, case.line, " ".join(str(error).split()))  # core's words: several lines


def case_error(case: LawCase, jurisdiction: str, error: Exception) -> ParameterFileError:
    """:func:`case_problem`, saying which case could not be computed."""
    problem = case_problem(case, jurisdiction, error)
    return ParameterFileError(problem.path, problem.line, f"case '{case.name}' cannot be computed: {problem.reason}")


@cache
def case_system(jurisdiction: str, reforms: tuple[str, ...]) -> Any:
    system = tax_benefit_system(jurisdiction)
    for name in reforms:  # openfisca-sp's own only: a case file never makes the explorer import other code
        system = own_reform(name)(system)
    return system


def case_checks(case: LawCase, simulation: Any) -> Iterator[Check]:
    """What a case checks, as openfisca-core's runner reads its ``output`` (periods keyed or not)."""
    for key, expected in case.output.items():
        if key in simulation.tax_benefit_system.variables:
            yield from _dated(key, key, expected, case.period, None, case.output, key)
            continue
        if simulation.populations.get(key):
            for variable, value in expected.items():
                yield from _dated(variable, variable, value, case.period, None, expected, variable)
            continue
        population = simulation.get_population(plural=key)
        for instance, values in expected.items() if population is not None else ():
            for variable, value in values.items():
                index = population.get_index(instance)
                yield from _dated(f"{instance}.{variable}", variable, value, case.period, index, values, variable)


def _dated(
    label: str, variable: str, expected: Any, period: str, index: int | None, where: Any, key: Any
) -> Iterator[Check]:
    if isinstance(expected, dict):
        for at, value in expected.items():
            yield from _dated(label, variable, value, str(at), index, expected, at)
    else:
        yield Check(label, variable, period, index, expected, where, key)


def plain_value(values: Any, index: int | None) -> Any:
    """A computed value as a case writes it: one person's (``index``), or the only one, as plain Python."""
    if hasattr(values, "decode_to_str"):
        values = values.decode_to_str()
    values = np.asarray(values)
    chosen = values[index] if index is not None else (values[0] if values.size == 1 else values)
    return chosen.tolist() if hasattr(chosen, "tolist") else chosen


def case_outputs(case: LawCase, simulation: Any) -> Iterator[str]:
    """The variables a case checks (given directly, or per entity)."""
    for key, expected in case.output.items():
        if key in simulation.tax_benefit_system.variables:
            yield key
        elif isinstance(expected, dict):
            for value in expected.values():
                yield from (value if isinstance(value, dict) else {key: None})


def read_outputs(case: LawCase, simulation: Any) -> set[tuple[str, str]]:
    """What :func:`reads_of` computes for ``case`` (``simulation`` is its): each output it checks that is a
    variable, in the case's period, as (variable, period)."""
    variables = simulation.tax_benefit_system.variables
    return {(variable, case.period) for variable in case_outputs(case, simulation) if variable in variables}


def reads_of(case: LawCase, jurisdiction: str) -> set[Read]:
    """The parameter values (name, instant) computing the case's outputs reads."""
    system = case_system(jurisdiction, case.reforms)
    simulation = law_case_simulation(system, case.period, case.input)
    reads = record_reads(simulation)
    for variable in case_outputs(case, simulation):
        if variable in system.variables:
            simulation.calculate(variable, case.period)
    return reads


CaseReads = tuple[str, set[Read] | None]  # a case's name, and what it reads (None: not known)


class KnownReads:
    """What the law cases of each file read, as one command computed them (``check``, running them), for another
    use of the same cases in that command (the legal index), so that each case is computed once.

    Kept by file and jurisdiction with what the file held before its cases were read: a file that has changed
    since is computed again. The key is complete: a case's reads depend on its text and on the rules of its
    jurisdiction (and of its reforms, which its text names), which a process loads once (:func:`case_system`).
    """

    def __init__(self) -> None:
        self._files: dict[tuple[Path, str], tuple[bytes, list[CaseReads]]] = {}

    @staticmethod
    def content(path: Path) -> bytes | None:
        """What the file ``path`` holds (None where it cannot be read)."""
        try:
            return path.read_bytes()
        except OSError:
            return None

    def add(self, path: Path, jurisdiction: str, content: bytes, cases: list[CaseReads]) -> None:
        """Keep what the cases of ``path`` (in order), read from ``content``, read on ``jurisdiction``'s rules."""
        self._files[(path.resolve(), jurisdiction)] = (content, cases)

    def of(self, path: Path, jurisdiction: str) -> list[CaseReads] | None:
        """What the cases of ``path`` read on ``jurisdiction``'s rules, if known and the file has not changed."""
        known = self._files.get((path.resolve(), jurisdiction))
        if known is None or self.content(path) != known[0]:
            return None
        return known[1]
