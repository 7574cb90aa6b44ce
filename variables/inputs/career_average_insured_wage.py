"""Average monthly insured wage over the whole career, as computed by the insurer."""

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules.entities import Person


class career_average_insured_wage(Variable):
    value_type = float
    entity = Person
    label = "Average monthly insured wage over the whole contribution period (revalued)"
    unit = "currency"
    definition_period = DateUnit.MONTH
    documentation = (
        "Used where the law bases a benefit on the whole career (e.g. Viet Nam, SI Law 2014 Art 62(2)): "
        "the insurer's own average of the insured wage over all contribution months, revalued as the law says."
    )
