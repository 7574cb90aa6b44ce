"""Names several branches declare alike: the refusals for too few contributions, the reference wage's averaging
months, the days a month, and the replacement rate's schedule by years of contributions."""

from openfisca_sp.rules.branches.model import (
    AMOUNT,
    BOOLEAN,
    DURATION,
    REFERENCE_WAGE_MONTHS,
    SCALE,
    ParameterName,
    Requirement,
    either,
    needs,
)
from openfisca_sp.rules.branches.units import DAYS, MONTHS, RATE, YEARS
from openfisca_sp.rules.enums import IneligibilityReason as Reason

CONTRIBUTIONS = (Reason.insufficient_contributions, Reason.insufficient_recent_contributions)
REFERENCE_WAGE = ParameterName(
    REFERENCE_WAGE_MONTHS,
    "months of insured wage averaged into the reference wage, each month capped at the ceiling (0: the "
    "career-average insured wage)",
    unit=MONTHS,
)


DAYS_A_MONTH = ParameterName(
    "duration.days_a_month",
    "the days a monthly amount is divided by to pay one day of a duration in days (30: 1/30 a day); read by the "
    "payment schedules, not by a formula",
    absent="what a day pays is not modelled: a benefit counted in days has no month's amount or total",
    unit=DAYS,
)


LAST_DAY_OF_SHORT_MONTH = ParameterName(
    "duration.last_day_without_corresponding_day",
    "whether a period counted in months whose last month has no day corresponding to its first day's ends on that "
    "month's last day, not the day before it; read by the benefit periods, not by a formula",
    absent="a period of months ends the day before the same day of its last month, or the day before that month's "
    "last day where it has no such day",
    kind=BOOLEAN,
    part=DURATION,
)


def rate_schedule(article: str, absent: str) -> tuple[ParameterName, ...]:
    """The replacement rate by years of contributions (``replacement_rates.rate_for_years``), any value by sex.

    ``article`` allows a proportional reduction below the base years; ``absent``
    says what the law gives there when it does not.
    """
    return (
        ParameterName("replacement_rate.base_rate", "rate after the base years", may_vary_by_sex=True, unit=RATE),
        ParameterName(
            "replacement_rate.base_years", "years of contributions for the base rate", may_vary_by_sex=True, unit=YEARS
        ),
        ParameterName(
            "replacement_rate.accrual_per_year",
            "rate added per further completed year",
            may_vary_by_sex=True,
            unit=RATE,
        ),
        ParameterName(
            "replacement_rate.accrual_scale",
            "marginal scale of the rate added over the further years (instead of accrual_per_year)",
            may_vary_by_sex=True,
            kind=SCALE,
        ),
        ParameterName("replacement_rate.maximum", "maximum replacement rate", may_vary_by_sex=True, unit=RATE),
        ParameterName(
            "replacement_rate.proportional_below_base",
            f"below the base years, the base rate reduced in proportion ({article})",
            absent=absent,
            kind=BOOLEAN,
            part=AMOUNT,
        ),
        ParameterName(
            "replacement_rate.odd_months_as_years",
            "whether the odd months beyond whole years count, 1 to 6 as half a year and 7 to 11 as a year",
            absent="only completed years count",
            kind=BOOLEAN,
            part=AMOUNT,
        ),
    )


def rate_schedule_amount(*also: str) -> Requirement:
    """An amount from the rate schedule (with either kind of accrual) and the parameters ``also`` names."""
    rate = ("replacement_rate.base_rate", "replacement_rate.base_years", "replacement_rate.maximum")
    return either(
        needs(*also, *rate, "replacement_rate.accrual_per_year"), needs(*also, *rate, "replacement_rate.accrual_scale")
    )
