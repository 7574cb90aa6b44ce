"""Contribution months the insurer preserved when an earlier unemployment benefit stopped early."""

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules.entities import Person


class unemployment_contribution_months_preserved(Variable):
    value_type = int
    entity = Person
    label = "Months of contributions preserved from an earlier unemployment benefit"
    unit = "month"
    definition_period = DateUnit.MONTH
    reference = "Viet Nam Employment Law 2013 Art 53(4)"
    documentation = (
        "Art 53(4): when an unemployment benefit stops early for some of the reasons of Art 53(3), the "
        "contribution months matching the benefit months not received are preserved for the next claim. From "
        "the insurer's records; 0 (the default) when none were preserved."
    )
