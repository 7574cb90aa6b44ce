"""Days registered as unemployed at the end of the month evaluated."""

import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules.entities import Person

NOT_REGISTERED = np.datetime64("1970-01-01")


class days_registered_unemployed(Variable):
    value_type = int
    entity = Person
    label = "Days registered as unemployed, counted to the last day of the month (0 if not registered)"
    unit = "day"
    definition_period = DateUnit.MONTH

    def formula(person, period):
        registered = person("unemployment_registration_date", period)
        end = np.datetime64(period.stop.date)
        days = (end - registered).astype(np.int64) + 1
        return np.where((registered == NOT_REGISTERED) | (days < 0), 0, days)
