"""What a change of law does: the law cases whose outcome changes, and the persons of a population who change.

Both versions of the rules are built on the *current* variables (formulas), each with its own parameter
tree (:func:`rules_system`): a diff of revisions shows what the parameters change, not what a change of
formulas would. Law cases are computed as openfisca-core's test runner computes them (same situation,
period and reforms) and compared output by output, whatever they expect. A population is decided under
both versions in one pass (:func:`~openfisca_sp.population.chunks.run_chunks`, as a comparison of a reform
with its baseline is), and the persons whose eligibility or amounts as decided change are counted per branch
(:mod:`~openfisca_sp.drafting.decided_amounts`), with the change of what is payable in the month.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from openfisca_sp.analysis.aggregates import BranchAmounts, branch_amounts
from openfisca_sp.drafting.decided_amounts import DecidedAmounts, amount_changes, decided_amounts
from openfisca_sp.drafting.law_cases import LawCase, case_checks, case_problem, cases_in, plain_value
from openfisca_sp.drafting.law_diff import lenient_tree, plain
from openfisca_sp.population.chunks import run_chunks
from openfisca_sp.population.engine import read_population
from openfisca_sp.population.outputs import branches_of, outputs_of
from openfisca_sp.rules import jurisdictions
from openfisca_sp.rules.law_case_on_date import law_case_simulation
from openfisca_sp.rules.own_reforms import own_reform
from openfisca_sp.rules.system import SocialProtectionSystem
from openfisca_sp.rules.yaml_files import ParameterFileError


def rules_system(jurisdiction: str, parameters_dir: Path | str) -> SocialProtectionSystem:
    """The rules of ``jurisdiction`` with the parameter tree at ``parameters_dir`` and the current variables (a tree
    that fails a check the rules ask, written before it, as far as it loads: :func:`~.law_diff.lenient_tree`)."""
    rules = dataclasses.replace(jurisdictions.get(jurisdiction), parameters_dir=Path(parameters_dir))
    try:  # linked_references=False: a revision written before each reference had to give its link
        return SocialProtectionSystem(rules, linked_references=False)
    except ParameterFileError:
        return SocialProtectionSystem(rules, parameters=lenient_tree(parameters_dir))


@dataclass(frozen=True)
class OutcomeChange:
    """One output of one law case computed differently under the old and the new rules."""

    file: str
    case: str
    output: str  # variable@period, or entity_id.variable@period
    old: Any
    new: Any
    expected: Any

    def to_dict(self) -> dict[str, Any]:
        return {key: plain(value) for key, value in dataclasses.asdict(self).items()}


@dataclass(frozen=True)
class CaseFailure:
    """A law case that could not be computed under the old rules, the new ones or both, and why: it is neither
    changed nor unchanged. ``case`` is None for a file whose cases could not be read at all."""

    file: str
    line: int | None
    case: str | None
    sides: str  # "old", "new" or "both"
    cause: str

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def case_outcomes(case: LawCase, system: Any) -> tuple[dict[str, tuple[Any, Any]], Exception | None]:
    """Each output of ``case`` under ``system`` computed (value, expected value), and the error that stopped
    the case or one of its outputs (None if every output was computed)."""
    try:
        simulation = law_case_simulation(system, case.period, case.input)
        checks = list(case_checks(case, simulation))
    except Exception as error:  # a case the rules cannot build is a failure to report, not a crash
        return {}, error
    found, failed = {}, None
    for check in checks:
        try:
            computed = plain_value(simulation.calculate(check.variable, check.period), check.index)
            found[f"{check.label}@{check.period}"] = (computed, check.expected)
        except Exception as error:  # e.g. a parameter the old rules do not have
            failed = failed or error
    return found, failed


def _with_reforms(system: Any, reforms: Sequence[str], built: dict[tuple[int, tuple[str, ...]], Any]) -> Any:
    key = (id(system), tuple(reforms))
    if key not in built:
        reformed = system
        for name in reforms:  # openfisca-sp's own only: a case file never makes diff import other code
            reformed = own_reform(name)(reformed)
        built[key] = reformed
    return built[key]


def _outcomes(case: LawCase, system: Any, built: dict) -> tuple[dict[str, tuple[Any, Any]], Exception | None]:
    try:
        return case_outcomes(case, _with_reforms(system, case.reforms, built))
    except Exception as error:  # a reform a case names that cannot be built
        return {}, error


def _failures(case: LawCase, file: str, errors: Mapping[str, Exception | None], jurisdiction: str) -> list[CaseFailure]:
    """The failure of ``case`` on each side it failed on (one row when both fail alike), told as ``check`` tells
    a case's problem where it finds one (:func:`~openfisca_sp.drafting.law_cases.case_problem`)."""
    causes = {side: case_problem(case, jurisdiction, error) for side, error in errors.items() if error is not None}
    told = {side: problem.reason for side, problem in causes.items()}
    if len(told) == 2 and told["old"] == told["new"]:
        causes = {"both": causes["new"]}
    return [
        CaseFailure(
            file, problem.line if Path(problem.path) == case.file else case.line, case.name, side, problem.reason
        )
        for side, problem in causes.items()
    ]


