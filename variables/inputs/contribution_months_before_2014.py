"""Months of contributions paid for years before 2014 (Viet Nam's lump sum counts them apart)."""

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules.entities import Person

NOT_STATED = -1


class contribution_months_before_2014(Variable):
    value_type = int
    entity = Person
    label = "Months of contributions paid for years before 2014 (part of contribution_months)"
    unit = "month"
    default_value = NOT_STATED
    definition_period = DateUnit.MONTH
    reference = "Viet Nam: Law on Social Insurance 2014 Art 60(2); 2024 Art 70(3)"
    documentation = (
        "As recorded by the social insurance agency; at most contribution_months. Viet Nam's old-age lump sum "
        "pays 1.5 months of wage a year contributed before 2014 and 2 a year from 2014. Not stated: only the "
        "months that cannot fall in 2014 or later (those beyond the months from January 2014 to the claim) are "
        "counted before 2014, so the lump sum is the most it can be, and the decision is provisional."
    )
