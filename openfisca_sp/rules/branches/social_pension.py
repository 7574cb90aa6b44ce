"""The social pension branch: a flat, non-contributory monthly pension for older persons without a contributory one
(ILO R202 Para 5(d); Viet Nam's Law on Social Insurance 2024, Chapter III, Arts 21-22).

Unlike the four branches every jurisdiction decides, a jurisdiction decides this one only where its parameters
have a ``social_pension`` folder (the law in force provides one and its numbers were read), or where a reform adds
one (:mod:`reforms.r202_social_pension`). Elsewhere the engine does not report it.
"""

from openfisca_sp.rules.branches.first_day_rules import FirstDayByRule, FirstDayRule
from openfisca_sp.rules.branches.model import (
    AMOUNT,
    BOOLEAN,
    ELIGIBILITY,
    FIRST_DAY,
    Branch,
    Condition,
    Event,
    ParameterName,
    needs,
)
from openfisca_sp.rules.branches.units import AGE_MONTHS, MONEY
from openfisca_sp.rules.enums import IneligibilityReason as Reason

SOCIAL_PENSION = Branch(
    code="social_pension",
    label="Social pension",
    benefit="social_pension",
    conditions=(
        Condition(
            (Reason.below_pensionable_age,),
            ("social_pension_age_reached",),
            ("minimum_age_months", "poor_household_minimum_age_months"),
        ),
        Condition((Reason.receives_contributory_pension,), ("old_age_pension_eligible",), ()),
        # the higher of the two is paid (Viet Nam SI Law 2024 Art 22(2)): a refusal rests on the social pension's
        # amount too, not above the allowance (the allowance's values are the other branch's)
        Condition(
            (Reason.receives_higher_social_allowance,),
            ("disability_benefit_eligible",),
            ("higher_of_social_allowance",),
            also_cites=("amount",),
        ),
    ),
    amount_modelled="social_pension_amount_modelled",
    coverage_group="older_persons",
    event=Event(
        "request",
        "social_pension_claim_date",
        on_the_date_asked=True,
        reference="Viet Nam SI Law 2024 Art 21(1)(c): the written request; not stated, the date asked",
    ),
    first_day=FirstDayByRule(
        "social_pension_first_day",
        "social_pension_first_day_read",
        "paid from the first day of the month the commune chairman signed the decision (social_pension.payment_start"
        ".month_of_decision)",
        "paid from the day of the written request (social_pension_claim_date, SI Law 2024 Art 21(1)(c)), a reading "
        "(the month Decree 176/2025/ND-CP pays from was not read); where no request date is stated, the date asked "
        "stands for it (provisional)",
        rules=(  # where the law in force on the claim's day pays from the month of the decision
            FirstDayRule(
                "payment_start.month_of_decision",
                "paid from the first day of the month the commune chairman signed the decision "
                "(social_pension.payment_start.month_of_decision)",
                "paid from the first day of the request's month, which stands for the month the commune chairman "
                "signed the decision (social_pension_decision_date, not stated or dated before it); where no request "
                "date is stated, the date asked stands for it (provisional)",
            ),
        ),
    ),
    parameters=(
        ParameterName("provided", "whether the law (or the reform) provides a social pension"),
        ParameterName(
            "in_law_in_force",
            "whether the law in force already provides a social pension that the baseline does not model (a "
            "reform's note)",
            absent="the law in force provides none, or the baseline models it",
            kind=BOOLEAN,
        ),
        ParameterName(
            "minimum_age_months",
            "age of the social pension",
            absent="the statutory pensionable age",
            unit=AGE_MONTHS,
            part=ELIGIBILITY,
        ),
        ParameterName(
            "poor_household_minimum_age_months",
            "lower age of the social pension for members of poor or near-poor households",
            absent="no lower age",
            unit=AGE_MONTHS,
            part=ELIGIBILITY,
        ),
        ParameterName(
            "payment_start.month_of_decision",
            "whether the social pension is paid from the first day of the month the commune chairman signs the "
            "decision granting it",
            absent="the day of the request",
            kind=BOOLEAN,
            part=FIRST_DAY,
        ),
        ParameterName("amount", "the flat monthly social pension", unit=MONEY),
        ParameterName(
            "higher_of_social_allowance",
            "whether a person also entitled to a monthly social allowance (the disability benefit) is paid only the "
            "higher of the two",
            absent="the social pension is paid beside it",
            kind=BOOLEAN,
            part=ELIGIBILITY,
        ),
    ),
    requirements={AMOUNT: needs("amount")},
)
