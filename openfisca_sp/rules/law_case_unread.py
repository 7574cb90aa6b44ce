"""``openfisca test`` warns of a passing law case's inputs its computation never reads, each at its line.

A case whose wages are given for months the rules do not read, or a fact no output reads (``is_disabled`` in a
maternity case), passed in silence: it tests nothing of that input, and a drafter reads it as tested. ``openfisca-sp
check`` named such inputs only where a value differed. Each is now a warning (pytest's, in the run's "warnings
summary") at the line of the input in the case's file, found as ``check`` finds them
(:func:`~.unread_inputs.unread_facts`); the run does not fail on it: a case may state a fact to show it does not
matter, or a person's facts under a branch not modelled. An input the case states as context on purpose
(``keywords: [context …]``, :mod:`~.context_inputs`) is not warned of; a context keyword whose input is read is.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Any

from openfisca_sp.rules.context_inputs import Notice, notices
from openfisca_sp.rules.law_case_parallel import record
from openfisca_sp.rules.unread_inputs import UnreadInput, stated_facts, unread_facts
from openfisca_sp.rules.yaml_files import Mapping, ParameterFileError, line_of, read_yaml


class UnreadInputWarning(UserWarning):
    """A law case's input the computation of its outputs never reads."""


def _outputs(output: Any, period: str, simulation: Any) -> list[tuple[str, str]]:
    """Each (variable, period) ``output`` expects, as openfisca-core's runner reads it (keyed by periods or not,
    flat or per entity and member)."""
    system = simulation.tax_benefit_system
    found: list[tuple[str, str]] = []

    def dated(variable: str, expected: Any) -> None:
        if isinstance(expected, dict):
            found.extend((variable, str(at)) for at in expected)
        else:
            found.append((variable, period))

    for key, expected in (output or {}).items():
        if key in system.variables:
            dated(key, expected)
        elif simulation.populations.get(key):
            for variable, value in expected.items():
                dated(variable, value)
        elif simulation.get_population(plural=key) is not None:
            for values in expected.values():
                for variable, value in values.items():
                    dated(variable, value)
    return found


def _child(mapping: Any, key: str) -> Any:
    """``mapping``'s value at the key written ``key`` (a date or a year is read as such: compared as written)."""
    if not isinstance(mapping, Mapping):
        return None
    return next((value for name, value in mapping.items() if str(name) == key), None)


def _key_line(mapping: Any, key: str) -> int | None:
    if not isinstance(mapping, Mapping):
        return None
    return next((line_of(mapping, name) for name in mapping if str(name) == key), None)


def input_line(case: Any, unread: UnreadInput) -> int | None:
    """The line of an unread input in the case as read with lines (``case``): of its first period not read, or of
    the input itself."""
    where = _child(case, "input")
    for key in unread.where[:-1]:
        where = _child(where, key)
    given = _child(where, unread.where[-1])
    first = next((_key_line(given, period) for period in unread.periods if _key_line(given, period)), None)
    return first or _key_line(where, unread.where[-1]) or line_of(case)


def _located_case(path: Path, name: str) -> Any:
    try:
        data = read_yaml(path)
    except (OSError, ParameterFileError):
        return None
    cases = data if isinstance(data, list) else [data]
    return next((case for case in cases if isinstance(case, Mapping) and case.get("name") == name), None)


def warn_of_unread_inputs(item: Any) -> None:
    """Warn of each input of the law case ``item`` (openfisca-core's YAML item, run) its outputs never read and the
    case does not state as context, and of each context keyword whose input they read
    (:func:`~.context_inputs.notices`)."""
    test = item.test
    outputs = _outputs(test.output, str(test.period), item.simulation)
    found = unread_facts(item.tax_benefit_system, str(test.period), test.input, outputs)
    stated = stated_facts(test.input, item.tax_benefit_system)
    told = notices(str(test.name), test.keywords, stated, found)
    path = Path(str(item.path))
    case = _located_case(path, str(test.name)) if told else None
    for notice in told:
        line = notice_line(case, notice) or 0
        warnings.warn_explicit(notice.message, UnreadInputWarning, str(path), line)
        record(str(path), line, UnreadInputWarning, notice.message)  # a worker of openfisca test --in-parallel


def notice_line(case: Any, notice: Notice) -> int | None:
    """The line a notice is told at, in the case as read with lines: of the input not read, or of its keywords."""
    if notice.unread is not None:
        return input_line(case, notice.unread)
    return line_of(case, "keywords") if isinstance(case, Mapping) and "keywords" in case else line_of(case)


def _with_unread(item: Any, failure: AssertionError) -> str:
    """openfisca-core's message of a value computed otherwise, and the inputs the case's computation never reads
    (the most common cause of "the rules compute 0": wages of months the rules do not read)."""
    told = str(failure.args[0]) if failure.args else ""
    test = item.test
    try:
        outputs = _outputs(test.output, str(test.period), item.simulation)
        found = unread_facts(item.tax_benefit_system, str(test.period), test.input, outputs)
    except Exception:  # a case that cannot be traced again: openfisca-core's message alone
        return told
    if not found:
        return told
    return f"{told}{os.linesep}the computation does not read {'; '.join(each.told for each in found)}"


def warn_of_unread_inputs_when_passed() -> None:
    """Make openfisca-core's YAML test runner warn of a passing case's unread inputs, and name those of a failing
    case after its failure, as ``check`` does (idempotent)."""
    from openfisca_core.tools import test_runner  # it imports pytest: only where law cases run

    core = test_runner.YamlItem.runtest
    if getattr(core, "warns_of_unread_inputs", False):
        return

    def runtest(item: Any) -> None:
        try:
            core(item)
        except AssertionError as failure:  # a value computed otherwise: the inputs not read, as check tells them
            raise AssertionError(_with_unread(item, failure)) from None
        if item.simulation is not None and item.test.output is not None:
            warn_of_unread_inputs(item)

    runtest.warns_of_unread_inputs = True  # type: ignore[attr-defined]
    test_runner.YamlItem.runtest = runtest
