"""Contribution months not yet used for an unemployment benefit (Viet Nam Employment Law 2013 Art 45)."""

import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules import windows
from openfisca_sp.rules.entities import Person


class unemployment_contribution_months_unused(Variable):
    value_type = int
    entity = Person
    label = "Months of contributions not yet used for an unemployment benefit"
    unit = "month"
    definition_period = DateUnit.MONTH
    reference = "Viet Nam Employment Law 2013 Art 45(1), 45(2), 53(4)"
    documentation = (
        "Art 45(1): the contribution period for an unemployment benefit is the sum of the months contributed "
        "and not yet used for one. Art 45(2): after a benefit, the months before it no longer count, except "
        "those Art 53(4) preserves. Without an earlier benefit, every contribution month; after one, the months "
        "contributed since the separation that opened it (from the monthly records), plus those preserved."
    )

    def formula(person, period):
        earlier = person("previous_unemployment_separation_date", period)
        since = windows.count_months_since(person, "contributed_in_month", period, earlier)
        preserved = person("unemployment_contribution_months_preserved", period)
        career = person("contribution_months", period)
        return np.where(earlier > np.datetime64("1970-01-01"), np.minimum(career, since + preserved), career)
