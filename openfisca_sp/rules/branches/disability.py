"""The disability (invalidity) benefit branch (ILO C102 Part IX, Arts 53-58): conditions, results, parameters."""

from openfisca_sp.rules.branches.common import CONTRIBUTIONS, REFERENCE_WAGE, rate_schedule, rate_schedule_amount
from openfisca_sp.rules.branches.first_day_rules import FirstDayByRule, FirstDayRule
from openfisca_sp.rules.branches.model import (
    AMOUNT,
    BOOLEAN,
    BY_REFERENCE_AMOUNT,
    DURATION,
    ELIGIBILITY,
    FIRST_DAY,
    SCALE,
    Branch,
    Condition,
    Event,
    ParameterName,
    either,
    needs,
    one_of,
)
from openfisca_sp.rules.branches.units import MONTHS, PERCENT
from openfisca_sp.rules.enums import DurationUnit
from openfisca_sp.rules.enums import IneligibilityReason as Reason

DISABILITY = Branch(
    code="disability",
    label="Disability (invalidity) benefit",
    benefit="disability_benefit",
    conditions=(
        Condition((Reason.not_disabled,), ("is_disabled",), ("provided",)),
        Condition(
            (Reason.disability_degree_too_low, Reason.disability_category_not_covered),
            ("disability_degree_met", "disability_category_met"),
            ("minimum_degree", "maximum_category"),
        ),
        Condition((Reason.above_age_limit,), ("old_age_pension_eligible",), ("ends_at_pensionable_age",)),
        Condition(CONTRIBUTIONS, ("disability_qualifying_period_met",), ("qualifying_period",)),
        Condition(  # where the law pays the higher of a social allowance and the social pension (Viet Nam)
            (Reason.receives_higher_social_pension,),
            ("social_pension_pays_more",),
            ("higher_of_social_pension",),
            only_where="social_pension_may_pay_more",
        ),
    ),
    amount_modelled="disability_benefit_amount_modelled",
    coverage_group="persons_with_severe_disabilities",
    event=Event(
        "assessment",
        "disability_assessment_date",
        on_the_date_asked=True,
        reference="ILO C102 Art 54: the contingency is an incapacity, as assessed",
    ),
    first_day=FirstDayByRule(
        "disability_benefit_first_day",
        "disability_benefit_first_day_read",
        "paid from the first day of the month the law names: the month the certificate of the degree of disability "
        "was issued (disability.payment_start.month_of_certificate), or the month the commune chairman signed the "
        "decision (disability.payment_start.month_of_decision)",
        "paid from the first day of the month of the assessment, which stands for the month the law names (the "
        "certificate's, disability_certificate_date, or the decision's, disability_decision_date, not stated or "
        "dated before the assessment): provisional",
        rules=(  # the rule in force on the claim's day, named alone; read in the order the formula reads them
            FirstDayRule(
                "payment_start.month_of_decision",
                "paid from the first day of the month the commune chairman signed the decision "
                "(disability.payment_start.month_of_decision)",
                "paid from the first day of the month of the assessment, which stands for the month the commune "
                "chairman signed the decision (disability_decision_date, not stated or dated before the assessment): "
                "provisional",
            ),
            FirstDayRule(
                "payment_start.month_of_certificate",
                "paid from the first day of the month the certificate of the degree of disability was issued "
                "(disability.payment_start.month_of_certificate)",
                "paid from the first day of the month of the assessment, which stands for the month the certificate "
                "of the degree of disability was issued (disability_certificate_date, not stated or dated before the "
                "assessment): provisional",
            ),
        ),
    ),
    parameters=(
        ParameterName("provided", "whether the law in force provides a disability benefit (false: not provided)"),
        ParameterName(
            "payment_start.month_of_certificate",
            "whether the allowance is paid from the first day of the month the certificate of the degree of "
            "disability is issued, not from the day of the assessment",
            absent="the benefit is paid from the day of the assessment",
            kind=BOOLEAN,
            part=FIRST_DAY,
        ),
        ParameterName(
            "payment_start.month_of_decision",
            "whether the allowance is paid from the first day of the month the commune chairman signs the decision "
            "granting it (read before the month of the certificate)",
            absent="the month of the certificate where that rule is in force, else the day of the assessment",
            kind=BOOLEAN,
            part=FIRST_DAY,
        ),
        ParameterName("minimum_degree", "minimum degree of disability, in percent", unit=PERCENT),
        ParameterName("maximum_category", "least severe category that gives a right (1 = most severe)"),
        ParameterName(
            "higher_of_social_pension",
            "whether a person also entitled to a higher social pension is paid it instead (the higher of the two)",
            absent="the allowance is paid whatever social pension the person is entitled to",
            kind=BOOLEAN,
            part=ELIGIBILITY,
        ),
        ParameterName(
            "ends_at_pensionable_age",
            "whether the benefit ends when an old-age pension becomes payable (C102 Art 58)",
            absent="it does not",
            kind=BOOLEAN,
            part=ELIGIBILITY,
        ),
        ParameterName(
            "qualifying_period.minimum_months",
            "months of contributions required",
            absent="none required",
            unit=MONTHS,
            part=ELIGIBILITY,
        ),
        REFERENCE_WAGE,
        *rate_schedule("C102 Art 57(4)", "no benefit below the base years"),
        ParameterName(
            "flat_rate.coefficient_by_category",
            "flat-rate coefficient, as a scale over the disability category",
            kind=SCALE,
        ),
        ParameterName(
            "flat_rate.children_and_elderly.coefficient_by_category",
            "flat-rate coefficient for a child or an older person, as a scale over the disability category",
            absent="the same coefficient at every age",
            kind=SCALE,
            part=AMOUNT,
        ),
        ParameterName(
            "flat_rate.children_and_elderly.child_below_age_months",
            "age below which the children's coefficient applies",
            absent="no children's coefficient",
            unit=MONTHS,
            part=AMOUNT,
        ),
        ParameterName(
            "flat_rate.children_and_elderly.older_from_age_months",
            "age from which the older persons' coefficient applies",
            absent="no older persons' coefficient",
            unit=MONTHS,
            part=AMOUNT,
        ),
        ParameterName(
            "flat_rate.reference_amount",
            "the amount the coefficient multiplies, as a multiple of a reference amount",
            keyed_by=BY_REFERENCE_AMOUNT,
        ),
        ParameterName(
            "flat_rate.follows_reference_amount",
            "whether a benefit in payment is the coefficient times the reference amount in force each month",
            absent="a benefit in payment keeps the amount decided (its rises are not modelled)",
            kind=BOOLEAN,
        ),
        ParameterName(
            "amount_change.from_month_after",
            "whether an amount that follows age changes from the month after the month the age is reached, not from "
            "that month (the law in force on the day it is reached)",
            absent="from the month after, a reading (the schedule provisional)",
            kind=BOOLEAN,
            part=AMOUNT,
        ),
        ParameterName(
            "duration.unit",
            "unit of the duration: lifetime, or until pensionable age",
            kind=one_of(DurationUnit, "lifetime", "until_pensionable_age"),
        ),
    ),
    amount_ages=(
        "flat_rate.children_and_elderly.child_below_age_months",
        "flat_rate.children_and_elderly.older_from_age_months",
    ),
    requirements={
        ELIGIBILITY: either(needs("minimum_degree"), needs("maximum_category")),
        AMOUNT: either(
            rate_schedule_amount(REFERENCE_WAGE.path),
            needs("flat_rate.coefficient_by_category", "flat_rate.reference_amount"),
        ),
        DURATION: needs("duration.unit"),
    },
)
