"""A law diff put together: two revisions (or two dates) of a jurisdiction's rules, what changes and what it does.

:func:`diff_revisions` materialises ``parameters/<jurisdiction>`` of two git revisions, lists the values,
references and statuses that differ, the law cases of the current ``tests/rules/<jurisdiction>`` whose
outcome differs, and (given a population) the persons decided differently. :func:`diff_dates` lists what
differs between the values in force at two dates under one revision.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openfisca_sp.drafting.law_diff import (
    WORKTREE,
    LawDiffError,
    ValueChange,
    in_force_changes,
    materialised,
    resolve,
    tree_index,
)
from openfisca_sp.drafting.law_diff import value_changes as tree_changes
from openfisca_sp.drafting.law_diff_outcomes import (
    BranchShift,
    CaseFailure,
    OutcomeChange,
    counted,
    law_case_changes,
    population_shifts,
    rules_system,
)
from openfisca_sp.population.engine import jurisdiction_for
from openfisca_sp.rules import jurisdictions
from openfisca_sp.rules.parameter_loader import parameter_tree_problems
from openfisca_sp.rules.paths import PARAMETERS_DIR
from openfisca_sp.rules.version import package_version
from openfisca_sp.rules.wording import counted as counted_nouns
from openfisca_sp.rules.yaml_files import ParameterFileError

VARIABLES_NOTE = (
    "both sides are computed with the current variables (formulas); only the parameters differ between them"
)


@dataclass
class SampleShift:
    """A population decided under both sides: how many persons, and each branch's shift."""

    source: str
    month: str
    persons: int
    branches: list[BranchShift]
    assumptions: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            **{key: value for key, value in dataclasses.asdict(self).items() if key != "branches"},
            "branches": [shift.to_dict() for shift in self.branches],
            "counted": counted(self.month),
        }


@dataclass
class LawDiff:
    """What differs between two versions (or two dates) of a jurisdiction's rules, and what that does."""

    jurisdiction: str
    old: str  # a revision, or a date
    new: str
    kind: str  # "revisions" or "dates"
    values: list[ValueChange]
    cases: int | None = None  # the law cases computed (None: not computed)
    case_changes: list[OutcomeChange] = field(default_factory=list)
    sample: SampleShift | None = None
    notes: list[str] = field(default_factory=list)
    case_failures: list[CaseFailure] = field(default_factory=list)  # neither changed nor unchanged
    failed_checks: list[FailedCheck] = field(default_factory=list)  # of a side loaded without the newer checks

    def to_dict(self) -> dict[str, Any]:
        return {
            "jurisdiction": self.jurisdiction,
            "kind": self.kind,
            "old": self.old,
            "new": self.new,
            "values": [change.to_dict() for change in self.values],
            "law_cases": None
            if self.cases is None
            else {
                "computed": self.cases - len({(item.file, item.case) for item in self.case_failures if item.case}),
                "changes": [change.to_dict() for change in self.case_changes],
                "failing": [failure.to_dict() for failure in self.case_failures],
            },
            "sample": self.sample.to_dict() if self.sample else None,
            "failed_checks": [dataclasses.asdict(failed) for failed in self.failed_checks],
            "notes": self.notes,
        }

    def checked(self, side: str, label: str, tree: Path, folder: str) -> None:
        """Add what the rules of ``side`` (``old``, ``new``; ``rules`` of a diff of dates) at ``label``, copied to
        ``tree``, fail of this version's checks, and a note saying so (:func:`failed_checks`)."""
        found = failed_checks(side, label, tree, folder)
        self.failed_checks += found
        if found:
            self.notes.append(
                f"the rules at {label} fail this version's checks in {counted_nouns(len(found), 'place')} (the first: "
                f"{found[0].where}: {found[0].problem}): they are diffed all the same, loaded as a tree written "
                "before a check is (without the names a branch reads, each reference's link, a verified value not "
                "dated before the text it was read in); openfisca-sp check refuses them"
            )


@dataclass(frozen=True)
class FailedCheck:
    """A check of this version that the rules of one side fail, though the diff loads them: the side (``old``,
    ``new``, or ``rules`` of a diff of dates), its revision, and the problem at its file (from the checkout's root)
    and line."""

    side: str
    revision: str
    file: str
    line: int | None
    problem: str

    @property
    def where(self) -> str:
        """``revision:file:line`` as the diff names a place of a revision (the file alone in the working tree)."""
        at = f"{self.file}:{self.line}" if self.line else self.file
        return at if self.revision.startswith(WORKTREE) else f"{self.revision.split()[0]}:{at}"


