"""The columns of a person table: structure columns, and one column per fact the rules read.

A fact as of the month evaluated is a plain column named after its input
variable; a month of a history is ``<variable>.<YYYY-MM>``
(``insured_wage.2026-09``). The columns the rules need are found by tracing the
rules at the month evaluated, so they cannot drift from the formulas.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from openfisca_sp.decisions.claims import changes_in_month
from openfisca_sp.decisions.facts import Fact, facts_of
from openfisca_sp.decisions.tracing import traced_facts

PERSON_ID = "person_id"
HOUSEHOLD_ID = "household_id"
WEIGHT = "weight"
HEAD = "is_household_head"
STRUCTURE = (PERSON_ID, HOUSEHOLD_ID, WEIGHT, HEAD)
# The columns of a person table that the analyses read besides the rules' facts (analysis.survey)
SURVEY_ONLY = ("income", "is_unemployed", "has_severe_disability", "is_urban")

# Facts whose variable default means "nothing happened", as their documentation says:
# an empty cell there is that absence, not a missing value.
ABSENCE = frozenset(
    {
        "unemployment_registration_date",  # not registered as unemployed
        "child_birth_date",  # no confinement
        "pregnancy_outcome",  # none
        "separation_reason",  # not separated
        "disability_category",  # no category assigned
        "disability_degree",  # no assessed loss of capacity
        "minimum_wage_region",  # unknown: the highest regional amount applies
        "previous_unemployment_separation_date",  # no earlier unemployment benefit
        "unemployment_contribution_months_preserved",  # none preserved
        "employment_end_date",  # not stated: windows end before the claim's month, no time limit, the claim day's cap
        "old_age_claim_date",  # no dated claim: a pension in payment, decided in the month evaluated
        "disability_assessment_date",  # likewise
        "social_pension_claim_date",  # likewise (the written request for a social pension)
        "children_raised",  # not stated: the general pensionable age and period (the reduction is claimed with proof)
        "raised_disabled_child",  # likewise
        "rested_during_pregnancy_on_prescription",  # not stated: no prescribed rest, the general minimum of months
        "arduous_work_months",  # not stated: no such months, the general pensionable age
        "hardship_area_months",  # likewise
        "underground_coal_mining_months",  # likewise
        "disability_certificate_date",  # not stated: the assessment's month stands for it (provisional)
        "disability_decision_date",  # likewise
        "social_pension_decision_date",  # likewise
    }
)

# Columns used by the analysis (breakdowns and coverage indicators), not by the rules.


def column_name(variable: str, period: str, month: str, present: Collection[str] = ()) -> str:
    """The column holding fact ``variable`` for ``period`` in a table evaluated at ``month``: for ``month``, its
    history column where the table has it (``present``: it wins over the plain one), else the plain one."""
    if period == "ETERNITY" or (period == month and f"{variable}.{period}" not in present):
        return variable
    return f"{variable}.{period}"


@dataclass(frozen=True)
class ColumnNeed:
    """A column the rules read, and how to fill it if the table lacks it."""

    column: str
    variable: str
    period: str
    fact: Fact
    claims: tuple[str, tuple[str, ...]] | None = None  # read for the claims dated in a month (and by which dates)
    # the rules read it only of the persons a condition may concern, and its absence is the absence of the event
    # (:mod:`~.read_only_where`): a table may leave the column out, read as that absence
    only_where: bool = False
    # a month of wages the rules read only where a table holds it (:func:`~.read_only_where.marked_needs`): the
    # month of a claim's own event (Viet Nam: a birth on or after the 15th), or one before the months the branch's
    # conditions read that only its results read (the latest months with contributions of a mother): a table may
    # leave the column out, read as no contributions that month
    held_only: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        """The columns a table gives it by (:func:`column_name`): its column, and for a plain column of a fact of a
        month, that month's column too (``insured_wage.2026-10`` or ``insured_wage``: the first wins where a table
        has both), the first named first."""
        if self.column == self.variable and self.period != "ETERNITY":
            return (f"{self.variable}.{self.period}", self.column)
        return (self.column,)


def needed_columns(
    tax_benefit_system: Any, month: str, variables: Iterable[str], present: Collection[str] = ()
) -> list[ColumnNeed]:
    """The columns of a person table that computing ``variables`` in ``month`` reads, in a stable order (those
    of a table whose columns are ``present``: see :func:`column_name`)."""
    facts = facts_of(tax_benefit_system)
    return [
        ColumnNeed(column_name(variable, period, month, present), variable, period, facts[variable])
        for variable, period in traced_facts(tax_benefit_system, tuple(sorted(set(variables))), month)
    ]


def later_day_columns(
    tax_benefit_system: Any, month: str, variables: Iterable[str], present: Collection[str] | None = None
) -> list[ColumnNeed]:
    """The columns the rules of the days of ``month`` on which a value comes into force read beyond its 1st's
    (:func:`needed_columns`): the claims of the month evaluated dated on or after such a day read them, as
    ``/eligibility`` does; read where the table has them (``present``; None: every candidate)."""
    first = set(traced_facts(tax_benefit_system, tuple(sorted(set(variables))), month))
    facts = facts_of(tax_benefit_system)
    needs = [
        ColumnNeed(column_name(variable, period, month, present or ()), variable, period, facts[variable])
        for variable, period in claim_facts(tax_benefit_system, variables, month)
        if (variable, period) not in first
    ]
    return [need for need in needs if present is None or need.column in present]


def claim_facts(tax_benefit_system: Any, variables: Iterable[str], event_month: str) -> list[tuple[str, str]]:
    """The facts (variable, period) claims whose event falls in ``event_month`` read: with the rules of its first
    day, and of each day in it a value comes into force (a claim of the 20th read with the rules of the 5th, as
    ``/eligibility`` decides it: :func:`~openfisca_sp.decisions.claims.rules_days`)."""
    names = tuple(sorted(set(variables)))
    found = dict.fromkeys(traced_facts(tax_benefit_system, names, event_month))
    for day in changes_in_month(tax_benefit_system, event_month):
        found.update(dict.fromkeys(traced_facts(tax_benefit_system, names, event_month, day)))
    return sorted(found)


def claim_columns(
    tax_benefit_system: Any, month: str, event_month: str, variables: Iterable[str], present: Collection[str]
) -> list[ColumnNeed]:
    """The columns read by claims whose event falls in ``event_month``, in a table evaluated at ``month``.

    A fact of the event's month, or of the month evaluated, is its history
    column where the table has one (``insured_wage.2026-03``), else the plain
    column: for the event's month, a fact as of the event (kept at ``month``,
    and placed at the event's month when the claim is decided). Other months
    are history columns.
    """
    facts = facts_of(tax_benefit_system)
    needs = []
    for variable, period in claim_facts(tax_benefit_system, variables, event_month):
        if period == event_month and f"{variable}.{period}" not in present:
            needs.append(ColumnNeed(variable, variable, month, facts[variable]))
        else:
            needs.append(ColumnNeed(column_name(variable, period, month, present), variable, period, facts[variable]))
    return needs


def claim_candidates(tax_benefit_system: Any, month: str, event_month: str, variables: Iterable[str]) -> list[str]:
    """Every column :func:`claim_columns` may read, before the table's columns are known: for a fact of the
    event's month or of the month evaluated, both its history column and the plain one."""
    names = []
    for variable, period in claim_facts(tax_benefit_system, variables, event_month):
        both = period in (event_month, month)
        names += [f"{variable}.{period}", variable] if both else [column_name(variable, period, month)]
    return names


def event_columns(tax_benefit_system: Any, month: str, event_facts: Iterable[str], present: Collection[str]) -> list:
    """The event date columns the table has (each claim's event: a birth, a registration, a claim)."""
    facts = facts_of(tax_benefit_system)
    return [ColumnNeed(name, name, month, facts[name]) for name in event_facts if name in present]
