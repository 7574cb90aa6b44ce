"""A reform adding a benefit the law in force already provides, which the baseline does not model: the
comparison reads its baseline as not modelled, never 0 (an analyst's review found Tajikistan's baseline social
pension costing 0), and says the reform's figures for it are its whole amounts."""

from __future__ import annotations

import pandas as pd
import pytest

from openfisca_sp import tax_benefit_system
from openfisca_sp.analysis import compare
from openfisca_sp.analysis.in_law import in_law_unmodelled
from openfisca_sp.population.outputs import branches_of
from openfisca_sp.reforms import load_reform

SAYS = "the law in force already provides such a benefit (social_pension.in_law_in_force)"


@pytest.mark.parametrize(
    ("jurisdiction", "month", "provided"),
    [
        ("vnm", "2025-07", False),  # in law from 1 July 2025 (SI Law 2024 Art 21): the baseline models it
        ("vnm", "2025-06", False),
        ("tjk", "2026-10", True),  # state social pensions, raised on 1 July 2024
        ("tjk", "2024-06", False),  # no earlier date encoded
        ("lao", "2026-10", False),  # no non-contributory old-age pension documented
    ],
)
def test_the_social_pension_is_in_the_law_in_force_where_its_parameter_says(jurisdiction, month, provided):
    baseline = tax_benefit_system(jurisdiction)
    reform = load_reform("r202_social_pension", baseline)
    branches = {"baseline": branches_of(baseline), "reform": branches_of(reform)}
    assert in_law_unmodelled(branches, reform, month) == (["social_pension"] if provided else [])


def test_a_comparison_says_the_reform_s_figures_are_its_whole_amounts_where_the_law_provides_one():
    tjk = compare("sample:tjk", "2026-10", "r202_social_pension", "tjk")
    assert any(SAYS in note and "whole amounts" in note for note in tjk.meta["notes"])
    row = tjk.branches.set_index("branch").loc["social_pension"]
    assert pd.isna(row["baseline_cost"]) and pd.isna(row["cost_change"])  # not modelled, never 0
    assert pd.isna(row["baseline_beneficiaries"]) and row["reform_cost"] > 0
    lao = compare("sample:lao", "2026-10", "r202_social_pension", "lao")
    assert not any(SAYS in note for note in lao.meta["notes"])
    vnm = compare("sample:vnm", "2026-10", "r202_social_pension", "vnm")  # the baseline models the law's
    assert not any(SAYS in note for note in vnm.meta["notes"])
