"""The day a claim is decided on: the date of its event."""

from datetime import date

import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules.entities import Person


class event_date(Variable):
    value_type = date
    entity = Person
    label = "Date of the event a claim is decided on (the first day of the month evaluated unless set)"
    definition_period = DateUnit.MONTH
    documentation = (
        "Set by the claims of /eligibility to each claim's event: the confinement, the registration as "
        "unemployed, the claim for a pension, the disability assessment. Ages are taken on this day. "
        "Without it, the first day of the month evaluated."
    )

    def formula(person, period):
        return np.full(person.count, np.datetime64(period.start.date, "D"))
