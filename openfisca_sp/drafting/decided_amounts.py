"""A branch's amounts as the rules decide them, per person, under one version of the law: what ``diff`` counts.

What a claim pays *in a month* cannot always be told (no Lao source says what a day of the monthly maternity
allowance pays), while the amounts the rules decide on the claim's date can: the benefit's amount (monthly, for a
periodical benefit) and each lump sum. A change of law that raises a rate changes these, and ``diff`` counts the
persons whose amounts so decided change, apart from what is payable in the month.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from openfisca_sp.decisions.missing_facts import not_modelled
from openfisca_sp.population.outputs import lump_sum_unknown
from openfisca_sp.population.totals import amount_formulas_known, lump_sum_formulas_known, rule_decided
from openfisca_sp.rules.branches import Branch


@dataclass(frozen=True)
class DecidedAmounts:
    """A branch under one side, per person: whom it grants and the amounts it decides (NaN where not told)."""

    granted: np.ndarray  # bool
    undecided: np.ndarray  # bool: the decision itself is not modelled (no source for the person's case)
    amounts: dict[str, np.ndarray]  # float64 by result: the benefit's amount (0 unless granted) and each lump sum
    counted: bool  # the rule has a source, or the side's law has no such branch (nobody granted)
    modelled: bool  # every amount granted and every lump sum owed has a formula at its claim's date

    @classmethod
    def absent(cls, count: int) -> DecidedAmounts:
        """A branch the side's law does not have: nobody granted, nothing decided."""
        nobody = np.zeros(count, dtype=bool)
        return cls(nobody, nobody, {}, counted=True, modelled=True)


def decided_amounts(columns: Mapping[str, np.ndarray], branch: Branch | None, count: int) -> DecidedAmounts:
    """The amounts ``branch`` decides for each person of one side's results: an amount not modelled (no formula at
    the claim's date), a lump sum that cannot be told (not modelled, or nobody can say it is owed) or a decision
    not modelled is NaN, never 0."""
    if branch is None:
        return DecidedAmounts.absent(count)
    granted = columns[branch.eligible].astype(bool)
    undecided = not_modelled(columns[branch.reason])
    amount = np.where(granted, columns[branch.benefit].astype(np.float64), 0.0)
    if branch.amount_modelled:
        amount[granted & ~columns[branch.amount_modelled].astype(bool)] = np.nan
    amounts = {branch.benefit: amount}
    for name in branch.lump_sums:
        amounts[name] = np.where(lump_sum_unknown(columns, branch, name), np.nan, columns[name].astype(np.float64))
    for values in amounts.values():
        values[undecided] = np.nan
    modelled = amount_formulas_known(columns, branch) and lump_sum_formulas_known(columns, branch)
    return DecidedAmounts(granted, undecided, amounts, rule_decided(columns, branch), modelled)


@dataclass(frozen=True)
class AmountChanges:
    """Per person, how the amounts decided change from the old side to the new (:func:`amount_changes`)."""

    changed: np.ndarray  # bool: some amount told on both sides differs
    up: np.ndarray  # bool: some rises and none falls
    down: np.ndarray  # bool: some falls and none rises
    untold: np.ndarray  # bool: some amount or the decision cannot be told on one side or both (left out)


def amount_changes(old: DecidedAmounts, new: DecidedAmounts) -> AmountChanges:
    """Each person's change of amounts decided, over those told on both sides (a result either side lacks is 0:
    the branch or the lump sum is not in its law)."""
    count = len(old.granted)
    rises, falls = np.zeros(count, dtype=bool), np.zeros(count, dtype=bool)
    untold = old.undecided | new.undecided
    for name in dict.fromkeys([*old.amounts, *new.amounts]):
        change = new.amounts.get(name, np.zeros(count)) - old.amounts.get(name, np.zeros(count))
        untold |= np.isnan(change)
        rises |= change > 0  # NaN: neither
        falls |= change < 0
    return AmountChanges(rises | falls, rises & ~falls, falls & ~rises, untold)
