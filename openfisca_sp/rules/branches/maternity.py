"""The maternity benefit branch (ILO C102 Part VIII, Arts 46-52; C183)."""

from openfisca_sp.rules.branches.model import CONTRIBUTIONS, Branch, Condition
from openfisca_sp.rules.enums import IneligibilityReason as Reason

MATERNITY = Branch(
    code="maternity",
    label="Maternity benefit",
    benefit="maternity_benefit",
    conditions=(
        Condition((Reason.not_female,), ("sex",), ("provided",)),
        Condition((Reason.no_confinement, Reason.outcome_not_covered), ("pregnancy_outcome",), ("qualifying_period",)),
        Condition(CONTRIBUTIONS, ("maternity_qualifying_period_met",), ("qualifying_period",)),
    ),
    lump_sums=("birth_grant",),
    coverage_group="mothers_of_newborns",
)
