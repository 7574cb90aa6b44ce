"""Whether a woman had to rest from work during her pregnancy on a medical prescription (Viet Nam)."""

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules.entities import Person


class rested_during_pregnancy_on_prescription(Variable):
    value_type = bool
    entity = Person
    label = "Had to rest from work during the pregnancy, as a competent medical establishment prescribed"
    definition_period = DateUnit.MONTH
    reference = (
        "Viet Nam SI Law 58/2014/QH13 Art 31(3); SI Law 41/2024/QH15 Art 50(3): 'khi mang thai phải nghỉ việc để "
        "dưỡng thai theo chỉ định' of a medical establishment"
    )
    documentation = (
        "As of the month of confinement. Where the law lowers the months of contributions required of a woman who "
        "had to rest during her pregnancy (parameter maternity.qualifying_period.prescribed_rest), true decides her "
        "under the lower minimum. Not stated: false, the general minimum applies; a claim refused for the months "
        "before the birth that the rest would change is undetermined, and this fact asked."
    )
