"""Eligibility for the social pension, and why not (Viet Nam: Law on Social Insurance 2024, Arts 21-22;
a reform's: ILO R202 Para 5(d))."""

import numpy as np
from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules import formulas
from openfisca_sp.rules.branches.social_pension import SOCIAL_PENSION
from openfisca_sp.rules.entities import Person
from openfisca_sp.rules.enums import IneligibilityReason as Reason


class social_pension_age_reached(Variable):
    value_type = bool
    entity = Person
    label = "Has reached the age of the social pension"
    definition_period = DateUnit.MONTH
    reference = "Viet Nam, Law on Social Insurance No. 41/2024/QH15, Art 21(1)(a) and 21(2)"
    documentation = (
        "The age the law sets (minimum_age_months), else the statutory pensionable age; members of poor or near-poor "
        "households from the lower age the law sets for them (poor_household_minimum_age_months), if any."
    )

    def formula(person, period, parameters):
        node = formulas.branch(parameters, period, SOCIAL_PENSION)
        if node is None or not formulas.has(node, "minimum_age_months"):
            reached = person("old_age_pensionable_age_reached", period)
        else:
            reached = person("age_in_months", period) >= node.minimum_age_months
        if node is not None and formulas.has(node, "poor_household_minimum_age_months"):
            lower = person("age_in_months", period) >= node.poor_household_minimum_age_months
            reached = reached | (lower & person("poor_or_near_poor_household", period))
        return reached


class social_pension_ineligibility_reason(Variable):
    value_type = Enum
    possible_values = Reason
    default_value = Reason.eligible
    entity = Person
    label = "Why the person is not eligible for the social pension (eligible if they are)"
    definition_period = DateUnit.MONTH
    reference = "Viet Nam, Law on Social Insurance No. 41/2024/QH15, Art 21(1) and Art 22(2)"
    documentation = (
        "The first unmet condition, in the law's order: the age; no contributory old-age pension; and, where the law "
        "pays only the higher of the two, no monthly social allowance at least as high."
    )

    def formula(person, period, parameters):
        node = formulas.branch(parameters, period, SOCIAL_PENSION)
        if node is None:
            return formulas.reason_array(person, Reason.not_modelled)
        if not node.provided:
            return formulas.reason_array(person, Reason.not_provided_by_law)
        conditions = [
            np.logical_not(person("social_pension_age_reached", period)),
            lambda: person("old_age_pension_eligible", period),
        ]
        reasons = [Reason.below_pensionable_age.index, Reason.receives_contributory_pension.index]
        if formulas.higher_of_social_allowance(parameters, period):
            # granted the allowance, the person's is at least the social pension (else it gave way to the pension:
            # social_pension_pays_more), which the law then does not pay (Art 22(2): the higher of the two)
            conditions.append(lambda: person("disability_benefit_eligible", period))
            reasons.append(Reason.receives_higher_social_allowance.index)
        return formulas.first_that_holds(
            conditions,
            reasons,
            default=Reason.eligible.index,
            person=person,  # a condition written ``lambda: …`` is computed for those the ones before leave
        )


class social_pension_may_pay_more(Variable):
    value_type = bool
    entity = Person
    label = "The social pension in force is higher than the person's disability allowance would be"
    definition_period = DateUnit.MONTH
    reference = "Viet Nam, Law on Social Insurance No. 41/2024/QH15, Art 22(2)"
    documentation = (
        "Where the law pays the higher of a monthly social allowance and the social pension: whether the social "
        "pension's amount is above the allowance the person's disability and career give (only these persons' "
        "allowance may give way to it)."
    )

    def formula(person, period, parameters):
        node = formulas.branch(parameters, period, SOCIAL_PENSION)
        if not formulas.higher_of_social_allowance(parameters, period) or not formulas.has(node, "amount"):
            return person.filled_array(False)
        return person("disability_benefit_amount_due", period) < node.amount


class social_pension_pays_more(Variable):
    value_type = bool
    entity = Person
    label = "Entitled to a social pension higher than the disability allowance, which the law pays instead"
    definition_period = DateUnit.MONTH
    reference = "Viet Nam, Law on Social Insurance No. 41/2024/QH15, Art 21(1) and Art 22(2)"
    documentation = (
        "The social pension's age reached and no old-age pension (its conditions but the allowance), and its amount "
        "above the allowance: the allowance gives way (its reason receives_higher_social_pension), where the "
        "disability branch says so (disability.higher_of_social_pension, citing Art 22(2))."
    )

    def formula(person, period, parameters):
        node = formulas.branch(parameters, period, "disability")
        if node is None or not formulas.has(node, "higher_of_social_pension") or not node.higher_of_social_pension:
            return person.filled_array(False)  # the allowance does not give way (the law in force says not so)
        more = person("social_pension_may_pay_more", period)
        return more & person("social_pension_age_reached", period) & ~person("old_age_pension_eligible", period)


class social_pension_eligible(Variable):
    value_type = bool
    entity = Person
    label = "Eligible for the social pension"
    definition_period = DateUnit.MONTH

    def formula(person, period):
        return person("social_pension_ineligibility_reason", period) == Reason.eligible
