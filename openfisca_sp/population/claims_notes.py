"""What a total says of the claims it leaves out as not modelled: each case with no source named from the reasons its
own persons were given, never another jurisdiction's case (a Tajik row named "a pregnancy loss in Viet Nam")."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from openfisca_sp.rules.branches import Branch
from openfisca_sp.rules.enums import IneligibilityReason as Reason

CLAIMS_NOT_MODELLED = "some claims are not modelled"  # how every such note starts
LEFT_OUT = "beneficiaries and cost leave them out"
CASES = {  # per reason a claim is not modelled for, though the branch's rule has a source: what has none
    Reason.not_modelled: "no source for the rules at their event's date",
    Reason.outcome_not_modelled: "no source for their pregnancy outcome's rules",
    Reason.early_pension_not_modelled: "an early pension, whose rules were not found",
    Reason.reduced_period_not_modelled: (
        "a contribution period below the one required, for which the law pays something whose rules were not found"
    ),
    Reason.reduced_capacity_pension_not_modelled: (
        "a reduced pension for a loss of working capacity, whose rate is not encoded"
    ),
}
_CASE_INDICES = tuple(reason.index for reason in CASES)


def claims_cases(columns: Mapping[str, np.ndarray], branch: Branch, decided: bool) -> np.ndarray:
    """Which of :data:`CASES` some claims of the branch were decided not modelled for (bool, in its order), where its
    rule has a source (``decided``); none where it has none (the whole branch is then not modelled).

    Each case is looked for among the reasons (five comparisons of a chunk's reasons: a tenth of the time of
    sorting them for their distinct values)."""
    if not decided:
        return np.zeros(len(CASES), dtype=bool)
    reasons = columns[branch.reason]
    return np.array([bool((reasons == index).any()) for index in _CASE_INDICES], dtype=bool)


def case_names(found: Sequence[bool] | np.ndarray) -> tuple[str, ...]:
    """The words of the cases ``found`` (:func:`claims_cases`)."""
    return tuple(text for text, present in zip(CASES.values(), found, strict=True) if present)


def claims_note(cases: Iterable[str], sides: Sequence[str] = ()) -> str:
    """The note of claims left out as not modelled, naming their ``cases`` (words of :data:`CASES`); ``sides``: those
    of a comparison it is said of, where not all (``in the reform``)."""
    named = "; ".join(cases)
    where = f" in the {' and the '.join(sides)}" if sides else ""
    return f"{CLAIMS_NOT_MODELLED}{where}{f' ({named})' if named else ''}: {LEFT_OUT}"


def cases_said(notes: Iterable[str]) -> tuple[str, ...]:
    """The cases that some of ``notes`` name as not modelled (words of :data:`CASES`, in its order)."""
    said = [note for note in notes if CLAIMS_NOT_MODELLED in note]
    return tuple(text for text in CASES.values() if any(text in note for note in said))
