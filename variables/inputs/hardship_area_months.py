"""Months of work in a place of hardship (Viet Nam's lower pensionable age)."""

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules.entities import Person


class hardship_area_months(Variable):
    value_type = int
    entity = Person
    label = "Months of work in an area of especially difficult socio-economic conditions, or a 0.7 allowance place"
    unit = "month"
    definition_period = DateUnit.MONTH
    reference = (
        "Viet Nam SI Law 58/2014/QH13 Art 54(1)(b): 'làm việc ở nơi có phụ cấp khu vực hệ số 0,7 trở lên'; as "
        "Labour Code 45/2019/QH14 Art 219(1)(a) replaced it from 2021, and SI Law 41/2024/QH15 Art 64(1)(b): 'làm "
        "việc ở vùng có điều kiện kinh tế - xã hội đặc biệt khó khăn bao gồm cả thời gian làm việc ở nơi có phụ cấp "
        "khu vực hệ số 0,7 trở lên trước ngày 01 tháng 01 năm 2021'"
    )
    documentation = (
        "As of the claim, as the social insurance book records them: months of work in an area of especially "
        "difficult socio-economic conditions, the months before 1 January 2021 in a place with a regional allowance "
        "coefficient of 0.7 or more included (before 2021, the law counts those months only; from 1 July 2025, the "
        "months of compulsory contributions paid there). With the qualifying period, 15 years of it give the lower "
        "pensionable age (parameter old_age.arduous_work; they add to arduous_work_months where "
        "hardship_area_months_added is true). Not stated: 0, and the general age applies; /eligibility asks for it "
        "where it would change a refusal for the age."
    )
