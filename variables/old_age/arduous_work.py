"""The lower pensionable age of arduous work and of underground coal mining (Viet Nam).

A person with the qualifying period may retire up to 5 years below the pensionable age after 15 years of arduous,
toxic or dangerous work, or of work in a place of hardship, and up to 10 years below it (from 2021) after 15 years of
underground coal mining: SI Law 2014 Art 54(1)(b)-(c) (men 55 and women 50 before 2021), as Labour Code 2019
Art 219(1)(a) replaced it with the age of Labour Code Art 169(3) from 2021; SI Law 2024 Art 64(1)(b)-(c). The pension
is the general one (Art 56(1)-(2), Art 66(1)): the 2% a year early of Art 56(3) / Art 66(3) is the reduced-capacity
pension's only. Only the persons stating such months at the law's minimum are read further (their sex and age):
a table without them computes nothing more than the comparisons of three columns.
"""

import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules import formulas
from openfisca_sp.rules.entities import Person
from openfisca_sp.rules.small_arrays import anyone

NONE = 0  # no lower age


def _arduous_work(parameters, period):
    """The old-age branch and its rules of the lower age of arduous work in force, or (None, None)."""
    node = formulas.branch(parameters, period, "old_age")
    if node is None or not formulas.has(node, "arduous_work", "minimum_months"):
        return None, None
    return node, node.arduous_work


def _arduous_months_met(person, period, rules):
    """Whether the stated months of arduous work, or of work in a place of hardship, reach the law's minimum: each
    kind on its own, or their total where the law adds them (``hardship_area_months_added``).

    The total is a time of contributions (SI Law 2024 Art 64(1)(b): "tổng thời gian đóng bảo hiểm xã hội bắt buộc …
    khi làm nghề, công việc nặng nhọc … hoặc làm việc ở vùng …"): a month of arduous work in a place of hardship, which
    the social insurance book may record under both kinds, is one month of contributions, so the total is never more
    than contribution_months (the sum of the two above it counts such months twice). Before 1 July 2025 the two are
    alternatives (SI Law 2014 Art 54(1)(b): "hoặc có đủ 15 năm"), each checked alone, and a month recorded under both
    counts for each: their sum above contribution_months is no contradiction, and is not refused."""
    work = person("arduous_work_months", period)
    area = person("hardship_area_months", period)
    if formulas.has(rules, "hardship_area_months_added") and bool(rules.hardship_area_months_added):
        total = np.minimum(work + area, person("contribution_months", period))  # a month contributed counts once
        return total >= rules.minimum_months
    return (work >= rules.minimum_months) | (area >= rules.minimum_months)


class old_age_lower_pensionable_age_months(Variable):
    value_type = int
    entity = Person
    label = "The lower pensionable age the stated months of arduous work or underground coal mining give (0: none)"
    unit = "month"
    definition_period = DateUnit.MONTH
    reference = (
        "Parameters old_age.arduous_work (Viet Nam SI Law 2014 Art 54(1)(b)-(c), as Labour Code 2019 Art 219(1)(a) "
        "replaced it from 2021 with the age of Labour Code Art 169(3); SI Law 2024 Art 64(1)(b)-(c)), below the "
        "general pensionable age old_age.pensionable_age in force on the claim"
    )
    documentation = (
        "The lowest of the ages the rules met give: the general age less arduous_work.months_below_pensionable_age "
        "where arduous_work_months or hardship_area_months reach arduous_work.minimum_months, less "
        "underground_coal_mining.months_below_pensionable_age where underground_coal_mining_months reach its "
        "minimum. The qualifying period is checked apart (old_age_lower_pensionable_age_reached)."
    )

    def formula(person, period, parameters):
        node, rules = _arduous_work(parameters, period)
        if rules is None:
            return person.filled_array(NONE)
        arduous = _arduous_months_met(person, period, rules)
        coal = None
        if formulas.has(rules, "underground_coal_mining", "minimum_months"):
            mining = rules.underground_coal_mining
            coal = person("underground_coal_mining_months", period) >= mining.minimum_months
        stated = arduous if coal is None else arduous | coal
        if not anyone(stated) and not formulas.computes_every_condition(person):
            return person.filled_array(NONE)  # nobody states such months: neither sex nor age is read
        rows = np.flatnonzero(stated)  # the others have no lower age: worked out for these alone
        female = formulas.is_female(person, period)[rows]
        general = formulas.by_sex(node.pensionable_age, female)
        below = formulas.by_sex(rules.months_below_pensionable_age, female)
        lower = np.where(arduous[rows], general - below, NONE)
        if coal is not None:
            mining_age = general - formulas.by_sex(mining.months_below_pensionable_age, female)
            lower = np.where(coal[rows] & ((lower == NONE) | (mining_age < lower)), mining_age, lower)
        ages = np.full(person.count, NONE, dtype=lower.dtype)
        ages[rows] = lower
        return ages


class old_age_lower_pensionable_age_may_apply(Variable):
    value_type = bool
    entity = Person
    label = "Below the pensionable age, at the lower age the stated months of arduous work or coal mining give"
    definition_period = DateUnit.MONTH
    documentation = (
        "The lower age needs the qualifying period too: only these persons' refusal for the age turns on their months "
        "of contributions, which that condition asks of them alone."
    )

    def formula(person, period, parameters):
        lower = person("old_age_lower_pensionable_age_months", period)
        if not anyone(lower > NONE) and not formulas.computes_every_condition(person):
            return person.filled_array(False)
        below = np.logical_not(person("old_age_pensionable_age_reached", period))
        return (lower > NONE) & below & (person("old_age_age_reached_months", period) >= lower)


class old_age_lower_pensionable_age_reached(Variable):
    value_type = bool
    entity = Person
    label = "Below the pensionable age, at the lower age of arduous work or coal mining, with the qualifying period"
    definition_period = DateUnit.MONTH
    reference = (
        "Viet Nam SI Law 2014 Art 54(1) (as replaced from 2021): 'khi nghỉ việc có đủ 20 năm đóng bảo hiểm xã hội "
        "trở lên thì được hưởng lương hưu nếu thuộc một trong các trường hợp sau đây' (points (b) and (c)); SI Law "
        "2024 Art 64(1): 15 years"
    )

    def formula(person, period, parameters):
        at_the_age = person("old_age_lower_pensionable_age_may_apply", period)
        if not anyone(at_the_age) and not formulas.computes_every_condition(person):
            return person.filled_array(False)
        return at_the_age & person("old_age_qualifying_period_met", period)


class old_age_arduous_work_considered(Variable):
    value_type = bool
    entity = Person
    label = "Below the pensionable age, stating months of arduous work or coal mining"
    definition_period = DateUnit.MONTH
    documentation = (
        "The persons whose decision the lower age of arduous work (old_age.arduous_work) may change: their decision "
        "cites its values, and is provisional where one is unverified (a refusal for months below the law's minimum "
        "included: it rests on that minimum); a person at the general pensionable age, or stating no such months, "
        "does not rest on them."
    )

    def formula(person, period, parameters):
        stated = (
            (person("arduous_work_months", period) > 0)
            | (person("hardship_area_months", period) > 0)
            | (person("underground_coal_mining_months", period) > 0)
        )
        if not anyone(stated):
            return stated
        return stated & np.logical_not(person("old_age_pensionable_age_reached", period))
