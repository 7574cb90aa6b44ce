"""Outcome of the pregnancy for which maternity benefit is claimed."""

from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules.entities import Person
from openfisca_sp.rules.enums import PregnancyOutcome


class pregnancy_outcome(Variable):
    value_type = Enum
    possible_values = PregnancyOutcome
    default_value = PregnancyOutcome.none
    entity = Person
    label = "Pregnancy outcome (live birth, miscarriage or stillbirth)"
    definition_period = DateUnit.MONTH
    documentation = "The certified outcome of the confinement evaluated in this month (the month of confinement)."
