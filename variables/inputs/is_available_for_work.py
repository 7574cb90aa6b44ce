"""Whether a person is capable of and available for work."""

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules.entities import Person


class is_available_for_work(Variable):
    value_type = bool
    default_value = True
    entity = Person
    label = "Capable of and available for work"
    definition_period = DateUnit.MONTH
    documentation = (
        "Condition of unemployment benefit (ILO C102 Art 20; Lao LSSO: able to return to the labour market)."
    )