def law_case_changes(
    folder: Path, old: Any, new: Any, root: Path | None = None
) -> tuple[int, list[OutcomeChange], list[CaseFailure]]:
    """How many cases ``folder`` holds, each output computed differently under ``old`` and ``new``, and each
    case (or file of cases) that could not be read or computed on one side or both."""
    built: dict[tuple[int, tuple[str, ...]], Any] = {}
    count, found, failing = 0, [], []
    unreadable: list[ParameterFileError] = []

    def named(path: Path) -> str:
        return str(path.relative_to(root)) if root is not None and path.is_relative_to(root) else str(path)

    for case in cases_in(folder, unreadable):
        count += 1
        (before, old_error), (after, new_error) = _outcomes(case, old, built), _outcomes(case, new, built)
        file = named(case.file)
        if old_error is not None or new_error is not None:
            failing += _failures(case, file, {"old": old_error, "new": new_error}, new.jurisdiction.code)
            continue
        for label in dict.fromkeys([*before, *after]):
            old_value, expected = before.get(label, (None, None))
            new_value, expected = after.get(label, (None, expected))
            if old_value != new_value:
                found.append(OutcomeChange(file, case.name, label, old_value, new_value, expected))
    failing += [CaseFailure(named(Path(error.path)), error.line, None, "both", error.reason) for error in unreadable]
    return count, found, failing


@dataclass(frozen=True)
class BranchShift:
    """Who a branch decides differently under the new rules: eligibility gained or lost, amounts as decided
    changed (the benefit's amount, monthly for a periodical benefit, or a lump sum), and the change of what is
    payable in the month. A count or sum that cannot be told on either side is None ("not modelled"), never 0."""

    branch: str
    label: str
    gained: int | None  # persons granted the benefit under the new rules only; None: whom it grants not modelled
    lost: int | None  # persons granted it under the old rules only
    amount_changed: int | None  # persons whose amounts as decided differ; None: an amount has no formula
    increased: int | None  # some amount rises, none falls
    decreased: int | None  # some amount falls, none rises
    gained_weighted: float | None
    lost_weighted: float | None
    changed_weighted: float | None
    total_change: float | None  # weighted change of the amounts payable in the month (float64); None: not modelled
    mean_change: float | None  # per person whose payment in the month changes (weighted)
    paid_changed_weighted: float | None = None  # weighted persons whose payment in the month changes
    untold: int = 0  # persons left out of the counts told: their decision or an amount cannot be told on a side

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def counted(month: str) -> str:
    """What a sample's counts and sums are (:class:`BranchShift`), said with them."""
    return (
        "gained, lost: persons granted the benefit under the new rules only, the old only; changed, up, down: "
        "persons whose amounts as decided on their claim's date differ (the benefit's amount, monthly for a "
        "periodical benefit, or a lump sum; up: some rises, none falls); total and mean change: of the amounts "
        f"payable in {month}, weighted, the mean per person whose payment in it changes; not modelled: the rules "
        "cannot tell it on one side or both"
    )


