"""Why the last employment ended."""

from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules.entities import Person
from openfisca_sp.rules.enums import SeparationReason


class separation_reason(Variable):
    value_type = Enum
    possible_values = SeparationReason
    default_value = SeparationReason.not_separated
    entity = Person
    label = "Reason for separation from the last employment"
    definition_period = DateUnit.MONTH
    documentation = "As certified by the employer or the labour office for an unemployment claim."
