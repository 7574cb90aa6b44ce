"""Pension points earned or credited (Lao PDR, Decree 207/PM regime)."""

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules.entities import Person


class pension_points(Variable):
    value_type = float
    entity = Person
    label = "Pension points (Lao PDR Decree 207/PM points system)"
    definition_period = DateUnit.MONTH
    reference = "http://www.pensiondevelopment.org/556/index.htm"
    documentation = (
        "Under Decree 207/PM a pension point is earned for a year whose covered earnings are at least the "
        "average earnings of all insured persons that year; points may also be credited (0.8 a year for careers "
        "that began before the scheme) or purchased. Recorded by the Social Security Organization."
    )
