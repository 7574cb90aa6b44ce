"""The unemployment benefit branch (ILO C102 Part IV, Arts 19-24; C168)."""

from openfisca_sp.rules.branches.model import CONTRIBUTIONS, Branch, Condition
from openfisca_sp.rules.enums import IneligibilityReason as Reason

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
        Condition((Reason.not_available_for_work,), ("is_available_for_work",), ("provided",)),
        Condition(CONTRIBUTIONS, ("unemployment_qualifying_period_met",), ("qualifying_period",)),
    ),
    waiting_days="unemployment_benefit_waiting_days",
    coverage_group="unemployed",
)
