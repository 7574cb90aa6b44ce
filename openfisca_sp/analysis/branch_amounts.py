"""Each branch's amounts under one side, for one part of a population: who is paid what in the month, and
whether it can be told (its amount modelled, its rule decided, its lump sums known)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from openfisca_sp.analysis.rows import SIDES
from openfisca_sp.population.claims import schedule_columns
from openfisca_sp.population.claims_notes import case_names, claims_cases
from openfisca_sp.population.outputs import branch_outputs
from openfisca_sp.population.payments import (
    ScheduleUnknown,
    claimant_payments,
    claimant_schedule,
    claimants_of,
    schedule_parts,
    spread,
)
from openfisca_sp.population.totals import (
    DAYS_UNPRICED,
    NO_FORMULA,
    PARTLY_PRICED,
    PERIODS_UNTOLD,
    amount_formulas_known,
    amounts_modelled,
    is_provisional,
    lump_sum_formulas_known,
    owed_unknown_weight,
    owed_untold,
    rule_decided,
    unknown_as_zero,
    unpriced_weight,
)
from openfisca_sp.rules.branches import Branch


@dataclass(frozen=True)
class BranchAmounts:
    """A branch under one side, for one part of a population: who is eligible and what they are paid."""

    eligible: np.ndarray  # bool, per person: paid something in the month
    amounts: np.ndarray  # float64, per person: amounts payable in the month
    amount_modelled: bool = True
    provisional: bool = False
    rule_modelled: bool = False  # the rule has a source at this date
    granted: np.ndarray | None = None  # bool, per person: the claim is granted (paid in the month or not)
    # bool, per person: paid the periodical benefit in the month (a pension), not a lump sum alone; None: as eligible
    paid_periodically: np.ndarray | None = None
    provided: bool = True  # the side's system has the branch
    # the rule has a source, but some claims' decisions are not modelled: for these cases (claims_notes.CASES' words)
    claims_not_modelled: tuple[str, ...] = ()
    partly_priced: bool = False  # some amounts or lump sums owed have no formula at their claims' dates, not all
    lump_sums_untold: bool = False  # whether a lump sum is owed to some is not known (no source): not counted
    unpriced: tuple[str, ...] = ()  # the parts of a cost not modelled, and why, where it is not partly priced

    @classmethod
    def absent(cls, count: int) -> BranchAmounts:
        """A branch the side's system does not have: nobody eligible, nothing paid."""
        return cls(np.zeros(count, dtype=bool), np.zeros(count), provided=False)

    @classmethod
    def not_modelled(cls, count: int) -> BranchAmounts:
        """A branch the law in force provides and the side's rules do not model: who is paid what is not known."""
        return cls(np.zeros(count, dtype=bool), np.zeros(count), amount_modelled=False)

    @property
    def periodically(self) -> np.ndarray:
        """Who is paid the periodical benefit in the month (:attr:`paid_periodically`; where not given, whoever is
        paid)."""
        return self.eligible if self.paid_periodically is None else self.paid_periodically

    @property
    def cost_modelled(self) -> bool:
        """Whether what the branch pays can be told, as :meth:`BranchStatus.cost_modelled` says for its row: the
        amount is modelled, and the rule has a source or the side has no such branch (it pays nothing)."""
        return self.amount_modelled and (self.rule_modelled or not self.provided)


PARTLY_PRICED_NOTE = (
    f"{PARTLY_PRICED}: some amounts or lump sums owed have no formula at their claims' dates, others do (the "
    "totals of simulate say what the others are paid)"
)


def partly_priced(
    columns: Mapping[str, np.ndarray],
    branch: Branch,
    paid: np.ndarray,
    month: str,
    schedule: ScheduleUnknown | None = None,
) -> bool:
    """Whether a branch's cost in ``month`` is not modelled for want of some amounts' or owed lump sums' (falling
    due in it) formulas only, while others have theirs (:meth:`~openfisca_sp.population.totals.BranchSums.note`
    says it with figures)."""
    ones = np.ones(len(paid))
    unpriced, owed = unpriced_weight(ones, columns, branch, paid), owed_unknown_weight(ones, columns, branch, month)
    schedule = schedule or schedule_parts(columns, branch, month)
    return bool(unpriced or owed) and unpriced < paid.sum() and not schedule.any.any()


UNPRICED_PARTS = (  # the parts of a cost not modelled, and why, in the order a row's note says them
    f"the amounts of claims granted {NO_FORMULA}",
    PERIODS_UNTOLD,
    DAYS_UNPRICED,
    f"some lump sums owed {NO_FORMULA}",
)


