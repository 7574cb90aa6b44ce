"""Eligibility for disability (invalidity) benefit, and why not (ILO C102 Arts 54-57)."""

import numpy as np
from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules import formulas
from openfisca_sp.rules.entities import Person
from openfisca_sp.rules.enums import IneligibilityReason as Reason


class disability_degree_met(Variable):
    value_type = bool
    entity = Person
    label = "The assessed degree of disability reaches the law's minimum (true where the law sets none)"
    definition_period = DateUnit.MONTH
    reference = "Parameter disability.minimum_degree (percent)"

    def formula(person, period, parameters):
        node = formulas.branch(parameters, period, "disability")
        if node is None or not formulas.has(node, "minimum_degree"):
            return person.filled_array(True)
        return person("disability_degree", period) >= node.minimum_degree


class disability_category_met(Variable):
    value_type = bool
    entity = Person
    label = "The assessed disability category is one the law covers (true where the law names none)"
    definition_period = DateUnit.MONTH
    reference = "Parameter disability.maximum_category (1 = most severe)"

    def formula(person, period, parameters):
        node = formulas.branch(parameters, period, "disability")
        if node is None or not formulas.has(node, "maximum_category"):
            return person.filled_array(True)
        category = person("disability_category", period)
        return (category >= 1) * (category <= node.maximum_category)


class disability_severity_met(Variable):
    value_type = bool
    entity = Person
    label = "The assessed disability is severe enough for the benefit"
    definition_period = DateUnit.MONTH
    reference = "Parameters disability.minimum_degree (percent) and/or disability.maximum_category"

    def formula(person, period, parameters):
        if formulas.branch(parameters, period, "disability") is None:
            return person.filled_array(False)
        met = person("disability_degree_met", period) * person("disability_category_met", period)
        return person("is_disabled", period) * met


class disability_qualifying_period_met(Variable):
    value_type = bool
    entity = Person
    label = "Has the contributions required for disability benefit (true where the law requires none)"
    definition_period = DateUnit.MONTH

    def formula(person, period, parameters):
        node = formulas.branch(parameters, period, "disability")
        if node is None:
            return person.filled_array(False)
        if not formulas.has(node, "qualifying_period", "minimum_months"):
            return person.filled_array(True)
        return person("contribution_months", period) >= node.qualifying_period.minimum_months


class disability_benefit_ineligibility_reason(Variable):
    value_type = Enum
    possible_values = Reason
    default_value = Reason.eligible
    entity = Person
    label = "Why the person is not eligible for disability benefit (eligible if they are)"
    definition_period = DateUnit.MONTH
    documentation = (
        "Checked in order: a disability recorded, severe enough (its degree, then its category), no old-age "
        "pension payable where the benefit ends when old-age benefit becomes payable (C102 Art 58), the "
        "contributions, and, where the law pays the higher of a social allowance and the social pension (Viet Nam, "
        "SI Law 2024 Art 22(2)), no higher social pension."
    )

    def formula(person, period, parameters):
        node = formulas.branch(parameters, period, "disability")
        if node is None:
            return formulas.reason_array(person, Reason.not_modelled)
        if not node.provided:
            return formulas.reason_array(person, Reason.not_provided_by_law)
        ends_at_pension = formulas.has(node, "ends_at_pensionable_age") and bool(node.ends_at_pensionable_age)
        too_old = (  # C102 Art 58, where the law ends the benefit at pensionable age
            (lambda: person("old_age_pension_eligible", period)) if ends_at_pension else person.filled_array(False)
        )
        conditions = [
            np.logical_not(person("is_disabled", period)),
            lambda: np.logical_not(person("disability_degree_met", period)),
            lambda: np.logical_not(person("disability_category_met", period)),
            too_old,
            lambda: np.logical_not(person("disability_qualifying_period_met", period)),
        ]
        reasons = [
            Reason.not_disabled.index,
            Reason.disability_degree_too_low.index,
            Reason.disability_category_not_covered.index,
            Reason.above_age_limit.index,
            Reason.insufficient_contributions.index,
        ]
        if formulas.higher_of_social_allowance(parameters, period):  # Viet Nam, SI Law 2024 Art 22(2)
            conditions.append(lambda: person("social_pension_pays_more", period))
            reasons.append(Reason.receives_higher_social_pension.index)
        return formulas.first_that_holds(
            conditions,
            reasons,
            default=Reason.eligible.index,
            person=person,  # a condition written ``lambda: …`` is computed for those the ones before leave
        )


class disability_benefit_eligible(Variable):
    value_type = bool
    entity = Person
    label = "Eligible for disability benefit"
    definition_period = DateUnit.MONTH

    def formula(person, period):
        return person("disability_benefit_ineligibility_reason", period) == Reason.eligible
