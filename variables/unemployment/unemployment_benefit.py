"""Unemployment benefit: monthly amount, frequency, duration and waiting period (C102 Arts 22, 24; C168).

Viet Nam caps the amount at 5 × the regional minimum wage "tại thời điểm chấm dứt hợp đồng lao động" (at the time
the labour contract ends: Employment Law 2013 Art 50(1); Employment Law 2025 Art 39, as reported)."""

from datetime import date
from typing import Any

import numpy as np
from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules import formulas
from openfisca_sp.rules.branches import AMOUNT, WAITING_PERIOD
from openfisca_sp.rules.entities import Person
from openfisca_sp.rules.enums import DurationUnit, PaymentFrequency
from openfisca_sp.rules.provenance import provenance_of, same_values_in_force
from openfisca_sp.rules.small_arrays import anyone, everyone
from openfisca_sp.rules.windows import NO_DATE, add_months


class unemployment_benefit(Variable):
    value_type = float
    entity = Person
    label = "Unemployment benefit (monthly amount)"
    unit = "currency"
    definition_period = DateUnit.MONTH
    documentation = (
        "Benefit rate × reference wage, capped where the law caps it (parameter unemployment.maximum, "
        "a multiple of a reference amount in force on the day the labour contract ended, where stated; else in "
        "the month evaluated), rounded to the currency unit; 0 when not eligible."
    )

    def formula(person, period, parameters):
        if not formulas.part_modelled(parameters, period, "unemployment", AMOUNT):
            return person.filled_array(0)
        node = formulas.branch(parameters, period, "unemployment")
        amount = node.benefit_rate * person("unemployment_reference_wage", period)
        if formulas.has(node, "maximum"):  # Viet Nam Art 50(1): on the day the labour contract ended, where stated
            amount = np.minimum(amount, person("unemployment_benefit_maximum", period))
        eligible = person("unemployment_benefit_eligible", period)
        return formulas.amount_paid(person, amount, eligible)


class unemployment_benefit_maximum(Variable):
    value_type = float
    entity = Person
    label = "The unemployment benefit's maximum for the person (NaN: not known)"
    unit = "currency"
    definition_period = DateUnit.MONTH
    reference = (
        "Parameter unemployment.maximum; Viet Nam Employment Law 2013 Art 50(1): the regional minimum wage at the "
        "time the labour contract ends"
    )
    documentation = (
        "The multiples of reference amounts unemployment.maximum names: those in force on the day the labour "
        "contract ended where it is stated and they were in force then (unemployment_benefit_maximum_at_end), else "
        "those of the month evaluated (on a claim's day, that day's). NaN where the day's amount stands at a null "
        "(stopped, or NOT FOUND for the person's region): not known, never the claim day's; NaN where the law sets "
        "no maximum. Computed once: the amount, its provisional check and the day it was read on read it."
    )

    def formula(person, period, parameters):
        node = formulas.branch(parameters, period, "unemployment")
        if node is None or not formulas.has(node, "maximum"):
            return person.filled_array(np.nan)
        at_end = person("unemployment_benefit_maximum_at_end", period)
        known = ~np.isnan(at_end)
        if everyone(known):
            return at_end
        maximum = np.where(known, at_end, formulas.person_reference_amount(person, period, parameters, node.maximum))
        spans = formulas.null_spans(
            person.simulation.tax_benefit_system.parameters, tuple(f"reference_amounts.{name}" for name in node.maximum)
        )
        if len(spans):  # only under a law with such nulls: a day at a null is not one before the amounts' first
            ended = person("employment_end_date", period).astype("datetime64[D]")
            maximum[~known & (ended > NO_DATE) & formulas.on_a_null(spans, ended)] = np.nan
        return maximum


class unemployment_benefit_maximum_at_end(Variable):
    value_type = float
    entity = Person
    label = "The unemployment benefit's maximum in force on the day the labour contract ended (NaN: not known)"
    unit = "currency"
    definition_period = DateUnit.MONTH
    reference = "Viet Nam Employment Law 2013 Art 50(1): the regional minimum wage at the time the labour contract ends"
    documentation = (
        "The multiples of reference amounts unemployment.maximum names, in force on employment_end_date; NaN where "
        "it is not stated, no amount was in force then, or the law sets no maximum (computed once: the amount, its "
        "provisional check and the day it was read on read it)."
    )

    def formula(person, period, parameters):
        node = formulas.branch(parameters, period, "unemployment")
        ended = person("employment_end_date", period).astype("datetime64[D]")
        stated = ended > NO_DATE
        if not formulas.has(node, "maximum") or not anyone(stated):
            return person.filled_array(np.nan)
        if everyone(stated):
            return formulas.person_reference_amount_on(person, period, parameters, node.maximum, ended)
        rows = np.flatnonzero(stated)  # read for those who state it only: most persons state no contract's end
        maximum = person.filled_array(np.nan)
        maximum[rows] = formulas.person_reference_amount_on(person, period, parameters, node.maximum, ended[rows], rows)
        return maximum


