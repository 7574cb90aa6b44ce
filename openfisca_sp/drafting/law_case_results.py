"""``openfisca-sp check`` runs the law cases: each output a case expects and the rules compute otherwise is a
problem at the line of the expected value.

A case is computed as ``openfisca test`` computes it (the same situation, period, reforms and error margins) on
the rules of the jurisdiction of its folder, and compared at the precision the rules hold
(:mod:`~openfisca_sp.rules.law_case_precision`). ``check`` runs every jurisdiction's cases, each on its own rules,
where one ``openfisca test`` run loads one jurisdiction's (an outside review: ``check`` said "0 problems" on cases
whose every expected amount was wrong, and ``openfisca test tests/rules`` sent the drafter to it).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from openfisca_sp.drafting.law_cases import (
    CaseReads,
    KnownReads,
    LawCase,
    case_checks,
    case_error,
    case_system,
    plain_value,
    read_cases,
    read_outputs,
)
from openfisca_sp.drafting.parameter_reads import Read, record_reads
from openfisca_sp.rules.context_inputs import notices
from openfisca_sp.rules.law_case_on_date import law_case_simulation
from openfisca_sp.rules.law_case_precision import assert_near
from openfisca_sp.rules.law_case_unread import notice_line
from openfisca_sp.rules.unread_inputs import stated_facts, traced_unread, unread_inputs
from openfisca_sp.rules.yaml_files import ParameterFileError, line_of


class UnreadInputNotice(ParameterFileError):  # noqa: N818 - a warning, raised by nothing
    """An input of a passing law case its computation never reads and the case does not state as context, or a
    context keyword whose input it reads (:mod:`~openfisca_sp.rules.context_inputs`): a warning, not a problem,
    told at the line of the input (of the keywords) as ``openfisca test`` warns of it."""


def _margin(margins: Any, variable: str) -> float | None:
    return margins[variable] if margins is not None else None


def _shown(value: Any) -> str:
    """A value as a case writes it: 500000, not 500000.0; true, not True."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def case_failures(case: LawCase, jurisdiction: str, warnings: bool = True) -> list[ParameterFileError]:
    """Each output of ``case`` the rules of ``jurisdiction`` compute otherwise than it expects, at its line; or why
    the case could not be computed; or, where it passes (and ``warnings`` are wanted), an :class:`UnreadInputNotice`
    for each input its computation never reads that the case does not state as context, and each context keyword
    whose input it reads. The computation is traced only where the warnings are wanted, and once."""
    return case_results(case, jurisdiction, warnings)[0]


def case_results(
    case: LawCase, jurisdiction: str, warnings: bool = True, reads: bool = False
) -> tuple[list[ParameterFileError], set[Read] | None]:
    """:func:`case_failures`, and (with ``reads``) the parameter values the same computation read, where they are
    those :func:`~.law_cases.reads_of` finds: where it computed what that computes (each output that is a variable,
    in the case's period, and nothing else) with no error; else None."""
    try:
        simulation = law_case_simulation(case_system(jurisdiction, case.reforms), case.period, case.input)
        simulation.trace = warnings  # what the outputs read: the inputs they never read
        recorded = record_reads(simulation) if reads else None  # traced too, which changes no value
        checks = list(case_checks(case, simulation))
        located = list(case_checks(dataclasses.replace(case, output=case.located_output or {}), simulation))
    except Exception as error:  # a case the rules cannot build: its cause, at its line
        return [case_error(case, jurisdiction, error)], None
    lines = [line_of(check.where, check.key) for check in located] if len(located) == len(checks) else []
    failures = []
    unread: list[str] | None = None  # the inputs the computation never reads, found once a value differs
    failed = False  # an output could not be computed: what was read is not all its computation reads
    for number, check in enumerate(checks):
        try:
            values = simulation.calculate(check.variable, check.period)
            computed = values[check.index] if check.index is not None else values
            assert_near(
                computed,
                check.expected,
                _margin(case.absolute_error_margin, check.variable),
                "",
                _margin(case.relative_error_margin, check.variable),
            )
        except AssertionError:
            if unread is None:
                outputs = [(each.variable, each.period) for each in checks]
                unread = unread_inputs(case_system(jurisdiction, case.reforms), case.period, case.input, outputs)
            failures.append(
                ParameterFileError(
                    case.file,
                    (lines[number] if lines else None) or case.line,
                    f"case '{case.name}' expects {check.label} = {_shown(check.expected)} in {check.period}; the "
                    f"rules compute {_shown(plain_value(values, check.index))}"
                    + (f"; the computation does not read {'; '.join(unread)}" if unread else ""),
                )
            )
        except Exception as error:  # an output that cannot be computed (a parameter not in force …)
            failures.append(case_error(case, jurisdiction, error))
            failed = True
    computed_as_read = {(check.variable, check.period) for check in checks} == read_outputs(case, simulation)
    known = recorded if recorded is not None and computed_as_read and not failed else None
    if failures or not warnings:
        return failures, known
    return _unread_notices(case, simulation), known


def _unread_notices(case: LawCase, simulation: Any) -> list[ParameterFileError]:
    """The warnings of the passing ``case``, computed by the traced ``simulation``: each input it never reads and
    does not state as context, at the input's line; each context keyword whose input it reads, at the keywords'."""
    try:
        found = traced_unread(simulation, case.input)
    except Exception:  # a case whose trace cannot be read passed all the same: nothing to tell of it
        return []
    stated = stated_facts(case.input, simulation.tax_benefit_system)
    keywords = case.located.get("keywords") if isinstance(case.located, dict) else None
    return [
        UnreadInputNotice(case.file, notice_line(case.located, notice) or case.line, notice.message)
        for notice in notices(case.name, keywords, stated, found)
    ]


def file_failures(
    path: Path, jurisdiction: str, warnings: bool = True, known: KnownReads | None = None
) -> list[ParameterFileError]:
    """:func:`case_failures` of every case of the file ``path`` (with ``warnings``, the :class:`UnreadInputNotice`
    of each case that passes); given ``known``, what each case read is added to it."""
    content = known.content(path) if known is not None else None  # before its cases are read: see KnownReads
    try:
        cases = read_cases(path)
    except ParameterFileError as error:
        return [error]
    failures: list[ParameterFileError] = []
    reads: list[CaseReads] = []
    for case in cases:
        found, read = case_results(case, jurisdiction, warnings, reads=known is not None)
        failures += found
        reads.append((case.name, read))
    if known is not None and content is not None:
        known.add(path, jurisdiction, content, reads)
    return failures
