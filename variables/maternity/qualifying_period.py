"""Contributions counted for maternity benefit (ILO C102 Art 51; C183 Art 6(5))."""

import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules import formulas
from openfisca_sp.rules.entities import Person
from openfisca_sp.rules.enums import PregnancyOutcome
from openfisca_sp.rules.small_arrays import anyone


class maternity_contribution_months(Variable):
    value_type = int
    entity = Person
    label = "Months of contributions counted for maternity benefit"
    unit = "month"
    definition_period = DateUnit.MONTH
    reference = (
        "Parameters maternity.qualifying_period.window_months (0 = whole career) and birth_month_from_day (Viet Nam: "
        "Circular 59/2015 Art 9(1))"
    )
    documentation = (
        "Months with contributions in the window before the month of confinement that the law names "
        "(e.g. 12 months in Viet Nam), or the whole career where the law names no window. Where the month of the "
        "birth counts (maternity_birth_month_counted: born on or after the 15th, that month contributed), the "
        "window is that month and the months before it (Example 13: born 18/01/2017, 02/2016 to 01/2017)."
    )

    def formula(person, period, parameters):
        node = formulas.branch(parameters, period, "maternity")
        if node is None:
            return person("contribution_months", period)
        counted = formulas.contributions_in_window(person, period, node)
        window = int(node.qualifying_period.window_months)
        if window == 0 or not formulas.has(node, "qualifying_period", "birth_month_from_day"):
            return counted
        birth_month = person("maternity_birth_month_counted", period)  # the window ends with it: its first month out
        if not anyone(birth_month) and not formulas.computes_every_condition(person):
            return counted
        first = np.asarray(person("contributed_in_month", period.first_month.offset(-window, "month")), dtype=bool)
        return counted + np.where(birth_month, 1 - first.astype(np.int32), 0).astype(counted.dtype)


class maternity_qualifying_period_met(Variable):
    value_type = bool
    entity = Person
    label = "Has the contributions required for maternity benefit, for this pregnancy outcome"
    definition_period = DateUnit.MONTH

    def formula(person, period, parameters):
        node = formulas.branch(parameters, period, "maternity")
        if node is None:
            return person.filled_array(False)
        minimum = formulas.by_outcome(person, period, node.qualifying_period.minimum_months)
        return person("maternity_contribution_months", period) >= minimum


def _prescribed_rest(node):
    """The lower minimum after a prescribed rest during pregnancy, where the law in force sets it (else None)."""
    if node is None or not formulas.has(node, "qualifying_period", "prescribed_rest", "minimum_months"):
        return None
    return node.qualifying_period.prescribed_rest


class maternity_prescribed_rest_considered(Variable):
    value_type = bool
    entity = Person
    label = "A live birth short of the general months, where the law sets a lower minimum after a prescribed rest"
    definition_period = DateUnit.MONTH
    documentation = (
        "The women whose decision the lower minimum after a prescribed rest (maternity.qualifying_period."
        "prescribed_rest) may change: their decision cites its values; a woman who meets the general months does not "
        "rest on them."
    )

    def formula(person, period, parameters):
        if _prescribed_rest(formulas.branch(parameters, period, "maternity")) is None:
            return person.filled_array(False)
        live_birth = person("pregnancy_outcome", period) == PregnancyOutcome.live_birth
        short = np.logical_not(person("maternity_qualifying_period_met", period))
        return formulas.is_female(person, period) & live_birth & short


class maternity_prescribed_rest_may_qualify(Variable):
    value_type = bool
    entity = Person
    label = "Her months before a live birth meet the lower minimum after a prescribed rest, not the general one"
    definition_period = DateUnit.MONTH
    reference = "Parameter maternity.qualifying_period.prescribed_rest.minimum_months (Viet Nam SI Law 2014 Art 31(3))"
    documentation = (
        "Only these women's claims turn on whether they had to rest during the pregnancy on a medical prescription "
        "(rested_during_pregnancy_on_prescription) and on their months of contributions in all."
    )

    def formula(person, period, parameters):
        rest = _prescribed_rest(formulas.branch(parameters, period, "maternity"))
        if rest is None:
            return person.filled_array(False)
        live_birth = person("pregnancy_outcome", period) == PregnancyOutcome.live_birth
        lower_met = person("maternity_contribution_months", period) >= rest.minimum_months
        return live_birth & lower_met & np.logical_not(person("maternity_qualifying_period_met", period))


class maternity_prescribed_rest_qualifying_period_met(Variable):
    value_type = bool
    entity = Person
    label = "Meets the lower qualifying period of a woman who had to rest during her pregnancy on prescription"
    definition_period = DateUnit.MONTH
    reference = (
        "Parameters maternity.qualifying_period.prescribed_rest (Viet Nam SI Law 2014 Art 31(3); SI Law 2024 "
        "Art 50(3)): 3 months in the 12 before the birth, after 12 months of contributions in all"
    )

    def formula(person, period, parameters):
        rest = _prescribed_rest(formulas.branch(parameters, period, "maternity"))
        if rest is None:
            return person.filled_array(False)
        career_met = person("contribution_months", period) >= rest.minimum_contribution_months
        rested = person("rested_during_pregnancy_on_prescription", period)
        return person("maternity_prescribed_rest_may_qualify", period) & rested & career_met
