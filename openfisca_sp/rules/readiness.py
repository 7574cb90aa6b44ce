"""Readiness: the rules of a system run on a small reference population, at every date the law changes.

Loading checks each value's form (:mod:`~openfisca_sp.rules.parameter_kinds`);
readiness checks that the formulas run on those values. A reference population
(older and younger men and women with contributions and wages, a mother with a
birth, a registered unemployed person, a disabled person) is decided by every
branch of the system, in the current month and in the month of every date on
which a value comes into force, each with the rules of that day (as a claim on
that day is decided). Every result each branch gives, and every other formula,
is computed; what fails is returned as text, never raised.

The result is kept per system (:func:`reference_problems`): the service's
``/ready`` pays for it once.
"""

from __future__ import annotations

import datetime
import re
import threading
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.simulations import SimulationBuilder

from openfisca_sp.rules.branches import BRANCHES, Branch, decided_branches
from openfisca_sp.rules.provenance import provenance_of
from openfisca_sp.rules.simulations import build_simulation, set_input
from openfisca_sp.rules.wording import counted, noun_for

WAGE_MONTHS = 60  # months of wages each insured person of the reference population has before the month decided
MAX_LISTED = 3  # variables and days named per problem
DATE = re.compile(r"\b\d{4}-\d{2}(-\d{2})?\b")


@dataclass(frozen=True)
class ReferencePerson:
    """One person of the reference population, with facts dated relative to the day decided (``days`` before)."""

    label: str  # what the person stands for (documentation)
    sex: str
    age_years: int
    contribution_months: int = 0
    wage: float = 0.0
    facts: tuple[tuple[str, Any], ...] = ()  # other inputs of the month decided
    days_before: tuple[tuple[str, int], ...] = ()  # date inputs of the month decided, as days before the day
    wages_end_days_before: int = 0  # the last wage is paid in the month of this day


CLAIM_TODAY = (("old_age_claim_date", 0),)
REFERENCE_POPULATION = (
    ReferencePerson(
        "man above pensionable age", "male", 70, 420, 3_000_000.0, (("pension_points", 35.0),), CLAIM_TODAY
    ),
    ReferencePerson(
        "woman above pensionable age", "female", 66, 300, 2_500_000.0, (("pension_points", 25.0),), CLAIM_TODAY
    ),
    ReferencePerson("man below pensionable age", "male", 40, 200, 4_000_000.0, days_before=CLAIM_TODAY),
    ReferencePerson("woman below pensionable age", "female", 30, 24, 2_000_000.0, days_before=CLAIM_TODAY),
    ReferencePerson(
        "mother of twins",
        "female",
        28,
        36,
        2_200_000.0,
        (("pregnancy_outcome", "live_birth"), ("number_of_children_born", 2)),
        (("child_birth_date", 0),),
    ),
    ReferencePerson(
        "woman after a pregnancy loss",
        "female",
        33,
        14,
        1_800_000.0,
        (("pregnancy_outcome", "pregnancy_loss"), ("number_of_children_born", 0)),
        (("child_birth_date", 0),),
    ),
    ReferencePerson(
        "registered unemployed man",
        "male",
        35,
        60,
        5_000_000.0,
        (("separation_reason", "dismissal"), ("minimum_wage_region", 1)),
        (("employment_end_date", 45), ("unemployment_registration_date", 40)),
        wages_end_days_before=45,
    ),
    ReferencePerson(
        "disabled woman",
        "female",
        45,
        180,
        2_800_000.0,
        (("is_disabled", True), ("disability_degree", 100.0), ("disability_category", 1)),
        (("disability_assessment_date", 0),),
    ),
)


def branches_of(system: Any) -> tuple[Branch, ...]:
    """The branches a system decides (:func:`~openfisca_sp.rules.branches.decided_branches`)."""
    return decided_branches(system)


