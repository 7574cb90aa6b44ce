"""The separation that opened the person's last unemployment benefit: contributions up to it count no more."""

from datetime import date

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules.entities import Person


class previous_unemployment_separation_date(Variable):
    value_type = date
    default_value = date(1970, 1, 1)
    entity = Person
    label = "End of the employment that opened the person's last unemployment benefit (1970-01-01: none)"
    definition_period = DateUnit.MONTH
    reference = (
        "Viet Nam Employment Law 2013 Art 45(2): after an unemployment benefit, the contributions before it are "
        "not counted for the next one; Lao LSSO: 12 further months of contributions since the last benefit"
    )
    documentation = (
        "From the insurer's records of earlier unemployment benefits. Contributions of the months up to this "
        "date were counted for that benefit: they do not count in the qualifying window of a new claim. The "
        "default (1970-01-01) means no earlier unemployment benefit."
    )
