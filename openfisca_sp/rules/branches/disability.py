"""The disability (invalidity) benefit branch (ILO C102 Part IX, Arts 53-58)."""

from openfisca_sp.rules.branches.model import CONTRIBUTIONS, Branch, Condition
from openfisca_sp.rules.enums import IneligibilityReason as Reason

DISABILITY = Branch(
    code="disability",
    label="Disability (invalidity) benefit",
    benefit="disability_benefit",
    conditions=(
        Condition((Reason.not_disabled,), ("is_disabled",), ("provided",)),
        Condition(
            (Reason.disability_degree_too_low,),
            ("disability_severity_met",),
            ("minimum_degree", "maximum_category"),
        ),
        Condition((Reason.above_age_limit,), ("old_age_pension_eligible",), ("ends_at_pensionable_age",)),
        Condition(CONTRIBUTIONS, ("disability_qualifying_period_met",), ("qualifying_period",)),
    ),
    coverage_group="persons_with_severe_disabilities",
)
