"""Age in completed years and months, on the day a claim is decided (the first day of the month otherwise)."""

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules.calendar import completed_months
from openfisca_sp.rules.entities import Person


class age_in_months(Variable):
    value_type = int
    entity = Person
    label = "Age in completed months on the day of the decision"
    unit = "month"
    definition_period = DateUnit.MONTH
    documentation = (
        "Completed months of age on the day a claim is decided: the day of its event (the claim, the "
        "assessment) in the month of the event, else the first day of the month evaluated. A month is "
        "completed on the day of the month of birth: a person born on the 15th is 60 from the 15th of the "
        "birthday month; born on the 1st, from the 1st."
    )

    def formula(person, period):
        return completed_months(person("birth_date", period), person("event_date", period))


class age(Variable):
    value_type = int
    entity = Person
    label = "Age in completed years on the day of the decision"
    unit = "year"
    definition_period = DateUnit.MONTH

    def formula(person, period):
        return person("age_in_months", period) // 12
