"""Children a woman gave birth to and raised (some laws lower her pensionable age for it)."""

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules.entities import Person


class children_raised(Variable):
    value_type = int
    entity = Person
    label = "Children the person gave birth to and raised to the age the law names"
    definition_period = DateUnit.MONTH
    reference = "https://agroinform.asia/2020/05/08/dehqon-nafaqai-shoista-dorad/"
    documentation = (
        "As of the claim; the age is the law's (Tajikistan, Law 'On insurance and state pensions' of 12 January "
        "2010: raised to the age of 8). Not stated: 0, and the general pensionable age and period apply (the "
        "reduced conditions are claimed with proof); /eligibility asks for it where claiming them would change "
        "a refusal."
    )
