"""Months of underground coal mining (Viet Nam's lower pensionable age)."""

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules.entities import Person


class underground_coal_mining_months(Variable):
    value_type = int
    entity = Person
    label = "Months of work in underground coal mining"
    unit = "month"
    definition_period = DateUnit.MONTH
    reference = (
        "Viet Nam SI Law 58/2014/QH13 Art 54(1)(c) (as Labour Code 45/2019/QH14 Art 219(1)(a) replaced it from 2021); "
        "SI Law 41/2024/QH15 Art 64(1)(c): 'làm công việc khai thác than trong hầm lò'"
    )
    documentation = (
        "As of the claim, as the social insurance book records them. With the qualifying period, 15 years of it give "
        "a lower pensionable age than arduous work does (parameter old_age.arduous_work.underground_coal_mining: 10 "
        "years below the general age from 2021). Not stated: 0, and the general age applies; /eligibility asks for it "
        "where it would change a refusal for the age."
    )
