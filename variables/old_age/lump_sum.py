"""Old-age lump sum for those who reach pensionable age without the qualifying period."""

import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules import formulas, replacement_rates
from openfisca_sp.rules.branches.old_age import LUMP_SUM
from openfisca_sp.rules.entities import Person
from openfisca_sp.rules.enums import IneligibilityReason as Reason

EARLIER_RATE = "months_of_wage_per_year_before_2014"


class old_age_lump_sum_modelled(Variable):
    value_type = bool
    entity = Person
    label = "The old-age lump sum is modelled at this date"
    definition_period = DateUnit.MONTH

    def formula(person, period, parameters):
        return formulas.modelled_where_read(person, period, parameters, "old_age", LUMP_SUM, "old_age_lump_sum")


def _short_career(person, period):
    return person("old_age_pension_ineligibility_reason", period) == Reason.insufficient_contributions


class old_age_lump_sum_entitled(Variable):
    value_type = bool
    entity = Person
    label = "Entitled to the old-age lump sum: pensionable age reached without the qualifying period"
    definition_period = DateUnit.MONTH
    reference = "The law in force, where it provides the lump sum (parameter old_age.lump_sum.provided)"
    documentation = (
        "Owed where the law in force provides a lump sum (Viet Nam: SI Law 2014 Art 60(1)(a), 2024 Art 70(1)(a); "
        "Lao PDR: Decree 207/PM) and the pension is refused for too short a contribution period, or below the "
        "pensionable age after leaving social insurance (old_age_lump_sum_after_leaving_entitled). Where whether the "
        "law provides one is not known, nobody is told it is owed: see old_age_lump_sum_owed_unknown."
    )

    def formula(person, period, parameters):
        after_leaving = person("old_age_lump_sum_after_leaving_entitled", period)
        if not formulas.lump_sum_provided(parameters, period):
            return after_leaving
        return _short_career(person, period) | after_leaving


class old_age_lump_sum_owed_unknown(Variable):
    value_type = bool
    entity = Person
    label = "Whether an old-age lump sum is owed is not known: the law's provision of one was not found"
    definition_period = DateUnit.MONTH
    documentation = (
        "The pension is refused for too short a contribution period, and no source says whether the law in force "
        "provides a lump sum then (Tajikistan; Lao PDR from Law 34/NA): the lump sum is not modelled, neither owed "
        "nor 0."
    )

    def formula(person, period, parameters):
        if (
            formulas.lump_sum_provided(parameters, period) is not None
            or formulas.branch(parameters, period, "old_age") is None
        ):
            return person.filled_array(False)
        return _short_career(person, period)


class old_age_lump_sum(Variable):
    value_type = float
    entity = Person
    label = "Old-age lump sum (paid once)"
    unit = "currency"
    definition_period = DateUnit.MONTH
    documentation = (
        "Paid once to a person at pensionable age whose contribution period is too short for a pension: "
        "months of reference wage per year of contributions (parameter old_age.lump_sum)."
    )

    def formula(person, period, parameters):
        if not formulas.part_modelled(parameters, period, "old_age", LUMP_SUM):
            return person.filled_array(0)
        node = formulas.branch(parameters, period, "old_age")
        months = person("contribution_months", period)
        wage_months = _wage_months(person, period, node.lump_sum, months, _earlier_rate(node))
        amount = wage_months * person("old_age_reference_wage", period)
        return formulas.amount_paid(person, amount, person("old_age_lump_sum_entitled", period))


def _wage_months(person, period, rules, months, earlier_rate):
    """The months of reference wage the lump sum pays for ``months`` of contributions (``rules``: the branch's
    ``lump_sum`` node). The years before 2014 count at ``earlier_rate`` where the law counts them apart, and their
    odd months in the years from 2014 where it says so (Viet Nam: Circular 59/2015 Art 19(4), SI Law 2024 Art
    70(3)(a)); the years from 2014 count their odd months as half years and years where the law says so (Art
    19(4)); a career of less than a year is paid the contributions on it, up to a most (SI Law 2014 Art 60(2),
    Circular 59/2015 Art 19(2))."""
    before = 0
    if earlier_rate is not None:
        before = person("old_age_lump_sum_months_before_2014", period)
        if formulas.has(rules, "odd_months_before_2014_moved") and bool(rules.odd_months_before_2014_moved):
            before = before // formulas.MONTHS_PER_YEAR * formulas.MONTHS_PER_YEAR
    wage_months = rules.months_of_wage_per_year * replacement_rates.counted_years(months - before, rules)
    if earlier_rate is not None:
        wage_months = wage_months + earlier_rate * formulas.completed_years(before)
    if formulas.has(rules, "less_than_a_year"):
        short = rules.less_than_a_year
        paid = np.minimum(short.contribution_rate * months, short.maximum_months_of_wage)
        wage_months = np.where(months < formulas.MONTHS_PER_YEAR, paid, wage_months)
    return wage_months


def _earlier_rate(node):
    """The months of wage a year contributed before 2014 counts, where the law counts those years apart (the
    old-age branch's ``node``); None elsewhere."""
    if node is None or not formulas.has(node, "lump_sum") or not formulas.has(node.lump_sum, EARLIER_RATE):
        return None
    return node.lump_sum[EARLIER_RATE]


class old_age_lump_sum_months_before_2014(Variable):
    value_type = int
    entity = Person
    label = "Contribution months the old-age lump sum counts before 2014"
    unit = "month"
    definition_period = DateUnit.MONTH
    reference = "Viet Nam: Law on Social Insurance 2014 Art 60(2); 2024 Art 70(3)"
    documentation = (
        "contribution_months_before_2014 as stated (at most contribution_months); not stated, the fewest there "
        "can be: the contribution months beyond the months from January 2014 to the month before the claim."
    )

    def formula(person, period):
        months = person("contribution_months", period)
        stated = person("contribution_months_before_2014", period)
        since_2014 = (period.start.year - 2014) * 12 + period.start.month - 1
        fewest = np.clip(months - since_2014, 0, months)  # before 2014 (since_2014 < 0): every month
        return np.where(stated >= 0, np.minimum(stated, months), fewest)


class old_age_lump_sum_split_assumed(Variable):
    value_type = bool
    entity = Person
    label = "The old-age lump sum assumes the fewest contribution months before 2014 (not stated)"
    definition_period = DateUnit.MONTH

    def formula(person, period, parameters):
        if _earlier_rate(formulas.branch(parameters, period, "old_age")) is None:
            return person.filled_array(False)
        not_stated = person("contribution_months_before_2014", period) < 0
        counted = person("old_age_lump_sum_months_before_2014", period)
        more_possible = counted < person("contribution_months", period)
        return (person("old_age_lump_sum", period) > 0) & not_stated & more_possible
