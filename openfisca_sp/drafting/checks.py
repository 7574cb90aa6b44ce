"""``openfisca-sp check``: every problem of a tree of rules at once, each as ``file:line: cause``.

The loader stops at the first problem; a drafter wants them all, in the words
of the mistake: a value written as text where a number is expected, a negative
number of months, a value left empty, a tab, a non-breaking space pasted from
Word or a PDF, a line out of indentation, a reference without its instrument or
article, a name no branch reads (with the closest name that exists). Checked, by
what each file is:

* a jurisdiction's parameters (a folder whose ``index.yaml`` declares it), as a
  whole tree (:func:`~openfisca_sp.rules.parameter_loader.parameter_tree_problems`);
* a parametric reform (a mapping with ``jurisdiction`` and ``parameters``);
* claim cases (``tests/claims/<jurisdiction>/``, :mod:`~openfisca_sp.drafting.claim_cases`), read, not run:
  ``pytest tests/claims`` runs them, through ``/eligibility``'s answers;
* law cases (OpenFisca YAML tests, :mod:`~openfisca_sp.rules.law_case_checks`), each run on the rules of its
  folder's jurisdiction when it has no such problem (:mod:`~openfisca_sp.drafting.law_case_results`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openfisca_sp.drafting.claim_cases import claim_file_problems, is_claim_file
from openfisca_sp.drafting.law_case_results import UnreadInputNotice, file_failures
from openfisca_sp.drafting.law_cases import KnownReads
from openfisca_sp.rules import jurisdictions
from openfisca_sp.rules.law_case_checks import RulesNotLoadedError, law_case_problems, not_loaded, shown_path
from openfisca_sp.rules.parameter_loader import parameter_tree_problems
from openfisca_sp.rules.parametric_reforms import check_against, read_parametric_reform
from openfisca_sp.rules.sources import LEGACY_FILE_NAME as LEGACY_SOURCES_FILE
from openfisca_sp.rules.suggestions import closest_name
from openfisca_sp.rules.yaml_files import ParameterFileError, read_yaml

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True, order=True)
class Problem:
    """One problem: where it is and what is wrong; or, a ``warning``, what a drafter should read and may keep (an
    input of a passing law case its computation never reads)."""

    path: str
    line: int
    message: str
    warning: bool = False

    @classmethod
    def of(cls, error: ParameterFileError) -> Problem:
        return cls(error.path, error.line or 0, error.reason, isinstance(error, UnreadInputNotice))

    def __str__(self) -> str:
        told = f"warning: {self.message}" if self.warning else self.message
        return f"{self.path}:{self.line}: {told}" if self.line else f"{self.path}: {told}"


def jurisdiction_root(path: Path) -> Path | None:
    """The jurisdiction's parameter folder ``path`` is in (or is), if any."""
    for folder in (path, *path.parents) if path.is_dir() else path.parents:
        index = folder / "index.yaml"
        if index.is_file():
            try:
                if jurisdictions.read_jurisdiction(folder) is not None:
                    return folder
            except ParameterFileError:
                return folder  # a jurisdiction whose index is wrong: the tree check says what
    return None


def _yaml_files(path: Path) -> Iterator[Path]:
    if path.is_file():
        yield path
        return
    for found in sorted(path.rglob("*")):
        hidden = any(part.startswith((".", "_")) for part in found.relative_to(path).parts)
        if found.suffix in YAML_SUFFIXES and found.is_file() and not hidden:
            yield found


def _jurisdiction_of_case(path: Path) -> str:
    """The jurisdiction a law or claim case runs under: the folder of ``tests/rules/<code>/`` (``tests/claims/<code>/``)
    it is in, else the default."""
    known = jurisdictions.registry()
    for folder in path.parents:
        if folder.name in known:
            return folder.name
    return jurisdictions.default_code()


def _file_problems(path: Path, warnings: bool, known: KnownReads | None = None) -> list[ParameterFileError]:
    """The problems of a file outside any parameter tree: a reform or law cases, told apart by their shape (with
    ``warnings``, those of its passing law cases too; given ``known``, what its law cases read is added to it)."""
    try:
        data = read_yaml(path)
    except ParameterFileError as problem:
        return [problem]
    if isinstance(data, dict) and ("parameters" in data or "jurisdiction" in data):
        return _parametric_reform_problems(path)
    misfiled = _misfiled_case(path) if isinstance(data, (list, dict)) else None
    if misfiled is not None:
        return [misfiled]
    if is_claim_file(path, data):
        system, problems = _rules(path, _jurisdiction_of_case(path), "its claim cases are")
        return problems if system is None else claim_file_problems(path, data, system)
    if isinstance(data, list) or (isinstance(data, dict) and ("output" in data or "period" in data)):
        jurisdiction = _jurisdiction_of_case(path)
        return law_case_problems(path, data, jurisdiction) or file_failures(path, jurisdiction, warnings, known)
    if path.name == LEGACY_SOURCES_FILE:
        return []  # a registry of sources in the layout before 0.10.2: read with its jurisdiction's tree
    if (path.parent.parent / f"{path.parent.name}.py").is_file():
        return _structural_reform_problems(path)
    return [
        ParameterFileError(
            path, None, "not a parameter file, a reform or law cases: put parameters under a jurisdiction's folder"
        )
    ]


