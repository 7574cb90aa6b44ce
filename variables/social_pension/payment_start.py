"""The first day a social pension is paid: the day of the written request (the date asked where not stated)."""

from datetime import date

import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules.entities import Person


class social_pension_first_day(Variable):
    value_type = date
    entity = Person
    label = "First day the social pension is paid: the day of the written request (the date asked where not stated)"
    definition_period = DateUnit.MONTH
    reference = (
        "Viet Nam, Law on Social Insurance No. 41/2024/QH15, Art 21(1)(c) (a written request is a condition) and "
        "Art 22(4) (the Government sets the procedure: Decree 176/2025/ND-CP, whose article on the month paid from "
        "was not read)"
    )
    documentation = (
        "The request's day (social_pension_claim_date), before which the person has no right (Art 21(1)(c)); where "
        "no request date is stated, the date asked stands for it (the claim's event_date), and the schedule's "
        "method says so. The law's own start was not read: Decree 20/2021/ND-CP Art 8(1)(đ), "
        "for the monthly social allowance the pension replaced for those of 80, paid from the time the age was "
        "reached (from the month the district chairman decides, for others); Decree 176/2025's rule is not known."
    )

    def formula(person, period):
        return np.asarray(person("event_date", period), dtype="datetime64[D]")


class social_pension_first_day_read(Variable):
    value_type = bool
    entity = Person
    label = "The social pension's first day paid rests on a reading of the law (always: Decree 176/2025 not read)"
    definition_period = DateUnit.MONTH
    documentation = (
        "True: paying from the request's day is a reading of Art 21(1)(c), and the date asked stands for a request "
        "date not stated; the schedule is provisional."
    )

    def formula(person, period):
        return person.filled_array(True)
