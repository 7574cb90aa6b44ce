"""The inputs of a law case its computation never reads: told beside an output the rules compute otherwise.

A case whose wages are given for the wrong year (``2025-09`` where the claim of ``2027-03`` reads the six months
before it), or a fact the rules do not read (``is_disabled`` in a maternity case), fails with "the rules compute
0" and nothing said of why: openfisca-core keeps an input of a month no formula asks for, and says nothing. The
case is computed again with openfisca-core's tracer, and each input it never reads (a variable, or the months of
one) is named, with the months the rules do read.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from openfisca_core import periods
from openfisca_core.periods import DateUnit

from openfisca_sp.rules.law_case_on_date import law_case_simulation

MONTH = DateUnit.MONTH


class UnreadInput(NamedTuple):
    """An input the computation never reads: ``where``, its keys from the situation's root (``('persons', 'ana',
    'insured_wage')``); ``periods``, the periods it is given for that are not read (none: the whole input);
    ``told``, in words."""

    where: tuple[str, ...]
    periods: tuple[str, ...]
    told: str


def _reads(nodes: Any, found: dict[str, set[str]]) -> dict[str, set[str]]:
    """Each variable the traced computation reads, with the periods it reads it for."""
    for node in nodes:
        found.setdefault(node.name, set()).add(str(node.period))
        _reads(node.children, found)
    return found


def _facts(situation: dict[str, Any], system: Any) -> list[tuple[tuple[str, ...], dict[str, Any]]]:
    """The facts of each member of ``situation``, with the keys that lead to them: the case's one person (its inputs
    written flat), or each member of each entity (``persons: {…}``)."""
    if not isinstance(situation, dict):  # ``input: ''``: a case that states no fact
        return []
    plurals = {entity.plural for entity in system.entities}
    if not any(key in plurals for key in situation):
        return [((), situation)]
    members = [((key, str(name)), member) for key in plurals for name, member in (situation.get(key) or {}).items()]
    return [(where, member) for where, member in members if isinstance(member, dict)]


def _months(period: Any) -> list[str]:
    """The months of a period (a month, a year, ``month:2024-01:3``), or none for a day or eternity."""
    if period.unit == DateUnit.ETERNITY or period.unit in (DateUnit.DAY, DateUnit.WEEKDAY, DateUnit.WEEK):
        return []
    return [str(month) for month in period.get_subperiods(MONTH)]


def month_ranges(months: list[str]) -> str:
    """``2025-09 to 2026-02, 2026-05``: months in order, each run of consecutive ones written as a range."""
    ordered = sorted(set(months), key=lambda month: periods.period(month).start)
    runs: list[list[str]] = []
    for month in ordered:
        if runs and str(periods.period(runs[-1][-1]).offset(1)) == month:
            runs[-1].append(month)
        else:
            runs.append([month])
    return ", ".join(run[0] if len(run) == 1 else f"{run[0]} to {run[-1]}" for run in runs)


def unread_facts(
    system: Any, period: str, situation: dict[str, Any], outputs: list[tuple[str, str]]
) -> list[UnreadInput]:
    """Each input of ``situation`` the computation of ``outputs`` (variable, period) never reads: a variable no
    output reads, or the months of one given outside those the rules read."""
    simulation = law_case_simulation(system, period, situation)
    simulation.trace = True
    for variable, asked in outputs:
        simulation.calculate(variable, asked)
    return traced_unread(simulation, situation)


def stated_facts(situation: dict[str, Any], system: Any) -> set[str]:
    """The variables ``situation`` gives (flat, or of any member)."""
    return {name for _, facts in _facts(situation, system) for name in facts if name in system.variables}


def traced_unread(simulation: Any, situation: dict[str, Any]) -> list[UnreadInput]:
    """Each input of ``situation`` the outputs already computed by ``simulation`` (built from it, with its
    tracer on from the start) never read (:func:`unread_facts`)."""
    system = simulation.tax_benefit_system
    reads = _reads(simulation.tracer.trees, {})
    unread: list[UnreadInput] = []
    for where, facts in _facts(situation, system):
        for name, given in facts.items():
            if name not in system.variables or any(each.where[-1] == name for each in unread):
                continue
            if name not in reads:
                unread.append(UnreadInput((*where, name), (), f"the input '{name}' (no output reads it)"))
                continue
            if not isinstance(given, dict):
                continue
            read_months = {month for read in reads[name] for month in _months(periods.period(read))}
            months = {str(key): _months(periods.period(str(key))) for key in given}
            missed = [month for each in months.values() for month in each if month not in read_months]
            if missed and read_months:
                keys = tuple(key for key, each in months.items() if any(month not in read_months for month in each))
                told = f"'{name}' of {month_ranges(missed)} (the rules read it for {month_ranges(list(read_months))})"
                unread.append(UnreadInput((*where, name), keys, told))
    return unread


def unread_inputs(system: Any, period: str, situation: dict[str, Any], outputs: list[tuple[str, str]]) -> list[str]:
    """Each input of ``situation`` the computation of ``outputs`` (variable, period) never reads, in words: ``the
    input 'is_disabled' (no output reads it)``, ``'insured_wage' of 2025-09 to 2026-02 (the rules read it for
    2026-09 to 2027-02)``."""
    return [each.told for each in unread_facts(system, period, situation, outputs)]
