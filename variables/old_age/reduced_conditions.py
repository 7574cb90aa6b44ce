"""Reduced pensionable age and qualifying period for mothers of many children or of a disabled child.

Where a law sets them (``parameters/<jurisdiction>/old_age/reduced_conditions/mothers/``), a woman who gave
birth to and raised at least the number of children it names, or (where it says so) raised a disabled child,
may retire at a lower age with a shorter period. Tajikistan: 53 with 240 months, for five or more children
raised to the age of 8 or a disabled child (Law "On insurance and state pensions" of 12 January 2010).
"""

import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules import formulas
from openfisca_sp.rules.entities import Person


class old_age_reduced_conditions_met(Variable):
    value_type = bool
    entity = Person
    label = "Meets the reduced pensionable age and period of mothers of many children (where the law sets them)"
    definition_period = DateUnit.MONTH
    reference = "Parameters old_age.reduced_conditions.mothers"

    def formula(person, period, parameters):
        mothers = formulas.reduced_conditions_for_mothers(parameters, period)
        if mothers is None:
            return person.filled_array(False)
        met = person("children_raised", period) >= mothers.minimum_children
        if formulas.has(mothers, "covers_mother_of_disabled_child") and bool(mothers.covers_mother_of_disabled_child):
            met = met + person("raised_disabled_child", period)
        return np.logical_and(formulas.is_female(person, period), met)
