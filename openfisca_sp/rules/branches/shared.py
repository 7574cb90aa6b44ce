"""Parameters outside the four branches: those every branch shares, and benchmark values no formula reads."""

from openfisca_sp.rules.branches.model import BY_REFERENCE_AMOUNT, ParameterGroup, ParameterName
from openfisca_sp.rules.branches.units import DAYS, MONEY, MONTHS, RATE, WEEKS

INSURED_WAGE = ParameterGroup(
    code="insured_wage",
    label="all branches",
    parameters=(
        ParameterName(
            "ceiling", "monthly ceiling on the insured wage (each month capped)", absent="no ceiling", unit=MONEY
        ),
        ParameterName(
            "ceiling_reference_amount",
            "the ceiling as a multiple of a reference amount (20 × the base salary), where the law sets it so",
            absent="the ceiling is an amount, or there is none",
            keyed_by=BY_REFERENCE_AMOUNT,
        ),
    ),
)

REFERENCE_AMOUNTS = ParameterGroup(
    code="reference_amounts",
    label="all branches",
    parameters=(
        ParameterName(
            "<name>",
            "an amount other parameters are multiples of (base salary, social assistance standard …), named by "
            "the jurisdiction; a folder of region_1 … region_n where it varies by minimum-wage region",
        ),
    ),
    free_names=True,
)

HIGHER_STANDARDS = ParameterGroup(
    code="higher_standards",
    label="ILO reference scheme only",
    parameters=tuple(
        ParameterName(path, meaning, unit=unit)
        for path, meaning, unit in (
            ("c128.old_age.pensionable_age", "C128 maximum pensionable age", MONTHS),
            (
                "c128.old_age.qualifying_period.full_months",
                "C128 qualifying period for the full old-age benefit",
                MONTHS,
            ),
            ("c128.old_age.qualifying_period.reduced_months", "C128 qualifying period for a reduced benefit", MONTHS),
            ("c128.old_age.replacement_rate", "C128 minimum old-age replacement rate", RATE),
            (
                "c128.invalidity.qualifying_period.full_months",
                "C128 qualifying period for full invalidity benefit",
                MONTHS,
            ),
            (
                "c128.invalidity.qualifying_period.reduced_months",
                "C128 qualifying period for a reduced benefit",
                MONTHS,
            ),
            ("c128.invalidity.replacement_rate", "C128 minimum invalidity replacement rate", RATE),
            ("c168.benefit_rate", "C168 minimum unemployment benefit rate", RATE),
            ("c168.duration.weeks_per_spell", "C168 minimum duration per spell, in weeks", WEEKS),
            ("c168.duration.weeks_in_24_months", "C168 minimum duration in 24 months, in weeks", WEEKS),
            ("c168.waiting_days", "C168 maximum waiting period, in days", DAYS),
            ("c183.benefit_rate", "C183 minimum maternity benefit rate", RATE),
            ("c183.leave_weeks", "C183 minimum maternity leave, in weeks", WEEKS),
            ("c183.compulsory_postnatal_weeks", "C183 compulsory leave after childbirth, in weeks", WEEKS),
        )
    ),
    benchmark=(
        "benchmark values of the higher ILO standards beside C102, for the compliance report; "
        "the reference scheme pays the C102 minimum, so no formula reads them"
    ),
)

POVERTY_LINE = ParameterGroup(
    code="poverty_line",
    label="analysis only",
    parameters=tuple(
        ParameterName(path, f"{meaning}, per person per month (household income per person)", unit=MONEY)
        for path, meaning in (
            ("national", "national poverty line"),
            ("rural", "poverty line of rural areas"),
            ("urban", "poverty line of urban areas"),
        )
    ),
    benchmark=(
        "the national poverty lines the comparison measures poverty against (openfisca_sp.analysis.poverty); "
        "no formula reads them"
    ),
)

GROUPS = (INSURED_WAGE, REFERENCE_AMOUNTS, HIGHER_STANDARDS, POVERTY_LINE)
