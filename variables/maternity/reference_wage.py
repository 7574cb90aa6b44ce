"""Reference wage of maternity benefit (previous earnings, ILO C102 Art 65; C183 Art 6(3))."""

import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules import formulas
from openfisca_sp.rules.entities import Person


def _lookback(node) -> int:
    """The months before the confinement in which the latest months with contributions are looked for: the
    qualifying window (those a table of a population holds already), or none beyond the months averaged."""
    if formulas.has(node, "qualifying_period", "window_months"):
        return int(node.qualifying_period.window_months)
    return 0


class maternity_reference_wage(Variable):
    value_type = float
    entity = Person
    label = "Reference wage of maternity benefit (monthly)"
    unit = "currency"
    definition_period = DateUnit.MONTH
    reference = (
        "Parameters maternity.reference_wage.averaging_months and contributed_months_only (Viet Nam: Circular "
        "59/2015 Art 12(1)(a), the latest months with contributions, a gap skipped)"
    )

    def formula(person, period, parameters):
        node = formulas.branch(parameters, period, "maternity")
        if node is None or not formulas.has(node, "reference_wage", "averaging_months"):
            return person.filled_array(0)
        return formulas.reference_wage(
            person,
            period,
            node.reference_wage,
            formulas.branch_ceiling(person, period, parameters, "maternity", node.reference_wage),
            lookback=_lookback(node),
        )


class maternity_reference_wage_short_history(Variable):
    value_type = bool
    entity = Person
    label = "The latest months with contributions averaged are fewer than the law's, though more were contributed"
    definition_period = DateUnit.MONTH
    reference = "Parameter maternity.reference_wage.contributed_months_only"
    documentation = (
        "Where the law averages the latest months with contributions, they are looked for in the qualifying window "
        "only (12 months in Viet Nam): a woman who qualifies with 3 to 5 months in it (SI Law 2014 Art 31(3)) has "
        "her earlier months before it, which are not read. Her average then rests on the months found, and her "
        "decision is provisional: the law averages 6 (Circular 59/2015 Art 12(1)(a), Example 17)."
    )

    def formula(person, period, parameters):
        node = formulas.branch(parameters, period, "maternity")
        if (
            node is None
            or not formulas.has(node, "reference_wage", "averaging_months")
            or not formulas.averages_latest_contributed(node.reference_wage)
        ):
            return person.filled_array(False)
        months = int(node.reference_wage.averaging_months)
        found = formulas.count_months(person, "contributed_in_month", period, max(_lookback(node), months))
        found = np.minimum(found, months)
        return (found < months) & (person("contribution_months", period) > found)
