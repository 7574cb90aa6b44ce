"""The social pension's amount, frequency and duration (Viet Nam: Law on Social Insurance 2024, Art 22(1), the
amount set by Decree 176/2025/ND-CP)."""

import numpy as np
from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules import formulas
from openfisca_sp.rules.branches import AMOUNT
from openfisca_sp.rules.branches.social_pension import SOCIAL_PENSION
from openfisca_sp.rules.entities import Person
from openfisca_sp.rules.enums import DurationUnit, PaymentFrequency


class social_pension(Variable):
    value_type = float
    entity = Person
    label = "Social pension (monthly amount)"
    unit = "currency"
    definition_period = DateUnit.MONTH
    reference = "Viet Nam, Law on Social Insurance No. 41/2024/QH15, Art 22(1); Decree 176/2025/ND-CP"
    documentation = "The flat monthly amount in force, rounded to the currency unit; 0 when not eligible."

    def formula(person, period, parameters):
        node = formulas.branch(parameters, period, SOCIAL_PENSION)
        if node is None or not formulas.part_modelled(parameters, period, SOCIAL_PENSION, AMOUNT):
            return person.filled_array(0)
        amount = formulas.round_amount(np.full(person.count, float(node.amount)), person.simulation.tax_benefit_system)
        return np.where(person("social_pension_eligible", period), amount, 0)


class social_pension_amount_modelled(Variable):
    value_type = bool
    entity = Person
    label = "The social pension's amount is modelled at this date"
    definition_period = DateUnit.MONTH
    reference = "The branch catalogue (openfisca_sp/rules/branches/social_pension.py): what the amount needs"

    def formula(person, period, parameters):
        return person.filled_array(formulas.part_modelled(parameters, period, SOCIAL_PENSION, AMOUNT))


class social_pension_frequency(Variable):
    value_type = Enum
    possible_values = PaymentFrequency
    default_value = PaymentFrequency.monthly
    entity = Person
    label = "How often the social pension is paid"
    definition_period = DateUnit.MONTH

    def formula(person, period):
        return person.filled_array(PaymentFrequency.monthly.index)


class social_pension_duration_unit(Variable):
    value_type = Enum
    possible_values = DurationUnit
    default_value = DurationUnit.not_applicable
    entity = Person
    label = "Duration of the social pension"
    definition_period = DateUnit.MONTH

    def formula(person, period):
        eligible = person("social_pension_eligible", period)
        return np.where(eligible, DurationUnit.lifetime.index, DurationUnit.not_applicable.index)


class social_pension_duration(Variable):
    value_type = float
    entity = Person
    label = "Duration of the social pension, in its unit (0 for life)"
    definition_period = DateUnit.MONTH

    def formula(person, period):
        return person.filled_array(0)
