"""Sex (DCI Social Registry ``sex``)."""

from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules.entities import Person
from openfisca_sp.rules.enums import Sex


class sex(Variable):
    value_type = Enum
    possible_values = Sex
    default_value = Sex.male
    entity = Person
    label = "Sex"
    definition_period = DateUnit.ETERNITY
    documentation = "DCI Social Registry field ``sex``: male or female. Pensionable ages differ by sex in some laws."
