"""The old-age lump sum below the pensionable age, for one who has left social insurance with too short a career
(Viet Nam: Resolution 93/2015/QH13 with SI Law 2014 Art 60, SI Law 2024 Art 70(1)(đ))."""

from typing import Any

import numpy as np
from openfisca_core.periods import DateUnit, Period
from openfisca_core.variables import Variable

from openfisca_sp.rules import formulas
from openfisca_sp.rules.entities import Person
from openfisca_sp.rules.enums import IneligibilityReason as Reason
from openfisca_sp.rules.windows import NO_DATE, add_months

RULE = "after_leaving_insurance"


def _rules(parameters: Any, period: Period) -> Any | None:
    """The branch's ``lump_sum.after_leaving_insurance`` node in force, None where the law in force has none."""
    node = formulas.branch(parameters, period, "old_age")
    if node is None or not formulas.has(node, "lump_sum", RULE, "months_outside"):
        return None
    return node.lump_sum[RULE]


def in_force_since(person: Any, period: Period) -> np.datetime64:
    """The day the value of ``insured_before_in_force_only`` in force at ``period`` took effect: the day of the
    rule in force, before which the person must have contributed (SI Law 2024 Art 70(1)(đ): "trước ngày Luật
    này có hiệu lực thi hành")."""
    lump_sum = person.simulation.tax_benefit_system.parameters.old_age.lump_sum
    node = lump_sum.children[RULE].children["insured_before_in_force_only"]
    day = str(period.start)
    return np.datetime64(max(value.instant_str for value in node.values_list if value.instant_str <= day), "D")


class old_age_lump_sum_after_leaving_considered(Variable):
    value_type = bool
    entity = Person
    label = "Refused the pension for the age, with some but too few contribution months: the lump sum after leaving"
    definition_period = DateUnit.MONTH
    documentation = (
        "The persons whose decision the rule of the lump sum after leaving social insurance "
        "(old_age.lump_sum.after_leaving_insurance) may change: their decision cites its values, and is provisional "
        "where one is unverified (the years of Resolution 93/2015/QH13); others do not rest on them."
    )

    def formula(person, period, parameters):
        rules = _rules(parameters, period)
        if rules is None:
            return person.filled_array(False)
        months = person("contribution_months", period)
        short = (months > 0) & (months < rules.below_contribution_months)
        return short & (person("old_age_pension_ineligibility_reason", period) == Reason.below_pensionable_age)


class old_age_lump_sum_after_leaving_entitled(Variable):
    value_type = bool
    entity = Person
    label = "May take the old-age lump sum below the pensionable age: out of social insurance with too short a career"
    definition_period = DateUnit.MONTH
    reference = (
        "Viet Nam: Resolution No. 93/2015/QH13 (as Circular 59/2015 Art 19(1) names it; text not read) with SI Law "
        "2014 Art 60; SI Law 2024 Art 70(1)(đ)"
    )
    documentation = (
        "Refused the pension for the age, with some but fewer contribution months than "
        "lump_sum.after_leaving_insurance.below_contribution_months, and lump_sum.after_leaving_insurance."
        "months_outside months from the end of the last labour contract (employment_end_date, read as the day the "
        "person left social insurance: voluntary insurance since is not a fact the engine has) before the claim. "
        "The law counts the months from that event without saying from which day, so the Civil Code's rule applies "
        "(Art 145(1)): the day of the event is not counted (Art 147(3)) and the period ends at the end of the "
        "corresponding day of its last month (Art 148(3), (6)); the payment is due after it, from the next day (a "
        "contract ended on 10 March 2025: from 11 March 2026). Where the rule in force is only for those who "
        "contributed before it took effect (2024 law), their "
        "first contribution is read from the career: the months contributed cannot all fall after that day where "
        "the contract ended fewer months after it than were contributed. Not stated, no contract ended (False, "
        "as a population's empty cell reads); /eligibility then asks for it, and does not tell the lump sum, where "
        "the person is one it may concern (old_age_lump_sum_after_leaving_considered)."
    )

    def formula(person, period, parameters):
        rules = _rules(parameters, period)
        if rules is None:
            return person.filled_array(False)
        ended = person("employment_end_date", period).astype("datetime64[D]")
        # the dates are compared for those the rule may concern, who stated a contract's end: few in a population
        rows = np.flatnonzero(person("old_age_lump_sum_after_leaving_considered", period) & (ended != NO_DATE))
        ended = ended[rows]
        claimed = person("event_date", period)[rows].astype("datetime64[D]")
        # the months outside run from the day after the contract ended to the end of the corresponding day (Civil
        # Code 2015 Art 147(3), 148(3), (6)): "after" them is from the next day
        met = add_months(ended, np.full(len(rows), int(rules.months_outside))) < claimed
        if bool(rules.insured_before_in_force_only):
            since = in_force_since(person, period).astype("datetime64[M]")
            months = person("contribution_months", period)[rows]
            latest_first = ended.astype("datetime64[M]") - months + 1  # the first month is this one or before
            met &= latest_first < since
        entitled = person.filled_array(False)
        entitled[rows] = met
        return entitled
