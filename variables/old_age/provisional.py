"""Whether an old-age decision rests on an unverified parameter."""

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules import formulas
from openfisca_sp.rules.entities import Person


class old_age_pension_provisional(Variable):
    value_type = bool
    entity = Person
    label = "The old-age decision depends on an unverified parameter or an assumed fact (provisional)"
    definition_period = DateUnit.MONTH
    documentation = (
        "Provisional when the decision's legal basis holds an unverified value (every value the branch reads for "
        "an eligible person, the refusing condition's for a refusal, and for a refusal with a lump sum above 0 the "
        "lump sum's: old_age.lump_sum, old_age.reference_wage, the wage ceiling); for a person whose lump sum assumes "
        "the fewest contribution months before 2014 (not stated, old_age_lump_sum_split_assumed)."
    )

    def formula(person, period):
        provisional = formulas.provisional(person, period, "old_age")
        return provisional | person("old_age_lump_sum_split_assumed", period)
