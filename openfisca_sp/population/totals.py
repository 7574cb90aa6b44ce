"""Totals by branch as weighted sums and flags that merge exactly across chunks or partitions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from openfisca_sp.decisions.missing_facts import not_modelled
from openfisca_sp.population import payments as paying
from openfisca_sp.population.claims_notes import case_names, claims_cases, claims_note
from openfisca_sp.population.figure_tables import figure_table
from openfisca_sp.population.outputs import owed_unknown_flags
from openfisca_sp.population.payments import ScheduleUnknown, due_in, owed_not_told, schedule_parts
from openfisca_sp.population.weight_sums import exact_weight, weight_count
from openfisca_sp.rules.branches import Branch
from openfisca_sp.rules.enums import IneligibilityReason as Reason
from openfisca_sp.rules.formulas import round_money
from openfisca_sp.rules.wording import count_text, counted

PARTLY_PRICED = "cost not modelled"  # some amounts modelled, not all: the note says what the others are paid
LUMP_SUMS_UNTOLD = (  # no source says whether the law provides the lump sum: the cost leaves it out, and says so
    "old-age lump sums not modelled (no source says whether the law provides one): the cost leaves out any owed"
)
UNDECIDED = "not modelled: no rule of this branch has a source at this date"
NO_FORMULA = "have no formula at their claims' dates"  # amounts or lump sums owed, in a note of the cost
# the parts of a periodical benefit whose payment in a month cannot be told, and why (the figures follow)
DAYS_UNPRICED = (
    "what a day of the monthly amount pays, in a part month of a claim paid in days (the law in force sets no "
    "days_a_month)"
)
PERIODS_UNTOLD = (
    "what a claim pays in a month where its benefit period is not modelled (the law's sources give no duration or "
    "start)"
)
LUMP_SUMS_MODELLED = "the lump sums due are modelled"
OTHERS = "what the others are paid is"  # of a cost partly priced


def written_money(total: float | None, decimals: int | None) -> float | None:
    """A weighted sum of money (float64, of each person's amount rounded as the law rounds it) to the currency's
    smallest unit, ``decimals`` (None: as summed; None stays None): TJS 10,420.20, not 10420.199999999997."""
    return total if total is None or decimals is None else float(round_money(total, decimals))


def money_figures(
    total: float | None, persons: float | None, decimals: int | None
) -> tuple[float | None, float | None]:
    """A sum of money and its mean per person, as every output of a population states them (``simulate``'s totals
    printed and written to CSV or JSON, ``compare``'s costs, gains and losses per branch and in each breakdown, its
    JSON and HTML report, a projection's years): the sum :func:`written_money`, and the mean of the amounts summed,
    ``total`` as summed over the weighted ``persons`` paid them, also :func:`written_money` (None where there are
    none, or the sum is not told). Persons each paid X average X, whatever their weights: a mother weighted 1/3 paid
    12,027,742 dong averages 12,027,742, where the cost written to the dong, 4,009,247, read 12,027,741; 776,677.05
    persons paid 192,000 kip average 192,000, not 191,999.9999999999."""
    if total is None:
        return None, None
    return written_money(total, decimals), written_money(total / persons, decimals) if persons else None


def unknown_as_zero(amounts: np.ndarray, copy: bool = True) -> np.ndarray:
    """``np.nan_to_num(amounts, copy=copy)`` (NaN, an amount that cannot be told, read as 0), its four passes over
    the amounts made only where one is not a finite number: amounts as they are otherwise."""
    return amounts if np.isfinite(amounts).all() else np.nan_to_num(amounts, copy=copy)


@dataclass(frozen=True)
class BranchSums:
    """Per branch, the weighted sums and flags a total is made of: they merge exactly across partitions."""

    codes: tuple[str, ...]
    labels: tuple[str, ...]
    beneficiaries: np.ndarray  # float64: the weights of those paid, summed exactly (:mod:`~.weight_sums`)
    periodical: np.ndarray
    lump_sums: np.ndarray
    decided: np.ndarray  # bool: some person's reason is not "not modelled" (the rule has a source): any
    amounts_modelled: np.ndarray  # bool: the amount is modelled for every beneficiary: all
    # bool: every granted claim's amount has a formula and what it pays in a month can be told: all
    periodical_modelled: np.ndarray
    provisional: np.ndarray  # bool: some result is provisional: any
    claims_not_modelled: np.ndarray  # bool: the rule has a source, but some claims' decisions are not modelled: any
    # float64 sums over weights: those paid whose amount the law at their claim's date gives no formula for
    unpriced: np.ndarray | None = None
    lump_sums_unknown: np.ndarray | None = None  # float64 sums over weights: those owed a lump sum with no formula
    periods_known: np.ndarray | None = None  # bool: every granted claim's benefit period can be told: all
    # float64 sums over weights: those for whom whether a lump sum is owed is not known (no source): not counted
    lump_sums_untold: np.ndarray | None = None
    # float64 sums over weights: claims granted whose benefit period is not known; paid in days with no days a month
    periods_untold: np.ndarray | None = None
    days_unpriced: np.ndarray | None = None
    # bool (branches × claims_notes.CASES): which cases some claims were decided not modelled for: any
    claims_cases: np.ndarray | None = None
    decimals: int = 0  # the currency's decimals (TJS 2: to the diram): how a note writes an amount
    # the beneficiaries' weights, exact (:func:`~.weight_sums.exact_weight`): parts merged add them, not their floats
    exact_beneficiaries: tuple[int, ...] = ()
    currency: str = ""  # the jurisdiction's (ISO 4217: TJS), as compare's and project's meta say it

    @classmethod
    def of(
        cls,
        weights: np.ndarray,
        columns: Mapping[str, np.ndarray],
        branches: Sequence[Branch],
        month: str,
        decimals: int,
        currency: str = "",
    ) -> BranchSums:
        """The sums of what one population's claims of ``branches`` (``columns``) pay in ``month``, over
        ``weights`` (see :mod:`~openfisca_sp.population.payments`); ``decimals``: the currency's (``currency``), as
        each month's payments are rounded (as ``/eligibility``'s schedules round them) and notes write amounts."""
        claimed = [(branch, paying.claimants_of(columns, branch)) for branch in branches]  # indexed once for both
        payments = [paying.month_payments(columns, branch, month, decimals, rows) for branch, rows in claimed]
        decided = [rule_decided(columns, branch) for branch in branches]
        schedules = [schedule_parts(columns, branch, month, rows) for branch, rows in claimed]
        paid_weights = tuple(exact_weight(weights, paid.paid) for paid in payments)
        periodical = [  # every amount granted has a formula, and what each claim pays in a month can be told
            amount_formulas_known(columns, branch) and not schedule.any.any()
            for branch, schedule in zip(branches, schedules, strict=True)
        ]
        return cls(
            tuple(branch.code for branch in branches),
            tuple(branch.label for branch in branches),
            np.array([weight_count(exact) for exact in paid_weights]),
            np.array([np.dot(weights, unknown_as_zero(paid.periodical)) for paid in payments]),
            np.array([np.dot(weights, paid.lump_sums) for paid in payments]),
            np.array(decided),
            np.array(
                [
                    told and lump_sum_formulas_known(columns, branch, month)
                    for branch, told in zip(branches, periodical, strict=True)
                ]
            ),
            np.array(periodical),
            np.array([is_provisional(columns, branch) for branch in branches]),
            np.array([some_claims_not_modelled(columns, branch, decided[at]) for at, branch in enumerate(branches)]),
            np.array(
                [
                    unpriced_weight(weights, columns, branch, paid.paid)
                    for branch, paid in zip(branches, payments, strict=True)
                ]
            ),
            np.array([owed_unknown_weight(weights, columns, branch, month) for branch in branches]),
            np.array([not schedule.any.any() for schedule in schedules]),
            np.array([owed_untold_weight(weights, columns, branch, month) for branch in branches]),
            np.array([weights[schedule.period].sum(dtype=np.float64) for schedule in schedules]),
            np.array([weights[schedule.days & ~schedule.period].sum(dtype=np.float64) for schedule in schedules]),
            np.array([claims_cases(columns, branch, known) for branch, known in zip(branches, decided, strict=True)]),
            decimals,
            paid_weights,
            currency,
        )

    @property
    def modelled(self) -> np.ndarray:
        """Whether each branch's cost is modelled: its rule has a source and its amount a formula."""
        return self.decided & self.amounts_modelled

    @property
    def lump_sums_modelled(self) -> np.ndarray:
        """Whether each branch's lump sums due can be told: its rule has a source, every lump sum owed has a
        formula, and nobody is owed one no source says the law provides (which the cost leaves out, and says)."""
        known = self.decided.copy()
        for weights in (self.lump_sums_unknown, self.lump_sums_untold):
            if weights is not None:
                known &= weights == 0
        return known

    def merge(self, other: BranchSums) -> BranchSums:
        """The sums of two disjoint parts of a population."""
        if other.codes != self.codes or other.currency != self.currency:
            raise ValueError("cannot merge sums of different branches or currencies")
        exact = tuple(one + two for one, two in zip(self.exact_beneficiaries, other.exact_beneficiaries, strict=True))
        return BranchSums(
            self.codes,
            self.labels,
            np.array([weight_count(total) for total in exact]) if exact else self.beneficiaries + other.beneficiaries,
            self.periodical + other.periodical,
            self.lump_sums + other.lump_sums,
            self.decided | other.decided,
            self.amounts_modelled & other.amounts_modelled,
            self.periodical_modelled & other.periodical_modelled,
            self.provisional | other.provisional,
            self.claims_not_modelled | other.claims_not_modelled,
            _added(self.unpriced, other.unpriced),
            _added(self.lump_sums_unknown, other.lump_sums_unknown),
            _both(self.periods_known, other.periods_known),
            _added(self.lump_sums_untold, other.lump_sums_untold),
            _added(self.periods_untold, other.periods_untold),
            _added(self.days_unpriced, other.days_unpriced),
            _either(self.claims_cases, other.claims_cases),
            self.decimals,
            exact,
            self.currency,
        )

    def note(self, index: int) -> str | None:
        """What a branch's row says of what its figures leave out (claims not modelled, amounts not modelled, lump
        sums nobody can say are owed), and why: a part of its cost that is not modelled is named."""
        cases = () if self.claims_cases is None else case_names(self.claims_cases[index])
        notes = [claims_note(cases)] if self.claims_not_modelled[index] else []
        if not self.decided[index]:
            notes.append(UNDECIDED)
        elif not self.modelled[index]:
            notes.append(self._partly_priced(index) or self._not_priced(index))
        untold = 0.0 if self.lump_sums_untold is None else float(self.lump_sums_untold[index])
        notes += (
            [f"{LUMP_SUMS_UNTOLD} to {counted(untold, 'person', form=count_text)} refused for too short a career"]
            if untold
            else []
        )
        return "; ".join(notes) or None

    def _partly_priced(self, index: int) -> str | None:
        if self.unpriced is None or self.lump_sums_unknown is None or self.periods_known is None:
            return None
        unpriced, owed = float(self.unpriced[index]), float(self.lump_sums_unknown[index])
        paid = float(self.beneficiaries[index])
        if not (self.decided[index] and self.periods_known[index] and unpriced < paid and (unpriced or owed)):
            return None
        beneficiaries = counted(paid, "beneficiary", "beneficiaries", count_text)
        parts = [f"the amounts of {count_text(unpriced)} of the {beneficiaries}"] if unpriced else []
        parts += [f"the lump sums owed to {counted(owed, 'person', form=count_text)}"] if owed else []
        cost = float(self.periodical[index] + self.lump_sums[index])
        return f"{PARTLY_PRICED}: {' and '.join(parts)} {NO_FORMULA}; {OTHERS} {cost:,.{self.decimals}f}"

    def _not_priced(self, index: int) -> str:
        """Which parts of a branch's cost are not modelled, for how many (weighted), and why: amounts or lump sums
        with no formula, part months of claims paid in days, benefit periods the law's sources do not give."""
        paid = float(self.beneficiaries[index])
        parts = []
        if not self.periodical_modelled[index]:
            parts += self._periodical_parts(index, paid)
        owed = 0.0 if self.lump_sums_unknown is None else float(self.lump_sums_unknown[index])
        parts += [f"the lump sums owed to {counted(owed, 'person', form=count_text)} {NO_FORMULA}"] if owed else []
        if self.lump_sums_modelled[index] and float(self.lump_sums[index]):
            parts.append(LUMP_SUMS_MODELLED)
        return f"{PARTLY_PRICED}: {'; '.join(parts)}"

    def _periodical_parts(self, index: int, paid: float) -> list[str]:
        unpriced = 0.0 if self.unpriced is None else float(self.unpriced[index])
        periods = 0.0 if self.periods_untold is None else float(self.periods_untold[index])
        days = 0.0 if self.days_unpriced is None else float(self.days_unpriced[index])
        beneficiaries = counted(paid, "beneficiary", "beneficiaries", count_text)
        whom = f"all {beneficiaries}" if unpriced >= paid else f"{count_text(unpriced)} of the {beneficiaries}"
        parts = [f"the amounts of {whom} {NO_FORMULA}"] if unpriced else []
        parts += (
            [f"{PERIODS_UNTOLD}: the claims granted to {counted(periods, 'person', form=count_text)}"]
            if periods
            else []
        )
        parts += [f"{DAYS_UNPRICED}: the claims granted to {counted(days, 'person', form=count_text)}"] if days else []
        return parts or [f"the amounts of some claims granted, not paid in the month, {NO_FORMULA}"]

    def totals(self) -> pd.DataFrame:
        """Per branch: who is paid, periodical benefits, lump sums, cost (money to the currency's unit) and average
        benefit (:func:`money_figures`, as ``compare`` gives them; NaN if not modelled: :func:`figure_table`), and
        the currency they are in."""
        rows = []
        for index, code in enumerate(self.codes):
            beneficiaries = float(self.beneficiaries[index])
            modelled = bool(self.modelled[index])
            periodical, lump_sums = float(self.periodical[index]), float(self.lump_sums[index])
            periodical_told = bool(self.decided[index] and self.periodical_modelled[index])
            cost, average = money_figures(periodical + lump_sums if modelled else None, beneficiaries, self.decimals)
            rows.append(
                {
                    "branch": code,
                    "label": self.labels[index],
                    "beneficiaries": beneficiaries if self.decided[index] else None,  # no source: not modelled
                    "periodical_benefits": written_money(periodical if periodical_told else None, self.decimals),
                    # those told, on their own
                    "lump_sums": written_money(lump_sums if self.lump_sums_modelled[index] else None, self.decimals),
                    "cost": cost,
                    "average_benefit": average,
                    "currency": self.currency,
                    "amount_modelled": modelled,
                    "provisional": bool(self.provisional[index]),
                    "note": self.note(index),
                }
            )
        return figure_table(rows)


def _falling_due(found: np.ndarray, columns: Mapping[str, np.ndarray], branch: Branch, month: str | None) -> np.ndarray:
    """``found`` (per person) where the lump sum falls due in ``month`` (:func:`due_in`); all of it without one.
    Only the rows found are looked at: a population's few."""
    if month is None:
        return found
    rows = np.flatnonzero(found)
    falling = np.zeros(len(found), dtype=bool)
    if len(rows):
        claim_date = f"{branch.benefit}_claim_date"
        falling[rows] = due_in({claim_date: columns[claim_date][rows]}, branch, month)
    return falling


def owed_untold(columns: Mapping[str, np.ndarray], branch: Branch, month: str | None = None) -> np.ndarray:
    """Those for whom whether a lump sum is owed is not known: no source says whether the law at their claim's
    date provides one; with ``month``, those whose lump sum would fall due in it (an undated claim's never
    does)."""
    untold = np.zeros(len(columns[branch.eligible]), dtype=bool)
    for column in owed_unknown_flags(branch).values():
        if column in columns:
            untold |= columns[column].astype(bool)
    return _falling_due(untold, columns, branch, month)


def owed_untold_weight(
    weights: np.ndarray, columns: Mapping[str, np.ndarray], branch: Branch, month: str | None = None
) -> float:
    """The weight of :func:`owed_untold` (neither owed nor 0; not counted in the cost, which says so)."""
    return float(weights[owed_untold(columns, branch, month)].sum(dtype=np.float64))


def owed_unknown(columns: Mapping[str, np.ndarray], branch: Branch, month: str | None = None) -> np.ndarray:
    """Those owed a lump sum whose formula the law at their claim's date does not give; with ``month``, those
    whose lump sum falls due in it: a month's cost is not modelled for want of it in that month only."""
    return _falling_due(owed_not_told(columns, branch), columns, branch, month)


def owed_unknown_weight(
    weights: np.ndarray, columns: Mapping[str, np.ndarray], branch: Branch, month: str | None = None
) -> float:
    """The weight of :func:`owed_unknown`."""
    return float(weights[owed_unknown(columns, branch, month)].sum(dtype=np.float64))


def unpriced_weight(weights: np.ndarray, columns: Mapping[str, np.ndarray], branch: Branch, paid: np.ndarray) -> float:
    """The weight of those paid in the month whose amount the law at their claim's date gives no formula for."""
    if not branch.amount_modelled:
        return 0.0
    unpriced = paid & ~columns[branch.amount_modelled].astype(bool) & columns[branch.eligible].astype(bool)
    return float(weights[unpriced].sum(dtype=np.float64))


def periods_and_lump_sums_known(
    columns: Mapping[str, np.ndarray],
    branch: Branch,
    month: str | None = None,
    schedule: ScheduleUnknown | None = None,
) -> bool:
    """Whether every granted claim's benefit period and every lump sum owed (with ``month``, falling due in it)
    can be told (:func:`amounts_modelled` but for the amounts; claims not modelled are said apart); ``schedule``:
    the branch's :func:`schedule_parts`, where the caller has them."""
    unknown = (schedule or schedule_parts(columns, branch, month)).any
    return not unknown.any() and lump_sum_formulas_known(columns, branch, month)


def lump_sum_formulas_known(columns: Mapping[str, np.ndarray], branch: Branch, month: str | None = None) -> bool:
    """Whether every lump sum owed (with ``month``, falling due in it) has a formula at its claim's date."""
    return not owed_unknown(columns, branch, month).any()


def amount_formulas_known(columns: Mapping[str, np.ndarray], branch: Branch) -> bool:
    """Whether the rules give an amount formula for every beneficiary of the branch (at their claims' dates)."""
    return not branch.amount_modelled or bool(np.all(columns[branch.amount_modelled][columns[branch.eligible]]))


def _added(one: np.ndarray | None, other: np.ndarray | None) -> np.ndarray | None:
    return None if one is None or other is None else one + other


def _both(one: np.ndarray | None, other: np.ndarray | None) -> np.ndarray | None:
    return None if one is None or other is None else one & other


def _either(one: np.ndarray | None, other: np.ndarray | None) -> np.ndarray | None:
    return None if one is None or other is None else one | other


def amounts_modelled(
    columns: Mapping[str, np.ndarray],
    branch: Branch,
    month: str | None = None,
    schedule: ScheduleUnknown | None = None,
) -> bool:
    """Whether the rules give an amount formula for every beneficiary of the branch and a lump sum formula for
    everyone owed one (with ``month``, falling due in it), and a benefit period for every dated claim granted (so
    that what it pays in a month can be told); ``schedule``: the branch's :func:`schedule_parts`, where known."""
    return amount_formulas_known(columns, branch) and periods_and_lump_sums_known(columns, branch, month, schedule)


def rule_decided(columns: Mapping[str, np.ndarray], branch: Branch) -> bool:
    """Whether the branch's rule has a source: somebody's reason is other than ``not_modelled``."""
    return bool(np.any(columns[branch.reason] != Reason.not_modelled.index))


def some_claims_not_modelled(columns: Mapping[str, np.ndarray], branch: Branch, decided: bool) -> bool:
    """Whether the branch's rule has a source (``decided``: :func:`rule_decided`, found by the caller) but some
    claims' decisions are not modelled: their case has none (a pregnancy loss in Viet Nam) or the law at their
    event's date has none. They are neither beneficiaries nor counted in the cost, which is said
    (:func:`~.claims_notes.claims_note`)."""
    return decided and bool(not_modelled(columns[branch.reason]).any())


def is_provisional(columns: Mapping[str, np.ndarray], branch: Branch) -> bool:
    """Whether some result of the branch rests on an unverified value."""
    return bool(columns[branch.provisional].any())
