"""Date of confinement: the child's birth date (or of the pregnancy loss)."""

from datetime import date

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules.entities import Person


class child_birth_date(Variable):
    value_type = date
    default_value = date(1970, 1, 1)
    entity = Person
    label = "Date of confinement (child's birth date)"
    definition_period = DateUnit.MONTH
    documentation = (
        "Date of the birth (CRVS birth record) or of the pregnancy loss. Maternity is evaluated for the month "
        "of confinement; qualifying windows count the months before it."
    )