def branch_results(branch: Branch) -> tuple[str, ...]:
    """The variables a branch's decision is made of: eligibility, reason, amounts, duration, flags."""
    names = [branch.eligible, branch.reason, *branch.amount_variables, branch.provisional]
    names += [f"{branch.benefit}_duration_unit", f"{branch.benefit}_frequency"]
    names += [f"{name}_modelled" for name in branch.lump_sums]
    names += [name for name in (branch.amount_modelled, branch.waiting_days_modelled) if name]
    return tuple(dict.fromkeys(names))


def results_to_check(system: Any) -> tuple[str, ...]:
    """Every branch's results (those the system has), then every other formula of the month."""
    variables = system.variables
    names = [name for branch in branches_of(system) for name in branch_results(branch) if name in variables]
    names += sorted(
        name
        for name, variable in variables.items()
        if variable.formulas and variable.definition_period == DateUnit.MONTH and not variable.is_neutralized
    )
    return tuple(dict.fromkeys(names))


def days_to_check(system: Any, today: datetime.date | None = None) -> tuple[datetime.date, ...]:
    """Today, and every day on which a value of the system's rules comes into force (oldest first)."""
    today = today or datetime.date.today()
    index = provenance_of(system)
    starts = {record.start for records in index.history.values() for record in records}
    days = {datetime.date.fromisoformat(start) for start in starts}
    return (*sorted(days - {today}), today)


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _month(day: datetime.date, shift: int = 0) -> str:
    number = day.year * 12 + day.month - 1 + shift
    return f"{number // 12:04d}-{number % 12 + 1:02d}"


def _enum_value(system: Any, variable: str, value: Any) -> Any:
    possible = getattr(system.variables[variable], "possible_values", None)
    return possible[value] if isinstance(value, str) and possible is not None else value


def reference_simulation(system: Any, day: datetime.date, population: Sequence[ReferencePerson]) -> Any:
    """A simulation of ``population`` deciding claims made on ``day``, with the rules in force that day."""
    count = len(population)
    simulation = build_simulation(system, np.arange(count), event_date=day)
    month = _month(day)
    arrays: dict[tuple[str, str], list[Any]] = {}

    def put(variable: str, period: str, row: int, value: Any, default: Any) -> None:
        arrays.setdefault((variable, period), [default] * count)[row] = value

    for row, person in enumerate(population):
        put("birth_date", "ETERNITY", row, np.datetime64(_years_before(day, person.age_years), "D"), None)
        put("sex", "ETERNITY", row, person.sex, "male")
        put("contribution_months", month, row, person.contribution_months, 0)
        put("career_average_insured_wage", month, row, person.wage, 0.0)
        put("event_date", month, row, np.datetime64(day, "D"), None)  # every claim is made on the day
        last = (day - datetime.timedelta(days=person.wages_end_days_before)).replace(day=1)
        if person.wage:
            for shift in range(-WAGE_MONTHS, 1):
                put("insured_wage", _month(last, shift), row, person.wage, 0.0)
        for name, value in person.facts:
            put(name, month, row, value, None)
        for name, days in person.days_before:
            put(name, month, row, np.datetime64(day - datetime.timedelta(days=days), "D"), None)
    for (variable, period), values in arrays.items():
        if variable not in system.variables:
            continue
        default = system.variables[variable].default_value
        values = [_enum_value(system, variable, default if value is None else value) for value in values]
        possible = getattr(system.variables[variable], "possible_values", None)
        if possible is not None:
            values = possible.encode(np.array(values, dtype=object))
        set_input(simulation, variable, period, np.asarray(values))
    return simulation


def _describe(error: BaseException) -> str:
    text = " ".join(str(error).split())
    return f"{type(error).__name__}: {text[:300]}" if text else type(error).__name__


def _same_error(cause: str) -> str:
    """An error's text without the dates in it: the same error on other days."""
    return DATE.sub("<date>", cause)


def _listed(items: Sequence[str]) -> str:
    shown = ", ".join(items[:MAX_LISTED])
    return f"{shown} and {len(items) - MAX_LISTED} more" if len(items) > MAX_LISTED else shown


