"""Below the months required, a pension is refused unless the law pays something whose rules were not found
(``old_age.qualifying_period.refused_below_minimum`` false): then the claim is not modelled, never refused."""

from __future__ import annotations

from openfisca_core import periods
from openfisca_core.reforms import Reform
from openfisca_core.simulation_builder import SimulationBuilder

from openfisca_sp import tax_benefit_system
from openfisca_sp.rules.enums import IneligibilityReason as Reason


class _PaidBelowMinimum(Reform):
    """Tajikistan's rules, read as paying something (rules not found) below the months required."""

    def apply(self) -> None:
        def paid(parameters):
            node = parameters.old_age.qualifying_period.refused_below_minimum
            node.update(start=periods.instant("2013-01-01"), value=False)
            return parameters

        self.modify_parameters(paid)


def _reasons(system, months: list[int]) -> list[str]:
    persons = {
        f"p{months_}": {
            "sex": {"2024-03": "male"},
            "birth_date": {"ETERNITY": "1961-03-01"},  # 63 in March 2024
            "contribution_months": {"2024-03": months_},
        }
        for months_ in months
    }
    simulation = SimulationBuilder().build_from_entities(system, {"persons": persons})
    reasons = simulation.calculate("old_age_pension_ineligibility_reason", "2024-03")
    return [Reason._member_names_[index] for index in reasons.tolist()]


def test_tajikistan_refuses_below_the_full_period_provisionally_as_its_parameter_says() -> None:
    assert _reasons(tax_benefit_system("tjk"), [299, 300]) == ["insufficient_contributions", "eligible"]


def test_where_the_law_pays_something_below_the_months_required_the_claim_is_not_modelled() -> None:
    system = _PaidBelowMinimum(tax_benefit_system("tjk"))
    assert _reasons(system, [0, 299, 300]) == ["reduced_period_not_modelled", "reduced_period_not_modelled", "eligible"]
