"""What a population run computes per person and branch: the branches a system decides, and their results."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from openfisca_sp.decisions.missing_facts import beyond_the_law, not_modelled
from openfisca_sp.rules.branches import Branch, decided_branches


def branches_of(system: Any) -> tuple[Branch, ...]:
    """The branches a system decides (:func:`~openfisca_sp.rules.branches.decided_branches`)."""
    return decided_branches(system)


def with_first_days(branches: Iterable[Branch], names: Sequence[str]) -> list[str]:
    """``names``, and the first day each branch whose eligibility they include pays from (``Branch.first_day``:
    the month of a decision or of a certificate, whose dates a claim reads, as ``/eligibility`` does)."""
    paid_from = [
        name
        for branch in branches
        if branch.first_day is not None and branch.eligible in names
        for name in (branch.first_day.variable, branch.first_day.read)
    ]
    return [*names, *paid_from]


def branch_outputs(branch: Branch) -> tuple[str, ...]:
    """The per-person result columns of a branch: eligibility, reason, amounts, duration, provisional,
    whether each amount is modelled, and who each lump sum that may be not modelled is owed to."""
    names = [branch.eligible, branch.reason, *branch.amount_variables, branch.provisional]
    names += [f"{branch.benefit}_duration_unit", *modelled_flags(branch).values(), *owed_flags(branch).values()]
    names += list(owed_unknown_flags(branch).values())
    return tuple(dict.fromkeys(names))


def _lump_sums_maybe_not_modelled(branch: Branch) -> list[str]:
    """The lump sums whose rules may be not modelled: every one (each has a ``<name>_modelled`` variable; the birth
    grant's is false where a name it reads stands at a null NOT FOUND: :mod:`~openfisca_sp.rules.null_values`)."""
    return list(branch.lump_sums)


def _provision_maybe_unknown(branch: Branch) -> list[str]:
    """The lump sums of which whether the law provides one may be unknown (``old_age.lump_sum.provided``)."""
    return [name for name in branch.lump_sums if name.endswith("lump_sum")]


def owed_flags(branch: Branch) -> dict[str, str]:
    """Each lump sum that may be not modelled, with the column saying who it is owed to (``<name>_entitled``: the
    old-age lump sum is owed to those refused the pension), where it is told as 0 or not told at all."""
    return {name: f"{name}_entitled" for name in _lump_sums_maybe_not_modelled(branch)}


def owed_unknown_flags(branch: Branch) -> dict[str, str]:
    """Each lump sum that may be not modelled, with the column saying for whom whether it is owed is not known
    (``<name>_owed_unknown``: no source says whether the law in force provides it)."""
    return {name: f"{name}_owed_unknown" for name in _provision_maybe_unknown(branch)}


def modelled_flags(branch: Branch) -> dict[str, str]:
    """Each result that may be not modelled, with the column saying whether it is."""
    flags = {name: f"{name}_modelled" for name in _lump_sums_maybe_not_modelled(branch)}
    if branch.amount_modelled:
        flags[branch.benefit] = branch.amount_modelled
    if branch.waiting_days_modelled:
        flags[branch.waiting_days] = branch.waiting_days_modelled
    return flags


def outputs_of(system: Any, branches: Sequence[Branch] | None = None) -> tuple[str, ...]:
    """Every result column of ``system``'s branches."""
    return tuple(name for branch in (branches or branches_of(system)) for name in branch_outputs(branch))


def lump_sum_unknown(columns: Mapping[str, np.ndarray], branch: Branch, name: str) -> np.ndarray:
    """Where the lump sum ``name`` cannot be told, as :func:`~openfisca_sp.decisions.decide_claims` tells it: the
    decision is not modelled, or the lump sum's rules are not and it is not 0 (owed, or the decision beyond the
    law): the old-age lump sum of a person refused the pension where its formula was not found, or where
    whether the law provides one was not found, is none; a pensioner's is 0."""
    reason = columns[branch.reason]
    unknown = not_modelled(reason)
    flag = modelled_flags(branch).get(name)
    if flag is not None and flag in columns:
        told_zero = ~columns[owed_flags(branch)[name]].astype(bool) & ~beyond_the_law(reason)
        untold = owed_unknown_flags(branch).get(name)
        if untold in columns:
            told_zero &= ~columns[untold].astype(bool)
        unknown = unknown | (~told_zero & ~columns[flag].astype(bool))
    return unknown
