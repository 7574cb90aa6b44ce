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
    Claimants,
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
    is_provisional,
    owed_unknown,
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


UNPRICED_PARTS = (  # the parts of a cost not modelled, and why, in the order a row's note says them
    f"the amounts of claims granted {NO_FORMULA}",
    PERIODS_UNTOLD,
    DAYS_UNPRICED,
    f"some lump sums owed {NO_FORMULA}",
)


@dataclass(frozen=True)
class Pricing:
    """Whether a branch's amounts in a month can be told, and if not, why (:func:`pricing`)."""

    formulas_known: bool  # every beneficiary's amount has a formula (:func:`~.totals.amount_formulas_known`)
    schedule_told: bool  # what every claim granted pays in the month can be told (:func:`schedule_parts`)
    owed_unknown: bool  # some lump sum owed, falling due in the month, has no formula (:func:`~.totals.owed_unknown`)
    # not modelled for want of some amounts' or owed lump sums' formulas only, while others have theirs
    # (:meth:`~openfisca_sp.population.totals.BranchSums.note` says it with figures)
    partly_priced: bool
    periods_untold: bool  # some claim granted has a benefit period the law's sources do not give
    days_unpriced: bool  # some claim granted is paid in days the law does not say how to pay

    @property
    def amount_modelled(self) -> bool:
        """:func:`~openfisca_sp.population.totals.amounts_modelled`."""
        return self.formulas_known and (self.schedule_told and not self.owed_unknown)

    @property
    def unpriced(self) -> tuple[str, ...]:
        """The parts of the cost that are not modelled, each said with why (:data:`UNPRICED_PARTS`; without
        figures: :meth:`~openfisca_sp.population.totals.BranchSums.note` gives them), where not partly priced."""
        found = (not self.formulas_known, self.periods_untold, self.days_unpriced, self.owed_unknown)
        return tuple(part for part, present in zip(UNPRICED_PARTS, found, strict=True) if present)


def pricing(
    columns: Mapping[str, np.ndarray],
    branch: Branch,
    month: str,
    claimants: Claimants,
    paid: np.ndarray,
    schedule: ScheduleUnknown,
) -> Pricing:
    """A branch's :class:`Pricing` in ``month``, each flag found once over ``claimants``' rows (:func:`claimants_of`):
    ``paid`` and ``schedule`` (:func:`claimant_schedule`) are theirs. Everyone paid, granted a claim or owed a lump
    sum is among them, so what is found over every row is found there (the amounts' formulas were looked at twice
    and the lump sums owed three times over every row, for each branch and side of a chunk). Where the branch's
    eligibility is not a boolean column, its flags would index as numbers: found over every row, as before."""
    part = claimants.results
    if columns[branch.eligible].dtype != bool:
        part, paid = columns, spread(paid, claimants.rows, claimants.count)
        schedule = schedule_parts(columns, branch, month)
    owed = owed_unknown(part, branch, month)
    ones = np.ones(len(paid))
    unpriced, owed_weight = unpriced_weight(ones, part, branch, paid), float(ones[owed].sum(dtype=np.float64))
    told = not schedule.any.any()
    return Pricing(
        amount_formulas_known(part, branch),
        told,
        bool(owed.any()),
        bool(unpriced or owed_weight) and unpriced < paid.sum() and told,
        bool(schedule.period.any()),
        bool((schedule.days & ~schedule.period).any()),
    )


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
    rows = claimants.rows
    payments = claimant_payments(claimants, branch, month, decimals)
    decided = rule_decided(columns, branch)
    schedule = claimant_schedule(claimants, branch, month)
    priced = pricing(columns, branch, month, claimants, payments.paid, schedule)
    return BranchAmounts(
        eligible=spread(payments.paid, rows, count),
        granted=columns[branch.eligible].astype(bool),
        paid_periodically=spread(payments.paid_periodically, rows, count),
        amounts=spread(unknown_as_zero(payments.amounts, copy=False), rows, count),
        amount_modelled=priced.amount_modelled,
        provisional=is_provisional(columns, branch),
        rule_modelled=decided,
        claims_not_modelled=case_names(claims_cases(columns, branch, decided)),
        partly_priced=priced.partly_priced,
        lump_sums_untold=bool(owed_untold(columns, branch, month).any()),
        unpriced=() if priced.partly_priced or not decided else priced.unpriced,
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