def _misfiled_case(path: Path) -> ParameterFileError | None:
    """Why a file in ``tests/rules/<name>/`` or ``tests/claims/<name>/`` whose ``<name>`` is no jurisdiction
    (``laos``) is refused: its cases would run on the default's rules, not those of the jurisdiction meant."""
    known = sorted(jurisdictions.registry())
    for folder in path.parents:
        if folder.parent.name in ("rules", "claims") and folder.parent.parent.name == "tests":
            if folder.name in known:
                return None
            closest = closest_name(folder.name, known)
            return ParameterFileError(
                path,
                None,
                f"'{folder.name}' is no jurisdiction: the cases of tests/{folder.parent.name}/ go in the folder of "
                f"the jurisdiction whose rules they run on ({', '.join(known)})"
                + (f"; did you mean '{closest}'?" if closest else ""),
            )
    return None


def _outside_problems(path: Path, warnings: bool, known: KnownReads | None) -> list[ParameterFileError]:
    """:func:`_file_problems`, or (where a jurisdiction's ``index.yaml``, which every reform and case needs to
    be told apart, does not read) that problem and that ``path`` is not checked."""
    try:
        return _file_problems(path, warnings, known)
    except ParameterFileError as error:
        where = f"{shown_path(error.path)}:{error.line}" if error.line else shown_path(error.path)
        return [RulesNotLoadedError(error), ParameterFileError(path, None, f"not checked: {where} does not read")]


def _parametric_reform_problems(path: Path) -> list[ParameterFileError]:
    """A parametric reform's problems, as ``compare`` would meet them: its form, then each path and value
    against the rules of its jurisdiction."""
    try:
        reform = read_parametric_reform(path)
    except ParameterFileError as problem:
        if Path(problem.path).resolve() != path.resolve():  # the registry it reads does not: told once, apart
            raise
        return [problem]
    system, problems = _rules(path, reform.jurisdiction, "its reform is")
    if system is None:
        return problems
    try:
        check_against(reform, system)
    except ParameterFileError as problem:
        return [problem]
    return []


def _rules(path: Path, code: str, what: str) -> tuple[Any, list[ParameterFileError]]:
    """The rules of ``code``, or (when they do not load) the loader's problem and that ``what`` of ``path`` is
    not checked."""
    from openfisca_sp.rules.system import tax_benefit_system

    try:
        return tax_benefit_system(code), []
    except ParameterFileError as error:
        return None, not_loaded(path, code, error, what)


def _structural_reform_problems(path: Path) -> list[ParameterFileError]:
    """A file of a Python reform's own parameters (``reforms/<reform>/<jurisdiction>.yaml``), checked by
    building the reform for that jurisdiction."""
    from openfisca_sp.reforms import shipped_reforms

    entry = shipped_reforms().get(path.parent.name)
    if entry is None or path.stem not in jurisdictions.registry():
        return [ParameterFileError(path, None, "not the parameters of a shipped reform for a known jurisdiction")]
    system, problems = _rules(path, path.stem, "its reform is")
    if system is None:
        return problems
    try:
        entry.build(system)
    except ParameterFileError as problem:
        return [problem]
    return []


def check(paths: Iterable[Path | str]) -> list[Problem]:
    """Every problem of the files and folders ``paths``, sorted by file and line (:func:`check_all` without its
    warnings, which are not looked for: the law cases are computed without tracing what they read)."""
    return check_all(paths, warnings=False)


def check_all(paths: Iterable[Path | str], warnings: bool = True, known: KnownReads | None = None) -> list[Problem]:
    """Every problem and (with ``warnings``) warning of the files and folders ``paths``, sorted by file and line;
    given ``known``, what each law case run reads is added to it (for the legal index, so that it runs none again).

    A file inside a jurisdiction's parameters is checked with its whole tree
    (names are checked against the tree), and only its own problems are given.
    """
    problems: set[Problem] = set()
    loading: set[Problem] = set()  # what stops the rules a law case or reform needs from loading
    trees: dict[Path, list[Problem]] = {}
    for given in map(Path, paths):
        if not given.exists():
            problems.add(Problem(str(given), 0, "no such file or folder"))
            continue
        for path in _yaml_files(given):
            root = jurisdiction_root(path)
            if root is None:
                for error in _outside_problems(path, warnings, known):
                    (loading if isinstance(error, RulesNotLoadedError) else problems).add(Problem.of(error))
                continue
            if root not in trees:
                trees[root] = [Problem.of(error) for error in parameter_tree_problems(root)]
            problems.update(found for found in trees[root] if _within(Path(found.path), given))
    reported = {(Path(problem.path).resolve(), problem.line) for problem in problems}
    problems.update(
        Problem(shown_path(problem.path), problem.line, problem.message)
        for problem in loading
        if (Path(problem.path).resolve(), problem.line) not in reported  # not already found by the tree's check
    )
    once: dict[tuple[Path, int, str], Problem] = {}  # one problem met by several trees, as written from each
    for problem in sorted(problems, key=lambda problem: len(problem.path)):
        once.setdefault((Path(problem.path).resolve(), problem.line, problem.message), problem)
    return sorted(once.values())


def _within(path: Path, given: Path) -> bool:
    """Whether ``path`` is the file ``given`` or inside the folder ``given``."""
    path, given = path.resolve(), given.resolve()
    return path == given or given in path.parents
