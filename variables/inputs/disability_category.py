"""National disability category or group (0 when none)."""

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules.entities import Person


class disability_category(Variable):
    value_type = int
    entity = Person
    label = "National disability category or group (1 = most severe; 0 = none)"
    definition_period = DateUnit.MONTH
    documentation = (
        "Category or group assigned under national law, 1 being the most severe "
        "(Lao PDR: categories 1 to 6; Tajikistan: groups I to III). 0 when no category is assigned."
    )
