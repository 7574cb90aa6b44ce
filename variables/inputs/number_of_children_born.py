"""Number of children born at the confinement (2 for twins)."""

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules.entities import Person


class number_of_children_born(Variable):
    value_type = int
    default_value = 1
    entity = Person
    label = "Number of children born at this confinement"
    definition_period = DateUnit.MONTH
    documentation = (
        "1 for a single birth, 2 for twins, and so on. Leave and birth grants depend on it. After a pregnancy loss "
        "none is born: 0 or not stated (it is not asked; more is refused as contradictory)."
    )
