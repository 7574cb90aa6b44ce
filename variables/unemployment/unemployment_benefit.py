"""Unemployment benefit: monthly amount, frequency, duration and waiting period (C102 Arts 22, 24; C168)."""

import numpy as np
from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules import formulas
from openfisca_sp.rules.branches import AMOUNT, WAITING_PERIOD
from openfisca_sp.rules.entities import Person
from openfisca_sp.rules.enums import DurationUnit, PaymentFrequency


class unemployment_benefit(Variable):
    value_type = float
    entity = Person
    label = "Unemployment benefit (monthly amount)"
    unit = "currency"
    definition_period = DateUnit.MONTH
    documentation = (
        "Benefit rate × reference wage, capped where the law caps it (parameter unemployment.maximum, "
        "a multiple of a reference amount), rounded to the currency unit; 0 when not eligible."
    )

    def formula(person, period, parameters):
        if not formulas.part_modelled(parameters, period, "unemployment", AMOUNT):
            return person.filled_array(0)
        node = formulas.branch(parameters, period, "unemployment")
        amount = node.benefit_rate * person("unemployment_reference_wage", period)
        if formulas.has(node, "maximum"):
            amount = np.minimum(amount, formulas.person_reference_amount(person, period, parameters, node.maximum))
        eligible = person("unemployment_benefit_eligible", period)
        return formulas.amount_paid(person, amount, eligible)


class unemployment_benefit_amount_modelled(Variable):
    value_type = bool
    entity = Person
    label = "The law's formula for the unemployment benefit amount is modelled at this date"
    definition_period = DateUnit.MONTH
    reference = "The branch catalogue (openfisca_sp/rules/branches/unemployment.py): what the amount needs"

    def formula(person, period, parameters):
        return person.filled_array(formulas.part_modelled(parameters, period, "unemployment", AMOUNT))


class unemployment_benefit_frequency(Variable):
    value_type = Enum
    possible_values = PaymentFrequency
    default_value = PaymentFrequency.monthly
    entity = Person
    label = "How often unemployment benefit is paid"
    definition_period = DateUnit.MONTH

    def formula(person, period):
        # Not an input: every jurisdiction modelled pays this periodical benefit monthly.
        return person.filled_array(PaymentFrequency.monthly.index)


class unemployment_benefit_duration(Variable):
    value_type = float
    entity = Person
    label = "Duration of unemployment benefit, in its unit"
    definition_period = DateUnit.MONTH
    reference = "Parameter unemployment.duration.by_contribution_months (a scale over months of contributions)"

    def formula(person, period, parameters):
        node = formulas.branch(parameters, period, "unemployment")
        if node is None or not formulas.has(node, "duration", "by_contribution_months"):
            return person.filled_array(0)
        months = person("unemployment_contribution_months_unused", period)  # Art 45(1): unused months only
        duration = formulas.scale_of_counts(node.duration.by_contribution_months, months)
        return np.where(person("unemployment_benefit_eligible", period), duration, 0)


class unemployment_benefit_duration_unit(Variable):
    value_type = Enum
    possible_values = DurationUnit
    default_value = DurationUnit.not_applicable
    entity = Person
    label = "Unit of the duration of unemployment benefit"
    definition_period = DateUnit.MONTH

    def formula(person, period, parameters):
        return formulas.duration_unit(person, period, parameters, "unemployment", "unemployment_benefit_eligible")


class unemployment_benefit_waiting_days_modelled(Variable):
    value_type = bool
    entity = Person
    label = "The waiting period of unemployment benefit is modelled at this date"
    definition_period = DateUnit.MONTH
    reference = "The branch catalogue (openfisca_sp/rules/branches/unemployment.py): parameter waiting_days"

    def formula(person, period, parameters):
        return person.filled_array(formulas.part_modelled(parameters, period, "unemployment", WAITING_PERIOD))


class unemployment_benefit_waiting_days(Variable):
    value_type = int
    entity = Person
    label = "Waiting period before unemployment benefit starts, in days (0 if not eligible or not modelled)"
    unit = "day"
    definition_period = DateUnit.MONTH
    reference = "ILO C102 Art 24(3): at most 7 days; parameter unemployment.waiting_days"
    documentation = "Read with unemployment_benefit_waiting_days_modelled: 0 is a number of days only where it is true."

    def formula(person, period, parameters):
        if not formulas.part_modelled(parameters, period, "unemployment", WAITING_PERIOD):
            return person.filled_array(0)
        node = formulas.branch(parameters, period, "unemployment")
        return np.where(person("unemployment_benefit_eligible", period), int(node.waiting_days), 0)
