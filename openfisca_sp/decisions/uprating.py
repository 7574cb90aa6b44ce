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

from openfisca_sp.rules.formulas import round_money
from openfisca_sp.rules.provenance import UNVERIFIED

PARAMETER = "in_payment_index"
FOLLOWS = "follows_reference_amount"  # under a branch's flat_rate: the benefit in payment follows the amount
NOT_MODELLED_NOTE = "each month at the amount decided (rises of benefits in payment are not modelled)"
INDEXED_NOTE = "raised with the law's rises of benefits in payment (an index, or the reference amount followed)"
UNSURE = ", some by an unverified value (provisional)"


@dataclass(frozen=True)
class InPaymentIndex:
    """A branch's index of benefits in payment: each value's first day, the value (NaN: not known), and whether
    its status is unverified (what it raises is then provisional)."""

    days: np.ndarray  # datetime64[D], ascending
    values: np.ndarray  # float64
    unverified: np.ndarray  # bool

    def _position(self, days: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.days, np.asarray(days, dtype="datetime64[D]"), side="right") - 1

    def at(self, days: np.ndarray) -> np.ndarray:
        """The index on each day (NaN before its first day, or where its value is not known)."""
        days = np.asarray(days, dtype="datetime64[D]")
        position = self._position(days)
        found = self.values[np.maximum(position, 0)]
        return np.where((position >= 0) & ~np.isnat(days), found, np.nan)

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
        read, decided = self._position(self._read_on(decided_on, months)), self._position(decided_on)
        either = self.unverified[np.maximum(read, 0)] | self.unverified[np.maximum(decided, 0)][np.newaxis, :]
        # a rise of unknown size, or from before the index, is not known (NaN), not provisional
        known = ~np.isnan(self.values[np.maximum(read, 0)]) & (decided >= 0)[np.newaxis, :]
        return (read != decided[np.newaxis, :]) & either & known


def _node(root: Any, *path: str) -> Any | None:
    for key in path:
        children = getattr(root, "children", {})
        if key not in children:
            return None
        root = children[key]
    return root


def _index_of(parameter: Any, unverified: bool = False) -> InPaymentIndex:
    """An index from a dated parameter's values (``unverified``: every value counts as unverified)."""
    dated = sorted((at.instant_str, at.value, (at.metadata or {}).get("status")) for at in parameter.values_list)
    days = np.array([day for day, _, _ in dated], dtype="datetime64[D]")
    values = np.array([np.nan if value is None else float(value) for _, value, _ in dated], dtype=np.float64)
    doubtful = np.array([unverified or status == UNVERIFIED for *_, status in dated], dtype=bool)
    return InPaymentIndex(days, values, doubtful)


@cache
def in_payment_index(tax_benefit_system: Any, branch_code: str) -> InPaymentIndex | None:
    """The index of benefits in payment of a branch in a system's rules: its own (``<branch>.in_payment_index``),
    else the reference amount a flat-rate benefit follows (``flat_rate.follows_reference_amount``: Viet Nam's
    disability allowance is the standard social assistance level in force times a coefficient); None where the
    law sets none."""
    parameters = getattr(tax_benefit_system, "parameters", None)
    own = _node(parameters, branch_code, PARAMETER)
    if own is not None:
        return _index_of(own)
    follows = _node(parameters, branch_code, "flat_rate", FOLLOWS)
    amounts = _node(parameters, branch_code, "flat_rate", "reference_amount")
    if follows is None or amounts is None or not any(at.value for at in follows.values_list):
        return None
    (name, *_) = getattr(amounts, "children", {}) or (None,)
    followed = _node(parameters, "reference_amounts", name) if name else None
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
