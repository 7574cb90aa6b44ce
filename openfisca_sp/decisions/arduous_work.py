"""Months of arduous work or underground coal mining, asked for where they would change the old-age decision.

Viet Nam lowers the pensionable age, for a person with the qualifying period, by up to 5 years after 15 years of
arduous, toxic or dangerous work or of work in a place of hardship, and by up to 10 years (from 2021) after 15 years
underground in coal mines (SI Law 2014 Art 54(1)(b)-(c); SI Law 2024 Art 64(1)(b)-(c)). Not stated
(``arduous_work_months``, ``hardship_area_months``, ``underground_coal_mining_months``), a person has none, as the
general rule reads them; but a person refused for the age, or whose reduced pension of a loss of working capacity
is not modelled (SI Law 2014 Art 55, SI Law 2024 Art 65: below the pensionable age too), may be one who did not say.
Where the claim, decided again as if the months not stated were enough, is decided otherwise (not a refusal; a
pension at the lower age), it is undetermined and lists them (as :mod:`~.prescribed_rest` does for a prescribed
rest). Each fact is asked only of those at the age it may lower the pensionable age to, on the day decided: below
both lower ages, or with too few months of contributions (the decision as if stated is a refusal too), the refusal
stands, and so does a reduced pension not modelled; stated as 0, the months are not asked again.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np

from openfisca_sp.decisions.as_if_stated import age_reached, settled_as_if_claimed, stated_anyhow
from openfisca_sp.decisions.branch_decisions import BranchDecisions, Decisions
from openfisca_sp.decisions.outcomes import Outcome
from openfisca_sp.decisions.records import RecordColumns
from openfisca_sp.decisions.unstated_choices import Decide, Households
from openfisca_sp.rules.branch_nodes import branch, has
from openfisca_sp.rules.branches.model import SEXES
from openfisca_sp.rules.enums import IneligibilityReason as Reason
from openfisca_sp.rules.formulas import pension_from_month_after_retirement
from openfisca_sp.rules.small_arrays import anyone

BRANCH = "old_age"
RULES = "arduous_work"
ARDUOUS = ("arduous_work_months", "hardship_area_months")  # the lower age of arduous work (Art 54(1)(b))
COAL = ("underground_coal_mining_months",)  # the lower age of underground coal mining (Art 54(1)(c))
AS_IF_MONTHS = 1200  # a century of such work: more than any law asks, as if the person stated enough
SEX_VALUES = {"men": "male", "women": "female"}
# below the pensionable age, the reduced pension of a loss of working capacity (SI Law 2014 Art 55, SI Law 2024 Art
# 65) is not modelled; the lower age of such work grants the full pension instead (Art 54(1)(b)-(c), Art 64(1)(b)-(c))
REDUCED_CAPACITY = Reason.reduced_capacity_pension_not_modelled


def _rules_in(tax_benefit_system: Any) -> bool:
    """Whether a system's old-age rules set a lower age for arduous work at some date."""
    node = getattr(getattr(tax_benefit_system, "parameters", None), "children", {}).get(BRANCH)
    return node is not None and RULES in getattr(node, "children", {})


def _of_sex(node: Any, sex: str) -> Any:
    """A value the law may set by sex (``men``, ``women``), for ``sex``."""
    return node[sex] if has(node, sex) else node


def _lower_age(tax_benefit_system: Any, facts: tuple[str, ...], sex: str) -> Callable[[Any], int | None]:
    """The lower age in months the facts ``facts`` give a person of ``sex`` (``men``, ``women``) under the law in
    force in a period (None where it sets none)."""

    def age_on(period: Any) -> int | None:
        node = branch(tax_benefit_system.get_parameters_at_instant, period, BRANCH)
        if node is None or not has(node, RULES, "minimum_months"):
            return None
        rules, general = node[RULES], int(_of_sex(node.pensionable_age, sex))
        if facts == ARDUOUS:
            return general - int(_of_sex(rules.months_below_pensionable_age, sex))
        if not has(rules, "underground_coal_mining", "minimum_months"):
            return None
        return general - int(_of_sex(rules.underground_coal_mining.months_below_pensionable_age, sex))

    return age_on


def _at_the_lower_ages(
    tax_benefit_system: Any, columns: RecordColumns, decisions: BranchDecisions
) -> dict[tuple[str, ...], np.ndarray]:
    """For the facts of each lower age, who has reached it on the day decided, as the rules measure the age (by the
    end of the claim's month where the pension is paid from the month after retirement), for their sex (for either
    where it is not stated); nobody where no birth date is stated."""
    sexes, sex_stated = columns.values.get("sex", (np.full(columns.count, ""), np.zeros(columns.count, dtype=bool)))
    by_month = functools.partial(pension_from_month_after_retirement, tax_benefit_system.get_parameters_at_instant)
    reached = {}
    for facts in (ARDUOUS, COAL):
        reached[facts] = np.zeros(columns.count, dtype=bool)
        for sex in SEXES:
            at_age, _ = age_reached(columns, decisions, _lower_age(tax_benefit_system, facts, sex), by_month)
            reached[facts] |= at_age & (~sex_stated | (sexes == SEX_VALUES[sex]))
    return reached


def settle_arduous_work(
    tax_benefit_system: Any, decisions: Decisions, columns: RecordColumns, households: Households | None, decide: Decide
) -> Decisions:
    """``decisions`` with each old-age claim refused for the age, or not modelled for a reduced pension of a loss of
    working capacity, that months of arduous work or of underground coal mining, not stated, would decide otherwise
    (a pension at the lower age) undetermined, listing those of them the person's age may make count (and what the
    decision as if stated lacks)."""
    pension = decisions.branches.get(BRANCH)
    if pension is None or not _rules_in(tax_benefit_system):
        return decisions
    unstated = {name: ~stated_anyhow(columns, name) for name in (*ARDUOUS, *COAL)}
    refused = (pension.outcome == Outcome.not_eligible) & (pension.reason == Reason.below_pensionable_age.index)
    reduced = (pension.outcome == Outcome.not_modelled) & (pension.reason == REDUCED_CAPACITY.index)
    may_change = refused | reduced  # a refusal for the age, a reduced pension not modelled
    if not anyone(may_change & np.logical_or.reduce(list(unstated.values()))):
        return decisions
    reached = _at_the_lower_ages(tax_benefit_system, columns, pension)
    arduous, coal = reached[ARDUOUS] & may_change, reached[COAL] & may_change
    # each group is asked the facts whose lower age it has reached: both kinds, or one kind only
    for rows, facts in ((arduous & coal, ARDUOUS + COAL), (arduous & ~coal, ARDUOUS), (coal & ~arduous, COAL)):
        candidates = rows & np.logical_or.reduce([unstated[name] for name in facts])
        if anyone(candidates):
            claimed = dict.fromkeys(facts, AS_IF_MONTHS)
            asked = {name: unstated[name] for name in facts}
            decisions = settled_as_if_claimed(
                decisions, BRANCH, claimed, asked, candidates, columns, households, decide
            )
    return decisions
