"""The old-age pension branch (ILO C102 Part V, Arts 25-30): conditions, results and the parameters it reads."""

from openfisca_sp.rules.branches.common import CONTRIBUTIONS, REFERENCE_WAGE, rate_schedule, rate_schedule_amount
from openfisca_sp.rules.branches.model import (
    AMOUNT,
    BOOLEAN,
    BY_REFERENCE_AMOUNT,
    ELIGIBILITY,
    FIRST_DAY,
    Branch,
    Condition,
    Event,
    FirstDay,
    ParameterName,
    either,
    needs,
)
from openfisca_sp.rules.branches.units import (
    AGE_MONTHS,
    CHILDREN,
    INDEX,
    MONEY,
    MONTHS,
    MULTIPLE,
    PERCENT,
    RATE,
    WAGE_MONTHS,
)
from openfisca_sp.rules.enums import IneligibilityReason as Reason

LUMP_SUM = "lump sum"
# Tajikistan's structure (variables/tjk/old_age_pension.py): base pension + insurance part of the pension capital
TJK_AMOUNT = ("base_pension", "insurance_part.divisor", "insurance_part.minimum_base_pension_share")

OLD_AGE = Branch(
    code="old_age",
    label="Old-age pension",
    benefit="old_age_pension",
    conditions=(
        # below the pensionable age, at the age of an early pension whose rules were not found (Lao Decree 207/PM)
        Condition(
            (Reason.early_pension_not_modelled,),
            ("old_age_early_pension_age_reached", "old_age_qualifying_period_met"),
            ("early_pension", "qualifying_period"),
            only_where="old_age_early_pension_age_reached",
        ),
        # below the pensionable age, with a loss of working capacity the law gives a reduced pension for (Viet Nam SI
        # Law 2014 Art 55, SI Law 2024 Art 65), not encoded: its facts are needed of those it may concern only
        Condition(
            (Reason.reduced_capacity_pension_not_modelled,),
            ("old_age_reduced_capacity_pension_may_apply",),
            ("reduced_capacity", "pensionable_age"),
            only_where="old_age_reduced_capacity_pension_may_apply",
        ),
        # a woman's age and period may be the reduced ones of mothers (Tajikistan): her refusal rests on them too;
        # the age is met by the end of the month of retirement where the pension is paid from the month after it
        Condition(
            (Reason.below_pensionable_age,),
            ("old_age_pensionable_age_reached",),
            ("pensionable_age", "reduced_conditions", "payment_start"),
        ),
        # or the lower age of arduous work or underground coal mining (Viet Nam SI Law 2014 Art 54(1)(b)-(c), SI Law
        # 2024 Art 64(1)(b)-(c)), with the qualifying period: its facts are needed of those at that age only (the
        # months of such work, optional, are asked where they would change a refusal: decisions.arduous_work). One at
        # that age is refused for too few months of contributions: the qualifying period of Art 54(1) / Art 64(1)
        # (the months every point of the paragraph needs) is cited where it refuses, not in every refusal for the age
        Condition(
            (Reason.below_pensionable_age,),
            ("old_age_lower_pensionable_age_reached",),
            ("pensionable_age", "reduced_conditions", "payment_start", "arduous_work"),
            only_where="old_age_lower_pensionable_age_may_apply",
            also_cites=("qualifying_period.minimum_months",),
        ),
        # below the months required, where the law pays something no source gives (refused_below_minimum false)
        Condition((Reason.reduced_period_not_modelled,), ("old_age_qualifying_period_met",), ("qualifying_period",)),
        Condition(CONTRIBUTIONS, ("old_age_qualifying_period_met",), ("qualifying_period", "reduced_conditions")),
    ),
    lump_sums=("old_age_lump_sum",),
    # the lump sum below the pensionable age turns on the end of the last labour contract (12 months outside social
    # insurance, Viet Nam SI Law 2024 Art 70(1)(đ)): asked of those it may concern, optional elsewhere
    lump_sum_facts=frozenset({"employment_end_date"}),
    result_facts_only_where=(("employment_end_date", "old_age_lump_sum_after_leaving_considered"),),
    lump_sum_basis=("lump_sum", "reference_wage"),
    # the window of a reduced pension for a loss of working capacity decides only below the pensionable age, where a
    # loss at the law's minimum is stated: there it is cited, whatever the decision (a refusal for the age included)
    # so do the rules of the lower age of arduous work, of a person below the pensionable age stating such months
    basis_only_where=(
        ("reduced_capacity", "old_age_reduced_capacity_considered"),
        ("arduous_work", "old_age_arduous_work_considered"),
        ("lump_sum.after_leaving_insurance", "old_age_lump_sum_after_leaving_considered"),
    ),
    amount_modelled="old_age_pension_amount_modelled",
    coverage_group="older_persons",
    event=Event(
        "claim",
        "old_age_claim_date",
        on_the_date_asked=True,
        reference="ILO C102 Art 26(1): the contingency is survival beyond the prescribed age, tested on the claim",
    ),
    first_day=FirstDay(
        "old_age_pension_first_day",
        "old_age_pension_first_day_read",
        "paid from the first day of the month after the month of retirement, the claim's "
        "(old_age.payment_start.month_after_retirement)",
        "paid from the first day of the month after the month of the claim, read as the day work ended (the law's "
        "case of one who works on after the pensionable age); one who stopped work before and claims later is paid "
        "from the time written in the request, whose day the sources read do not give (provisional)",
    ),
    parameters=(
        ParameterName("provided", "whether the law in force provides an old-age pension (false: not provided)"),
        ParameterName(
            "payment_start.month_after_retirement",
            "whether the pension is paid from the first day of the month after the month of retirement (the "
            "claim's), not from the day of the claim",
            absent="the pension is paid from the day of the claim (a part month for the rest of its month)",
            kind=BOOLEAN,
            part=FIRST_DAY,
        ),
        ParameterName(
            "pensionable_age", "pensionable age, in months (720 = 60 years)", may_vary_by_sex=True, unit=AGE_MONTHS
        ),
        ParameterName(
            "qualifying_period.minimum_months", "months of contributions required", may_vary_by_sex=True, unit=MONTHS
        ),
        ParameterName(
            "qualifying_period.refused_below_minimum",
            "whether a person below the months required is refused the pension (false: the law pays something "
            "below them whose rules were not found, and such a claim is not modelled)",
            absent="below the months required the pension is refused",
            kind=BOOLEAN,
            part=ELIGIBILITY,
        ),
        ParameterName(
            "early_pension.age_months",
            "age of an early pension with the qualifying period, in months, whose rules were not found: such a claim "
            "is not modelled",
            absent="below the pensionable age the pension is refused",
            may_vary_by_sex=True,
            unit=AGE_MONTHS,
            part=ELIGIBILITY,
        ),
        ParameterName(
            "reduced_capacity.minimum_months",
            "months of contributions with which a person below the pensionable age who has lost working capacity "
            "may retire on a reduced pension (not encoded: such a claim is not modelled)",
            absent="below the pensionable age a loss of working capacity changes nothing",
            unit=MONTHS,
            part=ELIGIBILITY,
        ),
        ParameterName(
            "reduced_capacity.minimum_degree",
            "loss of working capacity (percent) from which that reduced pension may be claimed",
            absent="below the pensionable age a loss of working capacity changes nothing",
            unit=PERCENT,
            part=ELIGIBILITY,
        ),
        ParameterName(
            "reduced_capacity.months_below_pensionable_age",
            "how many months below the pensionable age it may be claimed with that loss",
            absent="below the pensionable age a loss of working capacity changes nothing",
            may_vary_by_sex=True,
            unit=MONTHS,
            part=ELIGIBILITY,
        ),
        ParameterName(
            "reduced_capacity.severe.minimum_degree",
            "a higher loss of working capacity (percent) with which it may be claimed further below that age",
            absent="no lower age for a higher loss",
            unit=PERCENT,
            part=ELIGIBILITY,
        ),
        ParameterName(
            "reduced_capacity.severe.months_below_pensionable_age",
            "how many months below the pensionable age it may be claimed with that higher loss",
            absent="no lower age for a higher loss",
            may_vary_by_sex=True,
            unit=MONTHS,
            part=ELIGIBILITY,
        ),
        ParameterName(
            "arduous_work.minimum_months",
            "months of arduous, toxic or dangerous work (arduous_work_months), or of work in a place of hardship "
            "(hardship_area_months), with which a person with the qualifying period may retire below the "
            "pensionable age",
            absent="no lower age for arduous work",
            unit=MONTHS,
            part=ELIGIBILITY,
        ),
        ParameterName(
            "arduous_work.months_below_pensionable_age",
            "how many months below the pensionable age that person may retire",
            absent="no lower age for arduous work",
            may_vary_by_sex=True,
            unit=MONTHS,
            part=ELIGIBILITY,
        ),
        ParameterName(
            "arduous_work.hardship_area_months_added",
            "whether the months of work in a place of hardship add to the months of arduous work towards that "
            "minimum (false: each kind must reach it on its own)",
            absent="each kind must reach the minimum on its own",
            kind=BOOLEAN,
            part=ELIGIBILITY,
        ),
        ParameterName(
            "arduous_work.underground_coal_mining.minimum_months",
            "months of underground coal mining (underground_coal_mining_months) with which a person with the "
            "qualifying period may retire below the pensionable age",
            absent="no lower age for underground coal mining",
            unit=MONTHS,
            part=ELIGIBILITY,
        ),
        ParameterName(
            "arduous_work.underground_coal_mining.months_below_pensionable_age",
            "how many months below the pensionable age that person may retire",
            absent="no lower age for underground coal mining",
            may_vary_by_sex=True,
            unit=MONTHS,
            part=ELIGIBILITY,
        ),
        REFERENCE_WAGE,
        *rate_schedule("C102 Art 29(4)", "no pension below the base years"),
        ParameterName(
            "pension_point_rate",
            "pension per pension point, as a share of the reference wage (Lao Decree 207/PM points formula)",
            unit=RATE,
        ),
        ParameterName(
            "reduced_conditions.mothers.minimum_children",
            "children born and raised (to the age the law names) that give a mother the reduced age and period",
            absent="no reduced conditions for mothers",
            unit=CHILDREN,
            part=ELIGIBILITY,
        ),
        ParameterName(
            "reduced_conditions.mothers.covers_mother_of_disabled_child",
            "whether raising a disabled child gives the same reduced conditions",
            absent="it does not",
            kind=BOOLEAN,
            part=ELIGIBILITY,
        ),
        ParameterName(
            "reduced_conditions.mothers.pensionable_age",
            "pensionable age of a mother who meets the condition, in months",
            absent="no reduced conditions for mothers",
            unit=AGE_MONTHS,
            part=ELIGIBILITY,
        ),
        ParameterName(
            "reduced_conditions.mothers.minimum_months",
            "months of contributions required of a mother who meets the condition",
            absent="no reduced conditions for mothers",
            unit=MONTHS,
            part=ELIGIBILITY,
        ),
        ParameterName(
            "base_pension",
            "base pension guaranteed by the State, in currency a month (Tajikistan: base pension + insurance part)",
            unit=MONEY,
        ),
        ParameterName(
            "insurance_part.divisor",
            "months the pension capital is divided by to give the monthly insurance part (Tajikistan)",
            unit=MONTHS,
        ),
        ParameterName(
            "insurance_part.minimum_base_pension_share",
            "smallest insurance pension, base pension included, as a share of the base pension (Tajikistan)",
            unit=RATE,
        ),
        ParameterName(
            "minimum_pension",
            "minimum pension, as a multiple of a reference amount",
            keyed_by=BY_REFERENCE_AMOUNT,
            absent="no minimum pension",
            unit=MULTIPLE,
            part=AMOUNT,
        ),
        ParameterName(
            "in_payment_index",
            "index of pensions in payment: a pension decided when it stood at I0 is paid I / I0 times its amount "
            "when it stands at I (the law's general rises of pensions in payment; null: a rise of unknown size)",
            absent="a pension in payment keeps the amount decided (its rises are not modelled)",
            unit=INDEX,
        ),
        ParameterName(
            "in_payment_catch_up",
            "a rise at another rate for the pensions the index's previous rise did not raise (first decided from that "
            "rise's day): they are raised on this day by this factor, in place of the index's rise",
            absent="every pension in payment is raised by the index's rises",
            unit=INDEX,
        ),
        ParameterName(
            "lump_sum.provided",
            "whether the law provides a lump sum at pensionable age without the qualifying period",
            absent="whether a lump sum is owed is not modelled",
            kind=BOOLEAN,
        ),
        ParameterName(
            "lump_sum.months_of_wage_per_year",
            "lump sum at pensionable age without the qualifying period: months of reference wage per year",
            absent="the lump sum is not modelled",
            unit=WAGE_MONTHS,
        ),
        ParameterName(
            "lump_sum.months_of_wage_per_year_before_2014",
            "lump sum: months of reference wage per year contributed before 2014, where the law counts them apart",
            absent="every year contributed counts at lump_sum.months_of_wage_per_year",
            unit=WAGE_MONTHS,
            part=LUMP_SUM,
        ),
        ParameterName(
            "lump_sum.odd_months_as_years",
            "lump sum: whether odd months beyond whole years count, 1 to 6 as half a year and 7 to 11 as a year",
            absent="contribution months count as months / 12",
            kind=BOOLEAN,
            part=LUMP_SUM,
        ),
        ParameterName(
            "lump_sum.odd_months_before_2014_moved",
            "lump sum: whether the odd months beyond whole years contributed before 2014 count in the period from 2014",
            absent="the months before 2014 count as months / 12 at their own rate",
            kind=BOOLEAN,
            part=LUMP_SUM,
        ),
        ParameterName(
            "lump_sum.after_leaving_insurance.months_outside",
            "months outside social insurance after which one below the pensionable age with too short a career may "
            "take the lump sum",
            absent="below the pensionable age no lump sum is paid",
            unit=MONTHS,
            part=LUMP_SUM,
        ),
        ParameterName(
            "lump_sum.after_leaving_insurance.below_contribution_months",
            "the lump sum after leaving social insurance: contribution months below which it may be taken",
            absent="below the pensionable age no lump sum is paid",
            unit=MONTHS,
            part=LUMP_SUM,
        ),
        ParameterName(
            "lump_sum.after_leaving_insurance.insured_before_in_force_only",
            "the lump sum after leaving social insurance: whether only for those who contributed before the rule in "
            "force took effect",
            absent="whoever meets its other conditions",
            kind=BOOLEAN,
            part=LUMP_SUM,
        ),
        ParameterName(
            "lump_sum.less_than_a_year.contribution_rate",
            "lump sum after less than a year of contributions: the share of the wages contributed on it pays",
            absent="a career of less than a year counts as the years rule counts it",
            unit=RATE,
            part=LUMP_SUM,
        ),
        ParameterName(
            "lump_sum.less_than_a_year.maximum_months_of_wage",
            "lump sum after less than a year of contributions: the most it pays, in months of reference wage",
            absent="a career of less than a year counts as the years rule counts it",
            unit=WAGE_MONTHS,
            part=LUMP_SUM,
        ),
    ),
    requirements={
        ELIGIBILITY: needs("pensionable_age", "qualifying_period.minimum_months"),
        AMOUNT: either(
            rate_schedule_amount(REFERENCE_WAGE.path),
            needs(REFERENCE_WAGE.path, "pension_point_rate"),
            needs(*TJK_AMOUNT),
        ),
        LUMP_SUM: needs(REFERENCE_WAGE.path, "lump_sum.months_of_wage_per_year"),
    },
)
