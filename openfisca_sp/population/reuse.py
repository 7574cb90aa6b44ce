"""A reform's branches that can only repeat the baseline's: their results taken from the baseline's, not
computed again.

A comparison computes the baseline first, recording what each branch's computation ran and read
(:mod:`openfisca_sp.rules.recording`), on the very persons compared. A branch of the reform repeats the
baseline's exactly when, on the same persons, it runs the same code on the same values: each variable its
computation ran is the same variable object in both systems (a reform that updates or adds one changes it),
and each top-level parameter node it reached holds the same values, dates and metadata in both. The formulas
are then the same functions of the same inputs, so they call the same variables and reach the same nodes, and
give the same results. Anything else, or a branch whose computation reached the whole tree, is computed for
the reform as before. Both systems must also round and date as the same jurisdiction.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

import numpy as np
from openfisca_core.parameters import Parameter, ParameterScale

from openfisca_sp.population.claims import compute_claims, schedule_columns
from openfisca_sp.population.inputs import PopulationInputs
from openfisca_sp.population.outputs import branch_outputs, branches_of
from openfisca_sp.rules.branches import Branch
from openfisca_sp.rules.recording import EVERYTHING, Reads


def _plain(node: Any) -> Any:
    """A parameter node as plain data: every value with its date and metadata."""
    if isinstance(node, ParameterScale):
        return {"scale": [_plain(bracket) for bracket in node.brackets], "metadata": node.metadata}
    if isinstance(node, Parameter):
        values = [[at.instant_str, at.value, at.metadata] for at in node.values_list]
        return {"values": values, "metadata": node.metadata}
    return {"node": {key: _plain(child) for key, child in node.children.items()}, "metadata": node.metadata}


@lru_cache(maxsize=64)
def _fingerprints(system: Any) -> dict[str, str]:
    """Each top-level parameter node of ``system``, as text (equal texts: equal nodes at every date)."""
    return {
        key: json.dumps(_plain(child), sort_keys=True, default=repr)
        for key, child in system.parameters.children.items()
    }


def changed_keys(baseline: Any, reform: Any) -> frozenset[str]:
    """The top-level parameter nodes that differ between the two systems (or that only one has)."""
    before, after = _fingerprints(baseline), _fingerprints(reform)
    return frozenset(key for key in {*before, *after} if before.get(key) != after.get(key))


def changed_variables(baseline: Any, reform: Any) -> frozenset[str]:
    """The variables that are not the same object in both systems (updated, added, neutralised, removed)."""
    names = {*baseline.variables, *reform.variables}
    return frozenset(name for name in names if baseline.variables.get(name) is not reform.variables.get(name))


def reusable_branches(baseline: Any, reform: Any, reads: Reads, outputs: Sequence[str]) -> list[Branch]:
    """The reform's branches whose results for ``outputs`` are the baseline's, by what the baseline's
    computation recorded in ``reads`` (see the module)."""
    if getattr(baseline, "jurisdiction", None) != getattr(reform, "jurisdiction", None):
        return []
    keys = changed_keys(baseline, reform) | {EVERYTHING}
    variables = changed_variables(baseline, reform)
    theirs = {branch.code: branch for branch in branches_of(baseline)}
    found = []
    for branch in branches_of(reform):
        if theirs.get(branch.code) is not branch or not any(name in outputs for name in branch_outputs(branch)):
            continue
        ran, reached = reads.closure(branch.code)
        if ran and not ran & variables and not reached & keys:
            found.append(branch)
    return found


def wanted_values(baseline: Any, reform: Any, reads: Reads, branches: Sequence[Branch]) -> set[str]:
    """The variables whose values of the baseline's month pass the reform's computation of ``branches`` (and of
    outputs of no branch) can only repeat: those it ran whose computation, as the baseline recorded it, ran no
    variable the reform changes and reached no parameter node it changes (the module's judgement, variable by
    variable). A reform that recomputes the disability branch, as its social pension changes, still reads the
    baseline's disability, contributions and wages."""
    if getattr(baseline, "jurisdiction", None) != getattr(reform, "jurisdiction", None):
        return set()
    ran = set(reads.closure(None)[0])  # outputs of no branch
    for branch in branches:
        ran |= reads.closure(branch.code)[0]
    return ran & reads.repeatable(changed_variables(baseline, reform), changed_keys(baseline, reform) | {EVERYTHING})


def kept_for(baseline: Any, others: Sequence[tuple[Any, Sequence[str]]]) -> Callable[[Reads], set[str]]:
    """What the baseline's month pass keeps of its values (``Reads.keeps``) for the ``others`` (each a system
    and its outputs): the values each may be given, as the record stands at the pass's end (a record that
    grows only takes variables away)."""

    def kept(reads: Reads) -> set[str]:
        found: set[str] = set()
        for system, outputs in others:
            reused = reusable_branches(baseline, system, reads, outputs)
            found |= wanted_values(baseline, system, reads, [b for b in branches_of(system) if b not in reused])
        return found

    return kept


def compute_reusing(
    system: Any,
    population: PopulationInputs,
    month: str,
    outputs: Sequence[str],
    baseline: tuple[Any, dict[str, np.ndarray], Reads],
    claims_on_events: bool = True,
) -> dict[str, np.ndarray]:
    """``outputs`` of ``system`` (as :func:`~openfisca_sp.population.claims.compute_claims` gives them), the
    branches that can only repeat the baseline's taken from the baseline's results (the same arrays), the others
    computed from the values of the baseline's month pass they can only repeat (:func:`wanted_values`)."""
    base_system, base_results, reads = baseline
    reused = [
        branch
        for branch in reusable_branches(base_system, system, reads, outputs)
        if all(name in base_results for name in branch_outputs(branch) if name in outputs)
    ]
    results: dict[str, np.ndarray] = {}
    for branch in reused:
        wanted = [name for name in branch_outputs(branch) if name in outputs]
        results.update({name: base_results[name] for name in [*wanted, *schedule_columns(branch)]})
    rest = [branch for branch in branches_of(system) if branch not in reused]
    names = [name for name in outputs if name not in results]
    if names:
        wanted = wanted_values(base_system, system, reads, rest)
        seeded = {key: values for key, values in reads.values.items() if key[0] in wanted}
        results.update(compute_claims(system, population, month, names, rest, None, claims_on_events, seeded))
    return results
