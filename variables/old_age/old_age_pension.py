"""Old-age pension: monthly amount, frequency and duration (ILO C102 Arts 28 and 30)."""

import numpy as np
from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules import formulas
from openfisca_sp.rules.branches import AMOUNT
from openfisca_sp.rules.entities import Person
from openfisca_sp.rules.enums import DurationUnit, PaymentFrequency


class old_age_pension(Variable):
    value_type = float
    entity = Person
    label = "Old-age pension (monthly amount)"
    unit = "currency"
    definition_period = DateUnit.MONTH
    documentation = (
        "Replacement rate × reference wage, within the legal minimum and maximum where the law sets them, "
        "rounded to the currency unit. 0 when not eligible or when the amount formula is not modelled."
    )

    def formula(person, period, parameters):
        if not formulas.part_modelled(parameters, period, "old_age", AMOUNT):
            return person.filled_array(0)  # no amount formula in force: nothing more to compute
        eligible = person("old_age_pension_eligible", period)
        amount = person("old_age_replacement_rate", period) * person("old_age_reference_wage", period)
        node = formulas.branch(parameters, period, "old_age")
        if node is not None and formulas.has(node, "minimum_pension"):
            amount = np.maximum(amount, formulas.reference_amount(parameters, period, node.minimum_pension))
        return formulas.amount_paid(person, amount, eligible)


class old_age_pension_frequency(Variable):
    value_type = Enum
    possible_values = PaymentFrequency
    default_value = PaymentFrequency.monthly
    entity = Person
    label = "How often the old-age pension is paid"
    definition_period = DateUnit.MONTH

    def formula(person, period):
        # Not an input: every jurisdiction modelled pays this periodical benefit monthly.
        return person.filled_array(PaymentFrequency.monthly.index)


class old_age_pension_duration_unit(Variable):
    value_type = Enum
    possible_values = DurationUnit
    default_value = DurationUnit.not_applicable
    entity = Person
    label = "Duration of the old-age pension"
    definition_period = DateUnit.MONTH
    reference = "ILO C102 Art 30: granted throughout the contingency"

    def formula(person, period):
        eligible = person("old_age_pension_eligible", period)
        return np.where(eligible, DurationUnit.lifetime.index, DurationUnit.not_applicable.index)


class old_age_pension_duration(Variable):
    value_type = float
    entity = Person
    label = "Duration of the old-age pension, in its unit (0 for life)"
    definition_period = DateUnit.MONTH
    documentation = "An old-age pension is paid for life: the duration is 0 and its unit is 'lifetime'."

    def formula(person, period):
        # Not an input: paid for life (C102 Art 30), so there is no duration to count.
        return person.filled_array(0)
