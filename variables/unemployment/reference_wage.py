"""Reference wage of unemployment benefit (previous earnings, ILO C102 Art 65)."""

from datetime import date
from typing import Any

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules import formulas
from openfisca_sp.rules.entities import Person
from openfisca_sp.rules.windows import NO_DATE, window_first_months


def _wage_rules(parameters, period) -> Any | None:
    """The unemployment benefit's reference wage rules in force, None where they set no months averaged."""
    node = formulas.branch(parameters, period, "unemployment")
    if node is None or not formulas.has(node, "reference_wage", "averaging_months"):
        return None
    return node.reference_wage


class unemployment_reference_wage(Variable):
    value_type = float
    entity = Person
    label = "Reference wage of unemployment benefit (monthly)"
    unit = "currency"
    definition_period = DateUnit.MONTH
    reference = "Parameter unemployment.reference_wage.averaging_months"
    documentation = (
        "Average insured wage of the months before the month evaluated (registration month), or of those up to "
        "the end of the labour contract where it is stated (Viet Nam Employment Law 2013 Art 50(1): the 6 "
        "months before unemployment)."
    )

    def formula(person, period, parameters):
        rules = _wage_rules(parameters, period)
        if rules is None:
            return person.filled_array(0)
        ended = person("employment_end_date", period)
        ceiling = formulas.branch_ceiling(person, period, parameters, "unemployment", rules)
        return formulas.reference_wage(person, period, rules, ceiling, ended)


class unemployment_reference_wage_first_month(Variable):
    value_type = date
    default_value = date(1970, 1, 1)
    entity = Person
    label = "First day of the oldest month of insured wage the unemployment reference wage reads"
    definition_period = DateUnit.MONTH
    reference = "Parameter unemployment.reference_wage.averaging_months"
    documentation = (
        "The first month of the months averaged (those before the month evaluated, or up to the end of the labour "
        "contract where it is stated); 1970-01-01 where the law averages no months before the claim (the career "
        "average) or its months are not modelled: no month is left out. A month of wages before it is never "
        "asked for the amount."
    )

    def formula(person, period, parameters):
        rules = _wage_rules(parameters, period)
        months = 0 if rules is None else int(rules.averaging_months)
        if months == 0:
            return person.filled_array(NO_DATE)
        ended = person("employment_end_date", period)
        return window_first_months(period, months, ended, person.count).astype("datetime64[D]")
