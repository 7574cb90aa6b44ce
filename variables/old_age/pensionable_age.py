"""Pensionable age (ILO C102 Art 26; national laws by sex)."""

import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules import formulas
from openfisca_sp.rules.calendar import month_numbers
from openfisca_sp.rules.entities import Person


class old_age_pensionable_age_months(Variable):
    value_type = int
    entity = Person
    label = "Pensionable age that applies to the person, in months"
    unit = "month"
    definition_period = DateUnit.MONTH
    reference = (
        "Parameter old_age.pensionable_age (men, women), in months: 720 = 60 years; "
        "old_age.reduced_conditions.mothers where the law lowers it"
    )

    def formula(person, period, parameters):
        node = formulas.branch(parameters, period, "old_age")
        if node is None or not formulas.has(node, "pensionable_age"):
            return person.filled_array(0)
        general = formulas.by_sex(node.pensionable_age, formulas.is_female(person, period))
        mothers = formulas.reduced_conditions_for_mothers(parameters, period)
        if mothers is None:
            return general
        reduced = person("old_age_reduced_conditions_met", period)
        return np.where(reduced, np.minimum(general, mothers.pensionable_age), general)


class old_age_pensionable_age_reached(Variable):
    value_type = bool
    entity = Person
    label = "Has reached pensionable age"
    definition_period = DateUnit.MONTH
    reference = (
        "Parameter old_age.pensionable_age; where old_age.payment_start.month_after_retirement is in force (Viet Nam), "
        "Decree 135/2020/ND-CP Art 3(1) and Circular 59/2015/TT-BLĐTBXH Art 18(1)"
    )
    documentation = (
        "The age on the day of the claim (age_in_months). Where the law pays the pension from the month after the "
        "month of retirement, the age reached by the end of the claim's month: the time of retirement is the last "
        "day of the month the age is reached (Decree 135/2020/ND-CP Art 3(1)), the age condition met on the 1st of "
        "the month after the birth month (Circular 59/2015 Art 18(1)), so a claim dated before the birthday in that "
        "month is paid from the same first day as one dated on it."
    )

    def formula(person, period, parameters):
        required = person("old_age_pensionable_age_months", period)
        return (required > 0) & (person("old_age_age_reached_months", period) >= required)


class old_age_age_reached_months(Variable):
    value_type = int
    entity = Person
    label = "The age in months a pensionable age is measured against"
    unit = "month"
    definition_period = DateUnit.MONTH
    reference = (
        "Where old_age.payment_start.month_after_retirement is in force (Viet Nam), Decree 135/2020/ND-CP Art 3(1) "
        "and Circular 59/2015/TT-BLĐTBXH Art 18(1)"
    )
    documentation = (
        "The completed months of age on the day of the claim (age_in_months); where the law pays the pension from "
        "the month after the month of retirement, the months from the birth month to the claim's month: an age is "
        "reached by the end of the claim's month if it falls in it or before (old_age_pensionable_age_reached, and "
        "the lower age of arduous work, old_age_lower_pensionable_age_reached)."
    )

    def formula(person, period, parameters):
        if not formulas.pension_from_month_after_retirement(parameters, period):
            return person("age_in_months", period)
        birth_month = month_numbers(person("birth_date", period))  # months since 1970, by lookup
        claim_month = month_numbers(person("event_date", period))
        return claim_month - birth_month  # the age's month reached in the claim's month, or before


class old_age_early_pension_age_reached(Variable):
    value_type = bool
    entity = Person
    label = "Below pensionable age, at the age of an early pension whose rules were not found"
    definition_period = DateUnit.MONTH
    reference = "Parameter old_age.early_pension.age_months (Lao PDR, Decree 207/PM: 55)"
    documentation = (
        "The law gives an early pension from this age to a person with the qualifying period; its amount was not "
        "found, so such a claim is decided not modelled (early_pension_not_modelled) rather than refused."
    )

    def formula(person, period, parameters):
        node = formulas.branch(parameters, period, "old_age")
        if node is None or not formulas.has(node, "early_pension", "age_months"):
            return person.filled_array(False)
        early = node.early_pension.age_months
        if formulas.has(early, "men"):
            early = formulas.by_sex(early, formulas.is_female(person, period))
        below = np.logical_not(person("old_age_pensionable_age_reached", period))
        return below & (person("age_in_months", period) >= early)