def _count(mask: np.ndarray, weights: np.ndarray, told: bool) -> tuple[int | None, float | None]:
    """Persons and weighted persons of ``mask``; None where the count cannot be told."""
    return (int(mask.sum()), float(weights[mask].sum(dtype=np.float64))) if told else (None, None)


def branch_shift(
    code: str,
    label: str,
    decided: Mapping[str, DecidedAmounts],
    paid: Mapping[str, BranchAmounts],
    weights: np.ndarray,
) -> BranchShift:
    """The shift of one branch from its old and new amounts as decided (``decided``) and payable in the month
    (``paid``); a count is told where both sides' rules have a source (or lack the branch) and, for amounts,
    a formula for every amount granted and lump sum owed; the month's change where its cost is modelled on both
    sides (as ``compare``'s row says)."""
    old, new = decided["old"], decided["new"]
    changes = amount_changes(old, new)
    decided_both = ~(old.undecided | new.undecided)  # a decision not modelled on a side is neither gained nor lost
    weights = weights.astype(np.float64)
    counted = old.counted and new.counted
    gained, gained_weight = _count(new.granted & ~old.granted & decided_both, weights, counted)
    lost, lost_weight = _count(old.granted & ~new.granted & decided_both, weights, counted)
    modelled = counted and old.modelled and new.modelled
    left_out = changes.untold if modelled else ~decided_both if counted else np.zeros(len(weights), dtype=bool)
    changed, changed_weight = _count(changes.changed, weights, modelled)
    month = paid["new"].amounts.astype(np.float64) - paid["old"].amounts.astype(np.float64)
    priced = paid["old"].cost_modelled and paid["new"].cost_modelled
    total = float(np.dot(weights, month)) if priced else None
    paid_changed = float(weights[month != 0].sum(dtype=np.float64)) if priced else None
    return BranchShift(
        branch=code,
        label=label,
        gained=gained,
        lost=lost,
        amount_changed=changed,
        increased=_count(changes.up, weights, modelled)[0],
        decreased=_count(changes.down, weights, modelled)[0],
        gained_weighted=gained_weight,
        lost_weighted=lost_weight,
        changed_weighted=changed_weight,
        total_change=total,
        mean_change=total / paid_changed if total is not None and paid_changed else None,
        paid_changed_weighted=paid_changed,
        untold=int(left_out.sum()),
    )


def population_shifts(
    population: Any, month: str, old: Any, new: Any, assume: Mapping[str, Any] | None = None
) -> tuple[int, list[BranchShift], list[str]]:
    """Decide every branch for every person of ``population`` in ``month`` under ``old`` and ``new``: the
    persons read, each branch's shift, and the assumptions made about missing columns."""
    systems = [old, new]
    branches = [branches_of(system) for system in systems]
    outputs = [outputs_of(system, names) for system, names in zip(systems, branches, strict=True)]
    inputs, _ = read_population(population, systems, month, outputs, assume)
    results = run_chunks(systems, inputs, month, outputs)
    by_code = [{branch.code: branch for branch in names} for names in branches]
    shifts = []
    decimals = [system.jurisdiction.amount_decimals for system in systems]  # as each side's payments are rounded
    for code in dict.fromkeys([*by_code[0], *by_code[1]]):
        sides = list(zip(("old", "new"), results, by_code, decimals, strict=True))
        paid = {
            side: branch_amounts(result, codes.get(code), inputs.count, month, places)
            for side, result, codes, places in sides
        }
        decided = {side: decided_amounts(result, codes.get(code), inputs.count) for side, result, codes, _ in sides}
        branch = by_code[1].get(code) or by_code[0][code]
        shifts.append(branch_shift(code, branch.label, decided, paid, inputs.weights))
    return inputs.count, shifts, list(inputs.assumptions)
