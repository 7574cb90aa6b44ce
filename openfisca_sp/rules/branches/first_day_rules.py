"""A first day paid whose law names one of several days, told as the law of the claim's day names it.

Viet Nam's disability allowance is paid from the month the certificate of the degree of disability was issued
before 5 October 2026 (``disability.payment_start.month_of_certificate``), from the month the commune chairman signed
the decision from that day (``disability.payment_start.month_of_decision``): a schedule names the rule in force on
its claim's day, not both (an outside review: a claim decided in September named the decision's month too).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from openfisca_sp.rules.branches.model import FirstDay


@dataclass(frozen=True)
class FirstDayRule:
    """One day the law may pay from: its parameter (under the branch; true where the rule is in force) and what the
    first day rests on under it, where the law gives it and where it is a reading (``FirstDay``'s texts)."""

    parameter: str
    method: str
    read_method: str


@dataclass(frozen=True)
class FirstDayByRule(FirstDay):
    """A :class:`~.model.FirstDay` whose texts are those of the first of its ``rules`` in force on the claim's day
    (in the order its formula reads them), else its own (where none is: a reading of the law, or a rule not
    modelled)."""

    rules: tuple[FirstDayRule, ...] = ()


def first_day_texts(first_day: FirstDay, code: str, in_force: Mapping[str, Mapping[str, Any]]) -> tuple[str, str]:
    """What the first day paid of the branch ``code`` rests on, where the law gives it and where it is a reading,
    under the values ``in_force`` on the claim's day (a legal basis's: parameter name -> its citation, its
    ``value`` among them)."""
    for rule in first_day.rules if isinstance(first_day, FirstDayByRule) else ():
        cited = in_force.get(f"{code}.{rule.parameter}")
        if cited is not None and cited.get("value") is True:
            return rule.method, rule.read_method
    return first_day.method, first_day.read_method