def check_rules(
    system: Any,
    days: Iterable[datetime.date] | None = None,
    population: Sequence[ReferencePerson] = REFERENCE_POPULATION,
) -> list[str]:
    """What fails when ``population`` is decided by every branch of ``system`` on each of ``days``.

    One problem per distinct error, naming the results and the days it breaks;
    an empty list when everything computes. Never raises.
    """
    name = getattr(getattr(system, "jurisdiction", None), "code", None) or type(system).__name__
    try:
        if not any(branch.eligible in system.variables for branch in BRANCHES.values()):
            return _other_system(system, name)
        days = tuple(days) if days is not None else days_to_check(system)
        names = results_to_check(system)
        missing = [result for branch in branches_of(system) for result in branch_results(branch)[:2]]
        missing = [result for result in missing if result not in system.variables]
    except Exception as error:  # readiness reports, never raises
        return [f"{name}: the rules cannot be checked: {_describe(error)}"]
    problems = [f"{name}: no variable '{result}' (a branch's decision)" for result in missing]
    failures: dict[str, tuple[str, list[str], list[str]]] = {}  # same error -> (first text, variables, days)
    for day in days:
        try:
            simulation = reference_simulation(system, day, population)
        except Exception as error:  # readiness reports, never raises
            cause = f"the reference population cannot be built: {_describe(error)}"
            failures.setdefault(_same_error(cause), (cause, [], []))[2].append(day.isoformat())
            continue
        for variable in names:
            try:
                simulation.calculate(variable, _month(day))
            except Exception as error:  # readiness reports, never raises
                cause = _describe(error)
                _, variables, failed_days = failures.setdefault(_same_error(cause), (cause, [], []))
                if variable not in variables:
                    variables.append(variable)
                if not failed_days or failed_days[-1] != day.isoformat():
                    failed_days.append(day.isoformat())
    for cause, variables, failed_days in failures.values():
        fail = noun_for(len(variables), "fails", "fail")
        what = f"{_listed(variables)} {fail} for the reference population" if variables else "the check fails"
        problems.append(
            f"{name}: {what} on {_listed(failed_days)} ({len(failed_days)} of {counted(len(days), 'day')} checked): "
            f"{cause}"
        )
    return problems


def _other_system(system: Any, name: str) -> list[str]:
    """A system that decides none of the branches (any OpenFisca country package): its first variable computes,
    for today's period of its kind, in openfisca-core's default simulation (one person, alone and in the first
    role of each group entity: roles are the package's own)."""
    try:
        variable = next(iter(system.variables.values()))
        simulation = SimulationBuilder().build_default_simulation(system, 1)
        simulation.calculate(variable.name, _period_of(variable.definition_period, datetime.date.today()))
    except Exception as error:  # readiness reports, never raises
        return [f"{name}: {_describe(error)}"]
    return []


def _period_of(unit: DateUnit, day: datetime.date) -> str:
    """The period of ``unit`` (any OpenFisca unit) holding ``day``."""
    year, week, weekday = day.isocalendar()
    return {
        DateUnit.ETERNITY: "ETERNITY",
        DateUnit.YEAR: str(day.year),
        DateUnit.MONTH: _month(day),
        DateUnit.DAY: day.isoformat(),
        DateUnit.WEEK: f"{year}-W{week:02d}",
        DateUnit.WEEKDAY: f"{year}-W{week:02d}-{weekday}",
    }[unit]


_RESULTS: weakref.WeakKeyDictionary[Any, tuple[str, ...]] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def reference_problems(system: Any) -> list[str]:
    """:func:`check_rules` of ``system``, computed once per system (a system's rules do not change once built)."""
    with _LOCK:
        cached = _RESULTS.get(system)
        if cached is None:
            cached = tuple(check_rules(system))
            _RESULTS[system] = cached
        return list(cached)
