"""Whether a person has an assessed disability (DCI ``is_disabled``)."""

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules.entities import Person


class is_disabled(Variable):
    value_type = bool
    entity = Person
    label = "Has an assessed disability"
    definition_period = DateUnit.MONTH
    documentation = "DCI Social Registry / Disability Registry field ``is_disabled``, as assessed in the month."
