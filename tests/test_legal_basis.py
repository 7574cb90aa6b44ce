"""A decision's legal basis: the values it rests on, and no value it does not read."""

from __future__ import annotations

from openfisca_sp import tax_benefit_system
from openfisca_sp.rules.legal_basis import legal_basis


def _outside_the_branch(code: str, branch: str, day: str) -> set[str]:
    return {name for name in legal_basis(tax_benefit_system(code), branch, day).values if not name.startswith(branch)}


def test_a_branch_rests_on_the_reference_amounts_its_parameters_name_only() -> None:
    """An outside review: every Tajik old-age decision cited the calculation indicator and the minimum wage,
    which no Tajik old-age formula reads; Viet Nam's unemployment cap and own ceiling read the regional minimum
    wages, not the social insurance's ceiling."""
    assert _outside_the_branch("tjk", "old_age", "2024-03-15") == set()
    assert _outside_the_branch("vnm", "unemployment", "2025-06-01") == {
        f"reference_amounts.regional_minimum_wage.region_{region}" for region in (1, 2, 3, 4)
    }
    assert _outside_the_branch("vnm", "maternity", "2025-06-01") == {
        "reference_amounts.base_salary",
        "insured_wage.ceiling_reference_amount.base_salary",  # 20 times it caps the insured wage
    }
    assert _outside_the_branch("lao", "maternity", "2025-06-01") == {"insured_wage.ceiling"}


def test_a_mothers_rule_counts_for_women_only() -> None:
    """A woman refused for her age rests on the mothers' reduced age too (one source: unverified); a man not."""
    basis = legal_basis(tax_benefit_system("tjk"), "old_age", "2024-03-15")
    assert any(".mothers." in name for name in basis.unverified)
    assert basis.by_sex_differs