def failed_checks(side: str, label: str, tree: Path, folder: str) -> list[FailedCheck]:
    """Every problem this version's checks find in ``folder`` of the copy ``tree`` of the revision ``label``: a
    revision written before a check loads in the diff without it (:func:`~.law_diff.tree_index`), and is said to
    fail it."""
    found = []
    for problem in parameter_tree_problems(tree / folder):
        try:
            file = str(Path(problem.path).resolve().relative_to(tree.resolve()))
        except ValueError:
            file = str(problem.path)
        reason = problem.reason.replace(f"{tree}/", "").replace(f"{tree.resolve()}/", "")  # a temporary copy's
        found.append(FailedCheck(side, label, file, problem.line, reason))
    return found


@contextmanager
def _named(tree: Path, revision: str) -> Iterator[None]:
    """A tree that does not load names its file as ``revision:path``, not as the temporary copy's path."""
    try:
        yield
    except ParameterFileError as error:
        where = "" if revision == WORKTREE else f"{revision}:"
        message = str(error).replace(f"{tree}/", where)
        raise LawDiffError(f"the rules at {revision} do not load under this version's checks: {message}") from error


def _label(root: Path, revision: str) -> str:
    commit = resolve(root, revision)
    return revision if commit == WORKTREE else f"{revision} ({commit[:12]})"


def diff_revisions(
    jurisdiction: str,
    old: str,
    new: str,
    root: Path,
    *,
    cases: bool = True,
    population: Any = None,
    month: str | None = None,
    assume: dict[str, Any] | None = None,
) -> LawDiff:
    """The diff of ``parameters/<jurisdiction>`` between revisions ``old`` and ``new`` of the checkout at
    ``root`` (``WORKTREE``: the files as they are), with the law cases and ``population`` computed on both."""
    code = jurisdictions.get(jurisdiction).code
    if population is not None:  # a sample (or a synthesized table) of another jurisdiction: refused at once
        jurisdiction_for(population, code, "the diff")
    folder = f"parameters/{code}"
    labels = (_label(root, old), _label(root, new))
    with materialised(root, old, folder) as old_root, materialised(root, new, folder) as new_root:
        with _named(old_root, old):
            old_index = tree_index(old_root / folder)
        with _named(new_root, new):
            new_index = tree_index(new_root / folder)
        values = tree_changes(old_index, new_index, old_root, new_root)
        result = LawDiff(code, *labels, "revisions", values, notes=[VARIABLES_NOTE])
        result.checked("old", labels[0], old_root, folder)
        result.checked("new", labels[1], new_root, folder)
        if not cases and population is None:
            return result
        with _named(old_root, old):
            old_system = rules_system(code, old_root / folder)
        with _named(new_root, new):
            new_system = rules_system(code, new_root / folder)
        tests = root / "tests" / "rules" / code
        if cases and tests.is_dir():
            result.cases, result.case_changes, result.case_failures = law_case_changes(
                tests, old_system, new_system, root
            )
            result.notes.append(f"law cases: those of {tests.relative_to(root)} as they are now, under both sides")
        if population is not None:
            if month is None:
                raise ValueError("a month (YYYY-MM) is needed to decide a population")
            persons, shifts, assumptions = population_shifts(population, month, old_system, new_system, assume)
            result.sample = SampleShift(str(population), month, persons, shifts, assumptions)
            later = later_changes(values, month)
            if later:
                result.notes.append(later)
    return result


def later_changes(values: list[Any], month: str) -> str | None:
    """A note where every value that changes starts after ``month``, so that no decision in it can differ (a
    drafter's 2027 amendment decided on a sample of 2026-10 showed no change, and nothing said why)."""
    starts = sorted(change.start for change in values)
    if not starts or starts[0] < f"{month}-32":  # a change in force by the end of the month: decisions may differ
        return None
    return (
        f"every value that changes starts after {month} (the first on {starts[0]}): no decision of the sample in "
        f"{month} can differ; decide it in {starts[0][:7]} with --month (a table stating that month's facts, "
        "or --assume for those it lacks)"
    )


def diff_dates(
    jurisdiction: str, first: str, second: str, root: Path | None = None, revision: str = WORKTREE
) -> LawDiff:
    """What differs between the values of ``parameters/<jurisdiction>`` in force at ``first`` and ``second``
    (YYYY-MM-DD) at ``revision`` of the checkout at ``root``; without ``root``, in the rules installed with this
    package (no checkout needed: what an analyst or a delivery system runs)."""
    code = jurisdictions.get(jurisdiction).code
    folder = f"parameters/{code}"
    if root is None:
        root, label = PARAMETERS_DIR.parent, f"the rules installed with openfisca-sp {package_version()}"
    else:
        label = _label(root, revision)
    with materialised(root, revision, folder) as tree:
        with _named(tree, revision):
            values = in_force_changes(tree_index(tree / folder), first, second, tree)
        result = LawDiff(code, first, second, "dates", values, notes=[f"rules: {label}"])
        result.checked("rules", label, tree, folder)
    return result
