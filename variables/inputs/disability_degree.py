"""Degree of loss of working capacity, in percent."""

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules.entities import Person


class disability_degree(Variable):
    value_type = float
    entity = Person
    label = "Loss of working capacity (percent, 0 to 100)"
    unit = "/100"
    definition_period = DateUnit.MONTH
    documentation = (
        "Degree of loss of working (earning) capacity assessed by the competent medical board, in percent. "
        "100 means total incapacity for any gainful activity (ILO C102 Art 54). DCI has no such field: "
        "carry it in ``additional_attributes`` or a country extension."
    )