def unpriced_parts(
    columns: Mapping[str, np.ndarray], branch: Branch, schedule: ScheduleUnknown, month: str
) -> tuple[str, ...]:
    """The parts of a branch's cost in ``month`` that are not modelled, each said with why (:data:`UNPRICED_PARTS`;
    without figures: :meth:`~openfisca_sp.population.totals.BranchSums.note` gives them), where it is not partly
    priced."""
    found = (
        not amount_formulas_known(columns, branch),
        bool(schedule.period.any()),
        bool((schedule.days & ~schedule.period).any()),
        not lump_sum_formulas_known(columns, branch, month),
    )
    return tuple(part for part, present in zip(UNPRICED_PARTS, found, strict=True) if present)


def branch_amounts(
    columns: Mapping[str, np.ndarray], branch: Branch | None, count: int, month: str, decimals: int
) -> BranchAmounts:
    """Who a branch pays in ``month``, what (float64, NaN read as 0 where it cannot be told: the branch's
    amount is then not modelled; rounded to ``decimals``, the currency's, as the schedules round it) and its
    flags, from one side's results."""
    if branch is None:
        return BranchAmounts.absent(count)
    # the rows it may pay (:func:`claimant_rows`), indexed once: everyone else is paid nothing, granted nothing and
    # owed no lump sum, so what is found over them alone, then spread, is what every row gives to the last bit
    claimants = claimants_of(columns, branch)
    part, rows = claimants.results, claimants.rows
    payments = claimant_payments(claimants, branch, month, decimals)
    decided = rule_decided(columns, branch)
    schedule = claimant_schedule(claimants, branch, month)
    partly = partly_priced(part, branch, payments.paid, month, schedule)
    return BranchAmounts(
        eligible=spread(payments.paid, rows, count),
        granted=columns[branch.eligible].astype(bool),
        paid_periodically=spread(payments.paid_periodically, rows, count),
        amounts=spread(unknown_as_zero(payments.amounts, copy=False), rows, count),
        amount_modelled=amounts_modelled(part, branch, month, schedule),
        provisional=is_provisional(columns, branch),
        rule_modelled=decided,
        claims_not_modelled=case_names(claims_cases(columns, branch, decided)),
        partly_priced=partly,
        lump_sums_untold=bool(owed_untold(columns, branch, month).any()),
        unpriced=() if partly or not decided else unpriced_parts(part, branch, schedule, month),
    )


Sides = Mapping[str, BranchAmounts]  # a branch's amounts, per side


def amounts_by_branch(
    branches: Mapping[str, Sequence[Branch]],
    results: Mapping[str, Mapping[str, np.ndarray]],
    count: int,
    month: str,
    decimals: int,
    in_law: Collection[str] = (),
) -> dict[str, Sides]:
    """Each branch's amounts in ``month`` (:func:`branch_amounts`, rounded to ``decimals``: the currency's, a
    reform's as its baseline's), per side, by branch code (every code of either side). A branch whose results
    the reform took from the baseline (the same arrays,
    :mod:`~openfisca_sp.population.reuse`) has the same amounts on both sides, computed once. A branch of
    ``in_law``, which the law in force provides and the baseline does not model, is not modelled there, never 0
    (:meth:`BranchAmounts.not_modelled`)."""
    by_code = {side: {branch.code: branch for branch in branches[side]} for side in SIDES}
    found: dict[str, Sides] = {}
    for code in dict.fromkeys([*by_code["baseline"], *by_code["reform"]]):
        if code in in_law and code not in by_code["baseline"]:
            baseline = BranchAmounts.not_modelled(count)
        else:
            baseline = branch_amounts(results["baseline"], by_code["baseline"].get(code), count, month, decimals)
        branch = by_code["reform"].get(code)
        shared = branch is not None and branch is by_code["baseline"].get(code) and _shared(results, branch)
        found[code] = {
            "baseline": baseline,
            "reform": baseline if shared else branch_amounts(results["reform"], branch, count, month, decimals),
        }
    return found


def _shared(results: Mapping[str, Mapping[str, np.ndarray]], branch: Branch) -> bool:
    """Whether both sides hold the very same arrays for every result of ``branch``."""
    names = [*branch_outputs(branch), *schedule_columns(branch)]
    return results["reform"].get(branch.eligible) is not None and all(
        results["reform"].get(name) is results["baseline"].get(name) for name in names
    )
