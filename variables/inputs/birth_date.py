"""Date of birth (DCI Social Registry ``birth_date``)."""

from datetime import date

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules.entities import Person


class birth_date(Variable):
    value_type = date
    default_value = date(1970, 1, 1)
    entity = Person
    label = "Date of birth"
    definition_period = DateUnit.ETERNITY
    documentation = "DCI Social Registry field ``birth_date`` (ISO date). Drives age and pensionable age."
