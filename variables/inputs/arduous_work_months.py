"""Months of arduous, toxic or dangerous work (Viet Nam's lower pensionable age)."""

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules.entities import Person


class arduous_work_months(Variable):
    value_type = int
    entity = Person
    label = "Months of work in an arduous, toxic or dangerous occupation or job of the Ministry's list"
    unit = "month"
    definition_period = DateUnit.MONTH
    reference = (
        "Viet Nam SI Law 58/2014/QH13 Art 54(1)(b) (as Labour Code 45/2019/QH14 Art 219(1)(a) replaced it from 2021); "
        "SI Law 41/2024/QH15 Art 64(1)(b): 'làm nghề, công việc nặng nhọc, độc hại, nguy hiểm hoặc đặc biệt nặng "
        "nhọc, độc hại, nguy hiểm thuộc danh mục' of the Ministry of Labour"
    )
    documentation = (
        "As of the claim, as the social insurance book records them: months in an occupation or job of the Ministry "
        "of Labour's list of arduous, toxic or dangerous (or especially so) work (from 1 July 2025, the months of "
        "compulsory contributions paid in it). With the qualifying period, 15 years of it give the lower pensionable "
        "age (parameter old_age.arduous_work). Not stated: 0, and the general age applies; /eligibility asks for it "
        "where it would change a refusal for the age."
    )
