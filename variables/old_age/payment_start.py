"""The first day an old-age pension is paid: the claim's day, or the first day of the month after the month of
retirement where the law in force says so (Viet Nam)."""

from datetime import date

import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules import formulas
from openfisca_sp.rules.calendar import month_first_days, month_numbers
from openfisca_sp.rules.entities import Person


class old_age_pension_first_day(Variable):
    value_type = date
    entity = Person
    label = "First day the old-age pension is paid"
    definition_period = DateUnit.MONTH
    reference = (
        "Parameter old_age.payment_start.month_after_retirement (Viet Nam: Decree 135/2020/ND-CP Art 3(1)-(2), "
        "Circular 59/2015/TT-BLĐTBXH Art 18(1), Circular 12/2025/TT-BNV Art 15)"
    )
    documentation = (
        "The first day of the month after the claim's month where the law pays the pension from the month after "
        "retirement (the claim, old_age_claim_date, is the day of retirement: its month is the month of the age, or "
        "of the end of work for one who works on); elsewhere the day of the claim (event_date)."
    )

    def formula(person, period, parameters):
        event = np.asarray(person("event_date", period), dtype="datetime64[D]")
        if not formulas.pension_from_month_after_retirement(parameters, period):
            return event
        if np.isnat(event).any():  # no day: no first day
            return (event.astype("datetime64[M]") + 1).astype("datetime64[D]")
        return month_first_days(month_numbers(event) + 1)


class old_age_pension_first_day_read(Variable):
    value_type = bool
    entity = Person
    label = "The first day the old-age pension is paid rests on a reading of the law (a claim after the age's month)"
    definition_period = DateUnit.MONTH
    documentation = (
        "True where the law pays from the month after retirement and the claim falls after the month the "
        "pensionable age is reached (the lower age of arduous work where the pension is granted at it): the month "
        "after the claim's is the law's for one who works on after the age "
        "(Decree 135/2020/ND-CP Art 3(1), second sentence), but for one who stopped work before and claims later "
        "the law dates the pension by the request (SI Law 2014 Art 59(3), SI Law 2024 Art 69(2)), on a day the "
        "sources read do not give. The schedule is then provisional."
    )

    def formula(person, period, parameters):
        if not formulas.pension_from_month_after_retirement(parameters, period):
            return person.filled_array(False)
        age = np.asarray(person("old_age_pensionable_age_months", period))
        lower = person("old_age_lower_pensionable_age_reached", period)  # granted at the lower age of arduous work
        if lower.any():
            age = np.where(lower, person("old_age_lower_pensionable_age_months", period), age)
        reached = month_numbers(person("birth_date", period)) + age  # the month the age is reached
        return (age > 0) & (month_numbers(person("event_date", period)) > reached)
