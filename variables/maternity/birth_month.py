"""The month of the birth among the months counted before it (Viet Nam: Circular 59/2015 Art 9(1), Art 12(1)(a))."""

import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules import formulas
from openfisca_sp.rules.entities import Person
from openfisca_sp.rules.small_arrays import anyone


class maternity_birth_month_read(Variable):
    value_type = bool
    entity = Person
    label = "The birth falls in the month evaluated on or after the day from which its month may count"
    definition_period = DateUnit.MONTH
    reference = (
        "Parameter maternity.qualifying_period.birth_month_from_day (Viet Nam: Circular 59/2015 Art 9(1)(a)-(b), "
        "the 15th)"
    )
    documentation = (
        "Only for these women are the wages of the month of confinement read (child_birth_date in the month "
        "evaluated, on or after that day): a birth before it leaves its month out of the months counted before it."
    )

    def formula(person, period, parameters):
        node = formulas.branch(parameters, period, "maternity")
        if node is None or not formulas.has(node, "qualifying_period", "birth_month_from_day"):
            return person.filled_array(False)
        born = np.asarray(person("child_birth_date", period), dtype="datetime64[D]")
        month = np.datetime64(period.start.date, "M")
        from_day = month.astype("datetime64[D]") + max(int(node.qualifying_period.birth_month_from_day), 1) - 1
        return (born >= from_day) & (born < (month + 1).astype("datetime64[D]"))  # in the month, on or after its day


class maternity_birth_month_counted(Variable):
    value_type = bool
    entity = Person
    label = "The month of the birth counts among the months before it (born on or after its day, it contributed)"
    definition_period = DateUnit.MONTH
    reference = (
        "Parameter maternity.qualifying_period.birth_month_from_day (Viet Nam: Circular 59/2015 Art 9(1)(b): a birth "
        "on or after the 15th, the month contributed, counts that month in the 12 before the birth)"
    )
    documentation = (
        "The window of months counted then ends with the month of the birth, its first month left out "
        "(maternity_contribution_months), and the reference wage counts that month where the law says so "
        "(reference_wage.birth_month_counted). Its wage not stated, it is not contributed."
    )

    def formula(person, period):
        read = person("maternity_birth_month_read", period)
        if not anyone(read) and not formulas.computes_every_condition(person):
            return read  # nobody's birth month may count: its wages are not read
        return read & np.asarray(person("contributed_in_month", period), dtype=bool)
