"""The unemployment benefit branch (ILO C102 Part IV, Arts 19-24; C168): conditions, results, parameters."""

from openfisca_sp.rules.branches.common import CONTRIBUTIONS, DAYS_A_MONTH, LAST_DAY_OF_SHORT_MONTH, REFERENCE_WAGE
from openfisca_sp.rules.branches.model import (
    AMOUNT,
    BY_REFERENCE_AMOUNT,
    COUNTED_DURATION,
    DURATION,
    ELIGIBILITY,
    SCALE,
    WAITING_PERIOD,
    Branch,
    Condition,
    Event,
    ParameterName,
    names_of,
    needs,
)
from openfisca_sp.rules.branches.units import COUNTED, DAYS, MONTHS, MULTIPLE, RATE
from openfisca_sp.rules.enums import IneligibilityReason as Reason
from openfisca_sp.rules.enums import SeparationReason

UNEMPLOYMENT = Branch(
    code="unemployment",
    label="Unemployment benefit",
    benefit="unemployment_benefit",
    conditions=(
        Condition(
            (Reason.not_separated, Reason.separation_reason_not_covered),
            ("separation_reason",),
            ("covered_separation_reasons",),
        ),
        Condition(
            (Reason.not_registered_unemployed, Reason.unemployment_too_short),
            ("days_registered_unemployed",),
            ("minimum_days_unemployed",),
        ),
        Condition((Reason.claim_out_of_time,), ("unemployment_claim_in_time",), ("claim_time_limit_months",)),
        Condition((Reason.not_available_for_work,), ("is_available_for_work",), ("provided",)),
        Condition(CONTRIBUTIONS, ("unemployment_qualifying_period_met",), ("qualifying_period",)),
    ),
    amount_modelled="unemployment_benefit_amount_modelled",
    amount_provisional="unemployment_benefit_maximum_provisional",
    waiting_days="unemployment_benefit_waiting_days",
    coverage_group="unemployed",
    event=Event(
        "registration",
        "unemployment_registration_date",
        needed_from=1,
        reference=(
            "Viet Nam Employment Law 2013 Art 49(3), 50(3): the claim is filed with the employment service; "
            "Lao LSSO [S26]: with a certificate of at least 30 days of unemployment"
        ),
        completed_after="minimum_days_unemployed",
        windows_end_with="employment_end_date",  # Viet Nam Employment Law 2013 Art 49(2), 50(1)
    ),
    # the months before the claim's (or the contract's end) averaged: no month before the first of them is read
    history_read_from=(("insured_wage", "unemployment_reference_wage_first_month"),),
    parameters=(
        ParameterName("provided", "whether the law in force provides an unemployment benefit (false: not provided)"),
        ParameterName(
            "covered_separation_reasons",
            "reasons for separation that give a right (SeparationReason names)",
            kind=names_of(SeparationReason, "not_separated"),
        ),
        ParameterName(
            "minimum_days_unemployed",
            "days registered as unemployed before the benefit is due",
            absent="registration suffices",
            unit=DAYS,
            part=ELIGIBILITY,
        ),
        ParameterName(
            "claim_time_limit_months",
            "months from the end of the labour contract within which the claim is filed",
            absent="no time limit",
            unit=MONTHS,
            part=ELIGIBILITY,
        ),
        ParameterName(
            "qualifying_period.window_months",
            "months before unemployment in which contributions count (0: the whole career)",
            unit=MONTHS,
        ),
        ParameterName(
            "qualifying_period.minimum_months", "months of contributions required in the window", unit=MONTHS
        ),
        REFERENCE_WAGE,
        ParameterName(
            "reference_wage.ceiling",
            "the unemployment insurance's own ceiling on each month's insured wage, as a multiple of a reference "
            "amount (each person's, where it varies by region)",
            absent="the ceiling every branch shares (insured_wage/), if any",
            keyed_by=BY_REFERENCE_AMOUNT,
            part=AMOUNT,
        ),
        ParameterName("benefit_rate", "benefit as a share of the reference wage", unit=RATE),
        ParameterName(
            "maximum",
            "maximum benefit, as a multiple of a reference amount",
            keyed_by=BY_REFERENCE_AMOUNT,
            absent="no maximum",
            unit=MULTIPLE,
            part=AMOUNT,
        ),
        ParameterName("duration.unit", "unit of the duration: days, weeks or months", kind=COUNTED_DURATION),
        LAST_DAY_OF_SHORT_MONTH,
        DAYS_A_MONTH,
        ParameterName(
            "duration.by_contribution_months",
            "duration, as a scale over months of contributions",
            kind=SCALE,
            unit=COUNTED,  # its amounts'
        ),
        ParameterName("waiting_days", "days of each case for which no benefit is paid", unit=DAYS),
    ),
    requirements={
        ELIGIBILITY: needs(
            "covered_separation_reasons", "qualifying_period.window_months", "qualifying_period.minimum_months"
        ),
        AMOUNT: needs(REFERENCE_WAGE.path, "benefit_rate"),
        DURATION: needs("duration.unit", "duration.by_contribution_months"),
        WAITING_PERIOD: needs("waiting_days"),
    },
)
