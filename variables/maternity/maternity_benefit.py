"""Maternity cash benefit: monthly amount, frequency and duration (C102 Arts 50, 52; C183 Arts 4, 6)."""

import numpy as np
from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules import formulas
from openfisca_sp.rules.branches import AMOUNT
from openfisca_sp.rules.entities import Person
from openfisca_sp.rules.enums import DurationUnit, PaymentFrequency


class maternity_benefit(Variable):
    value_type = float
    entity = Person
    label = "Maternity benefit (monthly amount during leave)"
    unit = "currency"
    definition_period = DateUnit.MONTH
    documentation = (
        "Benefit rate × reference wage, rounded to the currency unit; 0 when not eligible or when the amount "
        "formula is not modelled (see maternity_benefit_amount_modelled)."
    )

    def formula(person, period, parameters):
        if not formulas.part_modelled(parameters, period, "maternity", AMOUNT):
            return person.filled_array(0)
        node = formulas.branch(parameters, period, "maternity")
        amount = node.benefit_rate * person("maternity_reference_wage", period)
        eligible = person("maternity_benefit_eligible", period)
        return formulas.amount_paid(person, amount, eligible)


class maternity_benefit_amount_modelled(Variable):
    value_type = bool
    entity = Person
    label = "The law's formula for the maternity benefit amount is modelled at this date"
    definition_period = DateUnit.MONTH
    reference = "The branch catalogue (openfisca_sp/rules/branches/maternity.py): what the amount needs"

    def formula(person, period, parameters):
        return formulas.modelled_where_read(person, period, parameters, "maternity", AMOUNT, "maternity_benefit")


class maternity_benefit_frequency(Variable):
    value_type = Enum
    possible_values = PaymentFrequency
    default_value = PaymentFrequency.monthly
    entity = Person
    label = "How often maternity benefit is paid"
    definition_period = DateUnit.MONTH

    def formula(person, period):
        # Not an input: every jurisdiction modelled pays this periodical benefit monthly.
        return person.filled_array(PaymentFrequency.monthly.index)


def duration_counted(person, period, node) -> np.ndarray:
    """Whether the law's durations are those paid after the person's pregnancy outcome (``duration.applies_to``;
    where the law sets none, after every outcome). Lao PDR: 105 days is a cap, paid during the leave, and the
    leave after a miscarriage is set by a physician (NSSF page [S26]): not modelled."""
    if not formulas.has(node, "duration", "applies_to"):
        return person.filled_array(True)
    applies = node.duration.applies_to
    return formulas.outcome_modelled(person, period, applies) & (formulas.by_outcome(person, period, applies) == 1)


class maternity_benefit_duration(Variable):
    value_type = float
    entity = Person
    label = "Duration of maternity benefit, in its unit"
    definition_period = DateUnit.MONTH
    reference = "Parameters maternity.duration (single_birth, multiple_birth, per_additional_child, applies_to)"
    documentation = "0 where its unit is not_modelled (an outcome the durations do not apply to: duration.applies_to)."

    def formula(person, period, parameters):
        node = formulas.branch(parameters, period, "maternity")
        if node is None or not formulas.has(node, "duration", "single_birth"):
            return person.filled_array(0)
        duration = node.duration
        # one confinement after a pregnancy loss: no child born (maternity_counts_children_born)
        counted = person("maternity_counts_children_born", period)
        children = np.where(counted, person("number_of_children_born", period), 1)
        result = np.full(person.count, float(duration.single_birth))
        if formulas.has(duration, "multiple_birth"):
            result = np.where(children >= 2, duration.multiple_birth, result)
        if formulas.has(duration, "per_additional_child"):
            result = result + duration.per_additional_child * np.maximum(children - 1, 0)
        counted = person("maternity_benefit_eligible", period) & duration_counted(person, period, node)
        return np.where(counted, result, 0)


class maternity_benefit_duration_unit(Variable):
    value_type = Enum
    possible_values = DurationUnit
    default_value = DurationUnit.not_applicable
    entity = Person
    label = "Unit of the duration of maternity benefit"
    definition_period = DateUnit.MONTH

    def formula(person, period, parameters):
        unit = formulas.duration_unit(person, period, parameters, "maternity", "maternity_benefit_eligible")
        node = formulas.branch(parameters, period, "maternity")
        if node is None:
            return unit
        uncounted = (unit != DurationUnit.not_applicable.index) & ~duration_counted(person, period, node)
        return np.where(uncounted, DurationUnit.not_modelled.index, unit)
