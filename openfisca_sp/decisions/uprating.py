"""Rises of benefits in payment: what a benefit decided on one day pays in a later month.

A pension is decided on its claim's day, at that day's law; later, the law raises the pensions in payment by
decree (Tajikistan: +30% from 1 July 2024, +10% from 1 September 2025). Where a branch has an index of benefits
in payment (``<branch>.in_payment_index``), a benefit decided when the index stood at I0 pays I / I0 times its
amount in a month when it stands at I (read on the month's first day, or on the day decided within that month).
Where the index is null (a rise of unknown size) or not yet in force, what the month pays is not known. A branch
without an index keeps the amount decided, and its schedules say that rises are not modelled.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from openfisca_sp.decisions.dated_values import DatedValues, child, dated
from openfisca_sp.rules.formulas import round_money
from openfisca_sp.rules.provenance import UNVERIFIED

PARAMETER = "in_payment_index"
FOLLOWS = "follows_reference_amount"  # under a branch's flat_rate: the benefit in payment follows the amount
NOT_MODELLED_NOTE = "each month at the amount decided (rises of benefits in payment are not modelled)"
INDEXED_NOTE = "raised with the law's rises of benefits in payment (an index, or the reference amount followed)"
UNSURE = ", some by an unverified value (provisional)"


@dataclass(frozen=True)
class InPaymentIndex(DatedValues):
    """A branch's index of benefits in payment: each value's first day, the value (NaN: not known), and whether
    its status is unverified (what it raises is then provisional)."""

    unverified: np.ndarray  # bool

    @staticmethod
    def _read_on(decided_on: np.ndarray, months: np.ndarray) -> np.ndarray:
        first_days = np.asarray(months, dtype="datetime64[M]").astype("datetime64[D]")
        return np.maximum(first_days[:, np.newaxis], decided_on[np.newaxis, :])  # NaT stays NaT

    def factors(self, decided_on: np.ndarray, months: np.ndarray) -> np.ndarray:
        """By what each benefit decided on ``decided_on`` is multiplied in each of ``months`` (a row per month,
        ``datetime64[M]``; a column per benefit); NaN where not known."""
        decided_on = np.asarray(decided_on, dtype="datetime64[D]")
        return self.at(self._read_on(decided_on, months)) / self.at(decided_on)[np.newaxis, :]

    def unsure(self, decided_on: np.ndarray, months: np.ndarray) -> np.ndarray:
        """Where a benefit's rise in a month (as :meth:`factors`) rests on an unverified value of the index."""
        decided_on = np.asarray(decided_on, dtype="datetime64[D]")
        read, decided = self.position(self._read_on(decided_on, months)), self.position(decided_on)
        either = self.unverified[np.maximum(read, 0)] | self.unverified[np.maximum(decided, 0)][np.newaxis, :]
        # a rise of unknown size, or from before the index, is not known (NaN), not provisional
        known = ~np.isnan(self.values[np.maximum(read, 0)]) & (decided >= 0)[np.newaxis, :]
        return (read != decided[np.newaxis, :]) & either & known


def _index_of(parameter: Any, unverified: bool = False) -> InPaymentIndex:
    """An index from a dated parameter's values (``unverified``: every value counts as unverified)."""
    days, values, statuses = dated(parameter)
    doubtful = np.array([unverified or status == UNVERIFIED for status in statuses], dtype=bool)
    return InPaymentIndex(days, values, doubtful)


@cache
def in_payment_index(tax_benefit_system: Any, branch_code: str) -> InPaymentIndex | None:
    """The index of benefits in payment of a branch in a system's rules: its own (``<branch>.in_payment_index``),
    else the reference amount a flat-rate benefit follows (``flat_rate.follows_reference_amount``: Viet Nam's
    disability allowance is the standard social assistance level in force times a coefficient); None where the
    law sets none."""
    parameters = getattr(tax_benefit_system, "parameters", None)
    own = child(parameters, branch_code, PARAMETER)
    if own is not None:
        return _index_of(own)
    follows = child(parameters, branch_code, "flat_rate", FOLLOWS)
    amounts = child(parameters, branch_code, "flat_rate", "reference_amount")
    if follows is None or amounts is None or not any(at.value for at in follows.values_list):
        return None
    (name, *_) = getattr(amounts, "children", {}) or (None,)
    followed = child(parameters, "reference_amounts", name) if name else None
    if followed is None or not hasattr(followed, "values_list"):
        return None
    doubtful = any((at.metadata or {}).get("status") == UNVERIFIED for at in follows.values_list)
    return _index_of(followed, doubtful)


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
