"""Whether the claim for unemployment benefit was filed within the time limit the law sets."""

import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules import formulas
from openfisca_sp.rules.entities import Person
from openfisca_sp.rules.windows import NO_DATE, add_months


class unemployment_claim_in_time(Variable):
    value_type = bool
    default_value = True
    entity = Person
    label = "The unemployment claim was filed within the time limit from the end of the labour contract"
    definition_period = DateUnit.MONTH
    reference = (
        "Parameter unemployment.claim_time_limit_months; Viet Nam Employment Law 2013 Art 46(1): within 3 months "
        "of the end of the contract"
    )
    documentation = (
        "True where the law sets no time limit, or where the end of the contract (employment_end_date) is not "
        "stated: then the limit cannot be checked and is not. The Employment Law counts the months from the end of "
        "the contract without saying from which day, so the Civil Code's rule applies (Art 145(1)): the day the "
        "contract ends is not counted (Art 147(3)) and the limit ends at the end of the corresponding day of its "
        "last month (Art 148(3), (6)), or of that month's last day where it has none: a contract ended on 5 "
        "December 2015 may be claimed until 5 March 2016, that day included."
    )

    def formula(person, period, parameters):
        node = formulas.branch(parameters, period, "unemployment")
        if node is None or not formulas.has(node, "claim_time_limit_months"):
            return person.filled_array(True)
        ended = person("employment_end_date", period).astype("datetime64[D]")
        filed = person("unemployment_registration_date", period).astype("datetime64[D]")
        in_time = np.ones(person.count, dtype=bool)
        rows = np.flatnonzero((ended != NO_DATE) & (filed != NO_DATE))  # only they can be late
        limit = add_months(ended[rows], np.full(len(rows), int(node.claim_time_limit_months)))
        in_time[rows] = filed[rows] <= limit
        return in_time
