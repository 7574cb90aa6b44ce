"""The old-age pension branch (ILO C102 Part V, Arts 25-30)."""

from openfisca_sp.rules.branches.model import CONTRIBUTIONS, Branch, Condition
from openfisca_sp.rules.enums import IneligibilityReason as Reason

OLD_AGE = Branch(
    code="old_age",
    label="Old-age pension",
    benefit="old_age_pension",
    conditions=(
        Condition((Reason.below_pensionable_age,), ("old_age_pensionable_age_reached",), ("pensionable_age",)),
        Condition(CONTRIBUTIONS, ("old_age_qualifying_period_met",), ("qualifying_period",)),
    ),
    lump_sums=("old_age_lump_sum",),
    amount_modelled="old_age_pension_amount_modelled",
    coverage_group="older_persons",
)
