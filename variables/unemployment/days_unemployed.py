"""Days registered as unemployed: to the end of the month evaluated, or to the day a claim can be made."""

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
    documentation = (
        "Counted to the last day of the month evaluated; a claim decided on its registration counts them to the "
        "day it can be made (event_date: the last of the days the law asks, e.g. Lao PDR's 30-day certificate)."
    )

    def formula(person, period):
        registered = person("unemployment_registration_date", period)
        end = np.maximum(np.datetime64(period.stop.date), person("event_date", period).astype("datetime64[D]"))
        days = (end - registered).astype(np.int64) + 1
        return np.where((registered == NOT_REGISTERED) | (days < 0), 0, days)
