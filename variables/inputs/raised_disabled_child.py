"""Whether a woman raised a disabled child (some laws lower her pensionable age for it)."""

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules.entities import Person


class raised_disabled_child(Variable):
    value_type = bool
    entity = Person
    label = "The person raised a disabled child to the age the law names"
    definition_period = DateUnit.MONTH
    reference = "https://agroinform.asia/2020/05/08/dehqon-nafaqai-shoista-dorad/"
    documentation = (
        "As of the claim; the age is the law's (Tajikistan: 8). Not stated: false, and the general pensionable "
        "age and period apply (the reduced conditions are claimed with proof)."
    )
