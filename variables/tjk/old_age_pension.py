"""Tajikistan old-age insurance pension: the base pension plus the insurance part (from 1 January 2013).

Law "On insurance and state pensions" of 12 January 2010, Art. 1: the base pension is "the part of the
insurance pension guaranteed by the State" (T4). The insurance part is the pension capital divided by 180;
the pension "may not be less than 100% of the basic pension" (Atlas HXM, T2: one source), a floor on the whole
pension, of which the base pension is a part (the minimum pension reported from 2016 to 2024 follows the base
pension, not twice it). Parameters: ``parameters/tjk/old_age/base_pension.yaml`` and ``insurance_part/``.
"""

import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules import formulas
from openfisca_sp.rules.branches import AMOUNT
from openfisca_sp.rules.entities import Person


class old_age_pension(Variable):
    value_type = float
    entity = Person
    label = "Old-age pension (monthly amount)"
    unit = "currency"
    definition_period = DateUnit.MONTH
    reference = "https://www.atlashxm.com/countries/tajikistan"
    documentation = (
        "Base pension + insurance part, where the insurance part is the pension capital divided by "
        "old_age.insurance_part.divisor months; the whole at least old_age.insurance_part.minimum_base_pension_share "
        "of the base pension; rounded to the diram. 0 when not eligible or when the amount is not modelled (no "
        "base pension known at the date)."
    )

    def formula_2013_01_01(person, period, parameters):
        if not formulas.part_modelled(parameters, period, "old_age", AMOUNT):
            return person.filled_array(0)  # no base pension known at this date
        node = formulas.branch(parameters, period, "old_age")
        base = node.base_pension
        part = node.insurance_part
        pension = base + person("pension_capital", period) / part.divisor
        pension = np.maximum(pension, part.minimum_base_pension_share * base)
        amount = formulas.round_amount(pension, person.simulation.tax_benefit_system)
        return np.where(person("old_age_pension_eligible", period), amount, 0)
