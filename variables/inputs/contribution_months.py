"""Months of contributions credited over the whole career."""

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules.entities import Person


class contribution_months(Variable):
    value_type = int
    entity = Person
    label = "Months of contributions credited before this month (whole career)"
    unit = "month"
    definition_period = DateUnit.MONTH
    documentation = (
        "Total number of months for which social insurance contributions were paid or credited, "
        "up to the start of the month evaluated, as recorded by the social insurance agency. "
        "Not in the DCI Social Registry: it comes from the insurer's records."
    )