class unemployment_benefit_maximum_provisional(Variable):
    value_type = bool
    entity = Person
    label = "The unemployment benefit's maximum rests on an unverified amount or on an unknown end of the contract"
    definition_period = DateUnit.MONTH
    reference = (
        "Parameter unemployment.maximum; Viet Nam Employment Law 2013 Art 50(1): the regional minimum wage at the "
        "time the labour contract ends"
    )
    documentation = (
        "For an eligible person whose benefit the maximum may cap. Where the end of the contract is stated: true if "
        "the maximum caps the benefit and a reference amount in force that day is unverified. Where it is not "
        "stated (or no amount was in force then), the maximum is the month evaluated's: true if the amounts in force "
        "on the days the contract may have ended (within the time limit for claiming, "
        "unemployment.claim_time_limit_months, before the month evaluated; any day without one) would cap it "
        "otherwise."
    )

    def formula(person, period, parameters):
        capping = _capping(person, period, parameters)
        if capping is None:  # nobody's maximum is read: nothing to check (most decisions)
            return person.filled_array(False)
        node, eligible, uncapped, _, known = capping
        unknown = eligible & ~known
        provisional = (
            unknown & _could_differ(person, period, parameters, node, uncapped) if anyone(unknown) else unknown
        )
        read_on = person("unemployment_benefit_maximum_read_on", period).astype("datetime64[D]")
        capped = read_on > NO_DATE
        if not anyone(capped):
            return provisional
        prefixes = tuple(f"reference_amounts.{name}" for name in node.maximum)
        index = provenance_of(person.simulation.tax_benefit_system)
        days, which = same_values_in_force(index, prefixes, read_on[capped])  # a day for each set of amounts
        unverified = np.array([bool(formulas.unverified_on(person, str(day), *prefixes)) for day in days])
        provisional[capped] |= unverified[which]
        return provisional


class unemployment_benefit_maximum_read_on(Variable):
    value_type = date
    default_value = date(1970, 1, 1)
    entity = Person
    label = "The day whose reference amounts cap the unemployment benefit, where not the claim's (1970-01-01: none)"
    definition_period = DateUnit.MONTH
    reference = "Viet Nam Employment Law 2013 Art 50(1): the regional minimum wage at the time the labour contract ends"
    documentation = (
        "For an eligible person whose benefit the maximum caps: the day the labour contract ended "
        "(employment_end_date), where the reference amounts were read on it; else none (the claim's day's amounts, "
        "those its legal basis lists). A decision names this day's amounts in its payments' method."
    )

    def formula(person, period, parameters):
        capping = _capping(person, period, parameters)
        if capping is None:
            return person.filled_array(NO_DATE)
        _, eligible, uncapped, maximum, known = capping
        ended = person("employment_end_date", period).astype("datetime64[D]")
        return np.where(eligible & known & (uncapped > maximum), ended, NO_DATE)


