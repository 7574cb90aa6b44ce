"""The facts a decision rests on: the input variables of a tax-benefit system, as record fields.

Every person variable without a formula is a fact a caller can state. A fact
keeps its variable's name; an eternal fact (``birth_date``, ``sex``) is one
value, a monthly fact is either one value *as of* the month evaluated or a
history ``{"YYYY-MM": value}`` (e.g. ``insured_wage``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cache
from typing import Any

from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import DateUnit

from openfisca_sp.rules.fact_bounds import MAXIMA, UNIT_MAXIMA
from openfisca_sp.rules.jurisdictions import registry
from openfisca_sp.rules.periods import FIRST_DATE, LAST_DATE  # the calendar the service reads
from openfisca_sp.rules.system import tax_benefit_system

MONTH_PATTERN = r"^(19[0-9]{2}|2[01][0-9]{2})-(0[1-9]|1[0-2])$"  # YYYY-MM in ASCII digits, 1900-01 to 2199-12
MONTH_EXPECTED = f"a month, YYYY-MM, from {FIRST_DATE:%Y-%m} to {LAST_DATE:%Y-%m}"

# Upper bounds the law gives a fact (lower bounds are 0 for every number): MAXIMA, UNIT_MAXIMA (rules.fact_bounds).
LARGEST_COUNT = 10**9  # the largest whole number a fact takes, where the law gives no bound
LARGEST_AMOUNT = 1e15  # the largest number, where the law gives no bound
# What the values of a bounded fact mean, where "at most N" would not say it.
CHOICES = {
    "minimum_wage_region": "0 (unknown: the highest regional amount applies), or a region from 1 (region I) to 4 "
    "(region IV)",
}

# Facts whose absence the rules handle explicitly, as their documentation says
# (e.g. an unknown minimum-wage region applies the highest regional amount).
OPTIONAL = frozenset(
    {
        "minimum_wage_region",
        "previous_unemployment_separation_date",
        "unemployment_contribution_months_preserved",
        "employment_end_date",  # not stated: windows end before the claim's month, no time limit, the claim day's cap
        "children_raised",  # not stated: 0, the general age and period (asked for where claiming would change it)
        "raised_disabled_child",  # not stated: false, likewise
        "contribution_months_before_2014",  # not stated: the fewest possible, the lump sum provisional
        "poor_or_near_poor_household",  # not stated: not certified (the lower age of a social pension does not apply)
        "rested_during_pregnancy_on_prescription",  # not stated: no rest, the general minimum (asked where it matters)
        "arduous_work_months",  # not stated: none, the general pensionable age (asked where it would change a refusal)
        "hardship_area_months",  # likewise
        "underground_coal_mining_months",  # likewise
        "disability_certificate_date",  # not stated: the assessment's month stands for it, the schedule provisional
        "disability_decision_date",  # likewise (the month paid from from 5 October 2026 in Viet Nam)
        "social_pension_decision_date",  # likewise: the request's month stands for it
    }
)


@dataclass(frozen=True)
class Fact:
    """One input variable, as a caller states it."""

    name: str
    value_type: type
    eternal: bool
    label: str
    documentation: str
    enum_names: tuple[str, ...] = ()
    unit: str | None = None
    default: Any = None

    @property
    def optional(self) -> bool:
        return self.name in OPTIONAL

    @property
    def maximum(self) -> float | None:
        """The largest value the law allows: the fact's own (:data:`MAXIMA`), else its unit's (:data:`UNIT_MAXIMA`)."""
        return MAXIMA.get(self.name, UNIT_MAXIMA.get(self.unit or ""))

    @property
    def choices(self) -> str | None:
        """What each value allowed means, where the bounds alone would not say it."""
        return CHOICES.get(self.name)


@cache
def facts_of(tax_benefit_system: Any) -> dict[str, Fact]:
    """The facts of a system's person entity, by name (variables without formulas)."""
    person_key = tax_benefit_system.person_entity.key
    found = {}
    for name, variable in sorted(tax_benefit_system.variables.items()):
        if variable.entity.key != person_key or variable.formulas or variable.is_neutralized:
            continue
        enum_names = tuple(item.name for item in variable.possible_values) if variable.value_type is Enum else ()
        default = variable.default_value
        found[name] = Fact(
            name=name,
            value_type=variable.value_type,
            eternal=variable.definition_period == DateUnit.ETERNITY,
            label=variable.label or name,
            documentation=(variable.documentation or "").strip(),
            enum_names=enum_names,
            unit=getattr(variable, "unit", None),
            default=default.name if isinstance(default, Enum) else default,
        )
    return found


@cache
def optional_facts(tax_benefit_system: Any) -> frozenset[str]:
    """The names of a system's facts that the rules treat as optional (their absence is not a missing fact)."""
    return frozenset(name for name, fact in facts_of(tax_benefit_system).items() if fact.optional)


def fact_key(fact: Fact, month: str) -> tuple[str, str]:
    """The (variable, period) a fact stated as of ``month`` sets."""
    return (fact.name, "ETERNITY" if fact.eternal else month)


HISTORIES = frozenset({"insured_wage"})  # facts a caller states month by month: a missing one is named with its month


def fact_label(variable: str, period: str, month: str) -> str:
    """How a missing fact is named to a caller: ``sex``, ``contribution_months``, ``insured_wage.2024-05`` (a month
    of a history with its month, the claim's own too: the wage of the month of a birth on the 15th)."""
    if period == "ETERNITY" or (period == month and variable not in HISTORIES):
        return variable
    return f"{variable}.{period}"


@cache
def law_bounds(name: str) -> tuple[float, float] | None:
    """The bounds a number fact of any jurisdiction takes (0, and its maximum in law, or
    :data:`LARGEST_COUNT` or :data:`LARGEST_AMOUNT`), as ``/eligibility`` reads it; None for a name that is no
    such fact (another country package's variable)."""
    for code in registry():
        fact = facts_of(tax_benefit_system(code)).get(name)
        if fact is not None and fact.value_type in (int, float):
            largest = LARGEST_COUNT if fact.value_type is int else LARGEST_AMOUNT
            return 0.0, float(fact.maximum) if fact.maximum is not None else float(largest)
    return None


def is_date_fact(name: str) -> bool:
    """Whether ``name`` is a date fact of some jurisdiction (read from 1900-01-01 to 2199-12-31, as ``/eligibility``
    reads it)."""
    return any(
        (fact := facts_of(tax_benefit_system(code)).get(name)) is not None and fact.value_type is datetime.date
        for code in registry()
    )
