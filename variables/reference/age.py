"""Age in completed years and months, on the first day of the month evaluated."""

import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules.entities import Person


class age_in_months(Variable):
    value_type = int
    entity = Person
    label = "Age in completed months on the first day of the month"
    unit = "month"
    definition_period = DateUnit.MONTH
    documentation = (
        "Completed months of age on the first day of the month evaluated. A person born on the 1st reaches "
        "an age in the month of the birthday; one born later in the month reaches it in the following month."
    )

    def formula(person, period):
        birth = person("birth_date", period)
        birth_month = birth.astype("datetime64[M]")
        day_of_month = (birth - birth_month.astype("datetime64[D]")).astype(np.int64) + 1
        start = np.datetime64(period.start.date, "M")
        months = (start - birth_month).astype(np.int64)
        return months - (day_of_month > 1)


class age(Variable):
    value_type = int
    entity = Person
    label = "Age in completed years on the first day of the month"
    unit = "year"
    definition_period = DateUnit.MONTH

    def formula(person, period):
        return person("age_in_months", period) // 12
