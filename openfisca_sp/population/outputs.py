"""What a population run computes per person and branch: the branches a system decides, and their results."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openfisca_sp.rules.branches import BRANCHES, Branch


def branches_of(system: Any) -> tuple[Branch, ...]:
    """The branches a system decides: the four of every jurisdiction, and those a reform adds."""
    return (*BRANCHES.values(), *getattr(system, "extra_branches", ()))


def branch_outputs(branch: Branch) -> tuple[str, ...]:
    """The per-person result columns of a branch: eligibility, reason, amounts, duration, provisional, and
    whether each amount is modelled."""
    names = [branch.eligible, branch.reason, *branch.amount_variables, branch.provisional]
    names += [f"{branch.benefit}_duration_unit", *modelled_flags(branch).values()]
    return tuple(dict.fromkeys(names))


def modelled_flags(branch: Branch) -> dict[str, str]:
    """Each result that may be not modelled, with the column saying whether it is."""
    flags = {name: f"{name}_modelled" for name in branch.lump_sums if name.endswith("lump_sum")}
    if branch.amount_modelled:
        flags[branch.benefit] = branch.amount_modelled
    if branch.waiting_days_modelled:
        flags[branch.waiting_days] = branch.waiting_days_modelled
    return flags


def outputs_of(system: Any, branches: Sequence[Branch] | None = None) -> tuple[str, ...]:
    """Every result column of ``system``'s branches."""
    return tuple(name for branch in (branches or branches_of(system)) for name in branch_outputs(branch))
