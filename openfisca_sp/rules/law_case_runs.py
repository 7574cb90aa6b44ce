"""``openfisca test`` over law cases with mistakes: each is told as ``file:line: cause`` before openfisca-core's
runner meets it. A misspelt variable, an enumeration's name that does not exist or a period that cannot be
(``2025-13``) gave a traceback of some 40 lines, without the case's line (an outside review of the drafters'
tools); ``openfisca-sp check`` finds the same problems, with their lines, and so does this run now.
"""

from __future__ import annotations

from pathlib import Path

from openfisca_sp.rules.jurisdictions import tested_paths, tested_with
from openfisca_sp.rules.law_case_checks import (
    PLAIN,
    RulesNotLoadedError,
    Run,
    UncheckedReformNamedError,
    law_case_problems,
)
from openfisca_sp.rules.wording import counted
from openfisca_sp.rules.yaml_files import ParameterFileError, read_yaml

SHOWN = 20  # problems told, at most: the first ones name the mistake


def law_case_files(argv: list[str]) -> list[Path]:
    """The YAML files of law cases an ``openfisca test`` run names: files, and those under folders."""
    found: list[Path] = []
    for given in tested_paths(argv):
        path = Path(given)
        if path.is_file() and path.suffix in (".yaml", ".yml"):
            found.append(path)
        elif path.is_dir():
            found += sorted(item for item in path.rglob("*") if item.suffix in (".yaml", ".yml") and item.is_file())
    return found


def run_problems(argv: list[str], jurisdiction: str) -> list[ParameterFileError]:
    """Every problem of the law cases an ``openfisca test`` run names, under ``jurisdiction``'s rules (those rules
    load: their own problems are told apart) with the run's extensions and reforms (``-e``, ``-r``), but for a
    reform or an extension a case names that is not openfisca-sp's: openfisca-core may run one that
    ``openfisca-sp check`` does not import."""
    run = tested_with(argv)
    return [problem for path in law_case_files(argv) for problem in case_file_problems(path, jurisdiction, run)]


def case_file_problems(path: Path, jurisdiction: str, run: Run = PLAIN) -> list[ParameterFileError]:
    """The problems of one file of law cases that stop its run, under ``jurisdiction``'s rules (which load) with
    ``run``'s extensions and reforms."""
    try:
        data = read_yaml(path)
    except ParameterFileError as problem:
        return [problem]
    return [
        problem
        for problem in law_case_problems(path, data, jurisdiction, run)
        if not isinstance(problem, (RulesNotLoadedError, UncheckedReformNamedError)) and problem.line is not None
    ]


def run_problems_text(problems: list[ParameterFileError]) -> str:
    """The problems as ``openfisca test`` tells them, one a line, then what to do."""
    lines = [f"openfisca-sp: {problem}" for problem in problems[:SHOWN]]
    if len(problems) > SHOWN:
        lines.append(f"openfisca-sp: … and {len(problems) - SHOWN} more")
    lines.append(
        f"openfisca-sp: {counted(len(problems), 'problem')} in these law cases: none was run "
        "(openfisca-sp check tells the same, for every folder)"
    )
    return "\n".join(lines)
