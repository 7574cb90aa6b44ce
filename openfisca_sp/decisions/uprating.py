"""Rises of benefits in payment: what a benefit decided on one day pays in a later month.

A pension is decided on its claim's day, at that day's law; later, the law raises the pensions in payment by
decree (Tajikistan: +30% from 1 July 2024, +10% from 1 September 2025). Where a branch has an index of benefits
in payment (``<branch>.in_payment_index``), a benefit decided when the index stood at I0 pays I / I0 times its
amount in a month when it stands at I (read on the month's first day, or on the day decided within that month).
A benefit counts as decided on the day it is first paid where that is later than its claim (:func:`first_paid`):
a decree raises the benefits received before its day (Viet Nam: "hưởng … trước ngày 01 tháng 7 năm 2024").
Where the index is null (a rise of unknown size) or not yet in force, what the month pays is not known. A branch
without an index keeps the amount decided, and its schedules say that rises are not modelled. A rise at another
rate for the benefits the index's previous rise did not raise (``<branch>.in_payment_catch_up``: Viet Nam's 20.8%
of July 2023 for pensions first paid since January 2022, the others 12.5%) replaces, for those, the index's rise.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from openfisca_sp.decisions.dated_values import DatedValues, child, dated
from openfisca_sp.rules.formulas import round_money
from openfisca_sp.rules.provenance import UNVERIFIED

PARAMETER = "in_payment_index"
CATCH_UP = "in_payment_catch_up"  # a rise at another rate for the benefits the index's previous rise did not raise
FOLLOWS = "follows_reference_amount"  # under a branch's flat_rate: the benefit in payment follows the amount
NOT_MODELLED_NOTE = "each month at the amount decided (rises of benefits in payment are not modelled)"
INDEXED_NOTE = "raised with the law's rises of benefits in payment (an index, or the reference amount followed)"
UNSURE = ", some by an unverified value (provisional)"


@dataclass(frozen=True)
class InPaymentIndex(DatedValues):
    """A branch's index of benefits in payment: each value's first day, the value (NaN: not known), and whether
    its status is unverified (what it raises is then provisional)."""

    unverified: np.ndarray  # bool
    catch_up: InPaymentIndex | None = None  # rises for the benefits the index's previous rise did not raise
    # the reference amount a flat-rate benefit follows (a coefficient times the amount in force each month): read
    # from the day the amount was decided, whatever day it is first paid (:func:`paid_from`)
    followed: bool = False

    @staticmethod
    def _read_on(decided_on: np.ndarray, months: np.ndarray) -> np.ndarray:
        first_days = np.asarray(months, dtype="datetime64[M]").astype("datetime64[D]")
        return np.maximum(first_days[:, np.newaxis], decided_on[np.newaxis, :])  # NaT stays NaT

    def _caught(self, decided_on: np.ndarray, read: np.ndarray) -> Iterator[tuple[np.ndarray, np.ndarray, int]]:
        """Each catch-up rise's cells (benefits decided since the index's value before its day, read on or after
        it), the factor it gives them (its own, times the index's rise since its day), and its position."""
        if self.catch_up is None:
            return
        for at, day in enumerate(self.catch_up.days):
            since = self.days[max(int(self.position(day)) - 1, 0)]  # the previous rise's day
            cohort = (decided_on >= since) & (decided_on < day)
            factor = self.catch_up.values[at] * self.at(read) / self.at(day)
            yield cohort[np.newaxis, :] & (read >= day), factor, at

    def counted_from(self, decided_on: np.ndarray, start: np.ndarray) -> np.ndarray:
        """The day from which each benefit's rises are counted: the day it is first paid (:func:`first_paid`: a
        decree raises what was paid before it), but the day decided where the index is a reference amount followed
        (Viet Nam's disability allowance, decided on the June 2024 standard and first paid in August, is August's
        standard times its coefficient)."""
        return np.asarray(decided_on, dtype="datetime64[D]") if self.followed else first_paid(decided_on, start)

    def factors(self, decided_on: np.ndarray, months: np.ndarray) -> np.ndarray:
        """By what each benefit decided on ``decided_on`` is multiplied in each of ``months`` (a row per month,
        ``datetime64[M]``; a column per benefit); NaN where not known."""
        decided_on = np.asarray(decided_on, dtype="datetime64[D]")
        read = self._read_on(decided_on, months)
        factors = self.at(read) / self.at(decided_on)[np.newaxis, :]
        for cells, factor, _ in self._caught(decided_on, read):
            factors = np.where(cells, factor, factors)
        return factors

    def unsure(self, decided_on: np.ndarray, months: np.ndarray) -> np.ndarray:
        """Where a benefit's rise in a month (as :meth:`factors`) rests on an unverified value of the index."""
        decided_on = np.asarray(decided_on, dtype="datetime64[D]")
        days_read = self._read_on(decided_on, months)
        read, decided = self.position(days_read), self.position(decided_on)
        either = self.unverified[np.maximum(read, 0)] | self.unverified[np.maximum(decided, 0)][np.newaxis, :]
        for cells, _, at in self._caught(decided_on, days_read):
            either = either | (cells & self.catch_up.unverified[at])  # type: ignore[union-attr]
        # a rise of unknown size, or from before the index, is not known (NaN), not provisional
        known = ~np.isnan(self.values[np.maximum(read, 0)]) & (decided >= 0)[np.newaxis, :]
        return (read != decided[np.newaxis, :]) & either & known


def first_paid(decided_on: np.ndarray, start: np.ndarray) -> np.ndarray:
    """The day each benefit is first paid, where the index is read as it stood when the benefit was decided: its
    ``start``, where later than the day decided (``decided_on`` where no start is known)."""
    decided_on, start = np.asarray(decided_on, dtype="datetime64[D]"), np.asarray(start, dtype="datetime64[D]")
    return np.where(np.isnat(start), decided_on, np.maximum(decided_on, start))


def paid_from(tax_benefit_system: Any, branch_code: str, decided_on: np.ndarray, start: np.ndarray) -> np.ndarray:
    """The day from which the branch's rises of each benefit are counted (:meth:`InPaymentIndex.counted_from`)."""
    index = in_payment_index(tax_benefit_system, branch_code)
    return first_paid(decided_on, start) if index is None else index.counted_from(decided_on, start)


def _index_of(parameter: Any, unverified: bool = False, catch_up: Any = None) -> InPaymentIndex:
    """An index from a dated parameter's values (``unverified``: every value counts as unverified), with the
    catch-up rises of another (``catch_up``), if any."""
    days, values, statuses = dated(parameter)
    doubtful = np.array([unverified or status == UNVERIFIED for status in statuses], dtype=bool)
    return InPaymentIndex(days, values, doubtful, None if catch_up is None else _index_of(catch_up))


@cache
def in_payment_index(tax_benefit_system: Any, branch_code: str) -> InPaymentIndex | None:
    """The index of benefits in payment of a branch in a system's rules: its own (``<branch>.in_payment_index``),
    else the reference amount a flat-rate benefit follows (``flat_rate.follows_reference_amount``: Viet Nam's
    disability allowance is the standard social assistance level in force times a coefficient); None where the
    law sets none."""
    parameters = getattr(tax_benefit_system, "parameters", None)
    own = child(parameters, branch_code, PARAMETER)
    if own is not None:
        return _index_of(own, catch_up=child(parameters, branch_code, CATCH_UP))
    follows = child(parameters, branch_code, "flat_rate", FOLLOWS)
    amounts = child(parameters, branch_code, "flat_rate", "reference_amount")
    if follows is None or amounts is None or not any(at.value for at in follows.values_list):
        return None
    (name, *_) = getattr(amounts, "children", {}) or (None,)
    followed = child(parameters, "reference_amounts", name) if name else None
    if followed is None or not hasattr(followed, "values_list"):
        return None
    doubtful = any((at.metadata or {}).get("status") == UNVERIFIED for at in follows.values_list)
    return _while_followed(_index_of(followed, doubtful), follows)


def _while_followed(index: InPaymentIndex, follows: Any) -> InPaymentIndex:
    """``index`` (the reference amount followed) on the days ``follows`` is true; not known (NaN) from a day it is
    false or null (a rule a law ended, or whose source was not found): no rise is paid on a rule not in force."""
    flag_days, flags, _ = dated(follows)
    days = np.union1d(index.days, flag_days)
    at = np.searchsorted(index.days, days, side="right") - 1
    flag = flags[np.searchsorted(flag_days, days, side="right") - 1]
    followed = (flag == flag) & (flag != 0) & (at >= 0)  # NaN (a null) and false stop it
    values = np.where(followed, index.values[np.maximum(at, 0)], np.nan)
    return InPaymentIndex(days, values, index.unverified[np.maximum(at, 0)], index.catch_up, followed=True)


def raised_in(
    tax_benefit_system: Any, branch_code: str, amounts: np.ndarray, decided_on: np.ndarray, month: str
) -> tuple[np.ndarray, np.ndarray]:
    """``amounts`` decided on ``decided_on``, as paid in ``month`` with the branch's rises of benefits in payment
    (rounded to the currency's unit; NaN where the rise is not known; unchanged where the law sets no index), and
    where the rise rests on an unverified value (provisional)."""
    index = in_payment_index(tax_benefit_system, branch_code)
    if index is None or not len(amounts):
        return amounts, np.zeros(len(amounts), dtype=bool)
    months = np.array([month], dtype="datetime64[M]")
    factors, unsure = index.factors(decided_on, months)[0], index.unsure(decided_on, months)[0]
    decimals = tax_benefit_system.jurisdiction.amount_decimals
    raised = np.where(factors == 1, amounts, round_money(np.asarray(amounts, dtype=np.float64) * factors, decimals))
    return raised, unsure
