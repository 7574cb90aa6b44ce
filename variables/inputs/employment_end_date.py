"""The day the labour contract ended: the separation an unemployment claim rests on."""

from datetime import date

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules.entities import Person


class employment_end_date(Variable):
    value_type = date
    default_value = date(1970, 1, 1)
    entity = Person
    label = "Day the labour contract (or work contract) ended (1970-01-01: not stated)"
    definition_period = DateUnit.MONTH
    reference = (
        "Viet Nam Employment Law 2013 Art 46(1): the claim is filed within 3 months of the end of the contract; "
        "Art 49(2): 12 months of contributions in the 24 months before it; Art 50(1): the 6 months before "
        "unemployment, and the cap of 5 × the regional minimum wage at the time the contract ends"
    )
    documentation = (
        "Where stated, the qualifying and reference-wage windows of an unemployment claim end with this day's "
        "month (not with the month before the claim), a time limit for claiming counts from it, and a cap set as a "
        "multiple of a reference amount takes the amount in force that day. Not stated (the default), the windows "
        "end before the month of the claim, no time limit is checked, and the cap is the month evaluated's "
        "(provisional where it could differ: unemployment_benefit_maximum_provisional)."
    )