def _capping(person, period, parameters) -> tuple[Any, np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
    """The branch's node, who is eligible, their benefit uncapped, the maximum (unemployment_benefit_maximum) and
    where it is the end of the contract's; None where the law sets no maximum, the amount is not modelled, or
    nobody is eligible (nothing is read)."""
    node = formulas.branch(parameters, period, "unemployment")
    if not formulas.has(node, "maximum") or not formulas.part_modelled(parameters, period, "unemployment", AMOUNT):
        return None
    eligible = np.asarray(person("unemployment_benefit_eligible", period), dtype=bool)
    if not anyone(eligible):
        return None
    uncapped = node.benefit_rate * person("unemployment_reference_wage", period)
    known = ~np.isnan(person("unemployment_benefit_maximum_at_end", period))  # the day known
    return node, eligible, uncapped, person("unemployment_benefit_maximum", period), known


def _could_differ(person, period, parameters, node, uncapped: np.ndarray) -> np.ndarray:
    """Whether the benefit ``uncapped`` would be capped otherwise by the amounts in force on a day the contract may
    have ended: the first day of the time limit before the month evaluated, the first of each month since, and the
    month evaluated (amounts change on a month's first day); every person where the law sets no time limit."""
    if not formulas.has(node, "claim_time_limit_months"):
        return person.filled_array(True)
    today = np.datetime64(formulas.rules_instant(person, period).date, "D")  # a claim's day
    earliest = add_months(np.array([today]), np.array([-int(node.claim_time_limit_months)]))[0]
    firsts = np.arange(earliest.astype("datetime64[M]") + 1, today.astype("datetime64[M]") + 1, dtype="datetime64[M]")
    days = formulas.distinct_readings(
        person, node.maximum, np.array([earliest, *firsts.astype("datetime64[D]"), today])
    )
    amounts = [
        formulas.person_reference_amount_on(person, period, parameters, node.maximum, np.full(person.count, day))
        for day in days  # one for each set of amounts in force in the window (mostly one or two)
    ]
    # an amount not in force, or a region's NOT FOUND, on one of the days (NaN): the maximum is not known, for those
    # it concerns only (NaN compares unequal)
    paid = np.minimum(uncapped, np.stack(amounts))
    return paid.min(axis=0) != paid.max(axis=0)


class unemployment_benefit_amount_modelled(Variable):
    value_type = bool
    entity = Person
    label = "The law's formula for the unemployment benefit amount is modelled at this date"
    definition_period = DateUnit.MONTH
    reference = "The branch catalogue (openfisca_sp/rules/branches/unemployment.py): what the amount needs"

    def formula(person, period, parameters):
        return formulas.modelled_where_read(person, period, parameters, "unemployment", AMOUNT, "unemployment_benefit")


class unemployment_benefit_frequency(Variable):
    value_type = Enum
    possible_values = PaymentFrequency
    default_value = PaymentFrequency.monthly
    entity = Person
    label = "How often unemployment benefit is paid"
    definition_period = DateUnit.MONTH

    def formula(person, period):
        # Not an input: every jurisdiction modelled pays this periodical benefit monthly.
        return person.filled_array(PaymentFrequency.monthly.index)


class unemployment_benefit_duration(Variable):
    value_type = float
    entity = Person
    label = "Duration of unemployment benefit, in its unit"
    definition_period = DateUnit.MONTH
    reference = "Parameter unemployment.duration.by_contribution_months (a scale over months of contributions)"

    def formula(person, period, parameters):
        node = formulas.branch(parameters, period, "unemployment")
        if node is None or not formulas.has(node, "duration", "by_contribution_months"):
            return person.filled_array(0)
        months = person("unemployment_contribution_months_unused", period)  # Art 45(1): unused months only
        duration = formulas.scale_of_counts(node.duration.by_contribution_months, months)
        return np.where(person("unemployment_benefit_eligible", period), duration, 0)


class unemployment_benefit_duration_unit(Variable):
    value_type = Enum
    possible_values = DurationUnit
    default_value = DurationUnit.not_applicable
    entity = Person
    label = "Unit of the duration of unemployment benefit"
    definition_period = DateUnit.MONTH

    def formula(person, period, parameters):
        return formulas.duration_unit(person, period, parameters, "unemployment", "unemployment_benefit_eligible")


class unemployment_benefit_waiting_days_modelled(Variable):
    value_type = bool
    entity = Person
    label = "The waiting period of unemployment benefit is modelled at this date"
    definition_period = DateUnit.MONTH
    reference = "The branch catalogue (openfisca_sp/rules/branches/unemployment.py): parameter waiting_days"

    def formula(person, period, parameters):
        return person.filled_array(formulas.part_modelled(parameters, period, "unemployment", WAITING_PERIOD))


class unemployment_benefit_waiting_days(Variable):
    value_type = int
    entity = Person
    label = "Waiting period before unemployment benefit starts, in days (0 if not eligible or not modelled)"
    unit = "day"
    definition_period = DateUnit.MONTH
    reference = "ILO C102 Art 24(3): at most 7 days; parameter unemployment.waiting_days"
    documentation = "Read with unemployment_benefit_waiting_days_modelled: 0 is a number of days only where it is true."

    def formula(person, period, parameters):
        if not formulas.part_modelled(parameters, period, "unemployment", WAITING_PERIOD):
            return person.filled_array(0)
        node = formulas.branch(parameters, period, "unemployment")
        return np.where(person("unemployment_benefit_eligible", period), int(node.waiting_days), 0)
