"""Whether the maternity results count the children born: after a live birth only."""

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules.entities import Person
from openfisca_sp.rules.enums import PregnancyOutcome


class maternity_counts_children_born(Variable):
    value_type = bool
    entity = Person
    label = "The maternity results count the children born (a live birth): after a pregnancy loss, none is born"
    definition_period = DateUnit.MONTH
    reference = (
        "Parameters maternity.duration (for one child, for two or more), maternity.birth_grant (per child born; "
        "covers_pregnancy_loss: as for one child)"
    )
    documentation = (
        "After a pregnancy loss no child is born: the duration is that of one confinement and the grant, where the "
        "law pays one, is for one child, whatever number_of_children_born says. That number is then not asked."
    )

    def formula(person, period):
        return person("pregnancy_outcome", period) == PregnancyOutcome.live_birth
