"""The problems of a file of law cases (OpenFisca YAML tests), each with its line.

A case is a mapping of openfisca-core's test keys: a ``name`` a drafter can
read, the ``period`` it is decided in, its ``input`` and the ``output`` the law
gives. Every variable it names must exist in the jurisdiction's rules (an
unknown name is given with the closest known one), directly or under an
entity's plural (``persons``, ``households``) and an id.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from openfisca_core import periods
from openfisca_core.tools.test_runner import TEST_KEYWORDS

from openfisca_sp.rules.computed_inputs import computed_input_problem, declared_overrides, stated_output_problem
from openfisca_sp.rules.context_inputs import context_problems
from openfisca_sp.rules.date_forms import month_meant
from openfisca_sp.rules.fact_bounds import fact_range_problem
from openfisca_sp.rules.law_case_margins import margin_problems
from openfisca_sp.rules.law_case_values import PERIOD_HINT, closest, period_problem, value_problem
from openfisca_sp.rules.own_reforms import UncheckedReformError, own_reform
from openfisca_sp.rules.system import tax_benefit_system
from openfisca_sp.rules.yaml_files import ParameterFileError, line_of

REQUIRED = ("name", "period", "output")
_WRITE = {  # what each key every case needs holds, for a case without it
    "name": "the case as the law names it (instrument, article, the situation)",
    "period": "the month the case is asked in (period: 2024-06)",
    "output": "under it, indented, each value the rules must compute (old_age_pension_eligible: true)",
}


Run = tuple[tuple[str, ...], tuple[str, ...]]  # the extensions and reforms an ``openfisca test`` run loads (-e, -r)
PLAIN: Run = ((), ())


@cache
def _system(jurisdiction: str, reforms: tuple[str, ...], run: Run = PLAIN) -> Any:
    """The jurisdiction's rules, as the run loads them, with the reforms a case names (``module.function`` as
    ``openfisca test`` takes)."""
    system = tax_benefit_system(jurisdiction) if run == PLAIN else _run_system(jurisdiction, run)
    for name in reforms:
        system = own_reform(name)(system)
    return system


def _run_system(jurisdiction: str, run: Run) -> Any:
    """The rules with the extensions an ``openfisca test`` run loads, then its reforms (openfisca-core's order):
    their variables are known to its law cases. openfisca-core imports them next in any case; where one does not
    load, its run says why (:class:`RunNotLoadedError`, no problem of the cases told)."""
    extensions, reforms = run
    system = tax_benefit_system(jurisdiction).clone()
    try:
        for extension in extensions:
            system.load_extension(extension)
        for reform in reforms:
            system = system.apply_reform(reform)
    except Exception as error:  # whatever another package raises, openfisca-core tells it with its own words
        raise RunNotLoadedError(Path(" ".join(extensions + reforms)), None, str(error)) from None
    return system


class UncheckedReformNamedError(ParameterFileError):
    """A case names a reform that is not openfisca-sp's, or an extension: ``check`` says so (it imports neither);
    ``openfisca test`` may still run it."""


class RunNotLoadedError(ParameterFileError):
    """An extension or a reform an ``openfisca test`` run names does not load: openfisca-core's run tells why."""


class RulesNotLoadedError(ParameterFileError):
    """The rules a law case runs under do not load: the loader's own problem (its file, line and cause)."""

    def __init__(self, error: ParameterFileError) -> None:
        super().__init__(error.path, error.line, error.reason)


@cache
def _loaded(jurisdiction: str, reforms: tuple[str, ...], run: Run = PLAIN) -> tuple[Any, ParameterFileError | None]:
    """:func:`_system`, or the problem that stops its rules loading (kept: every file would meet it again)."""
    try:
        return _system(jurisdiction, reforms, run), None
    except ParameterFileError as error:
        return None, error


def shown_path(path: str | Path) -> str:
    """A path as a drafter reads it: relative to the current folder when inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def not_loaded(path: Path, jurisdiction: str, error: ParameterFileError, what: str) -> list[ParameterFileError]:
    """The loader's problem, and that ``what`` (``its law cases``) of ``path`` could not be checked for it."""
    where = f"{shown_path(error.path)}:{error.line}" if error.line else shown_path(error.path)
    reason = f"{what} not checked: the rules of '{jurisdiction}' do not load ({where})"
    return [RulesNotLoadedError(error), ParameterFileError(path, None, reason)]


class _CaseChecker:
    """Checks the cases of one file against one jurisdiction's rules."""

    def __init__(self, path: Path, jurisdiction: str, system: Any, run: Run = PLAIN) -> None:
        self.path = path
        self.jurisdiction = jurisdiction
        self.system = system
        self.run = run
        self.period: Any = None  # the period of the case being checked
        self.misfit: str | None = None  # why it does not fit one of its variables
        self.plurals = {entity.plural for entity in self.system.entities}
        self.overrides: dict[str, str] = {}  # the computed variables the case overrides on purpose
        self.inputs: set[str] = set()  # the variables its input gives

    def problem(self, where: Any, key: Any, message: str) -> ParameterFileError:
        return ParameterFileError(self.path, line_of(where, key), message)

    def case(self, case: Any, number: int, container: Any) -> Iterator[ParameterFileError]:
        label = f"case {number}"
        if not isinstance(case, dict):
            yield self.problem(container, None, f"{label} must be a mapping of {sorted(REQUIRED)} and the like")
            return
        label = f"case {number} ('{case['name']}')" if isinstance(case.get("name"), str) else label
        for key in case:
            if key in self.system.variables and key not in TEST_KEYWORDS:  # a value a level up, beside 'output:'
                yield self.problem(
                    case,
                    key,
                    f"'{key}' of {label} is a variable, written at the level of the case's keys: indent it under "
                    "'output:' (a value the rules compute) or 'input:' (a fact the case states)",
                )
            elif key not in TEST_KEYWORDS:
                yield self.problem(case, key, f"unexpected key '{key}' in {label}{closest(str(key), TEST_KEYWORDS)}")
        for key, why in margin_problems(case, self.plurals):
            yield self.problem(case, key, f"{why} ({label})")
        for key in REQUIRED:
            if key not in case or case[key] in (None, "", {}):
                lacks = f"'{key}' of {label} is empty" if key in case else f"{label} needs '{key}'"
                yield self.problem(case, key if key in case else None, f"{lacks}: write {_WRITE[key]}")
        if case.get("extensions"):
            yield UncheckedReformNamedError(
                self.path,
                line_of(case, "extensions"),
                f"the extensions of {label} are not loaded by openfisca-sp: its variables are not checked",
            )
            return
        reforms = case.get("reforms") or []
        try:
            self.system, error = _loaded(
                self.jurisdiction, tuple(map(str, reforms if isinstance(reforms, list) else [reforms])), self.run
            )
        except UncheckedReformError as unknown:
            yield UncheckedReformNamedError(
                self.path,
                line_of(case, "reforms"),
                f"reform '{unknown}' of {label} is not one of openfisca-sp's (module.function; a YAML reform of "
                "reforms/ is openfisca_sp.reforms.yaml_reforms.<its file's name>)",
            )
            return
        if error is not None:
            yield from not_loaded(self.path, self.jurisdiction, error, "its law cases are")
            return
        self.period = None
        if case.get("period") not in (None, ""):
            try:
                self.period = periods.period(str(case["period"]))
            except ValueError:
                meant = month_meant(case["period"])
                hint = PERIOD_HINT.replace("a month, 2024-06", meant) if meant else PERIOD_HINT
                yield self.problem(case, "period", f"'{case['period']}' is not a period: {hint}")
        self.misfit = None  # the first variable the case's period does not fit
        self.overrides, self.inputs = declared_overrides(case), set()
        for key in ("input", "output"):
            if isinstance(case.get(key), dict):
                yield from self.variables(case[key], f"the {key} of {label}", key == "output")
            elif case.get(key) not in (None, ""):
                yield self.problem(case, key, f"the {key} of {label} must map variables to values")
        if self.misfit is not None:
            yield self.problem(case, "period", f"the period of {label}: {self.misfit}")
        for name, keyword in self.overrides.items():
            if name not in self.inputs:
                yield self.problem(case, "keywords", f"'{keyword}' of {label}: its input gives no '{name}'")
        for problem in context_problems(case.get("keywords"), self.inputs):
            yield self.problem(case, "keywords", f"{problem} ({label})")

    def variables(self, values: dict[str, Any], what: str, output: bool) -> Iterator[ParameterFileError]:
        """Variables named directly, or under an entity's plural and an id, in the case's ``output`` or input
        (told by the flag: a case's name may hold the word 'output'). An input that names its members holds
        nothing else: openfisca-core reads a variable beside them as a flat input, and fails on the plural."""
        members = [name for name, value in values.items() if name in self.plurals and isinstance(value, dict)]
        plural = members[0] if members else None
        for name, value in values.items():
            if plural is not None and not output and name in self.system.variables:
                member = next(iter(values[plural]), "…")
                yield self.problem(
                    values,
                    name,
                    f"'{name}' is written beside '{plural}:' in {what}: where the input names its members, each fact "
                    f"goes under its member (indent it under '{member}:', with the member's other facts), or write "
                    f"every fact flat, without '{plural}:'",
                )
            if name in self.plurals and isinstance(value, dict):
                for member in value.values():
                    if isinstance(member, dict):
                        yield from self.names(member, what, output, roles=True)
            else:
                yield from self.names({name: value}, what, output, where=values)

    def names(
        self, values: dict[str, Any], what: str, output: bool, roles: bool = False, where: Any = None
    ) -> Iterator[ParameterFileError]:
        for name in values:
            if name in self.system.variables:
                variable = self.system.variables[name]
                if self.period is not None and not isinstance(values[name], dict) and self.misfit is None:
                    self.misfit = period_problem(name, variable, values[name], self.period, output)
                if not output:
                    self.inputs.add(name)
                    computed = computed_input_problem(name, variable, self.period, self.overrides)
                    if computed:
                        yield self.problem(where if where is not None else values, name, f"{computed} ({what})")
                elif stated := stated_output_problem(name, variable, self.period):
                    yield self.problem(where if where is not None else values, name, f"{stated} ({what})")
                yield from self.values_of(
                    name, variable, values[name], values if where is None else where, what, output
                )
                continue
            if roles and isinstance(values[name], list | str):
                continue  # a group's role lists its members' ids
            hint = closest(str(name), self.system.variables)
            yield self.problem(
                where if where is not None else values,
                name,
                f"unknown variable '{name}' in {what} (jurisdiction {self.jurisdiction}){hint}",
            )

    def values_of(
        self, name: str, variable: Any, given: Any, where: Any, what: str, output: bool
    ) -> Iterator[ParameterFileError]:
        """The problems of the value(s) ``given`` to ``name``: one at the variable's line, or each of a mapping
        of periods at its own line (``2023-09: 3 000 000`` under ``insured_wage:``)."""
        stated = given.items() if isinstance(given, dict) else [(None, given)]
        for period, value in stated:
            at = given if period is not None else where
            as_given = {period: value} if period is not None else value
            problem = value_problem(name, variable, as_given) or period_problem(name, variable, as_given, None, output)
            problem = problem or (None if output else fact_range_problem(name, variable, as_given))
            if problem:
                yield self.problem(at, period if period is not None else name, f"{problem} in {what}")


def case_problems(path: Path, data: Any, jurisdiction: str, number: int) -> list[ParameterFileError]:
    """The problems of case ``number`` (from 1) of the law cases ``data`` read from ``path``."""
    system, error = _loaded(jurisdiction, ())
    if error is not None:
        return [RulesNotLoadedError(error)]
    cases = data if isinstance(data, list) else [data]
    return list(_CaseChecker(path, jurisdiction, system).case(cases[number - 1], number, data))


def law_case_problems(path: Path, data: Any, jurisdiction: str, run: Run = PLAIN) -> list[ParameterFileError]:
    """Every problem of the law cases ``data`` read from ``path``, under ``jurisdiction``'s rules as ``run`` loads
    them."""
    system, error = _loaded(jurisdiction, (), run)
    if error is not None:
        return not_loaded(path, jurisdiction, error, "its law cases are")
    checker = _CaseChecker(path, jurisdiction, system, run)
    cases = data if isinstance(data, list) else [data]
    if not cases:
        return [ParameterFileError(path, None, "no law case: a file holds a list of cases")]
    problems = [problem for number, case in enumerate(cases, 1) for problem in checker.case(case, number, data)]
    return problems + list(_names_twice(path, cases))


def _names_twice(path: Path, cases: list[Any]) -> Iterator[ParameterFileError]:
    """A case named as one before it: a case copied and not renamed, which ``openfisca test`` reports by name."""
    first: dict[str, int] = {}
    for number, case in enumerate(cases, 1):
        name = case.get("name") if isinstance(case, dict) else None
        if not isinstance(name, str):
            continue
        if name in first:
            where = line_of(cases[first[name] - 1], "name")
            yield ParameterFileError(
                path,
                line_of(case, "name"),
                f"case {number} is named as case {first[name]} ('{name}', line {where}): a case copied and not "
                "renamed? name each case as the law does (instrument, article, the situation), so that a failure "
                "names one",
            )
        else:
            first[name] = number
