"""Whether a person's household is certified poor or near-poor (Viet Nam: the Government's poverty standard)."""

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules.entities import Person


class poor_or_near_poor_household(Variable):
    value_type = bool
    entity = Person
    label = "Member of a household certified poor or near-poor"
    definition_period = DateUnit.MONTH
    reference = "Viet Nam, Law on Social Insurance No. 41/2024/QH15, Art 21(2)"
    documentation = (
        "The household's status on the social registry's list of poor and near-poor households, as certified under "
        "the Government's poverty standard in the month (not computed from income). Where the law lowers the age of "
        "the social pension for these households (Viet Nam: 70 instead of 75), it reads this fact. Not stated: not "
        "certified (false), as on the registry's list."
    )
