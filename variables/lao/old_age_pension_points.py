"""Lao PDR old-age pension rate: the Decree 207/PM points formula, then Law No. 34/NA.

Under Decree 207/PM (2001) the pension is total pension points × 1.5% × the average
covered earnings of the last 12 months (pensiondevelopment.org, SSA SSPTW). From the
Law on Social Security No. 34/NA the shared formula applies; its parameters were
not found, so the amount is not modelled there (the branch catalogue accepts
either the points formula or the shared rate schedule for the old-age amount).
"""

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules import replacement_rates
from openfisca_sp.rules.entities import Person


class old_age_replacement_rate(Variable):
    value_type = float
    entity = Person
    label = "Replacement rate of the old-age pension"
    unit = "/1"
    definition_period = DateUnit.MONTH
    reference = "http://www.pensiondevelopment.org/556/index.htm"

    def formula_2001_07_01(person, period, parameters):
        rate = parameters(period.start).old_age.pension_point_rate
        return person("pension_points", period) * rate

    def formula_2014_01_01(person, period, parameters):
        return replacement_rates.old_age_rate(person, period, parameters)
