"""Disability benefit: monthly amount, frequency and duration (ILO C102 Arts 56-58)."""

import numpy as np
from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules import formulas, replacement_rates
from openfisca_sp.rules.branches import AMOUNT
from openfisca_sp.rules.entities import Person
from openfisca_sp.rules.enums import DurationUnit, PaymentFrequency


class disability_benefit(Variable):
    value_type = float
    entity = Person
    label = "Disability benefit (monthly amount)"
    unit = "currency"
    definition_period = DateUnit.MONTH
    documentation = (
        "Earnings-related (replacement rate by years of contributions × reference wage) and/or flat-rate "
        "(a coefficient by disability category, where the law says so higher for children and older persons, × a "
        "reference amount), as the law sets it; rounded."
    )

    def formula(person, period):
        return formulas.amount_paid(
            person, person("disability_benefit_amount_due", period), person("disability_benefit_eligible", period)
        )


class disability_benefit_amount_due(Variable):
    value_type = float
    entity = Person
    label = "Disability benefit the law sets for the person's disability and career, eligible or not"
    unit = "currency"
    definition_period = DateUnit.MONTH
    documentation = (
        "The amount before the conditions of entitlement (0 where it is not modelled): what a social pension is "
        "compared with where the law pays the higher of the two (Viet Nam, SI Law 2024 Art 22(2))."
    )

    def formula(person, period, parameters):
        if not formulas.part_modelled(parameters, period, "disability", AMOUNT):
            return person.filled_array(0)
        node = formulas.branch(parameters, period, "disability")
        amount = np.zeros(person.count)
        if formulas.has(node, "replacement_rate", "base_rate"):
            months = person("contribution_months", period)
            rate = replacement_rates.rate_for_months(months, node.replacement_rate, formulas.is_female(person, period))
            amount = amount + rate * person("disability_reference_wage", period)
        if formulas.has(node, "flat_rate", "coefficient_by_category"):
            flat = node.flat_rate
            category = person("disability_category", period)
            coefficient = formulas.scale_of_counts(flat.coefficient_by_category, category)
            if formulas.has(flat, "children_and_elderly"):  # Viet Nam, Decree 20/2021 Art 6(1)(e)
                coefficient = np.where(
                    child_or_older(person, period, flat.children_and_elderly),
                    formulas.scale_of_counts(flat.children_and_elderly.coefficient_by_category, category),
                    coefficient,
                )
            amount = amount + coefficient * formulas.reference_amount(parameters, period, flat.reference_amount)
        return amount


def child_or_older(person, period, node) -> np.ndarray:
    """Whether a person is paid the coefficient of children and older persons: younger than the children's age,
    or of the older persons' age (Viet Nam: under 16, Law on Children 2016 Art 1; 60 or more, Law on the
    Elderly 2009 Art 2)."""
    age = person("age_in_months", period)
    return (age < node.child_below_age_months) | (age >= node.older_from_age_months)


class disability_benefit_amount_modelled(Variable):
    value_type = bool
    entity = Person
    label = "The law's formula for the disability benefit amount is modelled at this date"
    definition_period = DateUnit.MONTH
    reference = "The branch catalogue (openfisca_sp/rules/branches/disability.py): what the amount needs"

    def formula(person, period, parameters):
        return formulas.modelled_where_read(person, period, parameters, "disability", AMOUNT, "disability_benefit")


class disability_benefit_frequency(Variable):
    value_type = Enum
    possible_values = PaymentFrequency
    default_value = PaymentFrequency.monthly
    entity = Person
    label = "How often disability benefit is paid"
    definition_period = DateUnit.MONTH

    def formula(person, period):
        # Not an input: every jurisdiction modelled pays this periodical benefit monthly.
        return person.filled_array(PaymentFrequency.monthly.index)


class disability_benefit_duration(Variable):
    value_type = float
    entity = Person
    label = "Duration of disability benefit, in its unit (0: as long as the contingency lasts)"
    definition_period = DateUnit.MONTH

    def formula(person, period):
        # Not an input: paid throughout the contingency (C102 Art 58), so there is no count of months.
        return person.filled_array(0)


class disability_benefit_duration_unit(Variable):
    value_type = Enum
    possible_values = DurationUnit
    default_value = DurationUnit.not_applicable
    entity = Person
    label = "Unit of the duration of disability benefit"
    definition_period = DateUnit.MONTH
    reference = "ILO C102 Art 58: throughout the contingency or until old-age benefit becomes payable"

    def formula(person, period, parameters):
        return formulas.duration_unit(person, period, parameters, "disability", "disability_benefit_eligible")
