"""The maternity benefit branch (ILO C102 Part VIII, Arts 46-52; C183): conditions, results, parameters."""

from openfisca_sp.rules.branches.common import CONTRIBUTIONS, DAYS_A_MONTH, LAST_DAY_OF_SHORT_MONTH, REFERENCE_WAGE
from openfisca_sp.rules.branches.model import (
    AMOUNT,
    BOOLEAN,
    BY_PREGNANCY_OUTCOME,
    BY_REFERENCE_AMOUNT,
    COUNTED_DURATION,
    DURATION,
    ELIGIBILITY,
    Branch,
    Condition,
    Event,
    ParameterName,
    needs,
)
from openfisca_sp.rules.branches.units import COUNTED, DAY_OF_MONTH, MONTHS, MULTIPLE, RATE
from openfisca_sp.rules.enums import IneligibilityReason as Reason

OUTCOMES_COVERED = "qualifying_period.minimum_months"  # keyed by pregnancy outcome: an outcome left out is not modelled
BIRTH_GRANT = "birth grant"  # the part of the result the birth grant's optional names serve (its lump sum)

MATERNITY = Branch(
    code="maternity",
    label="Maternity benefit",
    benefit="maternity_benefit",
    conditions=(
        Condition((Reason.not_female,), ("sex",), ("provided",)),
        # the outcomes the law covers are those it sets a qualifying period for (not the window: it plays no part)
        Condition((Reason.no_confinement,), ("pregnancy_outcome",), (OUTCOMES_COVERED,)),  # refused with no date
        Condition((Reason.outcome_not_modelled,), ("pregnancy_outcome",), (OUTCOMES_COVERED,)),
        Condition(CONTRIBUTIONS, ("maternity_qualifying_period_met",), ("qualifying_period",)),
        # the lower minimum after a prescribed rest (Viet Nam SI Law 2014 Art 31(3)): its facts are needed only of
        # the women whose months before the birth meet it and not the general minimum
        Condition(
            CONTRIBUTIONS,
            ("maternity_prescribed_rest_qualifying_period_met",),
            ("qualifying_period",),
            only_where="maternity_prescribed_rest_may_qualify",
        ),
    ),
    lump_sums=("birth_grant",),
    amount_modelled="maternity_benefit_amount_modelled",
    amount_provisional="maternity_reference_wage_short_history",
    coverage_group="mothers_of_newborns",
    event=Event(
        "confinement",
        "child_birth_date",
        needed_from=2,  # the confinement's day decides which outcomes the law covers, not whether there was one
        own_month_read="maternity_birth_month_read",  # a birth on or after the 15th (Circular 59/2015 Art 9(1)(b))
        reference=(
            "ILO C102 Art 47 (the contingency is the confinement); Viet Nam SI Law 2014 Art 31(2): contributions "
            "in the 12 months before the birth; Lao NSSF: the 6 months before the birth"
        ),
    ),
    parameters=(
        ParameterName("provided", "whether the law in force provides a maternity benefit (false: not provided)"),
        ParameterName(
            "qualifying_period.window_months",
            "months before the confinement in which contributions count (0: the whole career)",
            unit=MONTHS,
        ),
        ParameterName(
            "qualifying_period.minimum_months",
            "months of contributions required, per pregnancy outcome modelled (an outcome left out is not modelled)",
            keyed_by=BY_PREGNANCY_OUTCOME,
            unit=MONTHS,
        ),
        ParameterName(
            "qualifying_period.birth_month_from_day",
            "day of the month from which the month of a birth, where contributed, counts among the months of the "
            "window (the window then ends with it, its first month left out)",
            absent="the month of a birth never counts: the window is the months before it",
            unit=DAY_OF_MONTH,
            part=ELIGIBILITY,
        ),
        ParameterName(
            "qualifying_period.prescribed_rest.minimum_months",
            "months of contributions required in the window on a live birth of a woman who had to rest during her "
            "pregnancy on a medical prescription (rested_during_pregnancy_on_prescription)",
            absent="no lower minimum after a prescribed rest",
            unit=MONTHS,
            part=ELIGIBILITY,
        ),
        ParameterName(
            "qualifying_period.prescribed_rest.minimum_contribution_months",
            "months of contributions in all that such a woman needs for that lower minimum to apply",
            absent="no lower minimum after a prescribed rest",
            unit=MONTHS,
            part=ELIGIBILITY,
        ),
        REFERENCE_WAGE,
        ParameterName(
            "reference_wage.contributed_months_only",
            "whether the months averaged are the latest months with contributions before the confinement (a month "
            "without them skipped; fewer found: the average of those), not the calendar months before it",
            absent="the calendar months before the confinement, a month without contributions counted as zero",
            kind=BOOLEAN,
            part=AMOUNT,
        ),
        ParameterName(
            "reference_wage.birth_month_counted",
            "whether the month of a birth that counts among the months of the window (qualifying_period."
            "birth_month_from_day) is the latest of the months averaged",
            absent="the months averaged are before the month of the birth",
            kind=BOOLEAN,
            part=AMOUNT,
        ),
        ParameterName("benefit_rate", "benefit as a share of the reference wage", unit=RATE),
        ParameterName("duration.unit", "unit of the duration: days, weeks or months", kind=COUNTED_DURATION),
        LAST_DAY_OF_SHORT_MONTH,
        DAYS_A_MONTH,
        ParameterName("duration.single_birth", "duration for one child", unit=COUNTED),
        ParameterName(
            "duration.multiple_birth",
            "duration for two children or more",
            absent="as for one child",
            unit=COUNTED,
            part=DURATION,
        ),
        ParameterName(
            "duration.applies_to",
            "whether the durations for one child and for two or more are those paid after this pregnancy outcome "
            "(false or left out: the duration after it is not modelled, e.g. a leave a physician sets)",
            keyed_by=BY_PREGNANCY_OUTCOME,
            absent="they apply after every outcome decided",
            kind=BOOLEAN,
            part=DURATION,
        ),
        ParameterName(
            "duration.per_additional_child",
            "duration added per child after the first",
            absent="nothing added",
            unit=COUNTED,
            part=DURATION,
        ),
        ParameterName(
            "birth_grant.reference_wage_share",
            "birth grant per child, as a share of the reference wage",
            absent="no grant of this kind",
            unit=RATE,
            part=BIRTH_GRANT,
        ),
        ParameterName(
            "birth_grant.reference_amount_multiple",
            "birth grant per child, as a multiple of a reference amount",
            keyed_by=BY_REFERENCE_AMOUNT,
            absent="no grant of this kind",
            unit=MULTIPLE,
            part=BIRTH_GRANT,
        ),
        ParameterName(
            "birth_grant.covers_pregnancy_loss",
            "whether a pregnancy loss gives a birth grant (for one child)",
            absent="it does not",
            kind=BOOLEAN,
            part=BIRTH_GRANT,
        ),
    ),
    result_facts_only_where=(("number_of_children_born", "maternity_counts_children_born"),),  # not after a loss
    # the 6 latest months with contributions are averaged: no month before the sixth is read
    history_read_from=(("insured_wage", "maternity_reference_wage_first_month"),),
    history_where_held=True,  # a population's table may hold fewer: a short history, provisional
    # the lower minimum after a prescribed rest is cited only for a woman short of the general months at a live birth
    # the month of the birth among the months averaged is cited only where it counted (Circular 59/2015 Art 9(1)(b))
    basis_only_where=(
        ("qualifying_period.prescribed_rest", "maternity_prescribed_rest_considered"),
        ("reference_wage.birth_month_counted", "maternity_birth_month_counted"),
    ),
    requirements={
        ELIGIBILITY: needs("qualifying_period.window_months", "qualifying_period.minimum_months"),
        AMOUNT: needs(REFERENCE_WAGE.path, "benefit_rate"),
        DURATION: needs("duration.unit", "duration.single_birth"),
    },
)
