"""Minimum-wage region of the employer (Viet Nam: regions I to IV)."""

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules.entities import Person


class minimum_wage_region(Variable):
    value_type = int
    entity = Person
    label = "Minimum-wage region of the last employer (1 = region I; 0 = unknown)"
    definition_period = DateUnit.MONTH
    documentation = (
        "Where the law caps a benefit at a multiple of a regional minimum wage (Viet Nam, Employment Law 2013 "
        "Art 50(1)), the region of the last employer: 1 (region I) to 4 (region IV). 0 (unknown) applies the highest "
        "regional amount."
    )
