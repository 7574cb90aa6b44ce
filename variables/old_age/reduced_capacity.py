"""The reduced pension of a person below the pensionable age who has lost working capacity (not encoded).

Viet Nam gives it to a person with 20 years of contributions whose working capacity is reduced by 61% or more, up to
5 years below the pensionable age (10 years at 81% or more): SI Law 2014 Art 55 (as the Labour Code 2019 Art 219
amended it from 2021) and SI Law 2024 Art 65, at a rate reduced 2% a year early (Art 56(3) / Art 66(3)). The rate
is not encoded: such a claim is decided not modelled (reduced_capacity_pension_not_modelled), never refused for
the age.
"""

import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules import formulas
from openfisca_sp.rules.entities import Person


class old_age_reduced_capacity_pension_may_apply(Variable):
    value_type = bool
    entity = Person
    label = "Below pensionable age, with a loss of working capacity, age and period the law gives a reduced pension for"
    definition_period = DateUnit.MONTH
    reference = (
        "Parameters old_age.reduced_capacity (Viet Nam SI Law 2014 Art 55; SI Law 2024 Art 65); the loss of working "
        "capacity is disability_degree, as the medical board assessed it"
    )

    def formula(person, period, parameters):
        node = formulas.branch(parameters, period, "old_age")
        if node is None or not formulas.has(node, "reduced_capacity", "minimum_degree"):
            return person.filled_array(False)
        reduced, female = node.reduced_capacity, formulas.is_female(person, period)
        degree = person("disability_degree", period)
        age = person("age_in_months", period)
        pensionable = person("old_age_pensionable_age_months", period)
        within = (degree >= reduced.minimum_degree) & (
            age >= pensionable - formulas.by_sex(reduced.months_below_pensionable_age, female)
        )
        if formulas.has(reduced, "severe", "minimum_degree"):
            severe = reduced.severe
            within = within | (degree >= severe.minimum_degree) & (
                age >= pensionable - formulas.by_sex(severe.months_below_pensionable_age, female)
            )
        period_met = person("contribution_months", period) >= reduced.minimum_months
        below = np.logical_not(person("old_age_pensionable_age_reached", period))
        # granted the full pension at the lower age of arduous work (SI Law 2014 Art 54(1)(b)), not a reduced one
        below &= np.logical_not(person("old_age_lower_pensionable_age_reached", period))
        return below & within & period_met


class old_age_reduced_capacity_considered(Variable):
    value_type = bool
    entity = Person
    label = "Below pensionable age, stating a loss of working capacity at the minimum for a reduced pension"
    definition_period = DateUnit.MONTH
    documentation = (
        "The persons whose decision the reduced-capacity window (old_age.reduced_capacity) may change: their decision "
        "cites its values, and is provisional where one is unverified; a person above the pensionable age, or stating "
        "no such loss, does not rest on them."
    )

    def formula(person, period, parameters):
        node = formulas.branch(parameters, period, "old_age")
        if node is None or not formulas.has(node, "reduced_capacity", "minimum_degree"):
            return person.filled_array(False)
        stated = person("disability_degree", period) >= node.reduced_capacity.minimum_degree
        return stated & np.logical_not(person("old_age_pensionable_age_reached", period))
