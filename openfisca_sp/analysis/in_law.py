"""Benefits a reform adds that the law in force already provides, and the baseline rules do not model.

A reform may add a branch whose like the law in force already pays (Tajikistan's state social pensions), while
the baseline rules do not model it (its amount was not found). Its parameter ``in_law_in_force`` says so, and a
comparison says what follows: the branch's baseline is not modelled, never 0, so its cost change is not modelled
and the totals (benefits modelled on both sides) leave it out, so that their change is not modelled either; the
reform's own figures for it are its whole amounts. Where a null says whether the law in force provides it was NOT
FOUND, the same holds, and the note says so. Where the baseline models it (Viet
Nam's social pension, SI Law 2024 Arts 21-22), the reform's rule replaces the law's and the comparison is the
change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from openfisca_sp.rules.branch_nodes import IN_LAW_IN_FORCE as FLAG
from openfisca_sp.rules.branch_nodes import in_law_in_force
from openfisca_sp.rules.branches import Branch


def in_law_unmodelled(branches: Mapping[str, Sequence[Branch]], reform: Any, month: str) -> list[str]:
    """The codes of the reform's branches the baseline lacks whose ``in_law_in_force`` is true in ``month``, or
    NOT FOUND (whether the law in force provides the benefit is not known: the baseline is not modelled either)."""
    return list(_in_law(branches, reform, month))


def _in_law(branches: Mapping[str, Sequence[Branch]], reform: Any, month: str) -> dict[str, bool | None]:
    """:func:`in_law_unmodelled`'s codes, each with its ``in_law_in_force`` (true, or None: NOT FOUND)."""
    baseline = {branch.code for branch in branches["baseline"]}
    parameters = reform.parameters(str(np.datetime64(month, "M").astype("datetime64[D]")))
    found = {}
    for branch in branches["reform"]:
        if branch.code in baseline or branch.code not in parameters:
            continue
        provided = in_law_in_force(parameters[branch.code])
        if provided is not False:
            found[branch.code] = provided
    return found


def in_law_note(branch: Branch, provided: bool | None = True) -> str:
    """What a comparison says of a branch of :func:`in_law_unmodelled` (``provided``: its ``in_law_in_force``, true
    or None where that was NOT FOUND)."""
    if provided is None:
        said = f"whether the law in force provides such a benefit was NOT FOUND ({branch.code}.{FLAG})"
        covered = "may already cover, which may overstate the change"
    else:
        said = (
            f"the law in force already provides such a benefit ({branch.code}.{FLAG}), which the baseline rules do "
            "not model (its amount was not found)"
        )
        covered = "already covers, which overstates the change"
    return (
        f"{branch.label}: {said}: its baseline is not modelled, never 0, and so "
        "are its cost change and winners; the totals and poverty leave it out on both sides, and the change of all "
        "benefits, its winners and losers are not modelled either; the reform's figures "
        "for it are its whole amounts, and coverage counts its beneficiaries against a baseline that shows none "
        f"of those the law in force {covered}"
    )


def in_law_notes(branches: Mapping[str, Sequence[Branch]], reform: Any, month: str) -> list[str]:
    """The notes of a comparison in ``month`` on the branches of :func:`in_law_unmodelled`."""
    by_code = {branch.code: branch for branch in branches["reform"]}
    return [in_law_note(by_code[code], provided) for code, provided in _in_law(branches, reform, month).items()]
